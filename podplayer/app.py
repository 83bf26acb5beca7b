"""Composition root: builds every service once and wires them together. Nothing else does."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from podplayer.core.library import Library, NewerDatabaseError
from podplayer.core.paths import AppPaths
from podplayer.engine.base import AudioEngine
from podplayer.engine.vlc import VlcEngine
from podplayer.playback.controller import PlaybackController


@dataclass
class Services:
    """What the window is given to work with."""

    paths: AppPaths
    library: Library
    engine: AudioEngine
    controller: PlaybackController
    playback_unavailable: str

    def close(self) -> None:
        """Save the playback position, release libvlc, close the library; in that order."""
        self.controller.shutdown()
        self.engine.close()
        self.library.close()


def build_services(paths: AppPaths, engine: AudioEngine | None = None) -> Services:
    """Open the library and build the playback stack (libvlc unless an engine is given)."""
    paths.create()
    library = Library.open(paths.database)
    engine = engine if engine is not None else VlcEngine()
    controller = PlaybackController(engine, library)
    controller.restore_last_episode()
    return Services(
        paths=paths,
        library=library,
        engine=engine,
        controller=controller,
        playback_unavailable=engine.unavailable_reason if not engine.available else "",
    )


def run_gui(data_dir: str | Path | None = None) -> int:
    from podplayer.gui.launch import run_window, show_fatal_error

    paths = AppPaths.resolve(data_dir)
    try:
        services = build_services(paths)
    except NewerDatabaseError as exc:
        print(f"podplayer: {exc}", file=sys.stderr)
        show_fatal_error(str(exc))
        return 1
    try:
        return run_window(services)
    finally:
        services.close()
