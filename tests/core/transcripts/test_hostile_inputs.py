"""Bad transcripts give cleaned cues or a clear "could not be read", never an exception."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from podplayer.core.transcripts.decoding import MAX_TRANSCRIPT_BYTES
from podplayer.core.transcripts.parsing import parse_transcript

HOSTILE = Path(__file__).resolve().parents[2] / "data" / "transcripts" / "hostile"


def test_unsorted_overlapping_duplicate_marked_up_vtt_is_cleaned() -> None:
    transcript = parse_transcript((HOSTILE / "unsorted-overlapping.vtt").read_bytes(), "text/vtt")
    assert transcript.timed
    texts = [cue.text for cue in transcript.cues]
    assert texts == ["First cue runs long", "Second cue", "Third & last", "End before start"]
    starts = [cue.start_ms for cue in transcript.cues]
    assert starts == [0, 5000, 10_000, 20_000]
    assert transcript.cues[0].end_ms == 5000  # clipped to the next start
    assert transcript.cues[3].end_ms is None  # an end before the start is dropped
    assert transcript.cues[2].speaker == "Ann Smith"
    assert all("<" not in text and "alert" not in text for text in texts)
    assert any("sorted" in note for note in transcript.notes)
    assert any("repeated" in note for note in transcript.notes)
    assert any("unreadable times" in note for note in transcript.notes)


def test_srt_with_bad_timestamps_keeps_the_good_cues() -> None:
    transcript = parse_transcript((HOSTILE / "bad-timestamps.srt").read_bytes(), "application/srt")
    assert [(cue.start_ms, cue.text) for cue in transcript.cues] == [
        (1000, "Fine line"),
        (7000, "Red italic text"),
        (9500, "No blank line before this block"),
        (12_000, "Missing end"),
    ]
    assert transcript.cues[0].speaker == "Host"
    assert transcript.cues[3].end_ms is None


def test_json_with_garbage_segments_keeps_the_good_ones() -> None:
    transcript = parse_transcript(
        (HOSTILE / "garbage-segments.json").read_bytes(), "application/json"
    )
    assert [(cue.start_ms, cue.text, cue.speaker) for cue in transcript.cues] == [
        (1500, "Good segment one.", "A"),
        (6000, "Good segment two.", None),
    ]
    assert "6 segment(s)" in transcript.notes[0]


@pytest.mark.parametrize(
    "body",
    [
        (HOSTILE / "truncated.json").read_bytes(),
        b"[1, 2, 3]",
        b'{"segments": "nope"}',
        b"{" * 100_000,
        b'{"segments": []}',
    ],
)
def test_garbage_json_says_it_could_not_be_read(body: bytes) -> None:
    transcript = parse_transcript(body, "application/json")
    assert not transcript.readable
    assert transcript.problem.startswith("The transcript could not be read")


@pytest.mark.parametrize(
    ("encoded", "mime"),
    [
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nCafé déjà vu\n".encode("utf-16"), "text/vtt"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nCafé déjà vu\n".encode("utf-16-le"), ""),
        ("1\n00:00:01,000 --> 00:00:02,000\nCafé déjà vu\n".encode("cp1252"), "application/srt"),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nCafé déjà vu\n".encode(),
            "application/srt; charset=iso-8859-1",
        ),
        (b"\xef\xbb\xbf1\n00:00:01,000 --> 00:00:02,000\nCaf\xc3\xa9 d\xc3\xa9j\xc3\xa0 vu\n", ""),
    ],
)
def test_wrong_or_missing_encodings_and_boms_give_the_right_text(encoded: bytes, mime: str) -> None:
    transcript = parse_transcript(encoded, mime)
    assert [(cue.start_ms, cue.text) for cue in transcript.cues] == [(1000, "Café déjà vu")]


def test_nul_and_control_characters_are_removed() -> None:
    body = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHel\x00lo\x07 there\x1b\n"
    transcript = parse_transcript(body, "text/vtt")
    assert transcript.cues[0].text == "Hello there"


def test_a_file_over_the_size_cap_is_refused_with_a_sentence() -> None:
    transcript = parse_transcript(b"x" * 2048, "text/plain", max_bytes=1024)
    assert not transcript.readable
    assert "too large" in transcript.problem


def test_a_huge_valid_srt_parses_within_the_cap() -> None:
    blocks = [
        f"{i}\n00:{i // 6000 % 60:02d}:{i // 100 % 60:02d},{i % 100 * 10:03d} --> "
        f"00:{i // 6000 % 60:02d}:{i // 100 % 60:02d},{i % 100 * 10 + 5:03d}\nLine {i}\n"
        for i in range(100_000)
    ]
    body = "\n".join(blocks).encode()
    assert len(body) < MAX_TRANSCRIPT_BYTES
    transcript = parse_transcript(body, "application/srt")
    assert len(transcript.cues) == 100_000
    assert transcript.index_at(61_000) == 6100


@pytest.mark.parametrize(
    "mime", ["text/vtt", "application/srt", "application/json", "text/html", ""]
)
def test_random_bytes_never_raise(mime: str) -> None:
    generator = random.Random(5)
    for _ in range(30):
        body = bytes(generator.randrange(256) for _ in range(generator.randrange(1, 400)))
        transcript = parse_transcript(body, mime)
        assert transcript.readable or transcript.problem


def test_empty_and_whitespace_files_are_empty_not_errors() -> None:
    for body in (b"", b"   \n\n\t", b"\xef\xbb\xbf"):
        transcript = parse_transcript(body, "text/vtt")
        assert transcript.problem == "The transcript file is empty."


def test_timestamps_without_text_are_unreadable() -> None:
    body = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n00:00:03.000 --> 00:00:04.000\n<b></b>\n"
    transcript = parse_transcript(body, "text/vtt")
    assert not transcript.readable
    assert "could not be read" in transcript.problem


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "body",
    [
        b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok " + b"<script>" * 30_000,
        b"<p>" * 50_000,
        b"Name: " * 50_000,
        b"--> " * 50_000,
        b"a" * 500_000,
        b"[" * 200_000,
    ],
)
def test_pathological_input_is_handled_in_linear_time(body: bytes) -> None:
    """Unclosed tags and repeated separators once made a regex rescan to the end each time."""
    for mime in ("text/vtt", "text/plain", "text/html", "application/json", "application/srt"):
        transcript = parse_transcript(body, mime)
        assert transcript.readable or transcript.problem
