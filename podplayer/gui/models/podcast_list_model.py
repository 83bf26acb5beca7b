"""The podcasts list: "All podcasts", then each subscription with artwork and unplayed count."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from podplayer.background import BackgroundWork
from podplayer.core.models import Podcast, RefreshStatus
from podplayer.core.storage.library import Library
from podplayer.gui.models.artwork import ArtworkProvider
from podplayer.gui.text import plain_tooltip

PODCAST_ID_ROLE = Qt.ItemDataRole.UserRole + 1
UNPLAYED_ROLE = Qt.ItemDataRole.UserRole + 2
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 3

PROBLEM_STATUSES = {
    RefreshStatus.FAILED: "The last refresh failed",
    RefreshStatus.GONE: "This feed is gone (the server says it was removed) and is not checked",
    RefreshStatus.NEEDS_LOGIN: "This feed asks for a user name and password",
}

Index = QModelIndex | QPersistentModelIndex


def problem_text(podcast: Podcast) -> str:
    """A sentence about a feed that failed or is gone, or "" when it is fine."""
    headline = PROBLEM_STATUSES.get(podcast.refresh_status)
    if headline is None:
        return ""
    reason = podcast.refresh_error.strip()
    return f"{headline}: {reason}" if reason else f"{headline}."


class PodcastListModel(QAbstractListModel):
    """Row 0 is every podcast together; the rest are subscriptions sorted by title."""

    def __init__(
        self, library: Library, artwork: ArtworkProvider, background: BackgroundWork
    ) -> None:
        super().__init__()
        self._library = library
        self._artwork = artwork
        self._background = background
        self._podcasts: list[Podcast] = []
        self._unplayed: dict[int, int] = {}
        self._generation = 0
        artwork.artwork_changed.connect(self._artwork_changed)
        self.reload()

    def reload(self) -> None:
        """Read subscriptions again; the unplayed counts (a scan of every episode) follow."""
        self.beginResetModel()
        self._podcasts = self._library.podcasts.list()
        self.endResetModel()
        self._generation += 1
        generation = self._generation
        self._background.submit(
            self._library.podcasts.unplayed_counts,
            on_done=lambda counts: self._show_counts(generation, counts),
        )

    def _artwork_changed(self, podcast_id: int) -> None:
        row = self.row_of(podcast_id)
        if row:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def _show_counts(self, generation: int, counts: dict[int, int]) -> None:
        if generation != self._generation:
            return
        self._unplayed = counts
        if self._podcasts:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._podcasts), 0))
        else:
            self.dataChanged.emit(self.index(0, 0), self.index(0, 0))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._podcasts) + 1

    def podcast_at(self, row: int) -> Podcast | None:
        """The subscription on a row; None for the "All podcasts" row."""
        return self._podcasts[row - 1] if 0 < row <= len(self._podcasts) else None

    def row_of(self, podcast_id: int | None) -> int:
        for row, podcast in enumerate(self._podcasts, start=1):
            if podcast.id == podcast_id:
                return row
        return 0

    def podcasts(self) -> list[Podcast]:
        return list(self._podcasts)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        podcast = self.podcast_at(index.row())
        if podcast is None:
            return self._all_row(role)
        if role == Qt.ItemDataRole.DisplayRole:
            return podcast.title or podcast.url
        if role == Qt.ItemDataRole.DecorationRole:
            return self._artwork.icon(podcast)
        if role == Qt.ItemDataRole.ToolTipRole:
            problem = problem_text(podcast)
            unplayed = self._unplayed.get(podcast.id or -1, 0)
            lines = [podcast.title or podcast.url, f"{unplayed} unplayed"]
            return plain_tooltip("\n".join([*lines, problem] if problem else lines))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            unplayed = self._unplayed.get(podcast.id or -1, 0)
            return f"{podcast.title or podcast.url}, {unplayed} unplayed"
        if role == PODCAST_ID_ROLE:
            return podcast.id
        if role == UNPLAYED_ROLE:
            return self._unplayed.get(podcast.id or -1, 0)
        if role == PROBLEM_ROLE:
            return problem_text(podcast)
        return None

    def _all_row(self, role: int) -> Any:
        total = sum(self._unplayed.values())
        if role == Qt.ItemDataRole.DisplayRole:
            return "All podcasts"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"Episodes of every podcast, {total} unplayed"
        if role == UNPLAYED_ROLE:
            return total
        if role == PROBLEM_ROLE:
            return ""
        return None
