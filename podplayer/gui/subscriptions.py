"""What the user does to subscriptions (add, refresh, unsubscribe), run off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox, QWidget

from podplayer.background import BackgroundWork
from podplayer.core.feeds.service import (
    FeedService,
    RefreshResult,
    SubscribePreview,
    SubscribeResult,
)
from podplayer.core.http import HttpError
from podplayer.core.library import Library
from podplayer.core.resource_fetch import ResourceFetcher
from podplayer.gui.image_decoding import decoded_image
from podplayer.gui.plain_text import shown_literally
from podplayer.gui.views.add_podcast_dialog import PREVIEW_ART_SIZE, AddPodcastDialog, FeedPreview

DEMO_OFFERED_KEY = "demo.offered"
MAX_ARTWORK_BYTES = 2 * 1024 * 1024


def failure_sentence(exc: BaseException) -> str:
    """Exceptions from services carry sentences; anything else gets a generic one."""
    text = str(exc).strip()
    if not text:
        return f"Something went wrong ({type(exc).__name__}). Try again."
    return text if text.endswith((".", "!", "?")) else f"{text}."


class SubscriptionActions(QObject):
    """Calls the FeedService through BackgroundWork and reports in sentences."""

    library_changed = Signal()
    message = Signal(str)
    error = Signal(str)
    refresh_started = Signal(int)  # number of podcasts
    refresh_progress = Signal(object, int, int)  # RefreshResult, done, total
    refresh_finished = Signal(list)  # list[RefreshResult]
    _progress_from_worker = Signal(object, int, int)

    def __init__(
        self,
        feeds: FeedService,
        library: Library,
        background: BackgroundWork,
        fetcher: ResourceFetcher,
        demo_feed: Path,
    ) -> None:
        super().__init__()
        self._feeds = feeds
        self._library = library
        self._background = background
        self._fetcher = fetcher
        self._demo_feed = demo_feed
        self._refreshing = False
        self._progress_from_worker.connect(self.refresh_progress)

    # Adding

    def open_add_dialog(self, parent: QWidget) -> AddPodcastDialog:
        dialog = AddPodcastDialog(self._background, self.preview, parent)
        dialog.subscribe_confirmed.connect(self.subscribe)
        dialog.setModal(False)
        dialog.show()
        return dialog

    def preview(self, address: str) -> FeedPreview:
        """Runs on a worker: fetch and parse the feed, and its artwork when it has one."""
        preview = self._feeds.preview(address)
        artwork: QImage | None = None
        if preview.image_url:
            try:
                data = self._fetcher.get_bytes(preview.image_url, MAX_ARTWORK_BYTES)
            except HttpError:
                data = b""
            artwork = decoded_image(data, PREVIEW_ART_SIZE * 2) if data else None
        author = preview.feed.author
        return FeedPreview(
            url=preview.url,
            title=preview.title,
            author=author,
            episode_count=preview.episode_count,
            artwork=artwork,
            source=preview,
        )

    def subscribe(self, preview: FeedPreview) -> None:
        source = preview.source if isinstance(preview.source, SubscribePreview) else preview.url
        self.message.emit(f"Subscribing to {preview.title} …")
        self._background.submit(
            self._feeds.subscribe, source, on_done=self._subscribed, on_error=self._failed
        )

    def _subscribed(self, result: SubscribeResult) -> None:
        self.library_changed.emit()
        self.message.emit(result.message)

    def offer_demo(self) -> None:
        """On a first run (call it with an empty library) subscribe to the demo podcast, once."""
        if self._library.settings.get(DEMO_OFFERED_KEY, False):
            return
        self._library.settings.set(DEMO_OFFERED_KEY, True)
        self._background.submit(
            self._feeds.subscribe,
            str(self._demo_feed),
            on_done=lambda _result: self._demo_added(),
            on_error=self._failed,
        )

    def _demo_added(self) -> None:
        self.library_changed.emit()
        self.message.emit(
            "Added the podplayer demo: play it to try speed, the sleep timer and the transcript. "
            "Remove it like any podcast."
        )

    # Refreshing

    def refresh_all(self) -> None:
        self.refresh(None)

    def refresh(self, podcast_ids: list[int] | None) -> None:
        if self._refreshing:
            self.message.emit("A refresh is already running.")
            return
        total = len(podcast_ids) if podcast_ids is not None else len(self._library.podcasts.list())
        if total == 0:
            self.message.emit("There are no podcasts to refresh. Add one with Ctrl+L.")
            return
        self._refreshing = True
        self.refresh_started.emit(total)
        self._background.submit(
            self._feeds.refresh,
            podcast_ids,
            self._progress_from_worker.emit,
            on_done=self._refreshed,
            on_error=self._refresh_failed,
        )

    def refresh_one(self, podcast_id: int) -> None:
        self.refresh([podcast_id])

    def is_refreshing(self) -> bool:
        return self._refreshing

    def _refreshed(self, results: list[RefreshResult]) -> None:
        self._refreshing = False
        self.library_changed.emit()
        self.refresh_finished.emit(results)

    def _refresh_failed(self, exc: BaseException) -> None:
        self._refreshing = False
        self.refresh_finished.emit([])
        self._failed(exc)

    # Removing

    def unsubscribe(self, podcast_id: int, parent: QWidget) -> bool:
        """Ask first; True when the podcast was removed."""
        podcast = self._library.podcasts.get(podcast_id)
        if podcast is None:
            return False
        answer = QMessageBox.question(
            parent,
            "Unsubscribe",
            shown_literally(
                f"Unsubscribe from “{podcast.title or podcast.url}”? Its episodes and play "
                "positions are removed from the library."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            removed = self._feeds.unsubscribe(podcast_id)
        except Exception as exc:
            self._failed(exc)
            return False
        self.library_changed.emit()
        self.message.emit(f"Unsubscribed from {removed.title or removed.url}.")
        return True

    def _failed(self, exc: BaseException) -> None:
        self.error.emit(failure_sentence(exc))
