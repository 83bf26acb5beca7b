"""Podcasting 2.0 JSON transcripts: segments of speaker/startTime/endTime/body, words merged."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from podplayer.core.models import Cue, Word
from podplayer.core.transcripts.text_cleaning import fold_whitespace, strip_markup
from podplayer.core.transcripts.timeline import Transcript
from podplayer.core.transcripts.timestamps import seconds_to_ms

SENTENCE_ENDINGS = (".", "?", "!", "…", '."', '?"', '!"')
MAX_MERGED_MS = 8_000
MAX_MERGED_WORDS = 40
MAX_WORD_GAP_MS = 1_500


@dataclass(slots=True)
class _Segment:
    start_ms: int
    end_ms: int | None
    body: str
    speaker: str | None
    ends_sentence: bool


def parse_json_transcript(text: str) -> Transcript:
    """Segments with readable times become cues; word-per-segment files are merged to sentences."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return Transcript.unreadable(
            "The transcript could not be read: it is not valid JSON.", format_name="JSON"
        )
    raw_segments = document.get("segments") if isinstance(document, dict) else document
    if not isinstance(raw_segments, list):
        return Transcript.unreadable(
            "The transcript could not be read: the JSON file has no list of segments.",
            format_name="JSON",
        )
    segments: list[_Segment] = []
    skipped = 0
    for raw in raw_segments:
        segment = _segment(raw)
        if segment is None:
            skipped += 1
        else:
            segments.append(segment)
    notes = [f"{skipped} segment(s) without usable times or text were skipped."] if skipped else []
    segments.sort(key=lambda segment: segment.start_ms)
    if _word_per_segment(segments):
        cues = _merge_words(segments)
    else:
        cues = [Cue(s.start_ms, s.end_ms, s.body, s.speaker) for s in segments]
    return Transcript.build(cues, timed=True, format_name="JSON", notes=notes)


def _segment(raw: object) -> _Segment | None:
    if not isinstance(raw, dict):
        return None
    start = seconds_to_ms(raw.get("startTime"))
    body_value = raw.get("body")
    if start is None or not isinstance(body_value, str):
        return None
    ends_sentence = body_value.rstrip(" \t").endswith("\n")
    body = strip_markup(body_value)
    if not body:
        return None
    end = seconds_to_ms(raw.get("endTime"))
    speaker_value = raw.get("speaker")
    speaker = fold_whitespace(speaker_value) if isinstance(speaker_value, str) else None
    ends_sentence = ends_sentence or body.endswith(SENTENCE_ENDINGS)
    return _Segment(start, end, body, speaker or None, ends_sentence)


def _word_per_segment(segments: Sequence[_Segment]) -> bool:
    """True when most segments hold a single word (some publishers time every word)."""
    if len(segments) < 3:
        return len(segments) > 1 and all(" " not in s.body for s in segments)
    single = sum(1 for segment in segments if " " not in segment.body)
    return single >= len(segments) * 0.7


def _merge_words(segments: Sequence[_Segment]) -> list[Cue]:
    """Join words into cues that end at a sentence end, a speaker change, a pause or ~8 s."""
    cues: list[Cue] = []
    words: list[str] = []
    first: _Segment | None = None
    last: _Segment | None = None

    timed_words: list[Word] = []

    def flush() -> None:
        if first is not None and last is not None and words:
            cues.append(
                Cue(first.start_ms, last.end_ms, " ".join(words), first.speaker, tuple(timed_words))
            )
        words.clear()
        timed_words.clear()

    for segment in segments:
        if first is not None and last is not None:
            gap = segment.start_ms - (last.end_ms or last.start_ms)
            if (
                segment.speaker != first.speaker
                or gap > MAX_WORD_GAP_MS
                or segment.start_ms - first.start_ms > MAX_MERGED_MS
                or len(words) >= MAX_MERGED_WORDS
            ):
                flush()
                first = None
        if first is None:
            first = segment
        words.append(segment.body)
        timed_words.append(Word(segment.start_ms, segment.end_ms or segment.start_ms, segment.body))
        last = segment
        if segment.ends_sentence:
            flush()
            first = None
    flush()
    return cues
