"""The sleep timer counts down only while playing, fades in its last 10 s, and can be extended."""

from __future__ import annotations

import pytest

from podplayer.core.sleep_timer import (
    FADE_MS,
    REWIND_MS,
    SleepAction,
    SleepChoice,
    SleepTimer,
)
from tests.manual_clock import ManualClock


def test_choices_have_labels_and_minutes() -> None:
    assert [c.minutes for c in SleepChoice if c.minutes] == [5, 10, 15, 30, 45, 60, 120]
    assert SleepChoice.OFF.label == "Off"
    assert SleepChoice.END_OF_EPISODE.label == "End of Episode"
    assert SleepChoice.END_OF_CHAPTER.minutes is None
    assert SleepChoice.MINUTES_45.label == "45 minutes"


@pytest.mark.parametrize("choice", [c for c in SleepChoice if c.minutes])
def test_every_countdown_pauses_after_its_minutes_of_playing(choice: SleepChoice) -> None:
    clock = ManualClock()
    timer = SleepTimer(clock)
    timer.set(choice)
    timer.set_playing(True)
    assert choice.minutes is not None
    clock.advance(choice.minutes * 60_000 - FADE_MS - 1)
    assert timer.poll() is SleepAction.NONE
    clock.advance(2)
    assert timer.poll() is SleepAction.FADE
    clock.advance(FADE_MS)
    assert timer.poll() is SleepAction.PAUSE
    assert timer.status().choice is SleepChoice.OFF


def test_countdown_stands_still_while_paused() -> None:
    clock = ManualClock()
    timer = SleepTimer(clock)
    timer.set(SleepChoice.MINUTES_5)
    timer.set_playing(True)
    clock.advance(60_000)
    timer.set_playing(False)
    clock.advance(3_600_000)
    assert timer.status().remaining_ms == 4 * 60_000
    timer.set_playing(True)
    clock.advance(30_000)
    assert timer.status().remaining_ms == 3 * 60_000 + 30_000


def test_fade_falls_linearly_and_status_says_fading() -> None:
    clock = ManualClock()
    timer = SleepTimer(clock)
    timer.set(SleepChoice.MINUTES_5)
    timer.set_playing(True)
    clock.advance(5 * 60_000 - FADE_MS // 2)
    assert timer.poll() is SleepAction.FADE
    assert timer.fade_factor() == pytest.approx(0.5)
    assert timer.status().fading


def test_extend_adds_five_minutes_and_starts_one_when_off() -> None:
    clock = ManualClock()
    timer = SleepTimer(clock)
    timer.set(SleepChoice.MINUTES_10)
    timer.set_playing(True)
    clock.advance(9 * 60_000)
    timer.extend()
    assert timer.status().remaining_ms == 6 * 60_000
    timer.cancel()
    assert timer.status().remaining_ms is None
    timer.extend()
    assert timer.status().choice is SleepChoice.MINUTES_5
    assert timer.status().remaining_ms == 5 * 60_000


def test_new_choice_replaces_the_old_one() -> None:
    clock = ManualClock()
    timer = SleepTimer(clock)
    timer.set(SleepChoice.MINUTES_5)
    timer.set_playing(True)
    clock.advance(4 * 60_000)
    timer.set(SleepChoice.MINUTES_30)
    assert timer.status().remaining_ms == 30 * 60_000
    timer.set(SleepChoice.END_OF_EPISODE)
    assert timer.status().remaining_ms is None
    assert timer.poll() is SleepAction.NONE


def test_rewind_offered_once_within_five_minutes_of_firing() -> None:
    clock = ManualClock()
    timer = SleepTimer(clock)
    timer.set(SleepChoice.MINUTES_5)
    timer.set_playing(True)
    clock.advance(5 * 60_000)
    assert timer.poll() is SleepAction.PAUSE
    timer.set_playing(False)
    clock.advance(4 * 60_000)
    assert timer.take_rewind_on_resume() == REWIND_MS
    assert timer.take_rewind_on_resume() == 0


def test_no_rewind_after_five_minutes() -> None:
    clock = ManualClock()
    timer = SleepTimer(clock)
    timer.set(SleepChoice.MINUTES_5)
    timer.set_playing(True)
    clock.advance(5 * 60_000)
    timer.poll()
    clock.advance(5 * 60_000 + 1)
    assert timer.take_rewind_on_resume() == 0
