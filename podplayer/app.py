"""Composition root: builds every service once and wires them together. Nothing else does."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from podplayer.background import BackgroundWork
from podplayer.core.http import HttpClient
from podplayer.core.library import Library, NewerDatabaseError
from podplayer.core.paths import AppPaths
from podplayer.core.resource_fetch import ResourceFetcher
from podplayer.core.sleep_timer import Clock, monotonic_ms
from podplayer.engine.base import AudioEngine
from podplayer.engine.vlc import load_libvlc
from podplayer.playback.controller import PlaybackController

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


@dataclass
class Services:
    """What the window is given to work with."""

    paths: AppPaths
    library: Library
    playback_unavailable: str
    background: BackgroundWork
    http: HttpClient
    fetcher: ResourceFetcher
    controller: PlaybackController
    resources_dir: Path

    def close(self) -> None:
        """Stop playback and background work, then close the library."""
        self.controller.shutdown()
        self.background.shutdown()
        self.http.close()
        self.library.close()


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
    return Services(
        paths=paths,
        library=library,
        playback_unavailable=playback_unavailable,
        background=BackgroundWork(synchronous=synchronous_work),
        http=http,
        fetcher=ResourceFetcher(http, [RESOURCES_DIR]),
        controller=PlaybackController(engine, library, clock=clock),
        resources_dir=RESOURCES_DIR,
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
