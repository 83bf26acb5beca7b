"""Every format parses real-world files into cues with the right times, speakers and text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from podplayer.core.models import Cue, Word
from podplayer.core.transcripts.parsing import parse_transcript
from podplayer.core.transcripts.show_notes import transcript_from_show_notes
from podplayer.core.transcripts.timestamps import format_precise

DATA = Path(__file__).resolve().parents[2] / "data" / "transcripts"


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_vtt_voice_spans_give_speakers_and_entities_are_decoded() -> None:
    transcript = parse_transcript(read("transcript.vtt"), "text/vtt")
    assert transcript.timed and transcript.format_name == "WebVTT"
    assert len(transcript.cues) == 7
    assert transcript.cues[0] == Cue(
        0, 2760, "In today's episode, you'll learn whether or not you", "Sarah"
    )
    assert transcript.cues[2].text.endswith("Welcome to Podcasting Q&A, where you learn")
    assert transcript.cues[5].speaker == "Gillian"
    assert transcript.cues[5].start_ms == 19_080


@pytest.mark.parametrize("mime", ["application/x-subrip", "application/srt", "text/srt"])
def test_srt_name_prefix_gives_speaker_that_carries_on(mime: str) -> None:
    transcript = parse_transcript(read("transcript.srt"), mime)
    assert transcript.format_name == "SRT" and transcript.timed
    assert len(transcript.cues) == 222
    first = transcript.cues[0]
    assert (first.start_ms, first.end_ms, first.speaker) == (179, 2399, "Travis")
    assert first.text == "When you first get started in podcasting, it's"
    assert transcript.cues[1].speaker == "Travis"
    sarah = next(cue for cue in transcript.cues if cue.speaker == "Sarah")
    assert sarah.start_ms == 53_030
    assert sarah.text.startswith("Creating good audio")
    assert {cue.speaker for cue in transcript.cues} == {"Travis", "Sarah", "Gilon"}


def test_json_words_are_merged_into_sentences_per_speaker_keeping_word_times() -> None:
    transcript = parse_transcript(read("transcript.json"), "application/json")
    assert transcript.format_name == "JSON"
    words = (Word(500, 750, "I"), Word(1000, 1250, "am"), Word(1500, 2000, "your"))
    assert transcript.cues == (
        Cue(500, 2500, "I am your father.", "Darth Vader", (*words, Word(2250, 2500, "father."))),
        Cue(2750, 3000, "Nooooo", "Luke", (Word(2750, 3000, "Nooooo"),)),
    )


def test_json_sentence_segments_are_kept_as_they_are() -> None:
    body = (
        b'{"segments": [{"speaker": "A", "startTime": 0, "endTime": 2.5, "body": "Hello there."},'
        b'{"speaker": "B", "startTime": 2.5, "endTime": 4, "body": "General Kenobi, hi."}]}'
    )
    transcript = parse_transcript(body, "application/json")
    assert [cue.text for cue in transcript.cues] == ["Hello there.", "General Kenobi, hi."]
    assert transcript.cues[1].start_ms == 2500


def test_json_newline_body_ends_a_merged_cue() -> None:
    words = [("So", 0.0), ("it\n", 0.3), ("begins", 0.6), ("again", 0.9)]
    segments = [
        {"speaker": "N", "startTime": start, "endTime": start + 0.2, "body": word}
        for word, start in words
    ]
    body = json.dumps({"segments": segments}).encode()
    transcript = parse_transcript(body, "application/json")
    assert [cue.text for cue in transcript.cues] == ["So it", "begins again"]


def test_html_cite_time_p_give_speaker_start_and_text() -> None:
    transcript = parse_transcript(read("transcript.html"), "text/html")
    assert transcript.timed and transcript.format_name == "HTML"
    assert [(cue.start_ms, cue.speaker) for cue in transcript.cues[:3]] == [
        (0, "Travis"),
        (53_000, "Sarah"),
        (102_000, "Travis"),
    ]
    assert transcript.cues[0].text.startswith("When you first get started in podcasting, it's")
    assert "&#39;" not in transcript.cues[0].text


def test_html_without_times_is_readable_untimed_text() -> None:
    markup = b"<html><body><p>Ann: Hello and welcome.</p><p>Bob: Thanks &amp; hi.</p></body></html>"
    transcript = parse_transcript(markup, "text/html")
    assert not transcript.timed
    assert transcript.cues == (
        Cue(None, None, "Hello and welcome.", "Ann"),
        Cue(None, None, "Thanks & hi.", "Bob"),
    )
    assert transcript.index_at(1000) is None


def test_plain_text_paragraphs_are_untimed_cues() -> None:
    text = b"Host: Welcome to the show.\n\nGuest: Glad to be here,\nreally.\n\nJust a paragraph."
    transcript = parse_transcript(text, "text/plain")
    assert not transcript.timed
    assert transcript.cues == (
        Cue(None, None, "Welcome to the show.", "Host"),
        Cue(None, None, "Glad to be here, really.", "Guest"),
        Cue(None, None, "Just a paragraph.", None),
    )


def test_plain_text_with_timestamps_is_timed() -> None:
    text = b"[00:00:05] Ann: Hello.\n[00:00:09] Bob: Hi Ann.\n"
    transcript = parse_transcript(text, "text/plain")
    assert transcript.timed
    assert [(c.start_ms, c.speaker, c.text) for c in transcript.cues] == [
        (5000, "Ann", "Hello."),
        (9000, "Bob", "Hi Ann."),
    ]


def test_sample_show_notes_give_nathans_four_cues() -> None:
    notes = read("show-notes-with-inline-transcript.txt").decode()
    transcript = transcript_from_show_notes(notes)
    assert transcript is not None and transcript.timed
    assert [format_precise(cue.start_ms or 0) for cue in transcript.cues] == [
        "00:00:07.000",
        "00:04:10.000",
        "00:04:41.000",
        "00:05:18.000",
    ]
    assert {cue.speaker for cue in transcript.cues} == {"Nathan"}
    first, *_, last = transcript.cues
    assert first.text.startswith("Hey, everyone. Happy New Year.")
    assert "I wouldn't say my main research area is reasoning." in first.text  # joined paragraph
    assert "Sleep Timer" not in last.text and "1.0x" not in last.text  # page leftovers stay out
    assert "Listen on Apple Podcasts" not in first.text  # notes before the first time stay out


@pytest.mark.parametrize(
    ("line", "start_ms", "speaker", "text"),
    [
        ("[00:04:10] Intro to the topic", 250_000, None, "Intro to the topic"),
        ("(04:10) Intro to the topic", 250_000, None, "Intro to the topic"),
        ("00:04:10 - Intro to the topic", 250_000, None, "Intro to the topic"),
        ("1:02:03 Closing words", 3_723_000, None, "Closing words"),
        ("Nathan [00:00:07 ]: Hey", 7_000, "Nathan", "Hey"),
        ("Ann Lee (12:00): Right", 720_000, "Ann Lee", "Right"),
        ("[12:00] Ann: Right", 720_000, "Ann", "Right"),
    ],
)
def test_show_notes_timestamp_forms(
    line: str, start_ms: int, speaker: str | None, text: str
) -> None:
    notes = f"<p>{line}</p><p>0:00:01 Earlier line so there are two</p>"
    transcript = transcript_from_show_notes(notes.replace("0:00:01", "9:59:59"))
    assert transcript is not None
    assert transcript.cues[0] == Cue(start_ms, None, text, speaker)


def test_show_notes_in_html_join_untimed_paragraphs() -> None:
    notes = (
        "<p>Links: <a href='https://example.org'>example</a></p>"
        "<p>[00:00:10] Ann: We start here with a long opening sentence.</p>"
        "<p>And this untimed paragraph carries on what Ann was saying.</p>"
        "<p>[00:01:00] Bob: Next.</p>"
    )
    transcript = transcript_from_show_notes(notes)
    assert transcript is not None
    assert transcript.cues[0].text == (
        "We start here with a long opening sentence. "
        "And this untimed paragraph carries on what Ann was saying."
    )
    assert transcript.cues[1] == Cue(60_000, None, "Next.", "Bob")


def test_notes_with_one_timestamp_or_none_are_not_a_transcript() -> None:
    assert transcript_from_show_notes("<p>Recorded live. Update: 2025-01-02</p>") is None
    assert transcript_from_show_notes("<p>[00:10] The only mark.</p>") is None
    assert transcript_from_show_notes("") is None


def test_declared_type_loses_to_the_files_own_signature() -> None:
    transcript = parse_transcript(read("transcript.vtt"), "text/plain")
    assert transcript.format_name == "WebVTT"
    srt_as_html = parse_transcript(read("transcript.srt"), "text/html")
    assert srt_as_html.format_name == "SRT" and len(srt_as_html.cues) == 222


def test_file_name_extension_picks_the_format_when_type_is_unknown() -> None:
    transcript = parse_transcript(read("transcript.srt"), "", name="episode.srt")
    assert transcript.format_name == "SRT"
    by_sniffing = parse_transcript(read("transcript.html"), "application/octet-stream")
    assert by_sniffing.format_name == "HTML"
