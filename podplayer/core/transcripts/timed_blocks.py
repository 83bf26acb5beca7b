"""The block structure VTT and SRT share: a ``start --> end`` line, then text lines to a blank."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from podplayer.core.transcripts.timestamps import parse_clock

_TIMING = re.compile(r"^\s*(?P<start>[\d:.,]+)\s*-->\s*(?P<end>[\d:.,]+)?")


@dataclass(frozen=True, slots=True)
class TimedBlock:
    """One cue as written: times (None when unreadable) and its raw text lines."""

    start_ms: int | None
    end_ms: int | None
    lines: tuple[str, ...]


def is_timing_line(line: str) -> bool:
    return "-->" in line and _TIMING.match(line) is not None


def timed_blocks(text: str) -> Iterator[TimedBlock]:
    """Every block that has a timing line; text runs to a blank line or the next timing line.

    A lone number right before a timing line is an SRT index (or VTT identifier), not text, even
    when the blank line before it is missing.
    """
    lines = text.split("\n")
    index = 0
    count = len(lines)
    while index < count:
        match = _TIMING.match(lines[index]) if "-->" in lines[index] else None
        if match is None:
            index += 1
            continue
        start = parse_clock(match["start"])
        end = parse_clock(match["end"]) if match["end"] else None
        index += 1
        body: list[str] = []
        while index < count and lines[index].strip():
            if is_timing_line(lines[index]):
                break
            if (
                index + 1 < count
                and is_timing_line(lines[index + 1])
                and lines[index].strip().isdigit()
            ):
                break
            body.append(lines[index])
            index += 1
        yield TimedBlock(start, end, tuple(body))
