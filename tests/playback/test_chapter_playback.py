"""Chapters in the controller: the current one followed, previous/next, skipping with an undo."""

from __future__ import annotations

from podplayer.core.chapters.chapter_list import ChapterList
from podplayer.core.chapters.reading import ChapterSource
from podplayer.core.models import Chapter
from podplayer.core.sleep_timer import SleepChoice
from podplayer.engine.base import PlaybackState
from tests.playback.conftest import Rig

CHAPTERS = ChapterList(
    ChapterSource.EMBEDDED,
    (
        Chapter(0, "Intro"),
        Chapter(5_000, "new picture", toc=False),
        Chapter(10_000, "Sponsor"),
        Chapter(20_000, "Ad"),
        Chapter(30_000, "Main"),
        Chapter(50_000, "Outro"),
    ),
)


def test_the_current_chapter_is_followed(rig: Rig) -> None:
    c = rig.controller
    seen: list[int] = []
    c.chapter_changed.connect(seen.append)
    c.play_episode(rig.episodes[0])
    c.set_chapters(CHAPTERS)
    rig.run(11_000)
    assert c.current_chapter() == 1
    c.seek(31_000)
    assert seen == [-1, 0, 1, 3]
    assert [chapter.title for chapter in c.chapters().listed][c.current_chapter()] == "Main"


def test_previous_and_next_chapter(rig: Rig) -> None:
    c = rig.controller
    c.play_episode(rig.episodes[0])
    c.set_chapters(CHAPTERS)
    c.next_chapter()
    assert c.position_ms() == 10_000
    c.next_chapter()
    c.next_chapter()
    assert c.position_ms() == 30_000
    rig.run(5_000)
    c.previous_chapter()  # 5 s in: back to this chapter's start
    assert c.position_ms() == 30_000
    c.previous_chapter()  # at its start: to the one before
    assert c.position_ms() == 20_000
    c.seek(55_000)
    c.next_chapter()  # after the last one: nothing
    assert c.position_ms() == 55_000


def test_skipped_chapters_are_jumped_over_and_the_skip_can_be_undone(rig: Rig) -> None:
    c = rig.controller
    skips: list[str] = []
    c.chapter_skipped.connect(skips.append)
    c.play_episode(rig.episodes[0])
    c.set_chapters(CHAPTERS, skipped={1, 2})
    rig.run(10_500)
    assert skips == ["Sponsor, Ad"]
    assert 30_000 <= c.position_ms() <= 30_700  # skipped 150 ms before Sponsor began
    assert c.current_chapter() == 3
    c.undo_chapter_skip()
    assert 9_800 <= c.position_ms() < 10_000, "back to just before Sponsor"
    rig.run(9_500)
    assert 19_000 <= c.position_ms() < 20_000, "the undone skip plays Sponsor"
    rig.run(2_000)
    assert c.state() is PlaybackState.PLAYING
    assert 30_000 <= c.position_ms() <= 31_700, "then skips Ad"
    assert skips == ["Sponsor, Ad", "Ad"]


def test_choosing_a_skipped_chapter_plays_it(rig: Rig) -> None:
    c = rig.controller
    c.play_episode(rig.episodes[0])
    c.set_chapters(CHAPTERS, skipped={2})
    c.next_chapter()
    c.next_chapter()
    assert c.position_ms() == 20_000
    rig.run(2_000)
    assert 21_500 <= c.position_ms() <= 22_500


def test_end_of_chapter_stops_before_a_skip(rig: Rig) -> None:
    c = rig.controller
    c.play_episode(rig.episodes[0])
    c.set_chapters(CHAPTERS, skipped={1})
    c.set_sleep_timer(SleepChoice.END_OF_CHAPTER)
    rig.run(11_000)
    assert c.state() is PlaybackState.PAUSED
    assert 9_850 <= c.position_ms() < 10_000
