"""A button that shows the playback rate and opens the speed presets plus finer steps."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from podplayer.gui.text import format_rate


class SpeedButton(QToolButton):
    """Emits the preset picked (rate_requested) or a finer step down/up (step_requested: -1/+1)."""

    rate_requested = Signal(float)
    step_requested = Signal(int)

    def __init__(self, presets: Sequence[float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rate = 1.0
        self.setAccessibleName("Playback speed")
        self.setToolTip("Playback speed ([ slower, ] faster)")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        group = QActionGroup(menu)
        self._preset_actions: dict[float, QAction] = {}
        for preset in presets:
            action = menu.addAction(format_rate(preset))
            action.setCheckable(True)
            group.addAction(action)
            action.triggered.connect(lambda _=False, rate=preset: self.rate_requested.emit(rate))
            self._preset_actions[preset] = action
        menu.addSeparator()
        slower = menu.addAction("Slower by 0.05x")
        slower.triggered.connect(lambda: self.step_requested.emit(-1))
        faster = menu.addAction("Faster by 0.05x")
        faster.triggered.connect(lambda: self.step_requested.emit(+1))
        self.setMenu(menu)
        self.set_rate(1.0)

    def set_rate(self, rate: float) -> None:
        """Show the rate now in effect."""
        self._rate = rate
        self.setText(format_rate(rate))
        self.setAccessibleDescription(f"Playing at {format_rate(rate)}")
        for preset, action in self._preset_actions.items():
            action.setChecked(abs(preset - rate) < 1e-6)

    def rate(self) -> float:
        return self._rate

    def preset_action(self, rate: float) -> QAction:
        return self._preset_actions[rate]
