"""When the window syncs, off the GUI thread: at start, after a refresh, shortly after pause or
stop, every 15 minutes, and when the user asks. A failing server never blocks listening: an
automatic sync that fails is a note in the status bar and is retried later by the service's
pauses; a refused password is said once in the banner and stops automatic syncs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from podplayer.background import BackgroundWork
from podplayer.core.sync.client import ServerKind, SyncError
from podplayer.core.sync.service import SYNC_EVERY_S, SyncReport, SyncService

if TYPE_CHECKING:
    from podplayer.core.storage.library import Library

# Pause, stop and refresh come in bursts (skipping through an episode): one sync after they settle.
DEBOUNCE_MS = 10_000


class SyncSession(QObject):
    status_changed = Signal(object)  # SyncStatus
    busy_changed = Signal(bool)
    message = Signal(str)  # the status bar, briefly
    error = Signal(str)  # the banner
    library_changed = Signal()
    subscribed = Signal(list)  # ids of podcasts added on another device: refresh them
    unsubscribed = Signal(int)  # a podcast removed on another device, gone here too

    def __init__(
        self,
        service: SyncService,
        background: BackgroundWork,
        library: Library,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._background = background
        self._library = library
        self._running = False
        self._periodic = QTimer(self)
        self._periodic.setInterval(SYNC_EVERY_S * 1000)
        self._periodic.timeout.connect(self.sync_automatically)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.sync_automatically)

    @property
    def busy(self) -> bool:
        return self._running

    def start(self) -> None:
        """Sync once now (if set up) and every 15 minutes after."""
        self._periodic.start()
        self.sync_automatically()

    def request_soon(self) -> None:
        """Pause, stop or a finished refresh: sync once things settle."""
        self._debounce.start()

    def sync_automatically(self) -> None:
        if not self._running and self._service.may_sync_automatically():
            self._run(automatic=True)

    def sync_now(self) -> None:
        if not self._running:
            self._run(automatic=False)

    def status(self) -> Any:
        return self._service.status()

    def login(
        self, server_url: str, username: str, password: str, kind: ServerKind | str, device: str
    ) -> None:
        """Check the account in the background; on success the first sync follows."""
        self._set_busy(True)
        self._background.submit(
            self._service.login,
            server_url,
            username,
            password,
            ServerKind(kind),  # a Qt signal hands the enum over as its string
            device,
            on_done=lambda _none: self._logged_in(),
            on_error=self._login_failed,
        )

    def logout(self) -> None:
        self._service.logout()
        self.message.emit("Sync is off; the library is unchanged.")
        self.status_changed.emit(self._service.status())

    def after_refresh(self, _results: object = None) -> None:
        """Play state kept for episodes that a refresh has now brought; then sync soon."""
        if self._service.status().configured:
            self._background.submit(self._service.rematch, on_done=self._rematched)
            self.request_soon()

    def _logged_in(self) -> None:
        self._set_busy(False)
        self.message.emit("Logged in; syncing now.")
        self.sync_now()

    def _login_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error.emit(_sentence(exc))
        self.status_changed.emit(self._service.status())

    def _run(self, *, automatic: bool) -> None:
        self._set_busy(True)
        if not automatic:
            self.message.emit("Syncing…")
        self._background.submit(
            self._service.sync,
            on_done=self._synced,
            on_error=lambda exc: self._failed(exc, automatic),
        )

    def _synced(self, report: SyncReport) -> None:
        self._set_busy(False)
        if report.subscribed:
            ids = [self._library.podcasts.find_by_url(url) for url in report.subscribed]
            self.subscribed.emit([p.id for p in ids if p is not None and p.id is not None])
        for podcast_id in report.unsubscribed_ids:
            self.unsubscribed.emit(podcast_id)
        if report.subscribed or report.unsubscribed or report.moved or report.actions_applied:
            self.library_changed.emit()
        self.message.emit(report.sentence())
        self.status_changed.emit(self._service.status())

    def _failed(self, exc: BaseException, automatic: bool) -> None:
        self._set_busy(False)
        sentence = _sentence(exc)
        if automatic and not (isinstance(exc, SyncError) and exc.auth):
            self.message.emit(f"Sync failed; podplayer will try again later. {sentence}")
        else:
            self.error.emit(sentence)
        self.status_changed.emit(self._service.status())

    def _rematched(self, applied: int) -> None:
        if applied:
            self.library_changed.emit()

    def _set_busy(self, busy: bool) -> None:
        self._running = busy
        self.busy_changed.emit(busy)


def _sentence(exc: BaseException) -> str:
    if isinstance(exc, SyncError):
        return str(exc)
    return f"Sync failed unexpectedly ({exc.__class__.__name__}: {exc}); podplayer will try again."
