"""The sleep timer's logic, free of Qt: choices, a countdown that runs only while audio plays, fade.

The playback controller drives it (``set_playing``, ``poll``) and acts on what ``poll`` returns. The
clock is injectable (monotonic milliseconds) so tests cover two hours without waiting.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass

FADE_MS = 10_000
REWIND_WINDOW_MS = 5 * 60_000
REWIND_MS = 10_000
EXTEND_MINUTES = 5

Clock = Callable[[], int]


def monotonic_ms() -> int:
    """The default clock: a monotonic time in milliseconds."""
    return time.monotonic_ns() // 1_000_000


class SleepChoice(enum.Enum):
    """What the user picked in the sleep timer menu."""

    OFF = "off"
    END_OF_EPISODE = "end-of-episode"
    END_OF_CHAPTER = "end-of-chapter"
    MINUTES_5 = "5"
    MINUTES_10 = "10"
    MINUTES_15 = "15"
    MINUTES_30 = "30"
    MINUTES_45 = "45"
    MINUTES_60 = "60"
    MINUTES_120 = "120"

    @property
    def minutes(self) -> int | None:
        """The countdown length, or None for Off and the boundary choices."""
        return int(self.value) if self.value.isdigit() else None

    @property
    def label(self) -> str:
        if self is SleepChoice.OFF:
            return "Off"
        if self is SleepChoice.END_OF_EPISODE:
            return "End of Episode"
        if self is SleepChoice.END_OF_CHAPTER:
            return "End of Chapter"
        return f"{self.minutes} minutes"


@dataclass(frozen=True, slots=True)
class SleepTimerStatus:
    """What a sleep-timer button shows: the choice, the minutes left (countdowns only), fading."""

    choice: SleepChoice
    remaining_ms: int | None = None
    fading: bool = False


class SleepAction(enum.Enum):
    """What the controller must do after a poll."""

    NONE = "none"
    FADE = "fade"
    PAUSE = "pause"


class SleepTimer:
    """A countdown that advances only while audio plays; fades in its last 10 s, then says pause."""

    def __init__(self, clock: Clock = monotonic_ms) -> None:
        self._clock = clock
        self._choice = SleepChoice.OFF
        self._remaining_ms: int | None = None
        self._playing = False
        self._last_mark_ms = clock()
        self._fired_at_ms: int | None = None

    @property
    def choice(self) -> SleepChoice:
        return self._choice

    def set(self, choice: SleepChoice) -> None:
        """Replace whatever was set before; a countdown starts from its full length."""
        self._advance()
        self._choice = choice
        minutes = choice.minutes
        self._remaining_ms = minutes * 60_000 if minutes is not None else None
        self._fired_at_ms = None

    def cancel(self) -> None:
        self.set(SleepChoice.OFF)

    def extend(self, minutes: int = EXTEND_MINUTES) -> None:
        """Add minutes to a running countdown; with none running, start one of that length."""
        self._advance()
        if self._remaining_ms is None:
            matching = [c for c in SleepChoice if c.minutes == minutes]
            self._choice = matching[0] if matching else SleepChoice.MINUTES_5
            self._remaining_ms = 0
        self._remaining_ms += minutes * 60_000
        self._fired_at_ms = None

    def set_playing(self, playing: bool) -> None:
        """Audio started or stopped; the countdown runs only in between."""
        self._advance()
        self._playing = playing

    def poll(self) -> SleepAction:
        """Bring the countdown up to now and say what to do: nothing, fade, or pause now."""
        self._advance()
        if self._remaining_ms is None:
            return SleepAction.NONE
        if self._remaining_ms <= 0:
            self.fired()
            return SleepAction.PAUSE
        if self._remaining_ms <= FADE_MS:
            return SleepAction.FADE
        return SleepAction.NONE

    def fade_factor(self) -> float:
        """1.0 outside the fade; falls linearly to 0.0 over the last 10 s."""
        if self._remaining_ms is None or self._remaining_ms > FADE_MS:
            return 1.0
        return max(0.0, self._remaining_ms / FADE_MS)

    def fired(self) -> None:
        """The timer paused playback (countdown ran out or a boundary was reached): turn it off."""
        self._choice = SleepChoice.OFF
        self._remaining_ms = None
        self._fired_at_ms = self._clock()

    def take_rewind_on_resume(self) -> int:
        """Milliseconds to rewind if the user resumes within 5 min of the timer pausing; once."""
        fired_at = self._fired_at_ms
        self._fired_at_ms = None
        if fired_at is not None and self._clock() - fired_at <= REWIND_WINDOW_MS:
            return REWIND_MS
        return 0

    def status(self) -> SleepTimerStatus:
        self._advance()
        remaining = None if self._remaining_ms is None else max(0, self._remaining_ms)
        fading = remaining is not None and remaining <= FADE_MS and self._playing
        return SleepTimerStatus(self._choice, remaining, fading)

    def _advance(self) -> None:
        now = self._clock()
        if self._playing and self._remaining_ms is not None:
            self._remaining_ms -= now - self._last_mark_ms
        self._last_mark_ms = now
