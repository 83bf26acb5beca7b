"""Cutting an episode's words into passages for the index: its title, its notes, its transcript.

A document is one episode's text of one kind. It is indexed in passages of a few cues (about 300
characters, one FTS5 row each) and stored compressed, with the character offset and start time
of every cue, so a hit knows the cue it is in. Passages never hold a line break: the stored text
is the passages joined by ``\\n``.
"""

from __future__ import annotations

import re
import sys
import zlib
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
    """Where a document comes from; stored as its number."""

    TITLE = 0
    NOTES = 1
    TRANSCRIPT = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Document:
    """Passages of one kind of text, and (offset in the joined text, start ms or -1) per cue."""

    kind: HitKind
    passages: tuple[str, ...]
    marks: tuple[tuple[int, int], ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.passages)

    def packed_text(self) -> bytes:
        return zlib.compress(self.text.encode("utf-8"), 6)

    def packed_marks(self) -> bytes | None:
        """The marks as compressed little-endian int32 pairs; None when nothing is timed."""
        if not self.marks:
            return None
        values = array("i", (value for mark in self.marks for value in mark))
        if sys.byteorder != "little":
            values.byteswap()
        return zlib.compress(values.tobytes(), 6)


def unpack_text(data: bytes) -> list[str]:
    """The passages of a stored document."""
    return zlib.decompress(data).decode("utf-8").split("\n")


def unpack_marks(data: bytes | None) -> list[tuple[int, int]]:
    """The inverse of ``Document.packed_marks``."""
    if not data:
        return []
    values = array("i")
    values.frombytes(zlib.decompress(data))
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


def transcript_document(cues: Iterable[Cue]) -> Document | None:
    """A transcript's cues in passages; the speaker's name leads a cue's text."""
    return _document(
        HitKind.TRANSCRIPT,
        ((cue.start_ms, f"{cue.speaker}: {cue.text}" if cue.speaker else cue.text) for cue in cues),
    )


def notes_document(notes_html: str) -> Document | None:
    """Show notes as plain text; a line that starts with a time (``12:34 Topic``) is timed."""
    from podplayer.core.transcripts.html_text import looks_like_html, read_html
    from podplayer.core.transcripts.timestamps import parse_clock

    text = read_html(notes_html)[1] if looks_like_html(notes_html) else notes_html

    def lines() -> Iterator[tuple[int | None, str]]:
        for line in text.splitlines():
            clock = _LEADING_CLOCK.match(line.strip() + " ")
            yield (parse_clock(clock.group(1)) if clock else None), line

    return _document(HitKind.NOTES, lines())


def title_document(title: str) -> Document | None:
    return _document(HitKind.TITLE, [(None, title)])


def _document(kind: HitKind, pieces: Iterable[tuple[int | None, str]]) -> Document | None:
    passages: list[str] = []
    parts: list[str] = []
    marks: list[tuple[int, int]] = []
    offset = 0  # where the current passage starts in the joined text
    length = 0
    for start, raw in pieces:
        text = " ".join(raw.translate(_CONTROL_TO_SPACE).split())
        if not text:
            continue
        if parts and length + len(text) > PASSAGE_CHARS:
            passages.append(" ".join(parts))
            offset += length  # the passage's length plus the line break
            parts, length = [], 0
        marks.append((offset + length, NO_TIME if start is None else start))
        parts.append(text)
        length += len(text) + 1
    if parts:
        passages.append(" ".join(parts))
    if not passages:
        return None
    timed = any(start != NO_TIME for _, start in marks)
    return Document(kind, tuple(passages), tuple(marks) if timed else ())
