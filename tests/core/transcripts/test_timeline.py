"""The timeline answers "which cue is at t" and the follower reports only changes."""

from __future__ import annotations

from podplayer.core.models import Cue
from podplayer.core.transcripts.timeline import Transcript, TranscriptFollower


def timeline(*spans: tuple[int, int | None]) -> Transcript:
    cues = [Cue(start, end, f"cue {i}") for i, (start, end) in enumerate(spans)]
    return Transcript.build(cues, timed=True, format_name="test")


def test_index_at_finds_the_cue_playing() -> None:
    transcript = timeline((1000, 2000), (2000, 3000), (3500, 5000))
    assert transcript.index_at(0) is None
    assert transcript.index_at(999) is None
    assert transcript.index_at(1000) == 0
    assert transcript.index_at(1999) == 0
    assert transcript.index_at(2000) == 1
    assert transcript.index_at(3200) == 1  # a short gap keeps the last cue
    assert transcript.index_at(3500) == 2
    assert transcript.index_at(4999) == 2
    assert transcript.index_at(5000) is None  # past the end of the last cue


def test_last_cue_without_end_stays_current() -> None:
    transcript = timeline((0, None), (1000, None))
    assert transcript.index_at(10**9) == 1


def test_untimed_transcript_has_no_current_cue() -> None:
    transcript = Transcript.build([Cue(None, None, "words")], timed=False, format_name="text")
    assert transcript.index_at(0) is None
    follower = TranscriptFollower(transcript)
    assert follower.update(5000) == (False, None)


def test_follower_emits_only_when_the_cue_changes() -> None:
    transcript = timeline(*[(i * 1000, i * 1000 + 1000) for i in range(10)])
    follower = TranscriptFollower(transcript)
    changes = []
    for position in range(0, 10_500, 50):
        changed, index = follower.update(position)
        if changed:
            changes.append((position, index))
    assert changes == [(i * 1000, i) for i in range(10)] + [(10_000, None)]


def test_follower_handles_seeks_backwards_and_reset() -> None:
    transcript = timeline((0, 1000), (1000, 2000), (2000, 3000))
    follower = TranscriptFollower(transcript)
    assert follower.update(2500) == (True, 2)
    assert follower.update(500) == (True, 0)
    assert follower.update(600) == (False, 0)
    follower.reset(timeline((0, 5000)))
    assert follower.current is None
    assert follower.update(600) == (True, 0)


def test_a_hundred_thousand_cues_are_searched_not_scanned() -> None:
    transcript = timeline(*[(i * 100, i * 100 + 100) for i in range(100_000)])
    assert transcript.index_at(5_000_050) == 50_000
    assert transcript.index_at(9_999_999) == 99_999


def test_find_in_cues_reports_every_occurrence_ignoring_case() -> None:
    from podplayer.core.transcripts.search import Match, find_in_cues

    cues = [Cue(0, 1, "Podcast about podcasts"), Cue(1, 2, "nothing"), Cue(2, 3, "PODCAST")]
    assert find_in_cues(cues, "podcast") == [Match(0, 0, 7), Match(0, 14, 7), Match(2, 0, 7)]
    assert find_in_cues(cues, "  ") == []
    assert find_in_cues(cues, "a.b") == []  # the query is text, not a pattern
