"""An episode's chapters after the merge rule: which source won, the chapters, and lookups."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field

from podplayer.core.chapters.cleaning import clean_chapters
from podplayer.core.chapters.reading import ChapterSource, Reading
from podplayer.core.models import Chapter

PREFERENCE = (
    ChapterSource.FEED_JSON,
    ChapterSource.EMBEDDED,
    ChapterSource.PODLOVE,
    ChapterSource.SHOW_NOTES,
)
"""The merge rule: the first source with any listed chapter wins."""


@dataclass(frozen=True, slots=True)
class ChapterList:
    """Listed chapters (``toc``) and silent markers, sorted; ``problems`` are sentences."""

    source: ChapterSource | None = None
    chapters: tuple[Chapter, ...] = ()
    problems: tuple[str, ...] = ()
    listed: tuple[Chapter, ...] = field(init=False)
    _starts: tuple[int, ...] = field(init=False)
    _marker_starts: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        listed = tuple(chapter for chapter in self.chapters if chapter.toc)
        object.__setattr__(self, "listed", listed)
        object.__setattr__(self, "_starts", tuple(chapter.start_ms for chapter in listed))
        object.__setattr__(self, "_marker_starts", tuple(c.start_ms for c in self.chapters))

    def index_at(self, position_ms: int) -> int | None:
        """The listed chapter playing at ``position_ms``; None before the first one."""
        index = bisect.bisect_right(self._starts, position_ms) - 1
        return index if index >= 0 else None

    def end_ms(self, index: int, duration_ms: int | None) -> int | None:
        """Where listed chapter ``index`` ends: its own end, else the next start, else the end."""
        chapter = self.listed[index]
        if chapter.end_ms is not None:
            return chapter.end_ms
        return self._starts[index + 1] if index + 1 < len(self._starts) else duration_ms

    def marker_index_at(self, position_ms: int) -> int | None:
        """The chapter or silent marker (index in ``chapters``) whose picture shows now."""
        index = bisect.bisect_right(self._marker_starts, position_ms) - 1
        return index if index >= 0 else None

    def starts(self) -> tuple[int, ...]:
        return self._starts

    def within(self, duration_ms: int) -> ChapterList:
        """This list without chapters starting at or after ``duration_ms`` (self if none do)."""
        if all(chapter.start_ms < duration_ms for chapter in self.chapters):
            return self
        cleaned = clean_chapters(Reading(list(self.chapters), list(self.problems)), duration_ms)
        return ChapterList(self.source, tuple(cleaned.chapters), tuple(cleaned.problems))


def choose_chapters(
    readings: Mapping[ChapterSource, Reading], duration_ms: int | None
) -> ChapterList:
    """The preferred source's chapters, cleaned; sources that failed leave their sentences."""
    problems: list[str] = []
    for source in PREFERENCE:
        reading = readings.get(source)
        if reading is None:
            continue
        cleaned = clean_chapters(reading, duration_ms)
        if any(chapter.toc for chapter in cleaned.chapters):
            return ChapterList(source, tuple(cleaned.chapters), (*problems, *cleaned.problems))
        problems += cleaned.problems
    return ChapterList(problems=tuple(problems))
