"""Marking episodes played and podcast options: one transaction, written off the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from podplayer.background import BackgroundWork
from podplayer.core.downloads import DownloadManager
from podplayer.core.http import HttpClient
from podplayer.core.models import Episode, Podcast
from podplayer.core.storage.library import Library
from podplayer.gui.library_session import LibraryActions


def test_marking_many_played_is_one_transaction_on_a_worker(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library.open(tmp_path / "lib.sqlite3")
    podcast = library.podcasts.add(Podcast(url="https://a/feed", title="Show"))
    assert podcast.id is not None
    episodes = [Episode(podcast_id=podcast.id, guid=str(n)) for n in range(300)]
    library.episodes.add_many(episodes)
    ids = [e.id for e in episodes if e.id is not None]
    work = BackgroundWork()
    http = HttpClient()
    downloads = DownloadManager(library, http, tmp_path / "downloads")
    actions = LibraryActions(library, downloads, work)
    threads: list[str] = []
    statements: list[str] = []
    write = library.episodes.set_played_many

    def traced(episode_ids: Sequence[int], played: bool) -> None:
        threads.append(threading.current_thread().name)
        library.db.connection().set_trace_callback(statements.append)
        write(episode_ids, played)
        library.db.connection().set_trace_callback(None)

    monkeypatch.setattr(library.episodes, "set_played_many", traced)
    messages: list[str] = []
    actions.message.connect(messages.append)
    try:
        with qtbot.waitSignal(actions.changed, timeout=5_000):
            actions.mark_played(ids, True)
        assert threads and threads[0] != threading.main_thread().name
        assert [s for s in statements if s in ("BEGIN IMMEDIATE", "COMMIT")] == [
            "BEGIN IMMEDIATE",
            "COMMIT",
        ]
        assert library.podcasts.unplayed_counts().get(podcast.id, 0) == 0
        assert messages == ["Marked 300 episodes as played."]
    finally:
        work.shutdown()
        downloads.shutdown()
        http.close()
        library.close()
