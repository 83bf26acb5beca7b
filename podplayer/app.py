"""Composition root: builds every service once and wires them together. Nothing else does."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from podplayer.background import BackgroundWork
from podplayer.core.downloads import DownloadManager
from podplayer.core.feeds.service import FeedService
from podplayer.core.http import HttpClient
from podplayer.core.library import Library, NewerDatabaseError
from podplayer.core.paths import AppPaths
from podplayer.core.resource_fetch import ResourceFetcher
from podplayer.core.sleep_timer import Clock, monotonic_ms
from podplayer.core.transcripts import TranscriptStore
from podplayer.engine.base import AudioEngine
from podplayer.engine.vlc import load_libvlc
from podplayer.playback.controller import PlaybackController

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


@dataclass
class Services:
    """What the window is given to work with."""

    paths: AppPaths
    library: Library
    engine: AudioEngine
    playback_unavailable: str
    background: BackgroundWork
    http: HttpClient
    fetcher: ResourceFetcher
    controller: PlaybackController
    feeds: FeedService
    downloads: DownloadManager
    transcripts: TranscriptStore
    resources_dir: Path
    download_http: HttpClient

    @property
    def demo_feed(self) -> Path:
        return self.resources_dir / "demo" / "feed.xml"

    def close(self) -> None:
        """Save the position and stop playback, downloads and background work; close the library."""
        self.controller.shutdown()
        self.engine.close()
        self.downloads.shutdown()
        self.background.shutdown()
        self.feeds.close()
        self.download_http.close()
        self.http.close()
        self.library.close()


def local_media_lookup(
    library: Library, downloads: DownloadManager, fetcher: ResourceFetcher
) -> Callable[[int], Path | None]:
    """Where an episode's audio is on disk: its download, or a bundled file (the demo)."""

    def lookup(episode_id: int) -> Path | None:
        downloaded = downloads.local_file_for(episode_id)
        if downloaded is not None:
            return downloaded
        episode = library.episodes.get(episode_id)
        return fetcher.trusted_path(episode.enclosure_url) if episode is not None else None

    return lookup


def build_services(
    paths: AppPaths,
    engine: AudioEngine,
    *,
    clock: Clock = monotonic_ms,
    synchronous_work: bool = False,
) -> Services:
    paths.create()
    library = Library.open(paths.database)
    _, playback_unavailable = load_libvlc()
    if not engine.available:
        playback_unavailable = engine.unavailable_reason or playback_unavailable
    http = HttpClient()
    # Downloads get their own connections: two long transfers never hold up a feed refresh.
    download_http = HttpClient()
    downloads = DownloadManager(library, download_http, paths.downloads_dir)
    library.notices.extend(downloads.restore())
    fetcher = ResourceFetcher(http, [RESOURCES_DIR])
    return Services(
        paths=paths,
        library=library,
        engine=engine,
        playback_unavailable=playback_unavailable,
        background=BackgroundWork(synchronous=synchronous_work),
        http=http,
        fetcher=fetcher,
        controller=PlaybackController(
            engine,
            library,
            clock=clock,
            local_file_for=local_media_lookup(library, downloads, fetcher),
        ),
        feeds=FeedService(library, http),
        downloads=downloads,
        transcripts=TranscriptStore(paths.transcripts_cache_dir, fetcher),
        resources_dir=RESOURCES_DIR,
        download_http=download_http,
    )


def run_gui(data_dir: str | Path | None = None) -> int:
    from podplayer.engine.vlc import VlcEngine
    from podplayer.gui.launch import application, run_window, show_fatal_error

    application()
    paths = AppPaths.resolve(data_dir)
    try:
        services = build_services(paths, VlcEngine())
    except NewerDatabaseError as exc:
        print(f"podplayer: {exc}", file=sys.stderr)
        show_fatal_error(str(exc))
        return 1
    try:
        return run_window(services)
    finally:
        services.close()
