"""A mute button and a volume slider (0..100)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSlider, QToolButton, QWidget

from podplayer.gui.widgets.media_icons import MediaIcon, media_icon


class VolumeControl(QWidget):
    """Emits volume_requested(0..100) and mute_requested(bool); shows what it is told."""

    volume_requested = Signal(int)
    mute_requested = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mute_button = QToolButton()
        self.mute_button.setCheckable(True)
        self.mute_button.setAccessibleName("Mute")
        self.mute_button.setToolTip("Mute or unmute")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setSingleStep(5)
        self.slider.setPageStep(10)
        self.slider.setMaximumWidth(110)
        self.slider.setAccessibleName("Volume")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.mute_button)
        layout.addWidget(self.slider)
        self.slider.valueChanged.connect(self._moved)
        self.mute_button.toggled.connect(self.mute_requested)
        self.set_volume(100)
        self.set_muted(False)

    def set_volume(self, volume: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(volume)
        self.slider.blockSignals(False)
        self.slider.setToolTip(f"Volume: {volume}%")

    def set_muted(self, muted: bool) -> None:
        self.mute_button.blockSignals(True)
        self.mute_button.setChecked(muted)
        self.mute_button.blockSignals(False)
        self._paint_icon()

    def changeEvent(self, event: QEvent) -> None:
        """A new palette (a dark or high-contrast theme) redraws the icon in its colours."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_icon()

    def _paint_icon(self) -> None:
        kind = MediaIcon.MUTED if self.mute_button.isChecked() else MediaIcon.VOLUME
        self.mute_button.setIcon(media_icon(kind, self.palette()))

    def _moved(self, volume: int) -> None:
        self.slider.setToolTip(f"Volume: {volume}%")
        self.volume_requested.emit(volume)
