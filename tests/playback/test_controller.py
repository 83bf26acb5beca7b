"""The controller over the fake engine: queue, resume, played marks, speed, sleep timer."""

from __future__ import annotations

from pathlib import Path

import pytest

from podplayer.core.chapters.chapter_list import ChapterList
from podplayer.core.models import Chapter, Episode, Podcast
from podplayer.core.opened_media import episode_for_media
from podplayer.core.sleep_timer import SleepChoice, SleepTimerStatus
from podplayer.engine.base import PlaybackState
from podplayer.playback.controller import (
    PLAYED_THRESHOLD_KEY,
    SKIP_FORWARD_KEY,
    SPEED_PER_PODCAST_KEY,
    PlaybackController,
)
from tests.playback.conftest import EPISODE_MS, Rig, add_episodes


def chapter_list(*chapters: tuple[int, str]) -> ChapterList:
    return ChapterList(None, tuple(Chapter(start, title) for start, title in chapters))


def test_plays_and_position_moves_smoothly(rig: Rig) -> None:
    positions: list[int] = []
    rig.controller.position_changed.connect(positions.append)
    rig.controller.play_episode(rig.episodes[0])
    assert rig.controller.state() is PlaybackState.PLAYING
    rig.run(3_000)
    assert rig.controller.position_ms() == 3_000
    assert positions == sorted(positions)
    assert len(positions) >= 50


def test_ticker_interpolates_between_coarse_reports(rig: Rig) -> None:
    rig.controller.play_episode(rig.episodes[0])
    positions: list[int] = []
    rig.controller.position_changed.connect(positions.append)
    for _ in range(20):  # the engine reports once a second, the ticker every 50 ms
        for _ in range(20):
            rig.clock.advance(50)
            rig.controller.ticker.tick()
        rig.engine.advance(1_000)
    assert positions == sorted(positions)
    assert len(set(positions)) > 300
    assert abs(rig.controller.position_ms() - 20_000) <= 100


def test_queue_add_remove_reorder(rig: Rig) -> None:
    c = rig.controller
    a, b, d, e = rig.episodes
    changes: list[None] = []
    c.queue_changed.connect(lambda: changes.append(None))
    c.enqueue(a)
    c.enqueue(b)
    c.enqueue(a)
    c.enqueue_next(d)
    assert c.queue() == [d, a, b]
    c.move_in_queue(d, 2)
    assert c.queue() == [a, b, d]
    c.remove_from_queue(b)
    assert c.queue() == [a, d]
    c.move_in_queue(e, 0)
    assert c.queue() == [a, d]
    assert len(changes) == 5


def test_auto_advance_keeps_the_rate(rig: Rig) -> None:
    c = rig.controller
    c.enqueue(rig.episodes[1])
    c.play_episode(rig.episodes[0])
    c.pause()
    c.set_rate(1.5)  # chosen while paused
    c.play()
    rig.run(EPISODE_MS)
    current = c.current_episode()
    assert current is not None and current.id == rig.episodes[1]
    assert rig.engine.rate() == 1.5
    assert rig.engine.rates_applied[-1] == 1.5
    assert c.queue() == []
    first = rig.library.episodes.get(rig.episodes[0])
    assert first is not None and first.played


def test_end_of_queue_ends(rig: Rig) -> None:
    c = rig.controller
    c.play_episode(rig.episodes[0])
    rig.run(EPISODE_MS + 1000)
    assert c.state() is PlaybackState.ENDED


def test_resume_position_saved_every_five_seconds_and_on_pause(rig: Rig) -> None:
    c = rig.controller
    c.play_episode(rig.episodes[0])
    rig.run(12_000)
    saved = rig.library.episodes.get(rig.episodes[0])
    assert saved is not None and 10_000 <= saved.position_ms <= 12_000
    rig.run(1_300)
    c.pause()
    saved = rig.library.episodes.get(rig.episodes[0])
    assert saved is not None and saved.position_ms == 13_300


def test_play_episode_resumes_and_played_restarts(rig: Rig) -> None:
    c = rig.controller
    rig.library.episodes.save_position(rig.episodes[0], 25_000)
    c.play_episode(rig.episodes[0])
    assert rig.engine.loaded[-1][1] == 25_000
    rig.library.episodes.set_played(rig.episodes[1], True)
    c.play_episode(rig.episodes[1])
    assert rig.engine.loaded[-1][1] == 0
    first = rig.library.episodes.get(rig.episodes[0])
    assert first is not None and first.position_ms == 25_000


def test_stopped_near_end_is_played(rig: Rig) -> None:
    c = rig.controller
    rig.library.settings.set(PLAYED_THRESHOLD_KEY, 20_000)
    c.play_episode(rig.episodes[0], start_ms=EPISODE_MS - 25_000)
    c.stop()
    episode = rig.library.episodes.get(rig.episodes[0])
    assert episode is not None and not episode.played
    c.play_episode(rig.episodes[0], start_ms=EPISODE_MS - 15_000)
    c.stop()
    episode = rig.library.episodes.get(rig.episodes[0])
    assert episode is not None and episode.played and episode.position_ms == 0


def test_skip_steps_follow_settings(rig: Rig) -> None:
    c = rig.controller
    c.play_episode(rig.episodes[0], start_ms=20_000)
    c.skip_back()
    assert c.position_ms() == 10_000
    c.skip_forward()
    assert c.position_ms() == 40_000
    rig.library.settings.set(SKIP_FORWARD_KEY, 5_000)
    c.skip_forward()
    assert c.position_ms() == 45_000
    assert rig.engine.time_ms() == 45_000


def test_speed_per_podcast(rig: Rig) -> None:
    c = rig.controller
    other = rig.library.podcasts.add(Podcast(url="http://127.0.0.1/other.xml", title="Other"))
    other_episode = add_episodes(rig.library, other, 1)[0]
    rig.library.settings.set(SPEED_PER_PODCAST_KEY, True)
    c.play_episode(rig.episodes[0])
    c.set_rate(2.0)
    c.play_episode(other_episode)
    assert c.rate() == 1.0
    c.play_episode(rig.episodes[1])
    assert c.rate() == 2.0 and rig.engine.rate() == 2.0
    assert rig.podcast.id is not None
    show = rig.library.podcasts.get(rig.podcast.id)
    assert show is not None and show.speed == 2.0


def test_global_speed_survives_restart(rig: Rig) -> None:
    rig.controller.set_rate(1.25)
    again = PlaybackController(rig.engine, rig.library, clock=rig.clock)
    assert again.rate() == 1.25


def test_missing_episode_and_engine_errors_are_sentences(rig: Rig) -> None:
    errors: list[str] = []
    c = rig.controller
    c.error.connect(errors.append)
    c.play_episode(9_999)
    rig.engine.fail("http://127.0.0.1/1/2.mp3", "The file is not audio.")
    c.play_episode(rig.episodes[2])
    assert errors[0].endswith(".") and "no longer" in errors[0]
    assert errors[1] == 'Cannot play "Episode 2". The file is not audio.'
    assert c.state() is PlaybackState.ERROR


def test_sleep_minutes_fade_pause_restore_volume_and_rewind(rig: Rig) -> None:
    c = rig.controller
    statuses: list[SleepTimerStatus] = []
    c.sleep_timer_changed.connect(statuses.append)
    c.set_volume(80)
    rig.engine.set_duration("http://127.0.0.1/1/0.mp3", 3_600_000)
    c.play_episode(rig.episodes[0])
    c.set_sleep_timer(SleepChoice.MINUTES_5)
    c.pause()
    rig.clock.advance(600_000)  # paused time does not count
    c.play()
    rig.run(5 * 60_000 - 5_000, step_ms=1_000)
    assert c.state() is PlaybackState.PLAYING
    assert 30 <= rig.engine.volume() <= 50
    assert c.sleep_timer_status().fading
    rig.run(6_000, step_ms=100)
    assert c.state() is PlaybackState.PAUSED
    assert rig.engine.volume() == 80
    assert statuses[-1].choice is SleepChoice.OFF
    paused_at = c.position_ms()
    rig.clock.advance(60_000)
    c.play()
    assert c.position_ms() == paused_at - 10_000


def test_sleep_countdown_continues_across_episodes(rig: Rig) -> None:
    c = rig.controller
    c.enqueue(rig.episodes[1])
    c.play_episode(rig.episodes[0])
    c.set_sleep_timer(SleepChoice.MINUTES_5)
    rig.run(EPISODE_MS + 50)
    current = c.current_episode()
    assert current is not None and current.id == rig.episodes[1]
    remaining = c.sleep_timer_status().remaining_ms
    assert remaining is not None and 239_000 <= remaining <= 240_000


def test_end_of_episode_stops_without_advancing_despite_speed_and_pauses(rig: Rig) -> None:
    c = rig.controller
    c.enqueue(rig.episodes[1])
    c.play_episode(rig.episodes[0])
    c.set_sleep_timer(SleepChoice.END_OF_EPISODE)
    rig.run(10_000)
    c.set_rate(3.0)
    c.pause()
    rig.clock.advance(100_000)
    c.play()
    rig.run(17_000)
    current = c.current_episode()
    assert current is not None and current.id == rig.episodes[0]
    assert c.state() is PlaybackState.ENDED
    assert c.queue() == [rig.episodes[1]]
    assert c.sleep_timer_status().choice is SleepChoice.OFF


def test_end_of_episode_stops_on_seek_past_end(rig: Rig) -> None:
    c = rig.controller
    c.enqueue(rig.episodes[1])
    c.play_episode(rig.episodes[0])
    c.set_sleep_timer(SleepChoice.END_OF_EPISODE)
    c.seek(EPISODE_MS + 30_000)
    current = c.current_episode()
    assert current is not None and current.id == rig.episodes[0]
    assert c.state() is PlaybackState.ENDED
    assert c.queue() == [rig.episodes[1]]


def test_end_of_chapter_pauses_at_the_boundary_and_on_seek_past_it(rig: Rig) -> None:
    c = rig.controller
    c.play_episode(rig.episodes[0])
    c.set_chapters(chapter_list((0, "Intro"), (10_000, "Main"), (40_000, "Outro")))
    c.set_sleep_timer(SleepChoice.END_OF_CHAPTER)
    rig.run(9_000)
    assert c.state() is PlaybackState.PLAYING
    rig.run(2_000)
    assert c.state() is PlaybackState.PAUSED
    assert 9_850 <= c.position_ms() < 10_000  # just before the next chapter's first word
    c.set_sleep_timer(SleepChoice.END_OF_CHAPTER)
    c.play()
    rig.run(1_000)
    c.seek(45_000)
    rig.run(100)
    assert c.state() is PlaybackState.PAUSED


def test_end_of_chapter_without_chapters_is_end_of_episode(rig: Rig) -> None:
    c = rig.controller
    c.enqueue(rig.episodes[1])
    c.play_episode(rig.episodes[0])
    c.set_sleep_timer(SleepChoice.END_OF_CHAPTER)
    rig.run(EPISODE_MS + 500)
    assert c.state() is PlaybackState.ENDED
    assert c.queue() == [rig.episodes[1]]


def test_volume_and_mute_are_kept(rig: Rig) -> None:
    c = rig.controller
    c.set_volume(120)
    assert c.volume() == 100
    c.set_volume(40)
    c.set_muted(True)
    again = PlaybackController(rig.engine, rig.library, clock=rig.clock)
    assert again.volume() == 40 and again.is_muted()
    assert rig.engine.is_muted()


def test_play_after_end_or_on_a_played_episode_starts_over(rig: Rig) -> None:
    c = rig.controller
    c.play_episode(rig.episodes[0], start_ms=EPISODE_MS - 2_000)
    rig.run(3_000)
    assert c.state() is PlaybackState.ENDED
    c.play()
    assert rig.engine.loaded[-1] == ("http://127.0.0.1/1/0.mp3", 0)
    assert c.state() is PlaybackState.PLAYING


def test_seek_after_the_end_plays_from_there(rig: Rig) -> None:
    c = rig.controller
    c.play_episode(rig.episodes[0], start_ms=EPISODE_MS - 1_000)
    rig.run(2_000)
    assert c.state() is PlaybackState.ENDED
    c.seek(30_000)
    assert c.state() is PlaybackState.PLAYING
    assert c.position_ms() == 30_000


def test_remaining_time_in_media_and_real_time(rig: Rig) -> None:
    c = rig.controller
    c.play_episode(rig.episodes[0], start_ms=20_000)
    c.set_rate(2.0)
    assert c.remaining_ms() == (40_000, 20_000)


def test_toggle_and_play_with_nothing_current_plays_the_queue(rig: Rig) -> None:
    c = rig.controller
    c.toggle_play_pause()
    assert c.state() is PlaybackState.IDLE
    c.enqueue(rig.episodes[3])
    c.toggle_play_pause()
    assert c.state() is PlaybackState.PLAYING
    c.toggle_play_pause()
    assert c.state() is PlaybackState.PAUSED


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "/etc/passwd", "dshow://", "smb://host/x.mp3", "javascript:x", "http:x"],
)
def test_a_feed_cannot_make_the_engine_open_anything_but_http(rig: Rig, url: str) -> None:
    assert rig.podcast.id is not None
    episode = rig.library.episodes.add(
        Episode(podcast_id=rig.podcast.id, guid=url, title="Sly", enclosure_url=url)
    )
    assert episode.id is not None
    errors: list[str] = []
    rig.controller.error.connect(errors.append)
    rig.controller.play_episode(episode.id)
    assert rig.engine.loaded == []
    assert len(errors) == 1 and "only http(s) addresses" in errors[0]


def test_a_file_the_user_opened_plays(rig: Rig, tmp_path: Path) -> None:
    audio = tmp_path / "talk.mp3"
    audio.write_bytes(b"ID3")
    episode = episode_for_media(rig.library, str(audio))
    assert episode is not None and episode.id is not None
    rig.controller.play_episode(episode.id)
    assert rig.engine.loaded == [(str(audio), 0)]
