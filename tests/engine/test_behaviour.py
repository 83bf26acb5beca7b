"""The same behaviours hold for FakeEngine and VlcEngine (real libvlc) in every audio format.

Where playback is comes from what is heard (beeps that name their second), never from get_time()
right after a seek.
"""

from __future__ import annotations

import statistics

import pytest

from podplayer.engine.base import PlaybackState
from tests.engine.drivers import DURATION_MS, Driver

SEEK_TOLERANCE_MS = 100


def start(driver: Driver, start_ms: int = 0) -> None:
    driver.engine.load(driver.source, start_ms)
    driver.engine.play()
    driver.wait_until(lambda: driver.engine.state() is PlaybackState.PLAYING)


def media_per_wall(driver: Driver, window_ms: int) -> float:
    """Media time reported per wall time over ``window_ms``, from the engine's own reports."""
    driver.wait(300)
    first = len(driver.recorder.times)
    driver.wait(window_ms)
    reports = driver.recorder.times[first:]
    assert len(reports) >= 3
    # A least-squares slope: one report delivered late by a busy machine barely moves it.
    slope, _ = statistics.linear_regression([w for w, _ in reports], [m for _, m in reports])
    return slope


def test_plays_in_real_time(driver: Driver) -> None:
    start(driver)
    assert media_per_wall(driver, 1_200) == pytest.approx(1.0, rel=0.1)
    assert driver.engine.duration_ms() == pytest.approx(DURATION_MS, abs=100)


@pytest.mark.parametrize("rate", [0.5, 2.0, 3.0])
def test_rate_scales_media_time_and_keeps_pitch(rate_driver: Driver, rate: float) -> None:
    driver = rate_driver
    driver.engine.set_rate(rate)  # before load: applies to the next media
    start(driver, 1_500)
    assert driver.engine.rate() == rate
    assert media_per_wall(driver, 1_500) == pytest.approx(rate, rel=0.1)
    spacing = driver.heard_spacing_ms()  # beeps still have their pitch, now 1000/rate ms apart
    if spacing is not None:
        assert spacing == pytest.approx(1000 / rate, rel=0.1)


def test_seeks_land_within_100_ms(driver: Driver) -> None:
    start(driver, 7_300)  # a resume: seek before the media is ready
    assert driver.heard_ms() == pytest.approx(7_300, abs=SEEK_TOLERANCE_MS)

    driver.forget_heard()
    driver.engine.seek(2_450)  # while playing
    assert driver.engine.time_ms() == 2_450
    assert driver.heard_ms() == pytest.approx(2_450, abs=SEEK_TOLERANCE_MS)

    driver.engine.pause()
    driver.wait_until(lambda: driver.engine.state() is PlaybackState.PAUSED)
    for target in (15_000, 4_000, 12_300):  # several while paused: one lands, the last
        driver.engine.seek(target)
    assert driver.engine.time_ms() == 12_300
    driver.forget_heard()
    driver.engine.play()
    assert driver.heard_ms() == pytest.approx(12_300, abs=SEEK_TOLERANCE_MS)
    driver.wait_until(lambda: driver.engine.time_ms() > 12_300)
    assert driver.engine.time_ms() < 14_500


def test_pause_freezes_time_and_sound(driver: Driver) -> None:
    start(driver)
    driver.wait(600)
    driver.engine.pause()
    driver.wait_until(lambda: driver.engine.state() is PlaybackState.PAUSED)
    driver.wait(200)
    frozen_time, frozen_samples = driver.engine.time_ms(), driver.output_samples()
    driver.wait(800)
    assert driver.engine.time_ms() == frozen_time
    assert driver.output_samples() == frozen_samples
    driver.engine.play()
    driver.wait_until(lambda: driver.engine.time_ms() > frozen_time)


def test_end_is_reported(driver: Driver) -> None:
    start(driver, DURATION_MS - 1_500)
    driver.wait_until(lambda: driver.recorder.ended == 1, timeout_ms=4_000)
    assert driver.engine.state() is PlaybackState.ENDED
    assert driver.recorder.errors == []
    assert driver.engine.time_ms() == driver.engine.duration_ms()


def test_seek_past_end_ends(driver: Driver) -> None:
    start(driver, 1_000)
    driver.wait_until(lambda: (driver.engine.duration_ms() or 0) > 0)
    driver.engine.seek(DURATION_MS + 5_000)
    driver.wait_until(lambda: driver.recorder.ended == 1, timeout_ms=2_000)
    assert driver.engine.state() is PlaybackState.ENDED


def test_stop_then_play_resumes_where_it_stopped(driver: Driver) -> None:
    start(driver, 5_300)
    driver.wait(400)
    driver.engine.stop()
    assert driver.engine.state() is PlaybackState.STOPPED
    stopped_at = driver.engine.time_ms()
    assert 5_300 <= stopped_at <= 6_000
    driver.forget_heard(seek=False)  # stopped: the next play opens the media afresh
    driver.engine.play()
    assert driver.heard_ms() == pytest.approx(stopped_at, abs=SEEK_TOLERANCE_MS)


def test_seeks_before_the_media_is_ready_are_coalesced(driver: Driver) -> None:
    driver.engine.load(driver.source)
    driver.engine.play()
    for target in (3_000, 14_000, 8_300):  # before libvlc has even opened the file
        driver.engine.seek(target)
    assert driver.engine.time_ms() == 8_300
    # Once playback reports past the target, the seek's flush has dropped what came before.
    driver.wait_until(lambda: driver.engine.time_ms() > 8_300)
    assert driver.heard_ms() == pytest.approx(8_300, abs=SEEK_TOLERANCE_MS)
