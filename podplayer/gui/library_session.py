"""What the user does to episodes and podcast options (played, download, auto download, images):
the writes run off the GUI thread and come back as sentences and a "changed" signal."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from podplayer.background import BackgroundWork
from podplayer.core.downloads import DownloadManager
from podplayer.core.feeds.service import RefreshResult
from podplayer.core.storage.library import Library
from podplayer.gui.subscriptions import failure_sentence


class LibraryActions(QObject):
    """Turns the views' requests into library and download-manager calls on a worker."""

    changed = Signal()  # play state or a podcast option changed: lists reload
    remote_images_changed = Signal(int)  # podcast id
    message = Signal(str)
    error = Signal(str)

    def __init__(
        self, library: Library, downloads: DownloadManager, background: BackgroundWork
    ) -> None:
        super().__init__()
        self._library = library
        self._downloads = downloads
        self._background = background

    def mark_played(self, episode_ids: list[int], played: bool) -> None:
        """All of them in one transaction, on a worker."""
        ids = list(episode_ids)
        self._background.submit(
            self._library.episodes.set_played_many,
            ids,
            played,
            on_done=lambda _: self._marked(len(ids), played),
            on_error=self._failed,
        )

    def _marked(self, count: int, played: bool) -> None:
        self.changed.emit()
        state = "played" if played else "unplayed"
        self.message.emit(f"Marked {count} episode{'s' if count != 1 else ''} as {state}.")

    def download(self, episode_ids: list[int]) -> None:
        def start_all() -> None:
            for episode_id in episode_ids:
                self._downloads.start(episode_id)

        self._background.submit(
            start_all,
            on_done=lambda _: self.message.emit("Downloading; see the Downloads tab."),
            on_error=self._failed,
        )

    def auto_download_after_refresh(self, results: list[RefreshResult]) -> None:
        """Queue the new episodes of podcasts with auto download on, read on a worker."""
        self._background.submit(
            self._downloads.auto_download_after_refresh, results, on_error=self._failed
        )

    def set_auto_download(self, podcast_id: int, enabled: bool) -> None:
        self._background.submit(
            self._library.podcasts.set_auto_download,
            podcast_id,
            enabled,
            on_done=lambda _: self.changed.emit(),
            on_error=self._failed,
        )

    def set_allow_remote_images(self, podcast_id: int, allowed: bool) -> None:
        self._background.submit(
            self._library.podcasts.set_allow_remote_images,
            podcast_id,
            allowed,
            on_done=lambda _: self.remote_images_changed.emit(podcast_id),
            on_error=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.error.emit(failure_sentence(exc))
