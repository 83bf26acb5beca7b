"""A deterministic engine for GUI and controller tests: time moves only when a test says so."""

from __future__ import annotations

from podplayer.engine.base import MAX_RATE, MIN_RATE, AudioEngine, PlaybackState

DEFAULT_DURATION_MS = 60_000


class FakeEngine(AudioEngine):
    """Plays nothing; ``advance(ms)`` moves media time by ``ms`` of wall time at the current rate.

    Every source lasts ``default_duration_ms`` unless given in ``durations``; ``fail(source, msg)``
    makes a source fail with that message when loaded, as a missing or corrupt file would.
    """

    def __init__(
        self,
        durations: dict[str, int] | None = None,
        default_duration_ms: int = DEFAULT_DURATION_MS,
    ) -> None:
        super().__init__()
        self._durations = dict(durations or {})
        self._default_duration_ms = default_duration_ms
        self._failures: dict[str, str] = {}
        self._source: str | None = None
        self._state = PlaybackState.IDLE
        self._time_ms = 0
        self._duration_ms: int | None = None
        self._rate = 1.0
        self._volume = 100
        self._muted = False
        self.loaded: list[tuple[str, int]] = []
        self.rates_applied: list[float] = []

    def set_duration(self, source: str, duration_ms: int) -> None:
        self._durations[source] = duration_ms

    def fail(self, source: str, message: str) -> None:
        self._failures[source] = message

    @property
    def source(self) -> str | None:
        return self._source

    def load(self, source: str, start_ms: int = 0, mime_type: str = "") -> None:
        self._source = source
        self.loaded.append((source, start_ms))
        message = self._failures.get(source)
        if message is not None:
            self._duration_ms = None
            self._time_ms = 0
            self._set_state(PlaybackState.ERROR)
            self.error.emit(message)
            return
        self._duration_ms = self._durations.get(source, self._default_duration_ms)
        self._time_ms = max(0, min(start_ms, self._duration_ms))
        self.rates_applied.append(self._rate)
        self._set_state(PlaybackState.STOPPED)
        self.duration_changed.emit(self._duration_ms)
        self.time_changed.emit(self._time_ms)

    def play(self) -> None:
        if self._source is None or self._state is PlaybackState.ERROR:
            return
        if self._state in (PlaybackState.ENDED,):
            self._time_ms = 0
        self._set_state(PlaybackState.PLAYING)

    def pause(self) -> None:
        if self._state is PlaybackState.PLAYING:
            self._set_state(PlaybackState.PAUSED)

    def stop(self) -> None:
        if self._source is not None and self._state is not PlaybackState.ERROR:
            self._set_state(PlaybackState.STOPPED)

    def seek(self, position_ms: int) -> None:
        if self._duration_ms is None:
            return
        self._time_ms = max(0, min(position_ms, self._duration_ms))
        self.time_changed.emit(self._time_ms)
        if position_ms >= self._duration_ms and self._state is PlaybackState.PLAYING:
            self._end()

    def advance(self, wall_ms: int) -> None:
        """Let ``wall_ms`` of wall time pass: while playing, media time moves by wall_ms x rate."""
        if self._state is not PlaybackState.PLAYING or self._duration_ms is None:
            return
        self._time_ms = min(self._duration_ms, self._time_ms + round(wall_ms * self._rate))
        self.time_changed.emit(self._time_ms)
        if self._time_ms >= self._duration_ms:
            self._end()

    def set_rate(self, rate: float) -> None:
        self._rate = min(MAX_RATE, max(MIN_RATE, rate))
        self.rates_applied.append(self._rate)

    def rate(self) -> float:
        return self._rate

    def set_volume(self, volume: int) -> None:
        self._volume = max(0, min(100, volume))

    def volume(self) -> int:
        return self._volume

    def set_muted(self, muted: bool) -> None:
        self._muted = muted

    def is_muted(self) -> bool:
        return self._muted

    def state(self) -> PlaybackState:
        return self._state

    def time_ms(self) -> int:
        return self._time_ms

    def duration_ms(self) -> int | None:
        return self._duration_ms

    def _end(self) -> None:
        self._set_state(PlaybackState.ENDED)
        self.ended.emit()

    def _set_state(self, state: PlaybackState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state)
