"""Find in transcript: every case-insensitive occurrence of a query, in reading order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from podplayer.core.models import Cue


class Match(NamedTuple):
    """One occurrence: the cue's index, and the character span inside its text."""

    row: int
    start: int
    length: int


def find_in_cues(cues: Sequence[Cue], query: str) -> list[Match]:
    """All occurrences of ``query`` (ignoring case) in the cues' text; none for a blank query."""
    if not query.strip():
        return []
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    return [
        Match(row, found.start(), found.end() - found.start())
        for row, cue in enumerate(cues)
        for found in pattern.finditer(cue.text)
    ]
