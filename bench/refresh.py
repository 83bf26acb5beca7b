"""Refresh benchmark: podplayer's CLI against gPodder's ``gpo`` on the same generated feeds.

Run from the repository root: ``.venv/bin/python -m bench.refresh [--feeds 50] [--items 200]``.
A separate process serves N feeds x M items on 127.0.0.1. Three figures per program, each a
whole command run (start-up included): the first import + refresh of an OPML list, a refresh
where every feed changed (a full re-parse), and a refresh where nothing changed (ETag: 304s).
When ``gpo`` (Debian package gpodder) is installed it runs in the same way (GPODDER_HOME in a
temporary folder) and the ratios are printed.

Then, in this process: the worst stall of the GUI thread's ``save_position`` (what the player does
every few seconds) while the refresh workers merge every feed, on a first refresh (all episodes
new) and on one where every feed changed. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from podplayer.core.credentials import SecretStore
from podplayer.core.feeds.service import FeedService
from podplayer.core.http import HttpClient
from podplayer.core.models import Episode, Podcast
from podplayer.core.opml import write_opml
from podplayer.core.storage.library import Library

Runner = Callable[[list[str]], None]


def _run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        print(f"  ! {' '.join(command[:4])}... exited {result.returncode}: {result.stderr[-500:]}")
    return elapsed


def _set_revision(base_url: str, revision: int) -> None:
    with urllib.request.urlopen(f"{base_url}/revision/{revision}", timeout=120) as answer:
        answer.read()


def _measure(
    label: str,
    base_url: str,
    import_command: list[str],
    refresh_command: list[str],
    env: dict[str, str],
    repeats: int,
    first_revision: int,
) -> dict[str, float]:
    _set_revision(base_url, first_revision)
    figures = {"first import + refresh": _run(import_command, env)}
    changed = []
    for number in range(repeats):
        _set_revision(base_url, first_revision + 1 + number)
        changed.append(_run(refresh_command, env))
    figures["refresh, every feed changed"] = min(changed)
    unchanged = [_run(refresh_command, env) for _ in range(repeats)]
    figures["refresh, nothing changed"] = min(unchanged)
    print(f"{label}:")
    for name, seconds in figures.items():
        print(f"  {name:<30} {seconds:7.2f} s")
    return figures


def _stalls_during(
    refresh: Callable[[], object], save: Callable[[], None]
) -> tuple[list[float], list[float]]:
    """Durations (ms) of ``save`` called every 20 ms on this thread while ``refresh`` runs, and
    of a 1 ms sleep (what waiting for the GIL alone costs this thread, the floor)."""
    finished = threading.Event()

    def run() -> None:
        refresh()
        finished.set()

    worker = threading.Thread(target=run)
    worker.start()
    stalls, floor = [], []
    while not finished.is_set():
        started = time.perf_counter()
        save()
        stalls.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        time.sleep(0.001)
        floor.append((time.perf_counter() - started) * 1000 - 1)
        time.sleep(0.02)
    worker.join()
    return stalls, floor


def measure_gui_thread_stalls(base_url: str, opml: bytes, root: Path) -> None:
    """The GUI thread saving the play position while the refresh workers merge."""
    home = root / "stalls"
    library = Library.open(home / "library.sqlite3", SecretStore(home / "config"))
    http = HttpClient()
    feeds = FeedService(library, http)
    playing = library.podcasts.add(Podcast(url="https://playing.example/feed", title="Playing"))
    assert playing.id is not None
    episode = library.episodes.add(Episode(podcast_id=playing.id, guid="now-playing"))
    assert episode.id is not None
    episode_id = episode.id
    position = [0]

    def save() -> None:
        position[0] += 1000
        library.episodes.save_position(episode_id, position[0])

    try:
        feeds.import_opml(opml)
        _set_revision(base_url, 200)
        print("GUI-thread save_position during an in-process refresh (every 20 ms):")
        for label, revision in (("first refresh", 200), ("every feed changed", 201)):
            _set_revision(base_url, revision)
            stalls, floor = _stalls_during(feeds.refresh, save)
            median = statistics.median(stalls)
            print(
                f"  {label:<30} worst {max(stalls):6.1f} ms, median {median:5.2f} ms,"
                f" {len(stalls)} saves (target: worst under 50 ms); waiting for the GIL"
                f" alone: worst {max(floor):5.1f} ms, median {statistics.median(floor):5.2f} ms"
            )
    finally:
        feeds.close()
        http.close()
        library.close()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--feeds", type=int, default=50)
    options.add_argument("--items", type=int, default=200)
    options.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    options.add_argument(
        "--stalls-only", action="store_true", help="only the GUI-thread stall figures"
    )
    args = options.parse_args()

    server = subprocess.Popen(
        [sys.executable, "-m", "bench.feed_server", str(args.feeds), str(args.items)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdin is not None
    base_url = server.stdout.readline().strip()
    print(
        f"{args.feeds} feeds x {args.items} items served from {base_url} (best of {args.repeats})"
    )
    try:
        with tempfile.TemporaryDirectory(prefix="podplayer-bench-") as scratch:
            root = Path(scratch)
            opml = root / "feeds.opml"
            urls = [f"{base_url}/feed/{number}.xml" for number in range(args.feeds)]
            opml.write_bytes(write_opml(Podcast(url=url, title=url) for url in urls))
            measure_gui_thread_stalls(base_url, opml.read_bytes(), root)
            if args.stalls_only:
                return
            env = {**os.environ, "PODPLAYER_HOME": str(root / "podplayer")}
            podplayer = [sys.executable, "-m", "podplayer"]
            ours = _measure(
                "podplayer",
                base_url,
                [*podplayer, "import", str(opml)],
                [*podplayer, "refresh"],
                env,
                args.repeats,
                0,
            )
            gpo = shutil.which("gpo")
            if gpo is None:
                print("gPodder (gpo) is not installed: apt-get install gpodder for the comparison.")
                return
            gpodder_env = {**os.environ, "GPODDER_HOME": str(root / "gpodder")}
            theirs = _measure(
                "gPodder (gpo)",
                base_url,
                [gpo, "import", str(opml)],
                [gpo, "update"],
                gpodder_env,
                args.repeats,
                100,
            )
            print("podplayer / gPodder:")
            for name, seconds in ours.items():
                print(f"  {name:<30} {seconds / theirs[name]:7.2f}x")
    finally:
        server.stdin.close()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
