"""Podcasting 2.0 chapters (JSON): bytes in, chapters out; bad entries are skipped, never raised."""

from __future__ import annotations

import json
import math
from typing import Any

from podplayer.core.chapters.reading import Reading
from podplayer.core.models import Chapter

MAX_CHAPTERS_BYTES = 2 * 1024 * 1024
MAX_CHAPTER_SECONDS = 7 * 24 * 3600  # no episode is a week long


def parse_chapters_json(data: bytes) -> Reading:
    """Chapters as listed (``toc`` false: a silent marker); an unreadable file says why."""
    if len(data) > MAX_CHAPTERS_BYTES:
        return Reading(
            problems=[
                f"The chapters file is larger than 2 MB ({len(data):,} bytes); it was not read."
            ]
        )
    try:
        document = json.loads(data.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError):
        return Reading(problems=["The chapters file is not valid JSON; it was not read."])
    entries = document.get("chapters") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        return Reading(problems=["The chapters file has no list of chapters."])
    chapters = [chapter for entry in entries if (chapter := _chapter(entry)) is not None]
    problems = []
    if len(chapters) < len(entries):
        skipped = len(entries) - len(chapters)
        problems.append(
            f"{skipped:,} chapter{'s' if skipped != 1 else ''} without a valid start time left out."
        )
    return Reading(chapters, problems)


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
        title=title if isinstance(title, str) else "",
        end_ms=_ms(entry.get("endTime")),
        url=url if isinstance(url, str) else None,
        image_url=image if isinstance(image, str) else None,
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
