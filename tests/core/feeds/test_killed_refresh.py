"""kill -9 of a refresh while it merges: per podcast, the library is fully updated or untouched."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from podplayer.core.feeds.service import FeedService
from podplayer.core.http import HttpClient
from podplayer.core.library import Library
from podplayer.core.models import RefreshStatus
from podplayer.core.paths import AppPaths
from tests.core.feeds.test_service import feed_body
from tests.http_server import TestHttpServer

REPO_ROOT = Path(__file__).resolve().parents[3]
CHILD = "tests.core.feeds.refresh_child"


def read_lines_until(child: subprocess.Popen[str], wanted: set[str], timeout_s: float) -> set[str]:
    """The child's stdout lines, read until every wanted line was seen (or the time is up)."""
    lines: queue.Queue[str] = queue.Queue()
    stdout = child.stdout
    assert stdout is not None

    def pump() -> None:
        for line in stdout:
            lines.put(line.strip())

    threading.Thread(target=pump, daemon=True).start()
    seen: set[str] = set()
    deadline = time.monotonic() + timeout_s
    while not wanted <= seen and time.monotonic() < deadline:
        with contextlib.suppress(queue.Empty):
            seen.add(lines.get(timeout=0.1))
    return seen


def test_kill_during_a_merge_leaves_each_podcast_whole(
    app_paths: AppPaths, http_server: TestHttpServer
) -> None:
    library = Library.open(app_paths.database)
    client = HttpClient(deadline=5)
    feeds = FeedService(library, client)
    http_server.route("/done.xml", body=feed_body("Done"))
    http_server.route("/held.xml", body=feed_body("Held"))
    done = feeds.subscribe(http_server.url("/done.xml")).podcast
    held = feeds.subscribe(http_server.url("/held.xml")).podcast
    assert done.id is not None and held.id is not None
    held_before = library.podcasts.get(held.id)
    feeds.close()
    library.close()
    new_guids = tuple(f"n{number}" for number in range(500))
    http_server.route("/done.xml", body=feed_body("Done Renamed", ("a", "b", "c")))
    http_server.route("/held.xml", body=feed_body("Held Renamed", new_guids))

    child = subprocess.Popen(
        [sys.executable, "-m", CHILD, str(app_paths.database), str(held.id)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        seen = read_lines_until(child, {"DONE Done Renamed OK", "MERGING"}, timeout_s=30)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    assert {"DONE Done Renamed OK", "MERGING"} <= seen
    assert child.returncode == -signal.SIGKILL

    with sqlite3.connect(app_paths.database) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    library = Library.open(app_paths.database)
    try:
        after_done = library.podcasts.get(done.id)
        assert after_done is not None and after_done.title == "Done Renamed"
        assert {e.guid for e in library.episodes.list_for_podcast(done.id)} == {"a", "b", "c"}
        after_held = library.podcasts.get(held.id)
        assert after_held is not None and held_before is not None
        assert (after_held.title, after_held.body_hash) == (
            held_before.title,
            held_before.body_hash,
        )
        held_episodes = library.episodes.list_for_podcast(held.id)
        assert {e.guid for e in held_episodes} == {"a", "b"}
        assert all(e.in_feed for e in held_episodes)

        feeds = FeedService(library, client)
        [result] = feeds.refresh([held.id])
        feeds.close()
        assert result.status is RefreshStatus.OK
        assert len(library.episodes.list_for_podcast(held.id)) == 502
    finally:
        library.close()
        client.close()
