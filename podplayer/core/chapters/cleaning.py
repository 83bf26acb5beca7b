"""Chapters made safe to show and to play: sorted, in range, de-duplicated, bounded in number."""

from __future__ import annotations

import dataclasses
import itertools
import re
from urllib.parse import urlsplit

from podplayer.core.chapters.reading import Reading
from podplayer.core.feeds.normalize import clean_text
from podplayer.core.models import Chapter

MAX_CHAPTERS = 500
"""More markers than this is not a table of contents a listener can use."""
MAX_TITLE_CHARS = 300
MAX_IMAGE_BYTES = 4 * 1024 * 1024
LINK_SCHEMES = ("http", "https")
_C1_CONTROLS = re.compile("[\x80-\x9f]")
"""C1 controls (a terminal reads 0x9B as an escape); clean_text removes the C0 ones."""


def clean_chapters(reading: Reading, duration_ms: int | None) -> Reading:
    """Sorted by start, one chapter per start, starts within the episode, safe links.

    Every change is told in a sentence; nothing is raised. An end before its start, or past the
    next chapter's start (overlap), is dropped: lengths then run to the next chapter.
    """
    problems = list(reading.problems)
    kept: list[Chapter] = []
    out_of_range = 0
    bad_links = 0
    big_images = 0
    for chapter in reading.chapters:
        if chapter.start_ms < 0 or (duration_ms is not None and chapter.start_ms >= duration_ms):
            out_of_range += 1
            continue
        url = chapter.url
        if url is not None and not _is_web_link(url):
            url = None
            bad_links += 1
        image_url = chapter.image_url
        if image_url is not None and not _is_web_link(image_url):
            image_url = None
            bad_links += 1
        image_data = chapter.image_data
        if image_data is not None and len(image_data) > MAX_IMAGE_BYTES:
            image_data = None
            big_images += 1
        kept.append(
            dataclasses.replace(
                chapter,
                title=_C1_CONTROLS.sub("", " ".join(clean_text(chapter.title).split()))[
                    :MAX_TITLE_CHARS
                ],
                url=url,
                image_url=image_url,
                image_data=image_data,
            )
        )
    if out_of_range:
        where = "before the start or after the end of the episode"
        problems.append(f"{_count(out_of_range, 'chapter')} starting {where} left out.")
    if bad_links:
        problems.append(f"{_count(bad_links, 'link')} that are not http(s) addresses left out.")
    if big_images:
        problems.append(f"{_count(big_images, 'chapter image')} larger than 4 MB left out.")
    in_order = all(a.start_ms <= b.start_ms for a, b in itertools.pairwise(kept))
    if not in_order:
        kept.sort(key=lambda chapter: chapter.start_ms)
        problems.append("The chapters were not in time order; they are shown sorted.")
    unique: list[Chapter] = []
    duplicates = 0
    for chapter in kept:
        if unique and unique[-1].start_ms == chapter.start_ms:
            duplicates += 1
            if unique[-1].toc or not chapter.toc:
                continue
            unique[-1] = chapter
            continue
        unique.append(chapter)
    if duplicates:
        problems.append(
            f"{_count(duplicates, 'chapter')} starting at the same time as another left out."
        )
    if len(unique) > MAX_CHAPTERS:
        problems.append(
            f"{len(unique):,} chapters is more than a list can help with; "
            f"the first {MAX_CHAPTERS} are shown."
        )
        unique = unique[:MAX_CHAPTERS]
    return Reading(_fix_ends(unique, duration_ms, problems), problems)


def _fix_ends(
    chapters: list[Chapter], duration_ms: int | None, problems: list[str]
) -> list[Chapter]:
    fixed: list[Chapter] = []
    bad_ends = 0
    for index, chapter in enumerate(chapters):
        limit = chapters[index + 1].start_ms if index + 1 < len(chapters) else duration_ms
        end = chapter.end_ms
        if end is not None and (end <= chapter.start_ms or (limit is not None and end > limit)):
            end = None
            bad_ends += 1
        fixed.append(chapter if end == chapter.end_ms else dataclasses.replace(chapter, end_ms=end))
    if bad_ends:
        problems.append(
            f"{_count(bad_ends, 'chapter end')} before its start or overlapping the next chapter "
            "ignored; those chapters run to the next one."
        )
    return fixed


def _is_web_link(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in LINK_SCHEMES and bool(parts.netloc)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
