"""Add podcast (Ctrl+L): a URL, progress while it is fetched, a preview, then subscribe."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from podplayer.background import BackgroundWork
from podplayer.gui.accessibility import announce

PREVIEW_ART_SIZE = 96


@dataclass(frozen=True, slots=True)
class FeedPreview:
    """What the user sees before confirming; ``source`` is what the service needs to subscribe."""

    url: str
    title: str
    author: str
    episode_count: int
    artwork: QImage | None = None  # decoded on the worker that fetched it
    source: object = None


PreviewFetcher = Callable[[str], FeedPreview]


def _sentence(exc: BaseException) -> str:
    text = str(exc).strip()
    if not text:
        return "The feed could not be read. Check the address and try again."
    return text if text.endswith((".", "!", "?")) else f"{text}."


class AddPodcastDialog(QDialog):
    """Looks the feed up in the background; emits subscribe_confirmed(preview) on agreement."""

    subscribe_confirmed = Signal(object)  # FeedPreview

    def __init__(
        self,
        background: BackgroundWork,
        fetch_preview: PreviewFetcher,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add podcast")
        self.setMinimumWidth(520)
        self._background = background
        self._fetch_preview = fetch_preview
        self._preview: FeedPreview | None = None
        self._generation = 0

        self.url_field = QLineEdit()
        self.url_field.setPlaceholderText("https://example.com/feed.xml")
        self.url_field.setAccessibleName("Feed address")
        self.url_field.setToolTip("The address (URL) of the podcast's RSS or Atom feed")
        self.look_up_button = QPushButton("Look up")
        self.look_up_button.setAccessibleName("Look up feed")
        self.look_up_button.setToolTip("Fetch the feed and show what it is before subscribing")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName("Fetching feed")
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel("Paste the address of a podcast feed.")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.artwork = QLabel()
        self.artwork.setFixedSize(PREVIEW_ART_SIZE, PREVIEW_ART_SIZE)
        self.artwork.hide()
        self.preview_title = QLabel()
        self.preview_title.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_title.setWordWrap(True)
        bold = self.preview_title.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.2)
        self.preview_title.setFont(bold)
        self.preview_details = QLabel()
        self.preview_details.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_details.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.subscribe_button = self.buttons.addButton(
            "Subscribe", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.subscribe_button.setAccessibleName("Subscribe")
        self.subscribe_button.setToolTip("Add this podcast to your library")
        self.subscribe_button.setEnabled(False)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)

        url_row = QHBoxLayout()
        url_row.addWidget(self.url_field, 1)
        url_row.addWidget(self.look_up_button)
        text = QVBoxLayout()
        text.addWidget(self.preview_title)
        text.addWidget(self.preview_details)
        text.addStretch(1)
        preview = QHBoxLayout()
        preview.addWidget(self.artwork)
        preview.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Feed address:"))
        layout.addLayout(url_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(preview)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.look_up_button.clicked.connect(self.look_up)
        self.look_up_button.setDefault(True)
        self.url_field.textEdited.connect(self._edited)

    def look_up(self) -> None:
        url = self.url_field.text().strip()
        if not url:
            self.status.setText("Type or paste a feed address first.")
            return
        if "://" not in url:
            url = f"https://{url}"
            self.url_field.setText(url)
        self._generation += 1
        generation = self._generation
        self._show_preview(None)
        self.progress.show()
        self.look_up_button.setEnabled(False)
        self.status.setText(f"Fetching {url} …")
        self._background.submit(
            self._fetch_preview,
            url,
            on_done=lambda preview: self._arrived(generation, preview),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _edited(self, _text: str) -> None:
        self._generation += 1
        self.progress.hide()
        self.look_up_button.setEnabled(True)
        self._show_preview(None)

    def _arrived(self, generation: int, preview: Any) -> None:
        if generation != self._generation:
            return
        self.progress.hide()
        self.look_up_button.setEnabled(True)
        self._show_preview(preview)
        count = preview.episode_count
        self.status.setText(
            f"Found {count} episode{'s' if count != 1 else ''}. Press Subscribe to add it."
        )
        announce(self, f"{preview.title or preview.url}. {self.status.text()}")

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.progress.hide()
        self.look_up_button.setEnabled(True)
        self.status.setText(_sentence(exc))
        announce(self, self.status.text(), interrupt=True)

    def _show_preview(self, preview: FeedPreview | None) -> None:
        """Return looks the address up until there is a preview, then subscribes."""
        self._preview = preview
        self.subscribe_button.setEnabled(preview is not None)
        self.subscribe_button.setDefault(preview is not None)
        self.look_up_button.setDefault(preview is None)
        if preview is None:
            self.preview_title.clear()
            self.preview_details.clear()
            self.artwork.hide()
            return
        self.preview_title.setText(preview.title or preview.url)
        self.preview_details.setText(f"{preview.author}\n{preview.url}".strip())
        if preview.artwork is not None:
            self.artwork.setPixmap(
                QPixmap.fromImage(preview.artwork).scaled(
                    PREVIEW_ART_SIZE,
                    PREVIEW_ART_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            self.artwork.show()
        else:
            self.artwork.hide()

    def _confirm(self) -> None:
        if self._preview is None:
            return
        self.subscribe_confirmed.emit(self._preview)
        self.accept()
