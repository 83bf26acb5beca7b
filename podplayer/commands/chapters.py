"""``podplayer chapters EPISODE_ID|FILE [--json]``: the chapters the window would show."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the window imports this module for its parser: nothing heavy at the top
    from podplayer.core.chapters.chapter_list import ChapterList
    from podplayer.core.paths import AppPaths
    from podplayer.core.storage.library import Library


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the subcommand (called by podplayer.command_line)."""
    chapters = commands.add_parser(
        "chapters",
        help="print an episode's chapters, or an audio file's",
        description="Print the chapters of an episode (from its chapters file, its audio, its "
        "Podlove chapters or its show notes, in that order, as the window picks them) or of an "
        "MP3 or M4A file: start, length, title and link, separated by tabs. Chapters the "
        "episode skips are marked. A number is an episode id; write ./123 for a file named 123.",
    )
    chapters.add_argument("source", metavar="EPISODE_ID|FILE")
    chapters.add_argument("--json", action="store_true", help="print JSON for scripts")


def run(args: argparse.Namespace, paths: AppPaths, library: Library | None) -> int:
    """Print the chapters; ``library`` is the opened library for an episode id, else None."""
    from podplayer.core.chapters.chapter_list import choose_chapters
    from podplayer.core.chapters.loading import read_file_chapters
    from podplayer.core.chapters.reading import ChapterSource

    source: str = args.source
    skipped: set[int] = set()
    if library is None:
        path = Path(source)
        if not path.is_file():
            print(f"podplayer: {source} is not a file or an episode id.", file=sys.stderr)
            return 1
        reading = read_file_chapters(path)
        chapters = choose_chapters({ChapterSource.EMBEDDED: reading}, None)
        duration_ms = None
    else:
        found = _episode_chapters(int(source), paths, library)
        if found is None:
            return 1
        chapters, duration_ms, skipped = found
    if args.json:
        print(json.dumps(_as_json(chapters, duration_ms, skipped), ensure_ascii=False, indent=1))
    else:
        _print_table(chapters, duration_ms, skipped)
    for problem in chapters.problems:
        print(f"podplayer: {problem}", file=sys.stderr)
    return 0


def _episode_chapters(
    episode_id: int, paths: AppPaths, library: Library
) -> tuple[ChapterList, int | None, set[int]] | None:
    from podplayer.cli import stored_episode
    from podplayer.core.chapters.cache import ChapterFileCache
    from podplayer.core.chapters.loading import ChapterLoader
    from podplayer.core.chapters.skipping import skipped_indexes
    from podplayer.core.downloads.manager import local_file_for
    from podplayer.core.http import HttpClient
    from podplayer.core.resource_fetch import ResourceFetcher

    episode = stored_episode(library, episode_id)
    if episode is None:
        return None
    with closing(HttpClient()) as http:
        loader = ChapterLoader(
            ResourceFetcher(http, []),
            http,
            ChapterFileCache(paths.chapters_cache_dir),
            lambda episode_id: local_file_for(library, episode_id),
        )
        chapters = loader.load(episode)
    preferences = library.chapter_preferences
    skipped = skipped_indexes(
        chapters.listed, preferences.choices(episode_id), preferences.rules(episode.podcast_id)
    )
    duration_ms = episode.duration_s * 1000 if episode.duration_s else None
    return chapters, duration_ms, skipped


def _print_table(chapters: ChapterList, duration_ms: int | None, skipped: set[int]) -> None:
    if chapters.source is None:
        print("No chapters.")
        return
    print(f"Chapters from {chapters.source.label}:")
    for index, chapter in enumerate(chapters.listed):
        end = chapters.end_ms(index, duration_ms)
        length = _clock(end - chapter.start_ms) if end is not None else ""
        mark = "skipped" if index in skipped else ""
        columns = [_clock(chapter.start_ms), length, chapter.title, chapter.url or "", mark]
        print("\t".join(columns).rstrip("\t"))


def _as_json(
    chapters: ChapterList, duration_ms: int | None, skipped: set[int]
) -> dict[str, object]:
    return {
        "source": chapters.source.value if chapters.source is not None else None,
        "chapters": [
            {
                "start_ms": chapter.start_ms,
                "end_ms": chapters.end_ms(index, duration_ms),
                "title": chapter.title,
                "url": chapter.url,
                "image_url": chapter.image_url,
                "has_embedded_image": chapter.image_data is not None,
                "skipped": index in skipped,
            }
            for index, chapter in enumerate(chapters.listed)
        ],
        "problems": list(chapters.problems),
    }


def _clock(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
