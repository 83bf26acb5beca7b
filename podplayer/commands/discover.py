"""`podplayer discover WORDS...`: search the enabled podcast directories from the shell."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from podplayer.core.directories.results import DirectoryResult
from podplayer.core.paths import AppPaths
from podplayer.core.settings import open_user_settings
from podplayer.core.storage.library import Library


def run_discover(args: argparse.Namespace, paths: AppPaths, library: Library) -> int:
    """Merged results on stdout (title, author, feed URL, sources); notes on stderr."""
    from podplayer.core.directories.search import DirectorySearch
    from podplayer.core.http import HttpClient

    term = " ".join(args.words).strip()
    if not term:
        print("podplayer: give some words to search for.", file=sys.stderr)
        return 1
    http = HttpClient()
    try:
        search = DirectorySearch(http, open_user_settings(library, paths))
        results, notes = search.search(term)
    finally:
        http.close()
    if args.json:
        print(json.dumps([_fields(result) for result in results], indent=2, ensure_ascii=False))
    else:
        for result in results:
            author = f" — {result.author}" if result.author else ""
            print(f"{result.title}{author}\n    {result.feed_url}  ({', '.join(result.sources)})")
    for note in notes:
        print(f"podplayer: note: {note}", file=sys.stderr)
    if not results and not args.json:
        print(f"No podcasts found for “{term}”.", file=sys.stderr)
    return 0 if results else 1


def _fields(result: DirectoryResult) -> dict[str, object]:
    fields = dataclasses.asdict(result)
    fields["sources"] = list(result.sources)
    del fields["directory_id"]
    return fields
