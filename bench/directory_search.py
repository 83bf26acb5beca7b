"""Directory search: the three directories asked at once against one after another, and how soon
the Add podcast dialog shows its first results.

The directories are served on 127.0.0.1 with the documented answer shapes and a delay each (a
typical round trip to a real directory), so the figures are about podplayer, not the network.
Prints figures only. Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.directory_search
"""

from __future__ import annotations

import statistics
import time

from PySide6.QtWidgets import QApplication

from podplayer.background import BackgroundWork
from podplayer.core.directories.results import DirectoryResult, merge_results
from podplayer.core.directories.search import DirectorySearch
from podplayer.core.http import HttpClient
from podplayer.core.settings import FYYD_URL, PODCASTINDEX_URL
from podplayer.gui.views.add_podcast_dialog import AddPodcastDialog, FeedPreview
from tests.core.directories.directory_server import (
    FYYD,
    PODCASTINDEX,
    directory_settings,
    fyyd_body,
    fyyd_entry,
    itunes_body,
    itunes_entry,
    podcastindex_body,
    podcastindex_entry,
    serve,
)
from tests.http_server import TestHttpServer

DELAYS_S = {"itunes": 0.30, "fyyd": 0.60, "podcastindex": 0.45}
RESULTS = 50
RUNS = 5


def serve_directories(servers: dict[str, TestHttpServer]) -> None:
    """One server per directory: like real directories, each has its own host (the HTTP client
    opens at most two connections per host)."""
    feeds = [f"https://feeds{n % 7}.example.com/show/{n}" for n in range(RESULTS * 2)]
    serve(
        servers["itunes"],
        "itunes",
        itunes_body([itunes_entry(f"Show {n}", feeds[n], artwork="") for n in range(RESULTS)]),
        delay=DELAYS_S["itunes"],
    )
    serve(
        servers["fyyd"],
        "fyyd",
        fyyd_body([fyyd_entry(f"Show {n}", feeds[n] + "/", artwork="") for n in range(20, 70)]),
        delay=DELAYS_S["fyyd"],
    )
    serve(
        servers["podcastindex"],
        "podcastindex",
        podcastindex_body(
            [
                podcastindex_entry(f"Show {n}", feeds[n], guid=f"guid-{n}", artwork="")
                for n in range(40, 90)
            ]
        ),
        delay=DELAYS_S["podcastindex"],
    )


def timed(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def dialog_times(app: QApplication, search: DirectorySearch) -> tuple[float, float]:
    """Seconds from Enter until the first row shows, and until every directory answered."""
    background = BackgroundWork()
    dialog = AddPodcastDialog(
        background, lambda url: FeedPreview(url, "", "", 0), directories=search
    )
    dialog.url_field.setText("show")
    started = time.perf_counter()
    dialog.look_up()
    first = None
    while dialog.progress.isVisibleTo(dialog) or first is None:
        app.processEvents()
        if first is None and dialog.results_model.rowCount():
            first = time.perf_counter() - started
        time.sleep(0.001)
    total = time.perf_counter() - started
    background.shutdown()
    dialog.deleteLater()
    return first, total


def main() -> None:
    app = QApplication([])
    servers = {name: TestHttpServer().start() for name in DELAYS_S}
    serve_directories(servers)
    http = HttpClient()
    settings = directory_settings(servers["itunes"])
    settings.set(FYYD_URL, servers["fyyd"].url(FYYD))
    settings.set(PODCASTINDEX_URL, servers["podcastindex"].url(PODCASTINDEX))
    search = DirectorySearch(http, settings)
    directories, _ = search.plan()
    search.search("warm up")

    parallel = [timed(lambda: search.search("show")) for _ in range(RUNS)]
    one_by_one = [
        timed(lambda: [DirectorySearch.ask(d, "show") for d in directories]) for _ in range(RUNS)
    ]
    shown = [dialog_times(app, search) for _ in range(RUNS)]
    answers = [DirectorySearch.ask(d, "show") for d in directories]
    merges = []
    for _ in range(200):
        started = time.perf_counter()
        merged: list[DirectoryResult] = []
        for answer in answers:
            merged = merge_results(merged, answer.results)
        merges.append(time.perf_counter() - started)

    print(f"directories: {', '.join(f'{k} {v:.2f} s' for k, v in DELAYS_S.items())} (delays)")
    print(
        f"results: {sum(len(a.results) for a in answers)} from 3 directories, "
        f"{len(merged)} after merging"
    )
    p, s = statistics.median(parallel), statistics.median(one_by_one)
    print(f"podplayer, all at once:        {p:.3f} s (median of {RUNS})")
    print(f"one directory after another:   {s:.3f} s")
    print(f"ratio at once / one by one:    {p / s:.2f}")
    first = statistics.median(t[0] for t in shown)
    total = statistics.median(t[1] for t in shown)
    print(f"dialog, first rows shown:      {first:.3f} s after Enter")
    print(f"dialog, every directory in:    {total:.3f} s after Enter")
    print(f"merging 3 answers:             {statistics.median(merges) * 1000:.2f} ms")
    http.close()
    for server in servers.values():
        server.stop()


if __name__ == "__main__":
    main()
