"""Chapters written in show notes, one per line: ``00:13 Speed``, ``(12:34) Topic``."""

from __future__ import annotations

import re

from podplayer.core.chapters.reading import Reading
from podplayer.core.models import Chapter
from podplayer.core.transcripts.html_text import looks_like_html, read_html
from podplayer.core.transcripts.timestamps import parse_clock

MIN_CHAPTERS = 2
"""One time in the notes is a mention, not a table of contents."""
MAX_TITLE_CHARS = 200
_LINE = re.compile(
    r"""^[\s*_#>•·\-]*
    [\[(]?\s*(?P<clock>\d{1,3}:\d{2}(?::\d{2})?)\s*[\])]?
    \s*(?:[-–—|:.]\s*)?
    (?P<title>\S.*)$""",
    re.VERBOSE,
)


def show_notes_chapters(notes_html: str) -> Reading:
    """A chapter per line that starts with a time; times that go backwards are not chapters."""
    text = read_html(notes_html)[1] if looks_like_html(notes_html) else notes_html
    chapters: list[Chapter] = []
    for line in text.splitlines():
        match = _LINE.match(line.strip())
        if match is None:
            continue
        start = parse_clock(match["clock"])
        if start is None or (chapters and start <= chapters[-1].start_ms):
            continue
        title = match["title"].strip(" -–—|:")
        if title:
            chapters.append(Chapter(start_ms=start, title=title[:MAX_TITLE_CHARS]))
    return Reading(chapters if len(chapters) >= MIN_CHAPTERS else [])
