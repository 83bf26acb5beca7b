"""Cutting an episode's words into passages for the index: a title, its notes, its transcript.

A passage is a few cues (about 300 characters) in one index row, with the character offset and
start time of each cue inside it, so a hit still knows the cue it is in. Fewer, longer rows make
the index far smaller than one row per cue (see bench/search.py).
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum

from podplayer.core.models import Cue

PASSAGE_CHARS = 300
NO_TIME = -1
_CONTROL_TO_SPACE = {code: " " for code in (*range(0x20), 0x7F)}
_LEADING_CLOCK = re.compile(r"^[\s*_#>•\-]*[\[(]?\s*(\d{1,3}:\d{2}(?::\d{2})?)\s*[\])]?[\s:\-–—|]")


class HitKind(IntEnum):
    """Where a passage comes from; stored as its number."""

    TITLE = 0
    NOTES = 1
    TRANSCRIPT = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Passage:
    """Text of one index row and, per cue in it, (offset of its first character, start ms or -1)."""

    kind: HitKind
    text: str
    marks: tuple[tuple[int, int], ...] = ()

    @property
    def start_ms(self) -> int | None:
        """The first timed cue's start: where the passage begins to be spoken."""
        return next((start for _, start in self.marks if start != NO_TIME), None)

    def packed_marks(self) -> bytes:
        """The marks as little-endian int32 pairs: 8 bytes a cue."""
        values = array("i", (value for mark in self.marks for value in mark))
        if sys.byteorder != "little":
            values.byteswap()
        return values.tobytes()


def unpack_marks(data: bytes | None) -> list[tuple[int, int]]:
    """The inverse of ``Passage.packed_marks``."""
    if not data:
        return []
    values = array("i")
    values.frombytes(data)
    if sys.byteorder != "little":
        values.byteswap()
    return list(zip(values[::2], values[1::2], strict=True))


def start_at(marks: Sequence[tuple[int, int]], offset: int) -> int | None:
    """The start time of the cue holding the character at ``offset`` (None when untimed)."""
    index = bisect_right([mark[0] for mark in marks], offset) - 1
    if index < 0:
        return None
    start = marks[index][1]
    return None if start == NO_TIME else start


def transcript_passages(cues: Iterable[Cue]) -> list[Passage]:
    """A transcript's cues grouped into passages; the speaker's name leads a cue's text."""
    return list(
        _group(
            HitKind.TRANSCRIPT,
            (
                (cue.start_ms, f"{cue.speaker}: {cue.text}" if cue.speaker else cue.text)
                for cue in cues
            ),
        )
    )


def notes_passages(notes_html: str) -> list[Passage]:
    """Show notes as plain text; a line that starts with a time (``12:34 Topic``) is timed."""
    from podplayer.core.transcripts.html_text import looks_like_html, read_html
    from podplayer.core.transcripts.timestamps import parse_clock

    text = read_html(notes_html)[1] if looks_like_html(notes_html) else notes_html

    def lines() -> Iterator[tuple[int | None, str]]:
        for line in text.splitlines():
            stripped = " ".join(line.split())
            if stripped:
                clock = _LEADING_CLOCK.match(stripped + " ")
                yield (parse_clock(clock.group(1)) if clock else None), stripped

    return list(_group(HitKind.NOTES, lines()))


def title_passage(title: str) -> Passage | None:
    text = " ".join(title.translate(_CONTROL_TO_SPACE).split())
    return Passage(HitKind.TITLE, text) if text else None


def _group(kind: HitKind, pieces: Iterable[tuple[int | None, str]]) -> Iterator[Passage]:
    parts: list[str] = []
    marks: list[tuple[int, int]] = []
    length = 0
    for start, raw in pieces:
        text = " ".join(raw.translate(_CONTROL_TO_SPACE).split())
        if not text:
            continue
        if parts and length + len(text) > PASSAGE_CHARS:
            yield _passage(kind, parts, marks)
            parts, marks, length = [], [], 0
        marks.append((length, NO_TIME if start is None else start))
        parts.append(text)
        length += len(text) + 1
    if parts:
        yield _passage(kind, parts, marks)


def _passage(kind: HitKind, parts: list[str], marks: list[tuple[int, int]]) -> Passage:
    """Untimed text needs no marks: every cue in it starts at no time."""
    timed = any(start != NO_TIME for _, start in marks)
    return Passage(kind, " ".join(parts), tuple(marks) if timed else ())
