"""Add podcast (Ctrl+L): one field for a feed address, an Apple Podcasts link, or words.

Words search the enabled directories as you type (each directory on its own worker, results
merged as they arrive); an empty field offers Apple's top podcasts (fetched when asked: nothing
is sent to a directory before the user searches). Choosing a result, or looking an address up,
fetches the feed for a preview; Subscribe adds it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from podplayer.background import BackgroundWork
from podplayer.core.directories.apple_links import apple_podcast_id
from podplayer.core.directories.results import DirectoryAnswer, DirectoryResult
from podplayer.core.directories.search import Directory, DirectorySearch
from podplayer.gui.accessibility import announce
from podplayer.gui.models.artwork import ArtworkProvider
from podplayer.gui.models.directory_results_model import (
    RESULT_ROLE,
    DirectoryResultsModel,
    SubscribedFeeds,
)
from podplayer.gui.widgets.two_line_delegate import TwoLineDelegate

PREVIEW_ART_SIZE = 96
RESULT_ART_SIZE = 48
SEARCH_DELAY_MS = 400
MIN_SEARCH_LENGTH = 2
PASTE_LENGTH = 8  # characters arriving in one edit: pasted, not typed
LATEST_SHOWN = 3


@dataclass(frozen=True, slots=True)
class FeedPreview:
    """What the user sees before confirming; ``source`` is what the service needs to subscribe."""

    url: str
    title: str
    author: str
    episode_count: int
    artwork: QImage | None = None  # decoded on the worker that fetched it
    source: object = None
    latest: tuple[str, ...] = ()  # titles of the newest episodes


PreviewFetcher = Callable[[str], FeedPreview]


def _sentence(exc: BaseException) -> str:
    text = str(exc).strip()
    if not text:
        return "The feed could not be read. Check the address and try again."
    return text if text.endswith((".", "!", "?")) else f"{text}."


def is_address(text: str) -> bool:
    """An address to fetch rather than words to search: a URL, a feed link, or host/path."""
    if "://" in text or text.lower().startswith(("feed:", "podcast:", "itpc:", "pcast:")):
        return True
    first = text.split("/", 1)[0]
    return " " not in text and "." in first and len(first) > 3 and not first.endswith(".")


class AddPodcastDialog(QDialog):
    """Emits subscribe_confirmed(preview) when the user agrees to subscribe."""

    subscribe_confirmed = Signal(object)  # FeedPreview

    def __init__(
        self,
        background: BackgroundWork,
        fetch_preview: PreviewFetcher,
        parent: QWidget | None = None,
        *,
        directories: DirectorySearch | None = None,
        artwork: ArtworkProvider | None = None,
        subscribed: SubscribedFeeds | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add podcast")
        self.setMinimumSize(560, 420)
        self.resize(720, 640)
        self._background = background
        self._fetch_preview = fetch_preview
        self._directories = directories
        self._preview: FeedPreview | None = None
        self._generation = 0
        self._waiting: list[str] = []
        self._answered: list[str] = []
        self._notes: list[str] = []
        self._top: DirectoryAnswer | None = None
        self._last_text = ""
        self._pasted = False
        self._searched: tuple[int, str] | None = None

        self.url_field = QLineEdit()
        self.url_field.setPlaceholderText(
            "Search by name, or paste a feed address or Apple Podcasts link"
        )
        self.url_field.setAccessibleName("Podcast name or address")
        self.url_field.setToolTip(
            "Words search the podcast directories as you type; an address (RSS feed, web page or "
            "Apple Podcasts link) is looked up when you press Enter"
        )
        self.url_field.setClearButtonEnabled(True)
        self.url_field.installEventFilter(self)
        self.look_up_button = QPushButton("Look up")
        self.look_up_button.setAccessibleName("Look up")
        self.look_up_button.setToolTip("Search now, or fetch the address and show what it is")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName("Working")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.top_button = QPushButton("Show top podcasts")
        self.top_button.setAccessibleName("Show top podcasts")
        self.top_button.setToolTip("Apple's chart of popular podcasts in your country")
        self.top_button.clicked.connect(self.show_top)
        self.top_button.hide()
        self.notes = QLabel()
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("Directories left out")
        self.notes.setStyleSheet("color: palette(placeholder-text);")
        self.notes.hide()

        self.results_model = DirectoryResultsModel(artwork, subscribed or SubscribedFeeds([], []))
        self.results = QListView()
        self.results.setModel(self.results_model)
        self.results.setAccessibleName("Podcasts found")
        self.results.setIconSize(QSize(RESULT_ART_SIZE, RESULT_ART_SIZE))
        self.results.setUniformItemSizes(True)
        self.results.setWordWrap(False)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setItemDelegate(TwoLineDelegate(RESULT_ART_SIZE, self.results))
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.clicked.connect(self._choose)
        self.results.activated.connect(self._choose)

        self.preview_box = QFrame()
        self.preview_box.setFrameShape(QFrame.Shape.StyledPanel)
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
        self.preview_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_latest = QLabel()
        self.preview_latest.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_latest.setWordWrap(True)
        self.preview_latest.setAccessibleName("Latest episodes")
        self.preview_box.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.subscribe_button = self.buttons.addButton(
            "Subscribe", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.subscribe_button.setAccessibleName("Subscribe")
        self.subscribe_button.setToolTip("Add this podcast to your library")
        self.subscribe_button.setEnabled(False)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._typing_paused)

        self._lay_out()
        self.look_up_button.clicked.connect(self.look_up)
        self.look_up_button.setDefault(True)
        self.url_field.textEdited.connect(self._edited)
        self._show_start()

    def _lay_out(self) -> None:
        url_row = QHBoxLayout()
        url_row.addWidget(self.url_field, 1)
        url_row.addWidget(self.look_up_button)
        text = QVBoxLayout()
        text.addWidget(self.preview_title)
        text.addWidget(self.preview_details)
        text.addWidget(self.preview_latest)
        text.addStretch(1)
        preview = QHBoxLayout(self.preview_box)
        preview.addWidget(self.artwork, 0, Qt.AlignmentFlag.AlignTop)
        preview.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(url_row)
        layout.addWidget(self.progress)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.top_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(status_row)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.notes)
        layout.addWidget(self.preview_box)
        layout.addWidget(self.buttons)
        QWidget.setTabOrder(  # as shown: Subscribe, then Cancel
            self.subscribe_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        )

    # What the field holds ---------------------------------------------------------------------

    def look_up(self) -> None:
        """Enter or Look up: search the words now, or fetch the address for a preview."""
        self._search_timer.stop()
        text = self.url_field.text().strip()
        if not text:
            self._show_start()
            return
        apple_id = apple_podcast_id(text)
        if apple_id is not None and self._directories is not None:
            self._resolve_apple_link(apple_id)
        elif is_address(text) or self._directories is None:
            if "://" not in text and ":" not in text.split("/", 1)[0]:
                text = f"https://{text}"
                self.url_field.setText(text)
            self._fetch(text)
        else:
            self._search(text)

    def _edited(self, text: str) -> None:
        self._pasted = len(text) - len(self._last_text) >= PASTE_LENGTH
        self._last_text = text
        self._generation += 1
        self.top_button.hide()
        self._set_busy(False)
        self._show_preview(None)
        self._search_timer.start()
        if not text.strip():
            self._show_start()

    def _typing_paused(self) -> None:
        """Search as the user types words; a pasted full address is looked up at once."""
        text = self.url_field.text().strip()
        if not text or self._directories is None:
            return
        if apple_podcast_id(text) is not None or is_address(text):
            if self._pasted:
                self.look_up()  # a whole address arrived at once; one being typed waits
            else:
                self.status.setText("Press Enter to fetch this address.")
        elif len(text) >= MIN_SEARCH_LENGTH:
            self.look_up()

    def _show_start(self) -> None:
        """The empty field: Apple's top podcasts once asked for (then kept for this dialog)."""
        self._generation += 1
        self.results_model.clear()
        self._set_notes([])
        if self._directories is None:
            self.status.setText("Paste the address of a podcast feed.")
            return
        self.status.setText(
            "Type a podcast's name to search the directories, or paste its address."
        )
        if self._top is not None:
            self._show_top(self._top)
        else:
            self.top_button.show()

    def show_top(self) -> None:
        """Fetch Apple's top-podcasts chart for the user's country (the empty field's list)."""
        if self._directories is None:
            return
        self.top_button.hide()
        self._set_busy(True)
        self.status.setText("Fetching the top podcasts from Apple Podcasts …")
        generation = self._generation
        self._background.submit(
            self._directories.top,
            on_done=lambda answer: self._top_arrived(generation, answer),
            on_error=lambda _exc: None,
        )

    def _top_arrived(self, generation: int, answer: DirectoryAnswer) -> None:
        if generation == self._generation:
            self._set_busy(False)
        if not answer.failed:
            self._top = answer
        if generation == self._generation:
            self._show_top(answer)

    def _show_top(self, answer: DirectoryAnswer) -> None:
        self.results_model.clear()
        self.results_model.add(answer.results)
        if answer.results:
            self.status.setText(
                "Top podcasts on Apple Podcasts. Type a name to search, or paste an address."
            )
        else:
            self.top_button.show()
        self._set_notes(answer.notes)

    # Searching ------------------------------------------------------------------------------

    def _search(self, term: str) -> None:
        assert self._directories is not None
        if self._searched == (self._generation, term):
            return  # Enter after the typing pause: that search is under way or shown
        self._generation += 1
        generation = self._generation
        self._searched = (generation, term)
        self._show_preview(None)
        self.top_button.hide()
        self.results_model.clear()
        self._set_notes([])
        self._set_busy(True)
        self._background.submit(
            self._directories.plan,
            on_done=lambda plan: self._ask_all(generation, term, *plan),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _ask_all(
        self, generation: int, term: str, directories: list[Directory], notes: list[str]
    ) -> None:
        if generation != self._generation:
            return
        self._notes = notes
        self._set_notes(notes)
        self._waiting = [directory.name for directory in directories]
        self._answered = []
        if not directories:
            self._set_busy(False)
            self.status.setText("No directory to search. Paste a feed address instead.")
            return
        self.status.setText(f"Searching {_names(self._waiting)} for “{term}” …")
        for directory in directories:
            self._ask(generation, directory, term)

    def _ask(self, generation: int, directory: Directory, term: str) -> None:
        self._background.submit(
            DirectorySearch.ask,
            directory,
            term,
            on_done=lambda answer: self._answer_arrived(generation, answer),
            on_error=lambda exc: self._answer_arrived(
                generation, DirectoryAnswer(directory.name, notes=[_sentence(exc)], failed=True)
            ),
        )

    def _answer_arrived(self, generation: int, answer: DirectoryAnswer) -> None:
        if generation != self._generation:
            return
        if answer.directory in self._waiting:
            self._waiting.remove(answer.directory)
        if not answer.failed:
            self._answered.append(answer.directory)
        self.results_model.add(answer.results)
        self._notes.extend(answer.notes)
        self._set_notes(self._notes)
        count = self.results_model.rowCount()
        found = f"{count} podcast{'s' if count != 1 else ''}" if count else "No podcasts"
        source = f" from {_names(self._answered)}" if self._answered else ""
        if self._waiting:
            self.status.setText(f"{found}{source} so far; waiting for {_names(self._waiting)} …")
            return
        self._set_busy(False)
        if count:
            self.status.setText(f"{found}{source}. Choose one to see its episodes.")
        elif self._answered:
            self.status.setText("No podcasts found. Try other words, or paste the feed address.")
        else:
            self.status.setText("The directories could not be searched; see below.")
        announce(self, self.status.text())

    def _set_notes(self, notes: list[str]) -> None:
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))

    # Previewing -----------------------------------------------------------------------------

    def _choose(self, index: QModelIndex) -> None:
        result = index.data(RESULT_ROLE)
        if isinstance(result, DirectoryResult):
            self._fetch(result.feed_url)

    def _resolve_apple_link(self, apple_id: str) -> None:
        assert self._directories is not None
        self._generation += 1
        generation = self._generation
        self._set_busy(True)
        self.status.setText("Asking Apple Podcasts for this show's feed …")
        self._background.submit(
            self._directories.resolve_apple_link,
            apple_id,
            on_done=lambda url: self._apple_resolved(generation, url),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _apple_resolved(self, generation: int, url: str) -> None:
        if generation == self._generation:
            self._fetch(url)

    def _fetch(self, url: str) -> None:
        self._generation += 1
        generation = self._generation
        self._show_preview(None)
        self._set_busy(True)
        self.status.setText(f"Fetching {url} …")
        self._background.submit(
            self._fetch_preview,
            url,
            on_done=lambda preview: self._arrived(generation, preview),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _arrived(self, generation: int, preview: Any) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        self._show_preview(preview)
        count = preview.episode_count
        self.status.setText(
            f"Found {count} episode{'s' if count != 1 else ''}. Press Subscribe to add it."
        )
        announce(self, f"{preview.title or preview.url}. {self.status.text()}")

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        self.status.setText(_sentence(exc))
        announce(self, self.status.text(), interrupt=True)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)

    def _show_preview(self, preview: FeedPreview | None) -> None:
        """Return looks the address up until there is a preview, then subscribes."""
        self._preview = preview
        self.subscribe_button.setEnabled(preview is not None)
        self.subscribe_button.setDefault(preview is not None)
        self.look_up_button.setDefault(preview is None)
        self.preview_box.setVisible(preview is not None)
        if preview is None:
            self.preview_title.clear()
            self.preview_details.clear()
            self.preview_latest.clear()
            self.artwork.hide()
            return
        self.preview_title.setText(preview.title or preview.url)
        self.preview_details.setText(f"{preview.author}\n{preview.url}".strip())
        self.preview_latest.setText("\n".join(f"• {title}" for title in preview.latest))
        self.preview_latest.setVisible(bool(preview.latest))
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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Down in the field moves into the results, so the keyboard can choose one."""
        if (
            watched is self.url_field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.results_model.rowCount()
        ):
            self.results.setFocus()
            self.results.setCurrentIndex(self.results_model.index(0))
            return True
        return super().eventFilter(watched, event)

    def _confirm(self) -> None:
        if self._preview is None:
            return
        self.subscribe_confirmed.emit(self._preview)
        self.accept()


def _names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
