"""A refresh run in its own process, held mid-merge of one podcast so a test can kill -9 it.

Usage: python -m tests.core.feeds.refresh_child DATABASE HELD_PODCAST_ID
Prints "DONE <title> <status>" as each other podcast finishes; once they all have, the held
podcast's merge writes its new episodes inside its transaction, prints "MERGING" and waits there
(uncommitted) to be killed.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from podplayer.core.feeds import merge as merge_module
from podplayer.core.feeds.merge import MergeCounts, merge_feed
from podplayer.core.feeds.parsed import ParsedFeed
from podplayer.core.feeds.service import FeedService, RefreshResult
from podplayer.core.http import HttpClient
from podplayer.core.models import Episode, Podcast
from podplayer.core.storage.library import Library


def main(database: Path, held_podcast_id: int) -> None:
    library = Library.open(database)
    others_done = threading.Event()
    real_add_many = library.episodes.add_many

    def add_many_then_hold(episodes: Sequence[Episode]) -> None:
        real_add_many(episodes)
        if any(episode.podcast_id == held_podcast_id for episode in episodes):
            print("MERGING", flush=True)
            time.sleep(60)

    def merge_others_first(library: Library, podcast: Podcast, feed: ParsedFeed) -> MergeCounts:
        if podcast.id == held_podcast_id:
            others_done.wait(30)
        return merge_feed(library, podcast, feed)

    library.episodes.add_many = add_many_then_hold  # type: ignore[method-assign]
    merge_module.merge_feed = merge_others_first

    def report(result: RefreshResult, done: int, total: int) -> None:
        print(f"DONE {result.title} {result.status.name}", flush=True)
        if done == total - 1:
            others_done.set()

    feeds = FeedService(library, HttpClient(deadline=10), workers=2)
    feeds.refresh(progress=report)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
