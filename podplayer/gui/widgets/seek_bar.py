"""A seek slider with elapsed time and time remaining, also at the current speed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QStyle, QStyleOptionSlider, QWidget

from podplayer.gui.text import format_ms, format_rate


class JumpingSlider(QSlider):
    """A slider whose groove jumps to the clicked point instead of paging; chapter ticks on it."""

    ticks_ms: tuple[int, ...] = ()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.ticks_ms or self.maximum() <= self.minimum():
            return
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        handle = self.style().subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
        )
        span = max(1, self.width() - handle.width())
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        middle = self.height() // 2
        for tick in self.ticks_ms:
            x = handle.width() // 2 + QStyle.sliderPositionFromValue(
                self.minimum(), self.maximum(), tick, span
            )
            painter.drawLine(x, middle - 6, x, middle - 3)
            painter.drawLine(x, middle + 3, x, middle + 6)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.maximum() > self.minimum():
            option = QStyleOptionSlider()
            self.initStyleOption(option)
            handle = self.style().subControlRect(
                QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
            )
            if not handle.contains(event.position().toPoint()):
                span = max(1, self.width() - handle.width())
                x = int(event.position().x()) - handle.width() // 2
                value = QStyle.sliderValueFromPosition(
                    self.minimum(), self.maximum(), max(0, x), span
                )
                self.setValue(value)
                self.sliderMoved.emit(value)
        super().mousePressEvent(event)


class SeekBar(QWidget):
    """Shows where playback is; dragging or clicking asks to seek (milliseconds)."""

    seek_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._duration_ms = 0
        self._position_ms = 0
        self._rate = 1.0
        self.slider = JumpingSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Playback position")
        self.slider.setToolTip("Playback position: drag or click to jump")
        self.slider.setRange(0, 0)
        self.slider.setSingleStep(5000)
        self.slider.setPageStep(30_000)
        self.elapsed_label = QLabel()
        self.elapsed_label.setToolTip("Time elapsed")
        self.elapsed_label.setAccessibleDescription("Time elapsed")
        self.remaining_label = QLabel()
        self.remaining_label.setToolTip("Time remaining (and at the current speed)")
        self.remaining_label.setAccessibleDescription("Time remaining")
        for label in (self.elapsed_label, self.remaining_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.elapsed_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.elapsed_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("00:00:00") + 4)
        self.remaining_label.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("-00:00:00 (-00:00:00 at 1.25x)") + 4
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.elapsed_label)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.remaining_label)
        self.slider.sliderMoved.connect(self._show_times)
        self.slider.sliderReleased.connect(self._release)
        self.slider.actionTriggered.connect(self._keyboard_action)
        self._show_times(0)

    def set_duration(self, duration_ms: int) -> None:
        self._duration_ms = max(0, duration_ms)
        self.slider.setRange(0, self._duration_ms)
        self._show_times(self._position_ms)

    def set_position(self, position_ms: int) -> None:
        self._position_ms = max(0, position_ms)
        if not self.slider.isSliderDown():
            self.slider.setValue(self._position_ms)
            self._show_times(self._position_ms)

    def set_chapter_marks(self, starts_ms: tuple[int, ...]) -> None:
        """Ticks where chapters start (none at 0: the groove starts there)."""
        self.slider.ticks_ms = tuple(start for start in starts_ms if start > 0)
        self.slider.update()

    def chapter_marks(self) -> tuple[int, ...]:
        return self.slider.ticks_ms

    def set_rate(self, rate: float) -> None:
        self._rate = rate
        self._show_times(self._position_ms)

    def remaining_text(self) -> str:
        return self.remaining_label.text()

    def _show_times(self, position_ms: int) -> None:
        elapsed = format_ms(position_ms)
        left_ms = max(0, self._duration_ms - position_ms)
        left = format_ms(left_ms)
        text, spoken = f"-{left}", f"{left} left"
        if abs(self._rate - 1.0) > 1e-6 and self._duration_ms:
            at_rate = f"{format_ms(int(left_ms / self._rate))} at {format_rate(self._rate)}"
            text += f" (-{at_rate})"
            spoken += f", {at_rate}"
        if elapsed != self.elapsed_label.text():
            self.elapsed_label.setText(elapsed)
            self.elapsed_label.setAccessibleName(f"{elapsed} elapsed")
            self.slider.setAccessibleDescription(f"{elapsed} of {format_ms(self._duration_ms)}")
        if text != self.remaining_label.text():
            self.remaining_label.setText(text)
            self.remaining_label.setAccessibleName(spoken)

    def _release(self) -> None:
        self.seek_requested.emit(self.slider.value())

    def _keyboard_action(self, action: int) -> None:
        if not self.slider.isSliderDown() and action != QSlider.SliderAction.SliderMove.value:
            self.seek_requested.emit(self.slider.sliderPosition())
