"""A list model over the downloads, fed by the manager's progress news on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from podplayer.core.downloads import DownloadManager, DownloadProgress
from podplayer.core.downloads.progress_text import describe
from podplayer.gui.text import plain_tooltip

ProgressRole = Qt.ItemDataRole.UserRole + 1
StatusTextRole = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex


class DownloadRelay(QObject):
    """Carries the manager's progress news (from worker threads) to the GUI thread as a signal."""

    changed = Signal(object)

    def __init__(self, manager: DownloadManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        relay = self._relay
        manager.add_listener(relay)
        self.destroyed.connect(lambda: manager.remove_listener(relay))

    def _relay(self, progress: DownloadProgress) -> None:
        self.changed.emit(progress)


class DownloadsModel(QAbstractListModel):
    """One row per download: the episode's title, its state in words, how far it got."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[DownloadProgress] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        progress = self._rows[index.row()]
        if role == ProgressRole:
            return progress
        if role == Qt.ItemDataRole.DisplayRole:
            return progress.title or f"Episode {progress.episode_id}"
        if role == StatusTextRole:
            return describe(progress)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            title = progress.title or f"Episode {progress.episode_id}"
            text = f"{title}\n{describe(progress)}"
            return plain_tooltip(text) if role == Qt.ItemDataRole.ToolTipRole else text
        return None

    def progress_at(self, row: int) -> DownloadProgress | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, episode_id: int) -> int | None:
        for row, progress in enumerate(self._rows):
            if progress.episode_id == episode_id:
                return row
        return None

    def reset_to(self, downloads: list[DownloadProgress]) -> None:
        self.beginResetModel()
        self._rows = list(downloads)
        self.endResetModel()

    def apply(self, progress: DownloadProgress) -> None:
        """Insert, update or remove the row of ``progress.episode_id``."""
        row = self.row_of(progress.episode_id)
        if progress.removed:
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
            return
        if row is None:
            self.beginInsertRows(QModelIndex(), 0, 0)
            self._rows.insert(0, progress)
            self.endInsertRows()
            return
        self._rows[row] = progress
        self.dataChanged.emit(self.index(row), self.index(row))
