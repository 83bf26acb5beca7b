"""Unsubscribing while an episode downloads: the downloads stop first, no worker dies, files are
deleted only when the user says so. Real downloads from a server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from podplayer.core.downloads import DownloadManager
from podplayer.core.models import DownloadState
from podplayer.core.storage.library import Library
from tests.core.downloads.conftest import MakeManager, add_episode, audio_bytes, wait_for_bytes
from tests.http_server import TestHttpServer

SIZE = 200_000


@pytest.fixture
def held_back(http_server: TestHttpServer) -> Iterator[threading.Event]:
    """/slow.mp3 sends 50,000 bytes, then the rest once the event is set."""
    release = threading.Event()
    body = audio_bytes(SIZE)

    def half_then_wait(request) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "audio/mpeg")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body[:50_000])
        request.wfile.flush()
        release.wait(20)
        request.wfile.write(body[50_000:])

    http_server.route("/slow.mp3", handler=half_then_wait)
    http_server.route("/fast.mp3", body=audio_bytes(SIZE, seed=2), content_type="audio/mpeg")
    yield release
    release.set()


def audio_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def finished_download(manager: DownloadManager, library: Library, url: str, title: str) -> Path:
    episode = add_episode(library, url, title=title, podcast_title="Leaving")
    assert episode.id is not None
    manager.start(episode.id)
    assert manager.wait_until_idle(10)
    path = manager.local_file_for(episode.id)
    assert path is not None and path.is_file()
    return path


def test_a_podcast_removed_under_a_running_download_never_kills_its_worker(
    http_server: TestHttpServer,
    library: Library,
    make_manager: MakeManager,
    held_back: threading.Event,
) -> None:
    """Another process (the command line) unsubscribes while this one downloads."""
    manager = make_manager(max_parallel=1)
    episode = add_episode(library, http_server.url("/slow.mp3"), podcast_title="Leaving")
    manager.start(episode.id)  # type: ignore[arg-type]
    wait_for_bytes(manager, episode.id, 50_000)
    library.podcasts.delete(episode.podcast_id)  # the cascade removes the download's record
    held_back.set()
    assert manager.wait_until_idle(10)
    assert audio_files(manager.download_folder()) == []  # no orphaned file
    staying = add_episode(library, http_server.url("/fast.mp3"), podcast_title="Staying")
    manager.start(staying.id)  # type: ignore[arg-type]
    assert manager.wait_until_idle(10)  # the one worker still runs
    assert manager.local_file_for(staying.id) is not None  # type: ignore[arg-type]


def test_unsubscribing_stops_the_downloads_first_and_deletes_files_when_asked(
    http_server: TestHttpServer,
    library: Library,
    make_manager: MakeManager,
    held_back: threading.Event,
) -> None:
    manager = make_manager()
    kept_elsewhere = add_episode(library, http_server.url("/fast.mp3"), podcast_title="Staying")
    manager.start(kept_elsewhere.id)  # type: ignore[arg-type]
    assert manager.wait_until_idle(10)
    done = finished_download(manager, library, http_server.url("/fast.mp3"), "Done")
    running = add_episode(library, http_server.url("/slow.mp3"), "Running", "Leaving")
    manager.start(running.id)  # type: ignore[arg-type]
    wait_for_bytes(manager, running.id, 50_000)
    podcast_id = running.podcast_id
    assert manager.podcast_files(podcast_id) == [done]

    started = time.monotonic()
    assert manager.forget_podcast(podcast_id, delete_files=True) == 1
    assert time.monotonic() - started < 2  # the server still holds the rest back
    library.podcasts.delete(podcast_id)
    assert manager.wait_until_idle(5)
    assert not done.exists()
    assert [p.state for p in manager.downloads()] == [DownloadState.COMPLETED]
    assert audio_files(manager.download_folder()) == [
        manager.local_file_for(kept_elsewhere.id).name  # type: ignore[arg-type, union-attr]
    ]


def test_unsubscribing_can_keep_the_downloaded_files(
    http_server: TestHttpServer,
    library: Library,
    make_manager: MakeManager,
    held_back: threading.Event,
) -> None:
    manager = make_manager()
    done = finished_download(manager, library, http_server.url("/fast.mp3"), "Done")
    running = add_episode(library, http_server.url("/slow.mp3"), "Running", "Leaving")
    manager.start(running.id)  # type: ignore[arg-type]
    wait_for_bytes(manager, running.id, 50_000)
    assert manager.forget_podcast(running.podcast_id, delete_files=False) == 0
    library.podcasts.delete(running.podcast_id)
    assert manager.wait_until_idle(5)
    assert audio_files(manager.download_folder()) == [done.name]  # the partial file is gone
