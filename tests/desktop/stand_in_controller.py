"""A stand-in for the PlaybackController (branch engine): the agreed signals and methods."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from podplayer.core.library import Library
from podplayer.core.models import Episode
from podplayer.engine.base import PlaybackState


class StandInController(QObject):
    """Keeps state in memory; ``advance(ms)`` moves time like steady playback."""

    episode_changed = Signal(object)
    state_changed = Signal(object)
    position_changed = Signal(int)
    duration_changed = Signal(int)
    rate_changed = Signal(float)
    volume_changed = Signal(int)
    queue_changed = Signal()

    def __init__(self, library: Library) -> None:
        super().__init__()
        self._library = library
        self._episode: Episode | None = None
        self._state = PlaybackState.IDLE
        self._position = 0
        self._duration: int | None = None
        self._rate = 1.0
        self._volume = 100
        self._queue: list[int] = []

    def play_episode(self, episode_id: int, start_ms: int | None = None) -> None:
        self._episode = self._library.episodes.get(episode_id)
        assert self._episode is not None
        self._position = self._episode.position_ms if start_ms is None else start_ms
        self._duration = (self._episode.duration_s or 0) * 1000 or None
        self.episode_changed.emit(self._episode)
        if self._duration:
            self.duration_changed.emit(self._duration)
        self._set_state(PlaybackState.PLAYING)

    def _set_state(self, state: PlaybackState) -> None:
        self._state = state
        self.state_changed.emit(state)

    def toggle_play_pause(self) -> None:
        if self._state is PlaybackState.PLAYING:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        if self._episode is not None:
            self._set_state(PlaybackState.PLAYING)

    def pause(self) -> None:
        if self._state is PlaybackState.PLAYING:
            self._set_state(PlaybackState.PAUSED)

    def stop(self) -> None:
        self._set_state(PlaybackState.STOPPED)

    def seek(self, ms: int) -> None:
        self._position = max(0, ms)
        self.position_changed.emit(self._position)

    def advance(self, ms: int) -> None:
        self._position += round(ms * self._rate)
        self.position_changed.emit(self._position)

    def set_rate(self, rate: float) -> None:
        self._rate = rate
        self.rate_changed.emit(rate)

    def rate(self) -> float:
        return self._rate

    def set_volume(self, volume: int) -> None:
        self._volume = volume
        self.volume_changed.emit(volume)

    def volume(self) -> int:
        return self._volume

    def position_ms(self) -> int:
        return self._position

    def duration_ms(self) -> int | None:
        return self._duration

    def state(self) -> PlaybackState:
        return self._state

    def current_episode(self) -> Episode | None:
        return self._episode

    def queue(self) -> list[int]:
        return list(self._queue)

    def enqueue(self, episode_id: int) -> None:
        self._queue.append(episode_id)
        self.queue_changed.emit()

    def play_next_in_queue(self) -> None:
        if self._queue:
            self.play_episode(self._queue.pop(0))
            self.queue_changed.emit()
