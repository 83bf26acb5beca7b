"""Cutting an episode's words into passages for the index: its title, its notes, its transcript.

A document is one episode's text of one kind. It is indexed in passages of a few cues (about 300
characters, one FTS5 row each) and stored compressed, with where each cue starts in its passage
and when it is said, so a hit knows the cue it is in. Passages never hold a line break: a stored
block is its passages joined by ``\\n``.
"""

from __future__ import annotations

import re
import sys
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum

from podplayer.core.models import Cue

PASSAGE_CHARS = 300
PASSAGES_PER_BLOCK = 16
NO_TIME = -1
_CONTROL_TO_SPACE = {code: " " for code in (*range(0x20), *range(0x7F, 0xA0))}
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
    """Passages of one kind of text, and (passage, offset in it, start ms or -1) per cue."""

    kind: HitKind
    passages: tuple[str, ...]
    marks: tuple[tuple[int, int, int], ...] = ()

    def packed_text(self) -> bytes:
        """Blocks of ``PASSAGES_PER_BLOCK`` passages compressed apart, after a table of where each
        block ends: a hit decompresses one block, not the whole transcript."""
        blocks = [
            zlib.compress("\n".join(self.passages[at : at + PASSAGES_PER_BLOCK]).encode(), 6)
            for at in range(0, len(self.passages), PASSAGES_PER_BLOCK)
        ]
        ends = array("I", [len(blocks)])
        total = 0
        for block in blocks:
            total += len(block)
            ends.append(total)
        return _little_endian(ends).tobytes() + b"".join(blocks)

    def packed_marks(self) -> bytes | None:
        """The marks as compressed int64 pairs (passage << 32 | offset, start); None when
        nothing is timed."""
        if not self.marks:
            return None
        values = array("q")
        for passage, offset, start in self.marks:
            values.extend((passage << 32 | offset, start))
        return zlib.compress(_little_endian(values).tobytes(), 6)


@dataclass(frozen=True, slots=True)
class CueStarts:
    """A stored document's cue marks, searchable by position."""

    keys: array[int]
    starts: array[int]

    def at(self, passage: int, offset: int) -> int | None:
        """The start time of the cue holding this character (None when untimed)."""
        index = bisect_right(self.keys, passage << 32 | offset) - 1
        if index < 0 or self.starts[index] == NO_TIME:
            return None
        return self.starts[index]


def _little_endian(values: array[int]) -> array[int]:
    if sys.byteorder != "little":
        values.byteswap()
    return values


def _block_table(data: bytes) -> tuple[int, array[int]]:
    """(where the blocks begin, where each ends relative to that)."""
    count = _little_endian(array("I", data[:4]))[0]
    ends = _little_endian(array("I", data[4 : 4 + 4 * count]))
    return 4 + 4 * count, ends


def unpack_passage(data: bytes, number: int) -> str | None:
    """One passage of a stored document (None past its end), decompressing one block."""
    base, ends = _block_table(data)
    block = number // PASSAGES_PER_BLOCK
    if block >= len(ends):
        return None
    begin = ends[block - 1] if block else 0
    passages = zlib.decompress(data[base + begin : base + ends[block]]).decode().split("\n")
    within = number % PASSAGES_PER_BLOCK
    return passages[within] if within < len(passages) else None


def unpack_text(data: bytes) -> list[str]:
    """Every passage of a stored document, in order."""
    base, ends = _block_table(data)
    passages: list[str] = []
    begin = 0
    for end in ends:
        passages += zlib.decompress(data[base + begin : base + end]).decode().split("\n")
        begin = end
    return passages


def unpack_marks(data: bytes | None) -> CueStarts:
    """The inverse of ``Document.packed_marks``."""
    values = array("q")
    if data:
        values.frombytes(zlib.decompress(data))
        _little_endian(values)
    return CueStarts(values[0::2], values[1::2])


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
    marks: list[tuple[int, int, int]] = []
    length = 0
    for start, raw in pieces:
        text = " ".join(raw.translate(_CONTROL_TO_SPACE).split())
        if not text:
            continue
        if parts and length + len(text) > PASSAGE_CHARS:
            passages.append(" ".join(parts))
            parts, length = [], 0
        marks.append((len(passages), length, NO_TIME if start is None else start))
        parts.append(text)
        length += len(text) + 1
    if parts:
        passages.append(" ".join(parts))
    if not passages:
        return None
    timed = any(start != NO_TIME for _, _, start in marks)
    return Document(kind, tuple(passages), tuple(marks) if timed else ())
