"""Directory search results as a list: artwork, title, and a line of what the directories know."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import QApplication

from podplayer.core.directories.results import DirectoryResult, feed_key, merge_results
from podplayer.gui.models.artwork import ArtworkProvider

RESULT_ROLE = Qt.ItemDataRole.UserRole + 1
SUBSCRIBED_ROLE = Qt.ItemDataRole.UserRole + 2

AnyIndex = QModelIndex | QPersistentModelIndex


class SubscribedFeeds:
    """The library's feeds, to mark results already subscribed (same URL key or podcast:guid)."""

    def __init__(self, urls: list[str], guids: list[str]) -> None:
        self._keys = {feed_key(url) for url in urls}
        self._guids = {guid for guid in guids if guid}

    def __contains__(self, result: object) -> bool:
        if not isinstance(result, DirectoryResult):
            return False
        return feed_key(result.feed_url) in self._keys or (
            bool(result.podcast_guid) and result.podcast_guid in self._guids
        )


def details_line(result: DirectoryResult, subscribed: bool) -> str:
    """“Author · 120 episodes · latest 3 May 2024 · iTunes, fyyd” (plain text)."""
    parts = [result.author] if result.author else []
    if result.episode_count is not None:
        count = result.episode_count
        parts.append(f"{count} episode{'s' if count != 1 else ''}")
    if result.last_published is not None:
        day = datetime.fromtimestamp(result.last_published, UTC)
        parts.append(f"latest {day.day} {day:%b %Y}")
    parts.append(", ".join(result.sources))
    if subscribed:
        parts.append("✓ subscribed")
    return " · ".join(parts)


class DirectoryResultsModel(QAbstractListModel):
    """Grows as each directory answers; merging keeps one row per feed."""

    def __init__(self, artwork: ArtworkProvider | None, subscribed: SubscribedFeeds) -> None:
        super().__init__()
        self._artwork = artwork
        self._subscribed = subscribed
        self._results: list[DirectoryResult] = []
        if artwork is not None:
            artwork.remote_artwork_changed.connect(self._artwork_arrived)

    def results(self) -> list[DirectoryResult]:
        return list(self._results)

    def clear(self) -> None:
        self.beginResetModel()
        self._results = []
        self.endResetModel()

    def add(self, arriving: list[DirectoryResult]) -> None:
        """Merge one directory's answer in: new feeds are appended, known ones gain a source."""
        merged = merge_results(self._results, arriving)
        known = len(self._results)
        if known:
            self._results[:] = merged[:known]
            self.dataChanged.emit(self.index(0), self.index(known - 1))
        if len(merged) > known:
            self.beginInsertRows(QModelIndex(), known, len(merged) - 1)
            self._results = merged
            self.endInsertRows()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._results)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._results):
            return None
        result = self._results[index.row()]
        subscribed = result in self._subscribed
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{result.title or result.feed_url}\n{details_line(result, subscribed)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return result.feed_url
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{result.title or result.feed_url}. {details_line(result, subscribed)}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(result)
        if role == Qt.ItemDataRole.ForegroundRole and subscribed:
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == RESULT_ROLE:
            return result
        if role == SUBSCRIBED_ROLE:
            return subscribed
        return None

    def _icon(self, result: DirectoryResult) -> QIcon | None:
        if self._artwork is None:
            return None
        return self._artwork.remote_icon(result.artwork_url, result.title)

    def _artwork_arrived(self, url: str) -> None:
        for row, result in enumerate(self._results):
            if result.artwork_url == url:
                index = self.index(row)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
