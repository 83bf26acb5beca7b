"""Composition root: builds every service once and wires them together. Nothing else does."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtDBus import QDBusConnection

from podplayer.background import BackgroundWork
from podplayer.core.http import HttpClient
from podplayer.core.library import Library, NewerDatabaseError
from podplayer.core.paths import AppPaths
from podplayer.core.resource_fetch import ResourceFetcher
from podplayer.core.sleep_timer import Clock, monotonic_ms
from podplayer.desktop.media_opener import MediaOpener
from podplayer.desktop.mpris import MprisPlayer
from podplayer.desktop.notifications import NewEpisodeNotifier
from podplayer.desktop.single_instance import HandOver, SingleInstance, hand_over, socket_name
from podplayer.engine.base import AudioEngine
from podplayer.engine.vlc import load_libvlc
from podplayer.playback.controller import PlaybackController

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"

log = logging.getLogger(__name__)


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


@dataclass
class DesktopServices:
    """The desktop's ways in: a second launch, MPRIS (media keys), notifications."""

    single_instance: SingleInstance
    mpris: MprisPlayer
    opener: MediaOpener
    notifier: NewEpisodeNotifier

    def close(self) -> None:
        self.mpris.stop()
        self.single_instance.close()


def build_desktop_services(
    services: Services, single_instance: SingleInstance, bus: QDBusConnection | None = None
) -> DesktopServices:
    """Start listening for second launches and MPRIS (on ``bus``, default the session bus);
    problems are logged and the app runs on without them."""
    mpris = MprisPlayer(services.controller, services.library.podcasts, bus)
    opener = MediaOpener(services.library, services.controller)
    mpris.open_uri_requested.connect(opener.open)
    opener.subscribe_requested.connect(single_instance.url_received)
    for problem in (single_instance.listen(), mpris.start()):
        if problem:
            log.warning("%s", problem)
    return DesktopServices(
        single_instance=single_instance,
        mpris=mpris,
        opener=opener,
        notifier=NewEpisodeNotifier(services.library.settings, bus),
    )


def run_gui(data_dir: str | Path | None = None, links: Sequence[str] = ()) -> int:
    """Open the window, or hand ``links`` to the podplayer already running on this data folder."""
    paths = AppPaths.resolve(data_dir)
    instance_name = socket_name(paths.data_dir)
    handed = hand_over(instance_name, links)
    if handed is HandOver.DELIVERED:
        given = " and given the links" if links else ""
        print(f"podplayer is already running: its window was brought forward{given}.")
        return 0
    if handed is HandOver.NO_ANSWER:
        print(
            "podplayer is already running for this folder but does not answer. Wait for it "
            "or close it, then try again.",
            file=sys.stderr,
        )
        return 1
    from podplayer.engine.vlc import VlcEngine
    from podplayer.gui.launch import application, run_window, show_fatal_error

    application()
    try:
        services = build_services(paths, VlcEngine())
    except NewerDatabaseError as exc:
        print(f"podplayer: {exc}", file=sys.stderr)
        show_fatal_error(str(exc))
        return 1
    desktop = build_desktop_services(services, SingleInstance(instance_name))
    try:
        return run_window(services, desktop, links)
    finally:
        desktop.close()
        services.close()
