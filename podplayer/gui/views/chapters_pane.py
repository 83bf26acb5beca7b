"""The Chapters tab: picture, title, start and length of each chapter; the current one followed.

Click a chapter to play from it, untick it to skip it in this episode; its link opens in the
browser (http and https only). Everything shown is feed text, shown as plain text.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from podplayer.core.chapters.chapter_list import ChapterList
from podplayer.gui.text import format_ms, plain_tooltip

THUMBNAIL = 40
TITLE_CHARACTERS = 8  # the title column never gets narrower than this many characters
PLAY_COLUMN, TITLE_COLUMN, START_COLUMN, LENGTH_COLUMN, LINK_COLUMN = range(5)
NO_CHAPTERS_TEXT = "No chapters for this episode."
NOTHING_PLAYING_TEXT = "Chapters of the episode that plays are shown here."


class ChaptersPane(QWidget):
    """Shows a ChapterList; emits what the user asks for and never calls services."""

    seek_requested = Signal(int)
    skip_toggled = Signal(int, bool)  # listed index, skip
    link_requested = Signal(str)
    rules_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Chapters")
        self._chapters = ChapterList()
        self._current = -1
        self._skipped: set[int] | frozenset[int] = frozenset()
        self._filling = False
        self.summary = QLabel(NOTHING_PLAYING_TEXT)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self.problems.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.problems.hide()
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Chapter list")
        self.tree.setToolTip("Click a chapter to play from it; untick it to skip it")
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels(["Play", "Chapter", "Start", "Length", ""])
        self.tree.headerItem().setToolTip(PLAY_COLUMN, "Untick a chapter to skip it")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column in (PLAY_COLUMN, START_COLUMN, LENGTH_COLUMN, LINK_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._keep_room_for_titles()
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemChanged.connect(self._changed)
        self.rules_label = QLabel()
        self.rules_label.setTextFormat(Qt.TextFormat.PlainText)
        self.rules_label.setWordWrap(True)
        self.rules_label.setAccessibleName("Skip rules")
        self.rules_label.hide()
        self.rules_button = QPushButton("Skip rules for this podcast…")
        self.rules_button.setToolTip(
            "Skip chapters whose title contains words you choose, in every episode of this podcast"
        )
        self.rules_button.setAccessibleName("Skip rules for this podcast")
        self.rules_button.clicked.connect(self.rules_requested)
        self.rules_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.rules_label, 1)
        buttons.addWidget(self.rules_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)

    def show_chapters(
        self,
        chapters: ChapterList,
        duration_ms: int | None,
        skipped: set[int] | frozenset[int],
        *,
        pictures: bool = False,
    ) -> None:
        """Fill the list; ``skipped`` are the listed indexes playback jumps over; rows are tall
        enough for a picture when ``pictures`` will come."""
        self._chapters = chapters
        self._current = -1
        self._filling = True
        self.tree.clear()
        row_height = THUMBNAIL + 4 if pictures else self.fontMetrics().height() + 10
        for index, chapter in enumerate(chapters.listed):
            end = chapters.end_ms(index, duration_ms)
            item = QTreeWidgetItem()
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(
                PLAY_COLUMN, Qt.CheckState.Unchecked if index in skipped else Qt.CheckState.Checked
            )
            item.setText(TITLE_COLUMN, chapter.title or "Untitled chapter")
            item.setToolTip(TITLE_COLUMN, plain_tooltip(chapter.title))
            item.setText(START_COLUMN, format_ms(chapter.start_ms))
            item.setText(LENGTH_COLUMN, format_ms(end - chapter.start_ms) if end else "")
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            item.setTextAlignment(START_COLUMN, right)
            item.setTextAlignment(LENGTH_COLUMN, right)
            if chapter.url:
                item.setText(LINK_COLUMN, "Link")
                item.setToolTip(LINK_COLUMN, plain_tooltip(f"Open {chapter.url} in the browser"))
            item.setData(TITLE_COLUMN, Qt.ItemDataRole.UserRole, index)
            item.setSizeHint(TITLE_COLUMN, QSize(0, row_height))
            item.setData(PLAY_COLUMN, Qt.ItemDataRole.AccessibleTextRole, item.text(TITLE_COLUMN))
            self.tree.addTopLevelItem(item)
        self._filling = False
        self.set_skipped(skipped)
        self._show_summary(chapters)
        self.rules_button.setEnabled(True)

    def show_rules(self, rules: list[str]) -> None:
        """The podcast's skip rules, in words."""
        quoted = ", ".join(f"“{rule}”" for rule in rules)
        self.rules_label.setText(f"Skipping chapters whose title contains {quoted}.")
        self.rules_label.setVisible(bool(rules))

    def clear(self, text: str = NOTHING_PLAYING_TEXT) -> None:
        self._chapters = ChapterList()
        self.tree.clear()
        self.summary.setText(text)
        self.problems.hide()
        self.rules_label.hide()
        self.rules_button.setEnabled(False)

    def set_image(self, index: int, picture: QPixmap) -> None:
        """A chapter's picture, decoded and shrunk off the GUI thread."""
        item = self.tree.topLevelItem(index)
        if item is not None:
            item.setIcon(TITLE_COLUMN, QIcon(picture))

    def set_current(self, index: int) -> None:
        """Highlight the chapter playing and keep it in view."""
        previous = self.tree.topLevelItem(self._current) if self._current >= 0 else None
        if previous is not None:
            self._mark(previous, False)
        self._current = index
        item = self.tree.topLevelItem(index) if index >= 0 else None
        if item is not None:
            self._mark(item, True)
            self.tree.scrollToItem(item, QAbstractItemView.ScrollHint.EnsureVisible)

    def current(self) -> int:
        return self._current

    def set_skipped(self, skipped: set[int] | frozenset[int]) -> None:
        """Tick the chapters that play; the skipped ones are greyed."""
        self._skipped = skipped
        self._filling = True
        grey = self.palette().brush(QPalette.ColorRole.PlaceholderText)
        link = self.palette().brush(QPalette.ColorRole.Link)
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item is None:
                continue
            skip = index in skipped
            item.setCheckState(
                PLAY_COLUMN, Qt.CheckState.Unchecked if skip else Qt.CheckState.Checked
            )
            item.setToolTip(PLAY_COLUMN, "Skipped: tick to play it" if skip else "Untick to skip")
            for column in (TITLE_COLUMN, START_COLUMN, LENGTH_COLUMN):
                item.setForeground(column, grey if skip else QBrush())
            item.setForeground(LINK_COLUMN, link)
        self._filling = False

    def changeEvent(self, event: QEvent) -> None:
        """A new palette (high contrast, dark) recolours the rows; a new font makes room again."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.set_skipped(self._skipped)
            self.set_current(self._current)
        elif event.type() == QEvent.Type.FontChange:
            self._keep_room_for_titles()

    def _keep_room_for_titles(self) -> None:
        """The list is never so narrow that the other columns squeeze the titles out of view
        (large fonts): the splitter holding the pane gives way instead. Measured from the font
        alone, so the width is the same with or without chapters (and restored sizes hold)."""
        metrics = self.tree.fontMetrics()
        header = self.tree.header()
        clock = metrics.horizontalAdvance("0:00:00") + 2 * metrics.averageCharWidth()
        others = (
            header.sectionSizeHint(PLAY_COLUMN)
            + max(header.sectionSizeHint(START_COLUMN), clock)
            + max(header.sectionSizeHint(LENGTH_COLUMN), clock)
            + metrics.horizontalAdvance("Link")
            + 2 * metrics.averageCharWidth()
        )
        title = THUMBNAIL + TITLE_CHARACTERS * metrics.averageCharWidth()
        chrome = 2 * self.tree.frameWidth() + self.tree.verticalScrollBar().sizeHint().width()
        self.tree.setMinimumWidth(others + title + chrome)

    def _mark(self, item: QTreeWidgetItem, current: bool) -> None:
        self._filling = True
        font = QFont(self.tree.font())
        font.setBold(current)
        brush = self.palette().brush(QPalette.ColorRole.AlternateBase) if current else QBrush()
        for column in range(self.tree.columnCount()):
            item.setFont(column, font)
            item.setBackground(column, brush)
        item.setText(PLAY_COLUMN, "▶" if current else "")
        title = item.text(TITLE_COLUMN)
        item.setData(  # the keyboard starts in this column: it reads as its chapter
            PLAY_COLUMN,
            Qt.ItemDataRole.AccessibleTextRole,
            f"{title}, playing" if current else title,
        )
        self._filling = False

    def _show_summary(self, chapters: ChapterList) -> None:
        count = len(chapters.listed)
        if chapters.source is None or not count:
            self.summary.setText(NO_CHAPTERS_TEXT)
        else:
            noun = "chapter" if count == 1 else "chapters"
            self.summary.setText(f"{count} {noun}, from {chapters.source.label}.")
        self.problems.setText(" ".join(chapters.problems))
        self.problems.setVisible(bool(chapters.problems))

    def _activated(self, item: QTreeWidgetItem) -> None:
        """Enter (in any column: the keyboard starts in the tick column) or a double-click."""
        index = item.data(TITLE_COLUMN, Qt.ItemDataRole.UserRole)
        self.seek_requested.emit(self._chapters.listed[index].start_ms)

    def _clicked(self, item: QTreeWidgetItem, column: int) -> None:
        index = item.data(TITLE_COLUMN, Qt.ItemDataRole.UserRole)
        chapter = self._chapters.listed[index]
        if column == LINK_COLUMN and chapter.url:
            if urlsplit(chapter.url).scheme.lower() in ("http", "https"):
                self.link_requested.emit(chapter.url)
        elif column != PLAY_COLUMN:
            self.seek_requested.emit(chapter.start_ms)

    def _changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != PLAY_COLUMN:
            return
        index = item.data(TITLE_COLUMN, Qt.ItemDataRole.UserRole)
        self.skip_toggled.emit(index, item.checkState(PLAY_COLUMN) == Qt.CheckState.Unchecked)
