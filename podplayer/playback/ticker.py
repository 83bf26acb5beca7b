"""The one position source: interpolates between the engine's coarse time reports.

libvlc reports time only every ~250-1000 ms. The ticker extrapolates from the last report with a
monotonic clock and the rate, so sliders and transcript highlights move smoothly, and it never runs
backwards except on an explicit jump (a seek or a new episode).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from podplayer.core.sleep_timer import Clock, monotonic_ms

TICK_INTERVAL_MS = 50
MAX_EXTRAPOLATION_MS = 2_000


class PositionTicker(QObject):
    """Emits ``position_changed`` about every 50 ms while running, and on every jump."""

    position_changed = Signal(int)
    ticked = Signal()  # every tick while running, moved or not: for periodic work

    def __init__(self, clock: Clock = monotonic_ms, interval_ms: int = TICK_INTERVAL_MS) -> None:
        super().__init__()
        self._clock = clock
        self._rate = 1.0
        self._running = False
        self._anchor_media_ms = 0
        self._anchor_clock_ms = clock()
        self._last_emitted_ms = 0
        self._duration_ms: int | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)

    def position_ms(self) -> int:
        """The smoothed position now; never less than the last one emitted since the last jump."""
        position = self._anchor_media_ms
        if self._running:
            elapsed = min(self._clock() - self._anchor_clock_ms, MAX_EXTRAPOLATION_MS)
            position += round(max(0, elapsed) * self._rate)
        if self._duration_ms is not None:
            position = min(position, self._duration_ms)
        return max(position, self._last_emitted_ms)

    def report(self, engine_ms: int) -> None:
        """A coarse position from the engine: re-anchor on it (the output still never goes back)."""
        self._anchor_media_ms = engine_ms
        self._anchor_clock_ms = self._clock()

    def jump(self, position_ms: int) -> None:
        """A seek or a new episode: the position may go anywhere, backwards included."""
        self._anchor_media_ms = max(0, position_ms)
        self._anchor_clock_ms = self._clock()
        self._last_emitted_ms = self._anchor_media_ms
        self.position_changed.emit(self._last_emitted_ms)

    def set_duration(self, duration_ms: int | None) -> None:
        self._duration_ms = duration_ms if duration_ms and duration_ms > 0 else None

    def set_rate(self, rate: float) -> None:
        self._freeze()
        self._rate = rate

    def set_running(self, running: bool) -> None:
        """Playing (extrapolate and tick) or not (hold still)."""
        if running == self._running:
            return
        self._freeze()
        self._running = running
        if running:
            self._timer.start()
        else:
            self._timer.stop()
            self.tick()

    def tick(self) -> None:
        """Emit the current position if it moved, then ``ticked``."""
        position = self.position_ms()
        if position != self._last_emitted_ms:
            self._last_emitted_ms = position
            self.position_changed.emit(position)
        self.ticked.emit()

    def _freeze(self) -> None:
        self._anchor_media_ms = self.position_ms()
        self._anchor_clock_ms = self._clock()
