"""What the window and the desktop integration are given: every service, built once by app.py.

Both app.py (which builds them) and the GUI (which uses them) import this module, so the GUI
never imports the composition root.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from podplayer.background import BackgroundWork
from podplayer.core.chapters.loading import ChapterLoader
from podplayer.core.downloads import DownloadManager
from podplayer.core.feeds.service import FeedService
from podplayer.core.http import HttpClient
from podplayer.core.paths import AppPaths
from podplayer.core.resource_fetch import ResourceFetcher
from podplayer.core.search.fetching import TranscriptPrefetcher
from podplayer.core.search.index import SearchIndex
from podplayer.core.storage.library import Library
from podplayer.core.transcripts.store import TranscriptStore
from podplayer.engine.base import AudioEngine
from podplayer.playback.controller import PlaybackController

if TYPE_CHECKING:
    from podplayer.core.directories.search import DirectorySearch
    from podplayer.core.settings import UserSettings
    from podplayer.desktop.media_opener import MediaOpener
    from podplayer.desktop.mpris import MprisPlayer
    from podplayer.desktop.notifications import NewEpisodeNotifier
    from podplayer.desktop.single_instance import SingleInstance

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
    search: SearchIndex
    transcript_prefetcher: TranscriptPrefetcher
    chapters: ChapterLoader
    resources_dir: Path
    download_http: HttpClient
    settings: UserSettings
    directories: DirectorySearch

    @property
    def demo_feed(self) -> Path:
        return self.resources_dir / "demo" / "feed.xml"

    def close(self) -> None:
        """Save the position and stop playback, downloads and background work; close the library."""
        self.transcript_prefetcher.stop()
        self.controller.shutdown()
        self.engine.close()
        self.downloads.shutdown()
        self.background.shutdown()
        self.feeds.close()
        self.download_http.close()
        self.http.close()
        self.library.close()


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
