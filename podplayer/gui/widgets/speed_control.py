"""The playback speed: a spin box a screen reader reads as a value in its range, beside a menu of
the presets."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QMenu, QToolButton, QWidget

from podplayer.gui.text import format_rate


class RateSpinBox(QDoubleSpinBox):
    """Shows rates as people write them, "1.0x" and "1.25x", not "1.00x"."""

    def textFromValue(self, value: float) -> str:
        return format_rate(value).removesuffix("x")


class SpeedControl(QWidget):
    """Emits rate_requested when the user picks a preset or sets a rate in the spin box."""

    rate_requested = Signal(float)

    def __init__(
        self,
        presets: Sequence[float],
        *,
        minimum: float,
        maximum: float,
        step: float,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._showing = False
        self.spin = RateSpinBox()
        self.spin.setRange(minimum, maximum)
        self.spin.setSingleStep(step)
        self.spin.setDecimals(2)
        self.spin.setSuffix("x")
        self.spin.setKeyboardTracking(False)
        self.spin.setAccessibleName("Playback speed")
        self.spin.setToolTip("Playback speed: Up/Down by 0.05x, or type one ([ and ] anywhere)")
        self.spin.valueChanged.connect(self._spun)
        self.presets_button = QToolButton()
        self.presets_button.setText("Presets")
        self.presets_button.setAccessibleName("Speed presets")
        self.presets_button.setToolTip("Choose a preset speed")
        self.presets_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.presets_button)
        menu.setAccessibleName("Speed presets")
        group = QActionGroup(menu)
        self._preset_actions: dict[float, QAction] = {}
        for preset in presets:
            action = menu.addAction(format_rate(preset))
            action.setCheckable(True)
            group.addAction(action)
            action.triggered.connect(lambda _=False, rate=preset: self.rate_requested.emit(rate))
            self._preset_actions[preset] = action
        self.presets_button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.spin)
        layout.addWidget(self.presets_button)
        self.setFocusProxy(self.spin)
        self.set_rate(1.0)

    def set_rate(self, rate: float) -> None:
        """Show the rate now in effect."""
        self._showing = True
        try:
            self.spin.setValue(rate)
        finally:
            self._showing = False
        self.spin.setAccessibleDescription(f"Playing at {format_rate(rate)}")
        for preset, action in self._preset_actions.items():
            action.setChecked(abs(preset - rate) < 1e-6)

    def rate(self) -> float:
        return self.spin.value()

    def text(self) -> str:
        return self.spin.text()

    def preset_action(self, rate: float) -> QAction:
        return self._preset_actions[rate]

    def menu(self) -> QMenu:
        menu = self.presets_button.menu()
        assert menu is not None
        return menu

    def _spun(self, value: float) -> None:
        if not self._showing:
            self.rate_requested.emit(round(value, 2))
