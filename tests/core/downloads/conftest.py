"""A library with episodes pointing at the test server, and managers that are always shut down."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from podplayer.core.credentials import SecretStore
from podplayer.core.downloads import DownloadManager, DownloadProgress
from podplayer.core.http import HttpClient
from podplayer.core.models import Episode, Podcast
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library

MakeManager = Callable[..., DownloadManager]


def audio_bytes(size: int, seed: int = 1) -> bytes:
    """Bytes that start like an MP3 file and are different everywhere (so offsets matter)."""
    return (b"ID3\x04\x00\x00\x00\x00\x00\x00" + os.urandom(size) if seed else b"")[:size]


@pytest.fixture
def library(app_paths: AppPaths) -> Iterator[Library]:
    opened = Library.open(app_paths.database, SecretStore(app_paths.config_dir))
    yield opened
    opened.close()


def add_episode(
    library: Library,
    url: str,
    title: str = "Episode 1",
    podcast_title: str = "Show",
    *,
    auto_download: bool = False,
    enclosure_type: str = "audio/mpeg",
) -> Episode:
    podcast = library.podcasts.find_by_url(f"https://feeds.example/{podcast_title}")
    if podcast is None:
        podcast = library.podcasts.add(
            Podcast(
                url=f"https://feeds.example/{podcast_title}",
                title=podcast_title,
                auto_download=auto_download,
            )
        )
    assert podcast.id is not None
    return library.episodes.add(
        Episode(
            podcast_id=podcast.id,
            guid=f"{title}-{url}",
            title=title,
            enclosure_url=url,
            enclosure_type=enclosure_type,
        )
    )


@pytest.fixture
def http() -> Iterator[HttpClient]:
    client = HttpClient(connect_timeout=2, read_timeout=2)
    yield client
    client.close()


@pytest.fixture
def make_manager(library: Library, http: HttpClient, app_paths: AppPaths) -> Iterator[MakeManager]:
    managers: list[DownloadManager] = []

    def make(**options: Any) -> DownloadManager:
        options.setdefault("retry_delays_s", ())
        manager = DownloadManager(library, http, app_paths.downloads_dir, **options)
        managers.append(manager)
        return manager

    yield make
    for manager in managers:
        manager.shutdown()


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def wait_for_bytes(manager: DownloadManager, episode_id: int | None, count: int) -> None:
    """Wait (10 s at most) until the download has received ``count`` bytes."""
    assert episode_id is not None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        progress = manager.progress(episode_id)
        if progress is not None and progress.received_bytes >= count:
            return
        time.sleep(0.005)


def download_to_end(manager: DownloadManager, episode_id: int) -> DownloadProgress:
    """Start a download, wait (15 s at most) until the manager is idle, return how it ended."""
    manager.start(episode_id)
    assert manager.wait_until_idle(15)
    progress = manager.progress(episode_id)
    assert progress is not None
    return progress
