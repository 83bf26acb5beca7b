"""`podplayer search`, and the transcript fetching `podplayer refresh` does before it exits."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Collection
from datetime import UTC, datetime

from podplayer.core.http import HttpClient
from podplayer.core.paths import AppPaths
from podplayer.core.search.index import EpisodeResult, Hit, SearchIndex
from podplayer.core.search.query import QueryError
from podplayer.core.storage.library import Library
from podplayer.core.storage.search import SearchOrder, SearchRepository
from podplayer.core.transcripts.timestamps import format_clock

_CONTROLS = {code: " " for code in (*range(0x20), *range(0x7F, 0xA0))}
BOLD = "\x1b[1m"
PLAIN = "\x1b[0m"


def run_search(args: argparse.Namespace, paths: AppPaths) -> int:
    """Print the hits of ``args.query`` (or rebuild the index first with ``--rebuild``)."""
    from podplayer.cli import open_library
    from podplayer.core.feeds.service import FeedService

    query = " ".join(args.query)
    if not query.strip() and not args.rebuild:
        print("podplayer: say what to search for: podplayer search WORDS", file=sys.stderr)
        return 2
    library = open_library(paths)
    try:
        index = SearchIndex(SearchRepository(library.db))
        if args.rebuild:
            transcripts = index.rebuild()
            print(f"Rebuilt the search index ({transcripts} transcripts).", file=sys.stderr)
            if not query.strip():
                return 0
        podcast_id = None
        if args.podcast is not None:
            client = HttpClient()
            try:
                podcast_id = FeedService(library, client).find(args.podcast).id
            finally:
                client.close()
        try:
            results = index.search(
                query, podcast_id=podcast_id, order=SearchOrder(args.order), limit=args.limit
            )
        except QueryError as exc:
            print(f"podplayer: {exc}", file=sys.stderr)
            return 2
    finally:
        library.close()
    if args.json:
        print(json.dumps(_as_json(results), ensure_ascii=False, indent=1))
    elif not results:
        print(f"Nothing found for {query.strip()!r}.", file=sys.stderr)
    else:
        _print_results(results, marked=sys.stdout.isatty())
    return 0 if results else 1


def index_transcripts(
    library: Library, paths: AppPaths, podcast_ids: Collection[int] | None
) -> str:
    """Fetch and index the published transcripts due for these podcasts; a sentence about it."""
    from podplayer.core.search.fetching import TranscriptPrefetcher
    from podplayer.core.settings import open_user_settings
    from podplayer.core.transcripts.store import TranscriptStore

    client = HttpClient()
    try:
        index = SearchIndex(SearchRepository(library.db))
        store = TranscriptStore(paths.transcripts_cache_dir, client)
        settings = open_user_settings(library, paths)
        report = TranscriptPrefetcher(library, store, index, settings).run(podcast_ids)
        index.catch_up()
    finally:
        client.close()
    return report.sentence()


def _as_json(results: list[EpisodeResult]) -> list[dict[str, object]]:
    return [
        {
            "episode_id": result.episode.episode_id,
            "podcast_id": result.episode.podcast_id,
            "podcast": result.episode.podcast_title,
            "title": result.episode.title,
            "published": result.episode.published,
            "kind": hit.kind.label,
            "start_ms": hit.start_ms,
            "snippet": hit.snippet,
            "highlights": [list(span) for span in hit.highlights],
        }
        for result in results
        for hit in result.hits
    ]


def _print_results(results: list[EpisodeResult], *, marked: bool) -> None:
    for result in results:
        episode = result.episode
        date = (
            datetime.fromtimestamp(episode.published, UTC).strftime("%Y-%m-%d")
            if episode.published is not None
            else "undated"
        )
        heading = f"{_printable(episode.podcast_title)} — {_printable(episode.title)}"
        print(f"#{episode.episode_id}  {heading}  ({date})")
        for hit in result.hits:
            when = format_clock(hit.start_ms) if hit.start_ms is not None else ""
            print(f"  {when:>8}  {hit.kind.label:<10}  {_marked(hit, marked)}")


def _printable(text: str) -> str:
    """Feed text on one line, without control characters a terminal would act on."""
    return " ".join(text.translate(_CONTROLS).split())


def _marked(hit: Hit, bold: bool) -> str:
    """The snippet with its matches in bold on a terminal, else between [ and ]."""
    opening, closing = (BOLD, PLAIN) if bold else ("[", "]")
    text = hit.snippet
    for start, length in reversed(hit.highlights):
        end = start + length
        text = f"{text[:start]}{opening}{text[start:end]}{closing}{text[end:]}"
    return text
