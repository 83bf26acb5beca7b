"""The AudioEngine protocol every backend implements. All times are milliseconds."""

from __future__ import annotations

import enum

from PySide6.QtCore import QObject, Signal

MIN_RATE = 0.5
MAX_RATE = 3.0


class PlaybackState(enum.Enum):
    """What the engine is doing."""

    IDLE = "idle"
    LOADING = "loading"
    PLAYING = "playing"
    PAUSED = "paused"
    STOPPED = "stopped"
    ENDED = "ended"
    ERROR = "error"


class AudioEngine(QObject):
    """Plays one media at a time. Signals are always emitted on the main (GUI) thread.

    ``time_changed`` carries the engine's own (coarse) position; smooth positions come from the
    playback layer's ticker, which interpolates between these.
    """

    state_changed = Signal(object)  # PlaybackState
    time_changed = Signal(int)
    duration_changed = Signal(int)
    ended = Signal()
    error = Signal(str)
    notice = Signal(str)  # a sentence the user should read; playback goes on

    @property
    def available(self) -> bool:
        """False when the backend cannot play at all (libvlc missing); see unavailable_reason."""
        return True

    @property
    def unavailable_reason(self) -> str:
        return ""

    def load(self, source: str, start_ms: int = 0, mime_type: str = "") -> None:
        """Open a local path or http(s) URL, ready to play from ``start_ms`` (not playing yet).

        ``mime_type`` (the enclosure's type, may be empty) helps pick a demuxer for streams.
        """
        raise NotImplementedError

    def play(self) -> None:
        raise NotImplementedError

    def pause(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def seek(self, position_ms: int) -> None:
        raise NotImplementedError

    def set_rate(self, rate: float) -> None:
        raise NotImplementedError

    def rate(self) -> float:
        raise NotImplementedError

    def set_volume(self, volume: int) -> None:
        """0..100."""
        raise NotImplementedError

    def volume(self) -> int:
        raise NotImplementedError

    def set_muted(self, muted: bool) -> None:
        raise NotImplementedError

    def is_muted(self) -> bool:
        raise NotImplementedError

    def state(self) -> PlaybackState:
        raise NotImplementedError

    def time_ms(self) -> int:
        """The engine's last reported position."""
        raise NotImplementedError

    def duration_ms(self) -> int | None:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the backend holds; the engine cannot play afterwards."""
