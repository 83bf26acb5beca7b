"""The downloads view: every download with its progress, and pause/resume/cancel/retry/delete.

Built to fit a narrow side panel: a toolbar that folds into a menu, rows of a title over a bar.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFontMetrics, QPainter, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from podplayer.core.downloads import DownloadProgress
from podplayer.core.downloads.progress_text import describe
from podplayer.core.models import DownloadState
from podplayer.gui.downloads_session import DownloadsSession
from podplayer.gui.keyboard_menus import open_menus_from_keyboard
from podplayer.gui.models.downloads_model import DownloadsModel, ProgressRole

# Which actions a download's state enables.
_ENABLED_IN: dict[str, frozenset[DownloadState]] = {
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
ROW_PADDING = 4


class DownloadRowDelegate(QStyledItemDelegate):
    """Paints a row as the episode title over a progress bar that says the state in words."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = QFontMetrics(option.font).height()
        return QSize(160, 2 * line + 3 * ROW_PADDING + 4)

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
        widget = option.widget
        style = widget.style() if widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        rect = option.rect.adjusted(ROW_PADDING, ROW_PADDING, -ROW_PADDING, -ROW_PADDING)
        metrics = QFontMetrics(option.font)
        title_rect = rect.adjusted(0, 0, 0, -(rect.height() - metrics.height()))
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        if selected:
            painter.setPen(option.palette.highlightedText().color())
        title = str(index.data(Qt.ItemDataRole.DisplayRole))
        painter.drawText(
            title_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            metrics.elidedText(title, Qt.TextElideMode.ElideRight, title_rect.width()),
        )
        painter.restore()
        bar = QStyleOptionProgressBar()
        bar.rect = rect.adjusted(0, metrics.height() + ROW_PADDING, 0, 0)
        bar.minimum = 0
        bar.maximum = 1000
        fraction = 1.0 if progress.state == DownloadState.COMPLETED else progress.fraction
        bar.progress = int((fraction or 0.0) * 1000)
        bar.text = metrics.elidedText(
            describe(progress), Qt.TextElideMode.ElideRight, bar.rect.width() - 8
        )
        bar.textVisible = True
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.fontMetrics = metrics
        bar.palette = option.palette
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)


class ElidedLabel(QLabel):
    """A one-line label that shortens its text in the middle to fit, the whole text as tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full_text = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str, tooltip: str) -> None:
        self._full_text = text
        self.setToolTip(tooltip)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(
            self.fontMetrics().elidedText(
                self._full_text, Qt.TextElideMode.ElideMiddle, max(40, self.width())
            )
        )


class DownloadsView(QWidget):
    """Lists downloads live; its actions act on the selected one through the session."""

    files_changed = Signal()  # a download completed or its file was deleted
    progress_changed = Signal(object)  # DownloadProgress, on the GUI thread
    listed = Signal()  # the whole list was read afresh

    def __init__(self, session: DownloadsSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.model = DownloadsModel(self)
        self.list_view = QListView(self)
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(DownloadRowDelegate(self.list_view))
        self.list_view.setAccessibleName("Downloads")
        self.list_view.setToolTip(
            "Episodes being downloaded and downloaded; right-click one to act"
        )
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setUniformItemSizes(True)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        open_menus_from_keyboard(self.list_view)
        self.list_view.customContextMenuRequested.connect(self._menu)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        self.toolbar = QToolBar("Download actions", self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions_by_name: dict[str, QAction] = {}
        commands: dict[str, tuple[str, str, Callable[[int], None]]] = {
            "pause": ("Pause", "Pause the selected download; Resume continues it", session.pause),
            "resume": ("Resume", "Continue the selected download where it stopped", session.resume),
            "cancel": ("Cancel", "Stop the selected download", session.cancel),
            "retry": ("Retry", "Try the selected failed download again", session.retry),
            "delete": (
                "Delete file",
                "Delete the selected episode's downloaded file",
                session.delete,
            ),
        }
        for name, (label, tooltip, command) in commands.items():
            action = QAction(label, self)
            action.setObjectName(f"downloads-{name}")
            action.setToolTip(tooltip)
            action.triggered.connect(lambda _=False, act=command: self._act(act))
            self.toolbar.addAction(action)
            self.actions_by_name[name] = action
        self.leftovers_action = QAction("Remove leftover partial files", self)
        self.leftovers_action.setToolTip(
            "Partial files in podcast folders that belong to no download any more"
        )
        self.leftovers_action.triggered.connect(session.remove_leftovers)
        self.leftovers_action.setVisible(False)  # until the view is shown (showEvent)
        self.toolbar.addAction(self.leftovers_action)
        for action in self.toolbar.actions():
            button = self.toolbar.widgetForAction(action)
            if button is not None:
                button.setAccessibleName(action.text())

        self.folder_label = ElidedLabel(self)
        folder_button = QPushButton("Change folder…", self)
        folder_button.setObjectName("downloads-folder")
        folder_button.setAccessibleName("Change download folder")
        folder_button.setToolTip("Where new downloads go; downloaded files stay where they are")
        folder_button.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(folder_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.list_view, 1)
        layout.addLayout(folder_row)
        layout.addWidget(self.message)

        session.progress.connect(self._on_progress)
        session.listed.connect(self._show_list)
        session.leftovers_found.connect(self.leftovers_action.setVisible)
        session.message.connect(self.message.setText)
        session.folder_changed.connect(self._show_folder)
        self.list_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.dataChanged.connect(self._update_actions)
        self.reload()
        self._show_folder(str(session.download_folder()))

    def reload(self) -> None:
        """List the downloads afresh (after a previous run's were restored); on a worker."""
        self._session.list_all()

    def _show_list(self, downloads: list[DownloadProgress]) -> None:
        self.model.reset_to(downloads)
        self._update_actions()
        self.listed.emit()

    def showEvent(self, event: QShowEvent) -> None:
        """Leftover partial files are looked for when the list is shown, on a worker: with many
        podcasts the look (a folder per podcast) takes ~10 ms."""
        super().showEvent(event)
        self._look_for_leftovers()

    def _look_for_leftovers(self) -> None:
        self._session.look_for_leftovers()

    def selected(self) -> DownloadProgress | None:
        rows = self.list_view.selectionModel().selectedRows()
        return self.model.progress_at(rows[0].row()) if rows else None

    def current(self) -> list[DownloadProgress]:
        """The downloads as listed now (for views that show them elsewhere, say episode rows)."""
        return [
            progress
            for row in range(self.model.rowCount())
            if (progress := self.model.progress_at(row)) is not None
        ]

    def select_episode(self, episode_id: int) -> None:
        row = self.model.row_of(episode_id)
        if row is not None:
            self.list_view.setCurrentIndex(self.model.index(row))

    def choose_folder(self) -> None:
        """Ask for a new download folder (new downloads only; nothing is moved)."""
        chosen = QFileDialog.getExistingDirectory(
            self, "Download folder", str(self._session.download_folder())
        )
        if chosen:
            self._session.set_download_folder(Path(chosen))

    def _show_folder(self, folder: str) -> None:
        self.folder_label.set_full_text(f"Folder: {folder}", folder)

    def _menu(self, point: QPoint) -> None:
        # The Menu key or Shift+F10 asks at a point that may hold no row: the current one then.
        index = self.list_view.indexAt(point)
        if not index.isValid():
            index = self.list_view.currentIndex()
        if not index.isValid():
            return
        self.list_view.setCurrentIndex(index)
        menu = QMenu(self)
        for action in self.actions_by_name.values():
            if action.isEnabled():
                menu.addAction(action)
        menu.exec(self.list_view.viewport().mapToGlobal(point))

    def _on_progress(self, progress: DownloadProgress) -> None:
        before = self.model.row_of(progress.episode_id)
        old = self.model.progress_at(before) if before is not None else None
        self.model.apply(progress)
        self._update_actions()
        self.progress_changed.emit(progress)
        was_complete = old is not None and old.state == DownloadState.COMPLETED
        if was_complete or progress.state == DownloadState.COMPLETED:
            self.files_changed.emit()

    def _act(self, command: Callable[[int], None]) -> None:
        progress = self.selected()
        if progress is not None:
            command(progress.episode_id)

    def _selection_changed(self) -> None:
        """Say in full why a selected download failed (its row has room for a few words)."""
        progress = self.selected()
        failed = progress is not None and progress.state == DownloadState.FAILED
        self.message.setText(progress.error if progress is not None and failed else "")
        self._update_actions()

    def _update_actions(self) -> None:
        progress = self.selected()
        for name, action in self.actions_by_name.items():
            action.setEnabled(progress is not None and progress.state in _ENABLED_IN[name])
