"""MP4/M4A chapters: the Nero ``chpl`` box (read with mutagen), else a QuickTime chapter track."""

from __future__ import annotations

from pathlib import Path

from podplayer.core.chapters.reading import Reading
from podplayer.core.models import Chapter

MP4_SUFFIXES = frozenset({".m4a", ".m4b", ".mp4", ".m4v", ".aac", ".mov"})


def mp4_chapters(path: Path) -> Reading:
    """Chapters of an MP4 file; a file that cannot be read gives a sentence, not an exception."""
    from mutagen import MutagenError
    from mutagen.mp4 import MP4

    try:
        chapters = MP4(path).chapters
    except (MutagenError, ValueError, EOFError, OverflowError, OSError):
        return Reading(problems=["The audio file's chapters could not be read (not a valid MP4)."])
    if not chapters:
        from podplayer.core.chapters.quicktime import quicktime_chapters

        return quicktime_chapters(path)
    return Reading([Chapter(start_ms=round(c.start * 1000), title=c.title or "") for c in chapters])
