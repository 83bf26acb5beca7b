"""The Downloads tab's list: DownloadManager.downloads() over N stored downloads.

Against the peer, measured in the same run: the records read first, then each one's episode
(one query per download, as before issue 12). Best of several runs; prints figures, asserts
nothing.

    .venv/bin/python -m bench.download_list [--downloads 3000] [--runs 5]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from podplayer.core.downloads import DownloadManager
from podplayer.core.http import HttpClient
from podplayer.core.models import Download, DownloadState, Episode, Podcast
from podplayer.core.storage.library import Library


def _best_ms(work: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--downloads", type=int, default=3000)
    options.add_argument("--runs", type=int, default=5)
    args = options.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-download-list-") as scratch:
        library = Library.open(Path(scratch) / "library.sqlite3")
        podcast = library.podcasts.add(Podcast(url="https://bench.example/feed", title="Bench"))
        assert podcast.id is not None
        episodes = [
            Episode(podcast_id=podcast.id, guid=str(n), title=f"Episode {n}")
            for n in range(args.downloads)
        ]
        library.episodes.add_many(episodes)
        with library.transaction():
            for episode in episodes:
                assert episode.id is not None
                library.downloads.save(
                    Download(
                        episode_id=episode.id,
                        url=f"https://bench.example/{episode.id}.mp3",
                        state=DownloadState.COMPLETED,
                        file_path=f"/nowhere/{episode.id}.mp3",
                    )
                )
        http = HttpClient()
        manager = DownloadManager(library, http, Path(scratch) / "downloads")

        def one_query_per_download() -> list[tuple[Download, str]]:
            listed = []
            for record in library.downloads.list():
                episode = library.episodes.get(record.episode_id)
                listed.append((record, episode.title if episode else ""))
            return listed

        ours = _best_ms(manager.downloads, args.runs)
        peer = _best_ms(one_query_per_download, args.runs)
        print(f"{args.downloads} downloads, best of {args.runs}:")
        print(f"  DownloadManager.downloads() (one query)   {ours:7.1f} ms")
        print(f"  a query per download (the old way)        {peer:7.1f} ms")
        print(f"  ratio                                     {ours / peer:7.2f}x")
        manager.shutdown()
        http.close()
        library.close()


if __name__ == "__main__":
    main()
