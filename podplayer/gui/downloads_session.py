"""What the downloads view asks of the download manager, carried out off the GUI thread.

The view shows; this session acts (pause, resume, cancel, retry, delete, the folder, leftover
partial files) and answers with signals on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

from podplayer.background import BackgroundWork
from podplayer.core.downloads import DownloadManager
from podplayer.gui.models.downloads_model import DownloadRelay
from podplayer.gui.subscriptions import failure_sentence


class DownloadsSession(QObject):
    """The download manager for the views: commands on a worker, news as signals."""

    progress = Signal(object)  # DownloadProgress, on the GUI thread
    listed = Signal(list)  # every download (list[DownloadProgress]), after list_all()
    leftovers_found = Signal(bool)
    folder_changed = Signal(str)
    message = Signal(str)  # a sentence for the view; "" when a command went through
    notices = Signal(list)  # sentences about what a previous run left (restore)

    def __init__(self, manager: DownloadManager, background: BackgroundWork) -> None:
        super().__init__()
        self._manager = manager
        self._background = background
        self._relay = DownloadRelay(manager, self)
        self._relay.changed.connect(self.progress, Qt.ConnectionType.QueuedConnection)

    def download_folder(self) -> Path:
        return self._manager.download_folder()

    def list_all(self) -> None:
        self._background.submit(self._manager.downloads, on_done=self.listed.emit)

    def restore(self) -> None:
        """Requeue what a previous run left unfinished (it reads the download folders)."""

        def restored(notices: list[str]) -> None:
            self.notices.emit(notices)
            self.list_all()

        self._background.submit(self._manager.restore, on_done=restored)

    def pause(self, episode_id: int) -> None:
        self._act(self._manager.pause, episode_id)

    def resume(self, episode_id: int) -> None:
        self._act(self._manager.resume, episode_id)

    def cancel(self, episode_id: int) -> None:
        self._act(self._manager.cancel, episode_id)

    def retry(self, episode_id: int) -> None:
        self._act(self._manager.retry, episode_id)

    def delete(self, episode_id: int) -> None:
        self._act(self._manager.delete, episode_id)

    def _act(self, command: Callable[[int], None], episode_id: int) -> None:
        self._background.submit(
            command,
            episode_id,
            on_done=lambda _: self.message.emit(""),
            on_error=lambda exc: self.message.emit(failure_sentence(exc)),
        )

    def set_download_folder(self, folder: Path) -> None:
        """New downloads go to ``folder``; nothing is moved."""

        def changed(_: object) -> None:
            self.folder_changed.emit(str(folder))
            self.message.emit(f"New downloads go to {folder}.")

        self._background.submit(
            self._manager.set_download_folder,
            folder,
            on_done=changed,
            on_error=lambda exc: self.message.emit(failure_sentence(exc)),
        )

    def look_for_leftovers(self) -> None:
        self._background.submit(
            self._manager.stale_partials,
            on_done=lambda found: self.leftovers_found.emit(bool(found)),
        )

    def remove_leftovers(self) -> None:
        def removed(count: int) -> None:
            self.message.emit(f"Removed {count} leftover partial file{'s' if count != 1 else ''}.")
            self.look_for_leftovers()

        self._background.submit(
            self._manager.remove_stale_partials,
            on_done=removed,
            on_error=lambda exc: self.message.emit(failure_sentence(exc)),
        )
