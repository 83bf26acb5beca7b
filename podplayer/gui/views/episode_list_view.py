"""The episodes column: a filter box, a view selector and the lazily loaded table."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from podplayer.core.models import EpisodeQuery, EpisodeView
from podplayer.gui.keyboard_menus import open_menus_from_keyboard
from podplayer.gui.models.episode_table_model import (
    DATE_COLUMN,
    DURATION_COLUMN,
    PODCAST_COLUMN,
    SORT_BY_COLUMN,
    STATE_COLUMN,
    TITLE_COLUMN,
    EpisodeTableModel,
)

VIEW_LABELS = {
    EpisodeView.ALL: "All episodes",
    EpisodeView.NEW: "New",
    EpisodeView.IN_PROGRESS: "In progress",
    EpisodeView.DOWNLOADED: "Downloaded",
    EpisodeView.PLAYED: "Played",
}
FILTER_DELAY_MS = 200


class EpisodeListView(QWidget):
    """Forwards what the user wants done with episodes; the model reads the library."""

    episode_selected = Signal(object)  # int | None
    play_requested = Signal(int)
    played_requested = Signal(list, bool)  # episode ids, played
    enqueue_requested = Signal(int)
    play_next_requested = Signal(int)
    download_requested = Signal(list)  # episode ids

    def __init__(self, model: EpisodeTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("Filter episodes (Ctrl+F)")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setAccessibleName("Filter episodes")
        self.filter_box.setToolTip("Show only episodes whose title contains this text")
        self.view_selector = QComboBox()
        self.view_selector.setAccessibleName("Episode view")
        self.view_selector.setToolTip("Show all, new, in progress, downloaded or played episodes")
        for view, label in VIEW_LABELS.items():
            self.view_selector.addItem(label, view)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Episode count")
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setAccessibleName("Episodes")
        self.table.setToolTip("Double-click or press Enter to play")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DATE_COLUMN, Qt.SortOrder.DescendingOrder)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setAccessibleName("Episode rows")
        self.table.verticalHeader().setToolTip("Episode rows")
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setAccessibleName("Episode columns")
        header.setToolTip("Click a column title to sort by it; click again to reverse")
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATE_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(STATE_COLUMN, 34)
        header.resizeSection(PODCAST_COLUMN, 130)
        header.resizeSection(DATE_COLUMN, self.fontMetrics().horizontalAdvance("2026-12-31") + 16)
        header.resizeSection(DURATION_COLUMN, self.fontMetrics().horizontalAdvance("Duration") + 24)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        open_menus_from_keyboard(self.table)

        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.view_selector)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_box.textChanged.connect(self._filter_timer.start)
        self.filter_box.returnPressed.connect(self._apply_filter)
        self.view_selector.currentIndexChanged.connect(self._view_changed)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)
        self.table.customContextMenuRequested.connect(self._menu)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        model.loaded.connect(self._loaded)
        model.modelAboutToBeReset.connect(self._remember_selection)
        self._kept_selection: list[int] = []
        self._revealing: int | None = None

    def set_podcast(self, podcast_id: int | None) -> None:
        self.table.setColumnHidden(PODCAST_COLUMN, podcast_id is not None)
        self._model.update_query(podcast_id=podcast_id)

    def show_query(self, query: EpisodeQuery) -> None:
        """Show a remembered selection: its view, its sort order, its podcast."""
        self.view_selector.blockSignals(True)
        self.view_selector.setCurrentIndex(max(0, self.view_selector.findData(query.view)))
        self.view_selector.blockSignals(False)
        column = next(c for c, s in SORT_BY_COLUMN.items() if s is query.sort)
        order = Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(column, order)
        header.blockSignals(False)
        self.table.setColumnHidden(PODCAST_COLUMN, query.podcast_id is not None)
        self._model.set_query(query)

    def focus_filter(self) -> None:
        self.filter_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_box.selectAll()

    def selected_episode_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [eid for eid in (self._model.episode_id(row) for row in rows) if eid is not None]

    def select_episode(self, episode_id: int) -> bool:
        row = self._model.row_of(episode_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self._model.index(row, TITLE_COLUMN))
        return True

    def reveal(self, episode_id: int) -> None:
        """Select the episode now, or once the list has loaded (after a change of podcast)."""
        if not self.select_episode(episode_id):
            self._revealing = episode_id

    def _apply_filter(self) -> None:
        self._filter_timer.stop()
        if self.filter_box.text() != self._model.query().text:
            self._model.update_query(text=self.filter_box.text())

    def _view_changed(self) -> None:
        self._model.update_query(view=EpisodeView(self.view_selector.currentData()))

    def _remember_selection(self) -> None:
        self._kept_selection = self.selected_episode_ids()

    def _loaded(self, count: int) -> None:
        """A reload keeps the selected episode selected when it is still listed."""
        self.count_label.setText(f"{count:,} episode" + ("" if count == 1 else "s"))
        kept = [self._revealing] if self._revealing is not None else self._kept_selection[:1]
        self._kept_selection = []
        self._revealing = None
        if not (kept and self.select_episode(kept[0])):
            self.episode_selected.emit(None)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.episode_selected.emit(self._model.episode_id(current.row()))

    def _activated(self, index: QModelIndex) -> None:
        episode_id = self._model.episode_id(index.row())
        if episode_id is not None:
            self.play_requested.emit(episode_id)

    def _enqueue(self, episode_ids: list[int]) -> None:
        for episode_id in episode_ids:
            self.enqueue_requested.emit(episode_id)

    def _menu(self, point: QPoint) -> None:
        # The menu is for the row asked at (the current one from the keyboard): select it first
        # unless it is part of the selection already.
        index = self.table.indexAt(point)
        selection = self.table.selectionModel()
        if index.isValid() and not selection.isRowSelected(index.row(), index.parent()):
            self.table.selectRow(index.row())
        ids = self.selected_episode_ids()
        if not ids:
            return
        menu = QMenu(self)
        first = ids[0]
        menu.addAction("Play").triggered.connect(lambda: self.play_requested.emit(first))
        menu.addAction("Play next").triggered.connect(lambda: self.play_next_requested.emit(first))
        menu.addAction("Add to Up Next").triggered.connect(lambda: self._enqueue(ids))
        menu.addAction("Download").triggered.connect(lambda: self.download_requested.emit(ids))
        menu.addSeparator()
        menu.addAction("Mark as played").triggered.connect(
            lambda: self.played_requested.emit(ids, True)
        )
        menu.addAction("Mark as unplayed").triggered.connect(
            lambda: self.played_requested.emit(ids, False)
        )
        menu.exec(self.table.viewport().mapToGlobal(point))
