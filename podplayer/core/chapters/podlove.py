"""Podlove Simple Chapters (``<psc:chapter start="00:01:02.500" title=...>``) as chapters."""

from __future__ import annotations

import re
from collections.abc import Iterable

from podplayer.core.models import Chapter

PODLOVE_NAMESPACE = "http://podlove.org/simple-chapters"
MAX_PODLOVE_CHAPTERS = 2000
"""A feed item with more is broken; the rest are not kept (cleaning then shows the first 500)."""
MAX_START_MS = 7 * 24 * 3600 * 1000
_NORMAL_PLAY_TIME = re.compile(
    r"^\s*(?:(?:(?P<h>\d{1,3}):)?(?P<m>\d{1,2}):)?(?P<s>\d{1,6})(?:\.(?P<frac>\d{1,3}))?\s*$"
)

PodloveAttributes = tuple[str | None, str | None, str | None, str | None]
"""start, title, href, image as written in the feed."""


def parse_normal_play_time(text: str) -> int | None:
    """``HH:MM:SS.mmm``, ``MM:SS``, ``SS`` or ``SS.mmm`` as milliseconds; None when invalid."""
    match = _NORMAL_PLAY_TIME.match(text)
    if match is None:
        return None
    hours, minutes, seconds = int(match["h"] or 0), int(match["m"] or 0), int(match["s"])
    if (match["m"] is not None and seconds >= 60) or (match["h"] is not None and minutes >= 60):
        return None
    millis = int((match["frac"] or "0").ljust(3, "0"))
    total = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
    return total if total <= MAX_START_MS else None


def podlove_chapters(entries: Iterable[PodloveAttributes]) -> list[Chapter]:
    """Chapters from ``psc:chapter`` attributes; entries without a valid start are left out."""
    chapters: list[Chapter] = []
    for start, title, href, image in entries:
        start_ms = parse_normal_play_time(start) if start else None
        if start_ms is None:
            continue
        chapters.append(
            Chapter(
                start_ms=start_ms,
                title=title or "",
                url=href.strip() if href else None,
                image_url=image.strip() if image else None,
            )
        )
        if len(chapters) >= MAX_PODLOVE_CHAPTERS:
            break
    return chapters
