"""Composition root: builds every service once and wires them together. Nothing else does."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from podplayer.background import BackgroundWork
from podplayer.core.chapters.cache import ChapterFileCache
from podplayer.core.chapters.loading import ChapterLoader
from podplayer.core.credentials import SecretStore
from podplayer.core.downloads import DownloadManager
from podplayer.core.feeds.service import FeedService
from podplayer.core.http import HttpClient
from podplayer.core.paths import AppPaths, DataFolderError
from podplayer.core.resource_fetch import ResourceFetcher, app_resource_fetcher
from podplayer.core.search.fetching import TranscriptPrefetcher
from podplayer.core.search.index import SearchIndex
from podplayer.core.settings import TRANSCRIPTION_MODEL, UserSettings, open_user_settings
from podplayer.core.sleep_timer import Clock, monotonic_ms
from podplayer.core.storage.database import LibraryError
from podplayer.core.storage.library import Library
from podplayer.core.storage.search import SearchRepository
from podplayer.core.storage.transcription import TranscriptionRepository
from podplayer.core.sync.service import SyncService
from podplayer.core.transcription.episode_audio import EpisodeAudio, audio_source
from podplayer.core.transcription.generated import GeneratedTranscripts, follow_in_search
from podplayer.core.transcription.queue import TranscriptionQueue
from podplayer.core.transcripts.store import TranscriptStore
from podplayer.desktop.single_instance import HandOver, SingleInstance, hand_over, socket_name
from podplayer.engine.base import AudioEngine
from podplayer.engine.vlc import VlcEngine
from podplayer.playback.controller import PlaybackController
from podplayer.services import RESOURCES_DIR, DesktopServices, Services

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection

AUDIO_OUTPUT_VARIABLE = "PODPLAYER_AUDIO_OUTPUT"

log = logging.getLogger(__name__)


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


def audio_output_args(environment: Mapping[str, str]) -> list[str]:
    """libvlc's audio output as PODPLAYER_AUDIO_OUTPUT names it (pulse, alsa, adummy for
    silence), or none: libvlc then picks the desktop's own."""
    output = environment.get(AUDIO_OUTPUT_VARIABLE, "").strip()
    return [f"--aout={output}"] if output.replace("_", "").isalnum() else []


def build_services(
    paths: AppPaths,
    engine: AudioEngine | None = None,
    *,
    clock: Clock = monotonic_ms,
    synchronous_work: bool = False,
) -> Services:
    """Open the library and build every service once (libvlc unless an engine is given)."""
    from podplayer.core.directories.search import DirectorySearch

    paths.create()
    library = Library.open(paths.database, SecretStore(paths.config_dir))
    settings = open_user_settings(library, paths)
    engine = engine if engine is not None else VlcEngine(audio_output_args(os.environ))
    playback_unavailable = "" if engine.available else engine.unavailable_reason
    http = HttpClient()
    # Downloads get their own connections: two long transfers never hold up a feed refresh.
    download_http = HttpClient()
    # Unfinished downloads are resumed once the window is on screen (MainWindow.restore_downloads).
    downloads = DownloadManager(library, download_http, paths.downloads_dir)
    fetcher = app_resource_fetcher(http)
    local_file_for = local_media_lookup(library, downloads, fetcher)
    controller = PlaybackController(engine, library, clock=clock, local_file_for=local_file_for)
    transcripts = TranscriptStore(paths.transcripts_cache_dir, fetcher)
    search = SearchIndex(SearchRepository(library.db))
    transcription, generated = build_transcription(library, settings, paths, local_file_for)
    transcripts.generated = generated
    follow_in_search(generated, search)
    return Services(
        paths=paths,
        library=library,
        engine=engine,
        playback_unavailable=playback_unavailable,
        background=BackgroundWork(synchronous=synchronous_work),
        http=http,
        fetcher=fetcher,
        controller=controller,
        feeds=FeedService(library, http),
        downloads=downloads,
        transcripts=transcripts,
        search=search,
        transcript_prefetcher=TranscriptPrefetcher(library, transcripts, search, settings),
        chapters=ChapterLoader(
            fetcher, http, ChapterFileCache(paths.chapters_cache_dir), local_file_for
        ),
        resources_dir=RESOURCES_DIR,
        download_http=download_http,
        settings=settings,
        directories=DirectorySearch(http, settings),
        sync=SyncService(
            library,
            SecretStore(paths.config_dir),
            http,
            before_unsubscribe=lambda podcast_id: downloads.forget_podcast(podcast_id, False),
        ),
        transcription=transcription,
        generated_transcripts=generated,
    )


def build_transcription(
    library: Library,
    settings: UserSettings,
    paths: AppPaths,
    local_file: Callable[[int], Path | None],
) -> tuple[TranscriptionQueue, GeneratedTranscripts]:
    """The transcription queue (started once the window is up) and the generated transcripts.

    ``GeneratedTranscripts.saved_listeners`` and ``deleted_listeners`` are where the full-text
    search hooks in (``follow_in_search``).
    """
    repository = TranscriptionRepository(library.db)
    generated = GeneratedTranscripts(repository)

    def source_for(episode_id: int) -> EpisodeAudio | None:
        episode = library.episodes.get(episode_id)
        return audio_source(episode, local_file) if episode is not None else None

    def language_for(episode_id: int) -> str:
        episode = library.episodes.get(episode_id)
        podcast = library.podcasts.get(episode.podcast_id) if episode is not None else None
        return podcast.language if podcast is not None else ""

    queue = TranscriptionQueue(
        repository,
        generated,
        source_for=source_for,
        language_for=language_for,
        cache_dir=paths.cache_dir,
        model=lambda: str(settings.get(TRANSCRIPTION_MODEL)),
    )
    return queue, generated


def build_desktop_services(
    services: Services, single_instance: SingleInstance, bus: QDBusConnection | None = None
) -> DesktopServices:
    """Start listening for second launches and MPRIS (on ``bus``, default the session bus);
    problems are logged and the app runs on without them."""
    # Imported here: the window is shown before these start (QtDBus, MPRIS, notifications).
    from podplayer.desktop.media_opener import MediaOpener
    from podplayer.desktop.mpris import MprisPlayer
    from podplayer.desktop.notifications import NewEpisodeNotifier

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
    from podplayer.gui.launch import application, run_window, show_fatal_error

    application()
    try:
        services = build_services(paths)
    except (LibraryError, DataFolderError) as exc:
        print(f"podplayer: {exc}", file=sys.stderr)
        show_fatal_error(str(exc))
        return 1
    return run_window(
        services,
        lambda: build_desktop_services(services, SingleInstance(instance_name)),
        links,
    )
