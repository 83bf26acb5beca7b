"""Composition root: builds every service once and wires them together. Nothing else does."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from podplayer.core.library import Library, NewerDatabaseError
from podplayer.core.paths import AppPaths
from podplayer.engine.vlc import load_libvlc


@dataclass
class Services:
    """What the window is given to work with."""

    paths: AppPaths
    library: Library
    playback_unavailable: str


def build_services(paths: AppPaths) -> Services:
    paths.create()
    library = Library.open(paths.database)
    _, playback_unavailable = load_libvlc()
    return Services(paths=paths, library=library, playback_unavailable=playback_unavailable)


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
        services.library.close()
