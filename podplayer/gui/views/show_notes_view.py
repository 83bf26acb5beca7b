"""The selected episode's show notes: sanitized, links opened only when safe, times that seek."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from podplayer.background import BackgroundWork
from podplayer.core.models import Episode, Podcast
from podplayer.core.show_notes import (
    ShowNotes,
    may_open_externally,
    render_show_notes,
    seek_target_ms,
)
from podplayer.gui.image_decoding import decoded_image
from podplayer.gui.text import format_duration

ImageFetcher = Callable[[str], bytes]
MAX_IMAGE_WIDTH = 480


def _ignore_failure(_exc: BaseException) -> None:
    """An image that cannot be fetched is simply left out of the notes."""


class NotesBrowser(QTextBrowser):
    """A text browser that loads nothing by itself: images come only from what was fetched."""

    def __init__(self) -> None:
        super().__init__()
        self.remote_images_allowed = False
        self.images: dict[str, QImage] = {}
        self.wanted: set[str] = set()

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        if kind != QTextDocument.ResourceType.ImageResource.value:
            return None
        name = QUrl(name)
        url = name.toString()
        if not self.remote_images_allowed or name.scheme() not in ("http", "https"):
            return None
        image = self.images.get(url)
        if image is None:
            self.wanted.add(url)
            return None
        return image


class ShowNotesView(QWidget):
    """Emits seek_requested for time links and remote_images_allowed when the user opts in."""

    seek_requested = Signal(int)
    remote_images_allowed = Signal(int)  # podcast id
    message = Signal(str)

    def __init__(
        self,
        background: BackgroundWork,
        fetch_image: ImageFetcher | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._background = background
        self._fetch_image = fetch_image
        self._podcast_id: int | None = None
        self._showing = 0  # counts show_episode calls; a rendering for an older one is dropped
        self._html = ""
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAccessibleName("Episode title")
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setAccessibleName("Episode details")
        self.images_button = QPushButton()
        self.images_button.setAccessibleName("Show images")
        self.images_button.setToolTip("Load this podcast's images from the internet from now on")
        self.images_button.clicked.connect(self._allow_images)
        self.images_button.hide()
        self.browser = NotesBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName("Show notes")
        self.browser.setToolTip("")
        self.browser.anchorClicked.connect(self._link_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.details)
        layout.addWidget(self.images_button)
        layout.addWidget(self.browser, 1)
        self.show_episode(None, None)

    def show_episode(self, episode: Episode | None, podcast: Podcast | None) -> None:
        self._showing += 1
        if episode is None:
            self._podcast_id = None
            self.heading.setText("No episode selected")
            self.details.setText("Pick an episode to read its show notes.")
            self.images_button.hide()
            self.browser.clear()
            return
        self._podcast_id = episode.podcast_id
        self.heading.setText(episode.title or "(untitled episode)")
        facts = [podcast.title if podcast else ""]
        if episode.published is not None:
            facts.append(datetime.fromtimestamp(episode.published).strftime("%d %B %Y"))
        if episode.duration_s:
            facts.append(format_duration(episode.duration_s))
        self.details.setText(" · ".join(fact for fact in facts if fact))
        allowed = bool(podcast and podcast.allow_remote_images)
        self.images_button.hide()
        self.browser.clear()
        self._background.submit(
            partial(render_show_notes, allow_remote_images=allowed),
            episode.notes_html,
            on_done=partial(self._notes_rendered, self._showing, allowed),
            on_error=partial(self._notes_failed, self._showing),
        )

    def _notes_rendered(self, showing: int, allowed: bool, notes: ShowNotes) -> None:
        """Shows notes sanitized off the GUI thread, unless another episode was picked since."""
        if showing != self._showing:
            return
        self.browser.remote_images_allowed = allowed
        self.browser.wanted.clear()
        self._html = notes.html or "<p><i>This episode has no show notes.</i></p>"
        self.browser.setHtml(self._html)
        if notes.hidden_images:
            count = notes.hidden_images
            self.images_button.setText(
                f"{count} image{'s' if count > 1 else ''} not loaded. Show images for this podcast"
            )
        self.images_button.setVisible(bool(notes.hidden_images))
        self._fetch_wanted()

    def _notes_failed(self, showing: int, _exc: BaseException) -> None:
        """Says so in the view when the notes could not be sanitized."""
        if showing != self._showing:
            return
        self._html = "<p><i>These show notes could not be read.</i></p>"
        self.browser.setHtml(self._html)

    def html(self) -> str:
        return self._html

    def _allow_images(self) -> None:
        if self._podcast_id is not None:
            self.remote_images_allowed.emit(self._podcast_id)

    def _fetch_wanted(self) -> None:
        fetch = self._fetch_image
        if fetch is None:
            return
        for url in sorted(self.browser.wanted):
            self._background.submit(
                lambda address: decoded_image(fetch(address), MAX_IMAGE_WIDTH),
                url,
                on_done=partial(self._image_arrived, url),
                on_error=_ignore_failure,
            )
        self.browser.wanted.clear()

    def _image_arrived(self, url: str, image: QImage | None) -> None:
        if image is None:
            return
        self.browser.images[url] = image
        self.browser.setHtml(self._html)

    def _link_clicked(self, url: QUrl) -> None:
        target = url.toString()
        position = seek_target_ms(target)
        if position is not None:
            self.seek_requested.emit(position)
        elif may_open_externally(target):
            QDesktopServices.openUrl(url)
        else:
            self.message.emit(
                f"podplayer does not open {url.scheme() or 'relative'} links from show notes, "
                "only web and e-mail links."
            )
