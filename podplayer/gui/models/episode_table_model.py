"""Episodes as a table over SQLite: ids load in the background, rows load lazily in pages."""

from __future__ import annotations

import dataclasses
from array import array
from collections import OrderedDict
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPalette

from podplayer.background import BackgroundWork
from podplayer.core.downloads import DownloadProgress
from podplayer.core.downloads.progress_text import describe
from podplayer.core.models import DownloadState, EpisodeQuery, EpisodeSort, EpisodeSummary
from podplayer.core.storage.library import Library
from podplayer.gui.text import format_duration, plain_tooltip

PAGE_SIZE = 200
PAGES_KEPT = 32
EPISODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

STATE_COLUMN, TITLE_COLUMN, PODCAST_COLUMN, DATE_COLUMN, DURATION_COLUMN = range(5)
HEADERS = ("", "Title", "Podcast", "Published", "Duration")
SORT_BY_COLUMN = {
    TITLE_COLUMN: EpisodeSort.TITLE,
    DATE_COLUMN: EpisodeSort.DATE,
    DURATION_COLUMN: EpisodeSort.DURATION,
}

Index = QModelIndex | QPersistentModelIndex
UNFINISHED_DOWNLOAD = frozenset(
    {DownloadState.QUEUED, DownloadState.DOWNLOADING, DownloadState.PAUSED}
)


def state_symbol(episode: EpisodeSummary) -> tuple[str, str]:
    """A short mark and its meaning for an episode's play and download state."""
    if episode.played:
        mark, meaning = "✓", "Played"
    elif episode.position_ms > 0:
        mark, meaning = "◐", f"In progress at {format_duration(episode.position_ms // 1000)}"
    else:
        mark, meaning = "●", "New"
    if episode.downloaded:
        return f"{mark}↓", f"{meaning}, downloaded"
    return mark, meaning


class EpisodeTableModel(QAbstractTableModel):
    """Shows the episodes an EpisodeQuery matches; smooth at 100,000 rows."""

    loaded = Signal(int)  # number of rows after a query finished loading

    def __init__(self, library: Library, background: BackgroundWork) -> None:
        super().__init__()
        self._library = library
        self._background = background
        self._query = EpisodeQuery()
        self._ids: array[int] = array("q")
        self._pages: OrderedDict[int, list[EpisodeSummary]] = OrderedDict()
        self._generation = 0
        self._bold = QFont()
        self._bold.setBold(True)
        self._downloads: dict[int, DownloadProgress] = {}

    def query(self) -> EpisodeQuery:
        return self._query

    def set_query(self, query: EpisodeQuery) -> None:
        """Show another selection; the ids are read off the GUI thread."""
        self._query = query
        self.reload()

    def update_query(self, **changes: Any) -> None:
        """Change parts of the query; once loaded, nothing is read again when nothing changed."""
        query = dataclasses.replace(self._query, **changes)
        if query != self._query or self._generation == 0:
            self.set_query(query)

    def reload(self) -> None:
        """Read the list again with the same query (after a refresh or a change of state)."""
        self._generation += 1
        generation = self._generation
        self._background.submit(
            self._library.episodes.ids_matching,
            self._query,
            on_done=lambda ids: self._show(generation, ids),
        )

    def _show(self, generation: int, ids: array[int]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()
        self.loaded.emit(len(ids))

    def forget_rows(self) -> None:
        """Drop cached rows so the next paint reads fresh play state."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(HEADERS) - 1)
            )

    def show_download(self, progress: DownloadProgress) -> None:
        """Show an unfinished download's progress on its episode's row (finished ones: ↓)."""
        if progress.state in UNFINISHED_DOWNLOAD and not progress.removed:
            self._downloads[progress.episode_id] = progress
        elif self._downloads.pop(progress.episode_id, None) is None:
            return
        row = self.row_of(progress.episode_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def episode_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, episode_id: int) -> int | None:
        try:
            return self._ids.index(episode_id)
        except ValueError:
            return None

    def summary(self, row: int) -> EpisodeSummary | None:
        if not 0 <= row < len(self._ids):
            return None
        page_number = row // PAGE_SIZE
        page = self._pages.get(page_number)
        if page is None:
            start = page_number * PAGE_SIZE
            page = self._library.episodes.summaries(self._ids[start : start + PAGE_SIZE])
            self._pages[page_number] = page
            while len(self._pages) > PAGES_KEPT:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        offset = row % PAGE_SIZE
        if offset < len(page) and page[offset].id == self._ids[row]:
            return page[offset]
        return next((item for item in page if item.id == self._ids[row]), None)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return "Played, in progress or new" if section == STATE_COLUMN else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        episode = self.summary(index.row())
        if episode is None:
            return None
        column = index.column()
        if role == EPISODE_ID_ROLE:
            return episode.id
        download = self._downloads.get(episode.id)
        if download is not None and column in (STATE_COLUMN, DURATION_COLUMN):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._download_display(episode, download, column)
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{state_symbol(episode)[1]}; download: {describe(download)}"
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(episode, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(episode, column)
        if role == Qt.ItemDataRole.FontRole and not episode.played and episode.position_ms == 0:
            return self._bold if column == TITLE_COLUMN else None
        if role == Qt.ItemDataRole.ForegroundRole and episode.played:
            return QPalette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == DURATION_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _download_display(episode: EpisodeSummary, download: DownloadProgress, column: int) -> str:
        if column == STATE_COLUMN:
            return state_symbol(episode)[0].rstrip("↓") + "⇣"
        fraction = download.fraction
        if download.state == DownloadState.PAUSED:
            return "paused"
        return f"↓ {int(fraction * 100)}%" if fraction is not None else "↓"

    @staticmethod
    def _display(episode: EpisodeSummary, column: int) -> str:
        if column == STATE_COLUMN:
            return state_symbol(episode)[0]
        if column == TITLE_COLUMN:
            return episode.title or "(untitled episode)"
        if column == PODCAST_COLUMN:
            return episode.podcast_title
        if column == DATE_COLUMN:
            if episode.published is None:
                return ""
            return datetime.fromtimestamp(episode.published).strftime("%Y-%m-%d")
        if column == DURATION_COLUMN:
            return format_duration(episode.duration_s) if episode.duration_s else ""
        return ""

    @staticmethod
    def _tooltip(episode: EpisodeSummary, column: int) -> str:
        if column == STATE_COLUMN:
            return state_symbol(episode)[1]
        return plain_tooltip(f"{episode.title}\n{episode.podcast_title}")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        sort = SORT_BY_COLUMN.get(column)
        if sort is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (sort, descending) != (self._query.sort, self._query.descending):
            self.update_query(sort=sort, descending=descending)
