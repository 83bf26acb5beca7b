"""What one chapter reader yields: the chapters it found and sentences about what it left out."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from podplayer.core.models import Chapter


class ChapterSource(enum.StrEnum):
    """Where an episode's chapters came from, in the order the merge rule prefers them."""

    FEED_JSON = "feed-json"
    EMBEDDED = "embedded"
    PODLOVE = "podlove"
    SHOW_NOTES = "show-notes"

    @property
    def label(self) -> str:
        """How the Chapters pane names the source."""
        return _LABELS[self]


_LABELS = {
    ChapterSource.FEED_JSON: "the podcast's chapters file",
    ChapterSource.EMBEDDED: "the audio file",
    ChapterSource.PODLOVE: "the feed (Podlove Simple Chapters)",
    ChapterSource.SHOW_NOTES: "times in the show notes",
}


@dataclass(slots=True)
class Reading:
    """A reader's result: chapters as found (cleaning comes later) and what went wrong."""

    chapters: list[Chapter] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
