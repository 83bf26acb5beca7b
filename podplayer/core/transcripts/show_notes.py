"""Transcripts written into show notes: ``Nathan [00:00:07 ]: Hey``, ``(04:10) Hi``, ``1:02:03``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from podplayer.core.models import Cue
from podplayer.core.transcripts.html_text import looks_like_html, read_html
from podplayer.core.transcripts.text_cleaning import fold_whitespace, split_speaker
from podplayer.core.transcripts.timeline import Transcript
from podplayer.core.transcripts.timestamps import parse_clock

MIN_TIMED_LINES = 2
"""One timestamp in notes is a mention, not a transcript."""
MIN_PROSE_WORDS = 5
MIN_PROSE_WORDS_PER_LINE = 4

_CLOCK = r"\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_SPEAKER = r"[^\W\d_][\w'’.\-]*(?:[ ][^\W\d_][\w'’.\-]*){0,3}"
_TIMED_LINE = re.compile(
    rf"""^[\s*_#>•\-]*
    (?:
        (?:(?P<speaker>{_SPEAKER})[\s*_]*)?[\[(]\s*(?P<bracketed>{_CLOCK})\s*[\])][\s*_]*
        (?::\s*|[-–—|]\s*|\s+|$)
      |
        (?P<bare>{_CLOCK})(?:\s*[-–—|:]\s*|\s+|$)
    )
    (?P<text>.*)$""",
    re.VERBOSE,
)


@dataclass(slots=True)
class _OpenCue:
    start_ms: int
    speaker: str | None
    parts: list[str] = field(default_factory=list)


def transcript_from_show_notes(html: str) -> Transcript | None:
    """A timed transcript from notes with timestamps at line starts, or None when they have none.

    A paragraph without a timestamp joins the cue before it while it reads like prose; anything
    else (a list of links, a player's leftover buttons) ends that cue. Times that go backwards
    are not a transcript's and are ignored.
    """
    text = read_html(html)[1] if looks_like_html(html) else html.replace("\r\n", "\n")
    cues: list[_OpenCue] = []
    joining = False
    for paragraph in _paragraphs(text):
        started_here = False
        for line in paragraph:
            match = _TIMED_LINE.match(line)
            start = parse_clock(match["bracketed"] or match["bare"]) if match else None
            if match is not None and start is not None:
                if cues and start < cues[-1].start_ms:
                    joining = False
                    continue
                speaker, rest = _speaker_and_text(match["speaker"], match["text"])
                cues.append(_OpenCue(start, speaker, [rest] if rest else []))
                joining = True
                started_here = True
            elif joining and cues and (started_here or _reads_like_prose(paragraph)):
                cues[-1].parts.append(line)
            elif not started_here:
                joining = False
                break
    finished = [
        Cue(cue.start_ms, None, fold_whitespace(" ".join(cue.parts)), cue.speaker)
        for cue in cues
        if any(part.strip() for part in cue.parts)
    ]
    if len(finished) < MIN_TIMED_LINES:
        return None
    return Transcript.build(finished, timed=True, format_name="show notes")


def _paragraphs(text: str) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if line:
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _speaker_and_text(speaker: str | None, text: str) -> tuple[str | None, str]:
    text = text.strip().lstrip(":").strip()
    if speaker:
        return speaker.strip(" *_"), text
    named, rest = split_speaker(text)
    return named, rest


def _reads_like_prose(paragraph: list[str]) -> bool:
    words = sum(len(line.split()) for line in paragraph)
    return words >= MIN_PROSE_WORDS and words / len(paragraph) >= MIN_PROSE_WORDS_PER_LINE
