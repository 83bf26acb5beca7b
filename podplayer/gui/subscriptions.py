"""What the user does to subscriptions (add, refresh, unsubscribe, OPML), off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from podplayer.background import BackgroundWork
from podplayer.core.downloads import DownloadManager
from podplayer.core.feeds.service import (
    FeedService,
    ImportReport,
    RefreshResult,
    SubscribePreview,
    SubscribeResult,
)
from podplayer.core.http import HttpError
from podplayer.core.resource_fetch import ResourceFetcher
from podplayer.core.settings import DEMO_OFFERED
from podplayer.core.storage.library import Library
from podplayer.gui.image_decoding import decoded_image

if TYPE_CHECKING:
    from podplayer.core.directories.search import DirectorySearch
    from podplayer.gui.models.artwork import ArtworkProvider
    from podplayer.gui.views.add_podcast_dialog import AddPodcastDialog, FeedPreview

DEMO_OFFERED_KEY = DEMO_OFFERED.key
MAX_ARTWORK_BYTES = 2 * 1024 * 1024


def failure_sentence(exc: BaseException) -> str:
    """Exceptions from services carry sentences; anything else gets a generic one."""
    text = str(exc).strip()
    if not text:
        return f"Something went wrong ({type(exc).__name__}). Try again."
    return text if text.endswith((".", "!", "?")) else f"{text}."


def confirm(parent: QWidget, title: str, question: str, action: str) -> bool:
    """Ask before something that loses data; the question (with feed text) shows as plain text."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.Cancel, parent
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    accept = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is accept


def ask_about_files(parent: QWidget, question: str, files: int) -> bool | None:
    """Unsubscribe with downloaded files: True deletes them, False keeps them, None cancels."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Unsubscribe",
        f"{question}\n\n{_files(files)} of this podcast {'is' if files == 1 else 'are'} on disk.",
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    delete = box.addButton("Unsubscribe and delete files", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Unsubscribe, keep files", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return True if clicked is delete else False if clicked is keep else None


def _files(count: int) -> str:
    return f"{count} downloaded file{'s' if count != 1 else ''}"


class SubscriptionActions(QObject):
    """Calls the FeedService through BackgroundWork and reports in sentences."""

    library_changed = Signal()
    unsubscribed = Signal(int)  # podcast id, once it is gone
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
        downloads: DownloadManager,
        background: BackgroundWork,
        *,
        fetcher: ResourceFetcher,
        demo_feed: Path,
        directories: DirectorySearch | None = None,
        artwork: ArtworkProvider | None = None,
    ) -> None:
        super().__init__()
        self._directories = directories
        self._artwork = artwork
        self._feeds = feeds
        self._downloads = downloads
        self._library = library
        self._background = background
        self._fetcher = fetcher
        self._demo_feed = demo_feed
        self._refreshing = False
        self._progress_from_worker.connect(self.refresh_progress)

    # Adding

    def open_add_dialog(self, parent: QWidget, url: str = "") -> AddPodcastDialog:
        """The Add podcast dialog; given a URL (a feed link opened here) it looks it up at once."""
        from podplayer.gui.models.directory_results_model import SubscribedFeeds
        from podplayer.gui.views.add_podcast_dialog import AddPodcastDialog  # on first Ctrl+L

        podcasts = self._library.podcasts.list()
        subscribed = SubscribedFeeds([p.url for p in podcasts], [p.podcast_guid for p in podcasts])
        dialog = AddPodcastDialog(
            self._background,
            self.preview,
            parent,
            directories=self._directories,
            artwork=self._artwork,
            subscribed=subscribed,
        )
        dialog.subscribe_confirmed.connect(self.subscribe)
        dialog.setModal(False)
        dialog.show()
        if url:
            dialog.url_field.setText(url)
            dialog.look_up()
        return dialog

    def preview(self, address: str) -> FeedPreview:
        """Runs on a worker: fetch and parse the feed, and its artwork when it has one."""
        from podplayer.gui.views.add_podcast_dialog import (
            LATEST_SHOWN,
            PREVIEW_ART_SIZE,
            FeedPreview,
        )

        preview = self._feeds.preview(address)
        artwork: QImage | None = None
        if preview.image_url:
            try:
                data = self._fetcher.get_bytes(preview.image_url, MAX_ARTWORK_BYTES)
            except HttpError:
                data = b""
            artwork = decoded_image(data, PREVIEW_ART_SIZE * 2) if data else None
        newest = sorted(
            preview.feed.episodes, key=lambda episode: episode.published or 0, reverse=True
        )
        return FeedPreview(
            url=preview.url,
            title=preview.title,
            author=preview.feed.author,
            episode_count=preview.episode_count,
            artwork=artwork,
            source=preview,
            latest=tuple(" ".join(e.title.split()) for e in newest[:LATEST_SHOWN] if e.title),
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

    def _refreshed(self, results: list[RefreshResult]) -> None:
        self._refreshing = False
        self.library_changed.emit()
        self.refresh_finished.emit(results)

    def _refresh_failed(self, exc: BaseException) -> None:
        self._refreshing = False
        self.refresh_finished.emit([])
        self._failed(exc)

    # Removing

    def unsubscribe(self, podcast_id: int, parent: QWidget) -> None:
        """Ask first (and whether its downloaded files go too), then on a worker stop the
        podcast's downloads and remove it; ``unsubscribed`` tells when it is gone."""
        podcast = self._library.podcasts.get(podcast_id)
        if podcast is None:
            return
        name = podcast.title or podcast.url
        files = len(self._downloads.podcast_files(podcast_id))
        question = (
            f"Unsubscribe from “{name}”? Its episodes and play positions are removed from the "
            "library."
        )
        if files == 0:
            if not confirm(parent, "Unsubscribe", question, "Unsubscribe"):
                return
            delete_files = False
        else:
            answer = ask_about_files(parent, question, files)
            if answer is None:
                return
            delete_files = answer

        def remove() -> int:
            deleted = self._downloads.forget_podcast(podcast_id, delete_files)
            self._feeds.unsubscribe(podcast_id)
            return deleted

        self._background.submit(
            remove,
            on_done=lambda deleted: self._unsubscribed(podcast_id, name, files, deleted),
            on_error=self._failed,
        )

    def _unsubscribed(self, podcast_id: int, name: str, files: int, deleted: int) -> None:
        self.unsubscribed.emit(podcast_id)
        self.library_changed.emit()
        sentence = f"Unsubscribed from {name}."
        if deleted:
            sentence += f" {_files(deleted)} deleted."
        elif files:
            sentence += f" {_files(files)} kept in {self._downloads.download_folder()}."
        self.message.emit(sentence)

    # OPML

    def import_opml(self, parent: QWidget) -> None:
        name, _ = QFileDialog.getOpenFileName(
            parent, "Import subscriptions", "", "OPML files (*.opml *.xml);;All files (*)"
        )
        if name:
            self.import_opml_file(Path(name))

    def import_opml_file(self, path: Path) -> None:
        self._background.submit(
            lambda: self._feeds.import_opml(path.read_bytes()),
            on_done=self._imported,
            on_error=lambda exc: self.error.emit(
                f"Nothing was imported from {path.name}. {failure_sentence(exc)} "
                "Choose an OPML file exported by a podcast app."
            ),
        )

    def _imported(self, report: ImportReport) -> None:
        self.library_changed.emit()
        self.message.emit(report.sentence())
        if report.added:
            self.refresh([p.id for p in report.added if p.id is not None])

    def export_opml(self, parent: QWidget) -> None:
        name, _ = QFileDialog.getSaveFileName(
            parent, "Export subscriptions", "podcasts.opml", "OPML files (*.opml)"
        )
        if name:
            self.export_opml_file(Path(name))

    def export_opml_file(self, path: Path) -> None:
        def write() -> int:
            path.write_bytes(self._feeds.export_opml())
            return len(self._library.podcasts.list())

        self._background.submit(
            write,
            on_done=lambda count: self.message.emit(f"Exported {count} podcasts to {path}."),
            on_error=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.error.emit(failure_sentence(exc))
