"""Chapters over real libvlc, judged by ear: a skipped chapter is not heard; End of Chapter stops
where an embedded chapter ends."""

from __future__ import annotations

import array
import ctypes
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import vlc
from pytestqt.qtbot import QtBot

from podplayer.core.chapters.chapter_list import ChapterList, choose_chapters
from podplayer.core.chapters.json_chapters import parse_chapters_json
from podplayer.core.chapters.loading import read_file_chapters
from podplayer.core.chapters.reading import ChapterSource
from podplayer.core.chapters.skipping import parse_rules, skipped_indexes
from podplayer.core.paths import AppPaths
from podplayer.core.sleep_timer import SleepChoice
from podplayer.engine.base import PlaybackState
from tests.core.chapters.tagged_audio import mp3_with_chapters
from tests.engine.audio_tap import SAMPLE_RATE, THRESHOLD, WINDOW_S, _dominant_second
from tests.engine.drivers import AUDIO_DIR
from tests.playback.test_controller_vlc import Player

CHAPTERS = [("c1", 0, 4000, "Intro"), ("c2", 4000, 9000, "Sponsor"), ("c3", 9000, 20_000, "Main")]


class Ear:
    """What a listener hears: libvlc hands audio over about a second before its time (pts); a
    seek's flush drops what was not yet due, a pause holds it back until the resume. Beeps are
    read from what was due, run by run."""

    def __init__(self, media_player: Any) -> None:
        self._lock = threading.Lock()
        self._chunks: list[tuple[int, array.array[int]]] = []
        self._held: list[tuple[int, array.array[int]]] = []
        self._paused_at = 0

        @vlc.CallbackDecorators.AudioPlayCb  # type: ignore[untyped-decorator]
        def on_play(_opaque: Any, samples: Any, count: int, pts: int) -> None:
            data = array.array("h", ctypes.string_at(samples, count * 2))
            with self._lock:
                self._chunks.append((pts, data))

        @vlc.CallbackDecorators.AudioFlushCb  # type: ignore[untyped-decorator]
        def on_flush(_opaque: Any, _pts: int) -> None:
            now = vlc.libvlc_clock()
            with self._lock:
                self._chunks = [chunk for chunk in self._chunks if chunk[0] <= now]

        @vlc.CallbackDecorators.AudioPauseCb  # type: ignore[untyped-decorator]
        def on_pause(_opaque: Any, _pts: int) -> None:
            now = vlc.libvlc_clock()
            with self._lock:
                self._paused_at = now
                self._held = [chunk for chunk in self._chunks if chunk[0] > now]
                self._chunks = [chunk for chunk in self._chunks if chunk[0] <= now]

        @vlc.CallbackDecorators.AudioResumeCb  # type: ignore[untyped-decorator]
        def on_resume(_opaque: Any, _pts: int) -> None:
            shift = vlc.libvlc_clock() - self._paused_at
            with self._lock:
                self._chunks += [(pts + shift, data) for pts, data in self._held]
                self._held = []

        self._callbacks = (on_play, on_flush, on_pause, on_resume)
        media_player.audio_set_callbacks(on_play, on_pause, on_resume, on_flush, None, None)
        media_player.audio_set_format("S16N", SAMPLE_RATE, 1)

    def seconds(self) -> set[int]:
        """The seconds whose beep has been heard so far."""
        now = vlc.libvlc_clock()
        with self._lock:
            due = [chunk for chunk in self._chunks if chunk[0] <= now]
        heard: set[int] = set()
        run = array.array("h")
        previous_end: float | None = None
        for pts, data in due:
            if previous_end is not None and abs(pts - previous_end) > 50_000:
                heard |= _beeps_in(run)
                run = array.array("h")
            run.extend(data)
            previous_end = pts + len(data) * 1_000_000 / SAMPLE_RATE
        return heard | _beeps_in(run)


def _beeps_in(samples: array.array[int]) -> set[int]:
    """The beeps in one uninterrupted run of audio (as AudioTap.beeps reads them)."""
    found: set[int] = set()
    window = int(WINDOW_S * SAMPLE_RATE)
    index = 0
    while index < len(samples) - window - SAMPLE_RATE // 100:
        if abs(samples[index]) < THRESHOLD:
            index += 1
            continue
        start = index + SAMPLE_RATE // 100
        second = _dominant_second(samples[start : start + window])
        if second is not None:
            found.add(second)
        index += SAMPLE_RATE // 4
    return found


@pytest.fixture
def chaptered(app_paths: AppPaths, tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[Player, int]]:
    player = Player(app_paths.database)
    episode_id = player.add_episode("mp3", 1)
    player.files[episode_id] = mp3_with_chapters(tmp_path / "chaptered.mp3", CHAPTERS)
    yield player, episode_id
    player.close()


def embedded_chapters(player: Player, episode_id: int) -> ChapterList:
    chapters = choose_chapters(
        {ChapterSource.EMBEDDED: read_file_chapters(player.files[episode_id])}, 20_000
    )
    assert chapters.source is ChapterSource.EMBEDDED
    return chapters


def test_a_skipped_chapter_is_not_heard(chaptered: tuple[Player, int], qtbot: QtBot) -> None:
    player, episode_id = chaptered
    c = player.controller
    skipped: list[str] = []
    c.chapter_skipped.connect(skipped.append)
    ear = Ear(player.engine.media_player)
    c.play_episode(episode_id, start_ms=2_000)
    chapters = embedded_chapters(player, episode_id)
    c.set_chapters(chapters, skipped_indexes(chapters.listed, {}, parse_rules("sponsor")))
    qtbot.waitUntil(lambda: {10, 11} <= ear.seconds(), timeout=10_000)
    assert skipped == ["Sponsor"]
    heard = ear.seconds()
    assert not heard & set(range(4, 9)), f"heard {sorted(heard)}"
    assert {3, 9, 10, 11} <= heard


def test_end_of_chapter_stops_where_the_embedded_chapter_ends(
    chaptered: tuple[Player, int], qtbot: QtBot
) -> None:
    player, episode_id = chaptered
    c = player.controller
    ear = Ear(player.engine.media_player)
    c.play_episode(episode_id, start_ms=6_000)
    c.set_chapters(embedded_chapters(player, episode_id))
    c.set_sleep_timer(SleepChoice.END_OF_CHAPTER)
    qtbot.waitUntil(lambda: c.state() is PlaybackState.PAUSED, timeout=8_000)
    qtbot.wait(1_500)  # anything still queued would be due by now
    heard = ear.seconds()
    assert {7, 8} <= heard
    assert not heard & {9, 10, 11}, f"heard {sorted(heard)}"
    assert 8_800 <= c.position_ms() <= 9_000


@pytest.mark.parametrize(
    ("audio_format", "source"),
    [("m4a", ChapterSource.EMBEDDED), ("opus", ChapterSource.FEED_JSON)],
)
def test_other_shapes_skip_unheard_too(
    app_paths: AppPaths, qtbot: QtBot, audio_format: str, source: ChapterSource
) -> None:
    """The M4A's own chapters (0 Intro, 3 s Middle, 7 s Outro); for Opus, the same as JSON."""
    player = Player(app_paths.database)
    try:
        episode_id = player.add_episode(audio_format, 1)
        if audio_format == "m4a":
            player.files[episode_id] = AUDIO_DIR / "chapters.m4a"
            reading = read_file_chapters(player.files[episode_id])
        else:
            reading = parse_chapters_json(
                b'{"chapters": [{"startTime": 0, "title": "Intro"}, {"startTime": 3, "title":'
                b' "Middle"}, {"startTime": 7, "title": "Outro"}]}'
            )
        chapters = choose_chapters({source: reading}, 20_000)
        assert [c.title for c in chapters.listed] == ["Intro", "Middle", "Outro"]
        ear = Ear(player.engine.media_player)
        c = player.controller
        c.play_episode(episode_id, start_ms=1_000)
        c.set_chapters(chapters, {1})
        qtbot.waitUntil(lambda: {8, 9} <= ear.seconds(), timeout=10_000)
        heard = ear.seconds()
        assert not heard & {3, 4, 5, 6}, f"heard {sorted(heard)}"
        assert {2, 8} <= heard  # the beep at 7.0 s may be clipped where the seek lands
    finally:
        player.close()
