"""kill -9 of a refresh while it merges: per podcast, the library is fully updated or untouched."""

from __future__ import annotations

import signal
import sqlite3

from podplayer.core.feeds.service import FeedService
from podplayer.core.http import HttpClient
from podplayer.core.models import RefreshStatus
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from tests.child_process import ChildProcess
from tests.core.feeds.test_service import feed_body
from tests.http_server import TestHttpServer


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

    child = ChildProcess("tests.core.feeds.refresh_child", str(app_paths.database), str(held.id))
    try:
        reached = child.wait_for_lines({"DONE Done Renamed OK", "MERGING"}, timeout_s=30)
    finally:
        exit_code = child.kill_hard()
    assert reached, child.seen
    assert exit_code == -signal.SIGKILL

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
