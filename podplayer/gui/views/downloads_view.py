"""The downloads view: every download with its progress, and pause/resume/cancel/retry/delete."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from podplayer.core.downloads import DownloadError, DownloadManager, DownloadProgress
from podplayer.core.downloads.progress_text import describe
from podplayer.core.models import DownloadState
from podplayer.gui.models.downloads_model import DownloadRelay, DownloadsModel, ProgressRole

# Which buttons a download's state enables.
_ACTIONS: dict[str, frozenset[DownloadState]] = {
    "pause": frozenset({DownloadState.QUEUED, DownloadState.DOWNLOADING}),
    "resume": frozenset({DownloadState.PAUSED}),
    "cancel": frozenset(
        {
            DownloadState.QUEUED,
            DownloadState.DOWNLOADING,
            DownloadState.PAUSED,
            DownloadState.FAILED,
        }
    ),
    "retry": frozenset({DownloadState.FAILED, DownloadState.CANCELLED}),
    "delete": frozenset(DownloadState),
}


class ProgressBarDelegate(QStyledItemDelegate):
    """Draws the progress column as a progress bar with the state in words on it."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        progress = index.data(ProgressRole)
        if not isinstance(progress, DownloadProgress):
            super().paint(painter, option, index)
            return
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 2, -2, -2)
        bar.minimum = 0
        bar.maximum = 1000
        fraction = progress.fraction
        if progress.state == DownloadState.COMPLETED:
            fraction = 1.0
        bar.progress = int((fraction or 0.0) * 1000)
        bar.text = describe(progress)
        bar.textVisible = True
        bar.state = option.state
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)


class DownloadsView(QWidget):
    """Lists downloads live; its buttons act on the selected one through the manager."""

    def __init__(self, manager: DownloadManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self.model = DownloadsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(1, ProgressBarDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 320)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        self.buttons: dict[str, QPushButton] = {}
        commands: dict[str, tuple[str, Callable[[int], None]]] = {
            "pause": ("&Pause", manager.pause),
            "resume": ("&Resume", manager.resume),
            "cancel": ("&Cancel", manager.cancel),
            "retry": ("Re&try", manager.retry),
            "delete": ("&Delete file", manager.delete),
        }
        row = QHBoxLayout()
        for name, (label, command) in commands.items():
            button = QPushButton(label, self)
            button.setObjectName(f"downloads-{name}")
            button.clicked.connect(lambda _=False, act=command: self._act(act))
            self.buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)
        self.leftovers_button = QPushButton("Remove leftover partial files", self)
        self.leftovers_button.setObjectName("downloads-leftovers")
        self.leftovers_button.setToolTip(
            "Partial files in podcast folders that belong to no download any more"
        )
        self.leftovers_button.clicked.connect(self._remove_leftovers)
        row.addWidget(self.leftovers_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

        self._relay = DownloadRelay(manager, self)
        self._relay.changed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.dataChanged.connect(self._update_buttons)
        self.model.reset_to(manager.downloads())
        self._update_buttons()
        self.leftovers_button.setVisible(bool(manager.stale_partials()))

    def selected(self) -> DownloadProgress | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.progress_at(rows[0].row()) if rows else None

    def select_episode(self, episode_id: int) -> None:
        row = self.model.row_of(episode_id)
        if row is not None:
            self.table.selectRow(row)

    def _on_progress(self, progress: DownloadProgress) -> None:
        self.model.apply(progress)
        self._update_buttons()

    def _act(self, command: Callable[[int], None]) -> None:
        progress = self.selected()
        if progress is None:
            return
        try:
            command(progress.episode_id)
        except DownloadError as exc:
            self.message.setText(str(exc))
        else:
            self.message.clear()

    def _remove_leftovers(self) -> None:
        removed = self._manager.remove_stale_partials()
        self.message.setText(
            f"Removed {removed} leftover partial file{'s' if removed != 1 else ''}."
        )
        self.leftovers_button.setVisible(bool(self._manager.stale_partials()))

    def _update_buttons(self) -> None:
        progress = self.selected()
        for name, button in self.buttons.items():
            button.setEnabled(progress is not None and progress.state in _ACTIONS[name])
