"""Podcasting 2.0 chapters (JSON): bytes in, chapters out; bad entries are skipped, never raised."""

from __future__ import annotations

import json
import math
from typing import Any

from podplayer.core.models import Chapter

MAX_CHAPTERS_BYTES = 2 * 1024 * 1024
MAX_TITLE_CHARS = 300
MAX_CHAPTER_SECONDS = 7 * 24 * 3600  # no episode is a week long


def parse_chapters_json(data: bytes) -> list[Chapter]:
    """Chapters sorted by start; an unreadable file gives an empty list."""
    if len(data) > MAX_CHAPTERS_BYTES:
        return []
    try:
        document = json.loads(data.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError):
        return []
    entries = document.get("chapters") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        return []
    chapters = [chapter for entry in entries if (chapter := _chapter(entry)) is not None]
    return sorted(chapters, key=lambda chapter: chapter.start_ms)


def _chapter(entry: Any) -> Chapter | None:
    if not isinstance(entry, dict):
        return None
    start_ms = _ms(entry.get("startTime"))
    if start_ms is None:
        return None
    title = entry.get("title")
    url = entry.get("url")
    image = entry.get("img")
    return Chapter(
        start_ms=start_ms,
        title=" ".join(title.split())[:MAX_TITLE_CHARS] if isinstance(title, str) else "",
        end_ms=_ms(entry.get("endTime")),
        url=url if isinstance(url, str) and url.startswith(("http://", "https://")) else None,
        image_url=image if isinstance(image, str) and image.startswith("https://") else None,
        toc=entry.get("toc") is not False,
    )


def _ms(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        seconds = float(value)
    except OverflowError:  # an integer with hundreds of digits
        return None
    if not math.isfinite(seconds) or not 0 <= seconds <= MAX_CHAPTER_SECONDS:
        return None
    return round(seconds * 1000)
