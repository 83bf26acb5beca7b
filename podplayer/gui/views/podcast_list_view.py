"""The podcasts column: artwork, title, unplayed count and a warning mark for failing feeds."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from podplayer.gui.keyboard_menus import open_menus_from_keyboard
from podplayer.gui.models.podcast_list_model import (
    PODCAST_ID_ROLE,
    PROBLEM_ROLE,
    UNPLAYED_ROLE,
    PodcastListModel,
)

ICON_SIZE = 40
WARNING_MARK = "⚠"


class PodcastRowDelegate(QStyledItemDelegate):
    """Draws the row as usual, then the unplayed count and a warning mark at the right edge."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), ICON_SIZE + 8))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        badges = self._badges(index)
        width = option.fontMetrics.horizontalAdvance(badges) + 16 if badges else 0
        shrunk = QStyleOptionViewItem(option)
        shrunk.rect = option.rect.adjusted(0, 0, -width, 0)
        super().paint(painter, shrunk, index)
        if not badges:
            return
        painter.save()
        area = QRect(
            option.rect.right() - width, option.rect.top(), width - 6, option.rect.height()
        )
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(
                area.adjusted(-6, 0, 6, 0), option.palette.brush(QPalette.ColorRole.Highlight)
            )
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        unplayed = index.data(UNPLAYED_ROLE) or 0
        count = f"{unplayed:,}" if unplayed else ""
        painter.setPen(option.palette.color(role))
        painter.drawText(area, align, count)
        if index.data(PROBLEM_ROLE):
            painter.setPen(QColor("#c0392b") if not selected else option.palette.color(role))
            shift = option.fontMetrics.horizontalAdvance(f"  {count}") if count else 0
            painter.drawText(area.adjusted(0, 0, -shift, 0), align, WARNING_MARK)
        painter.restore()

    @staticmethod
    def _badges(index: QModelIndex | QPersistentModelIndex) -> str:
        parts = []
        if index.data(PROBLEM_ROLE):
            parts.append(WARNING_MARK)
        unplayed = index.data(UNPLAYED_ROLE) or 0
        if unplayed:
            parts.append(f"{unplayed:,}")
        return "  ".join(parts)


class PodcastListView(QListView):
    """Selecting a row shows its episodes; its menu refreshes, unsubscribes, allows images."""

    podcast_selected = Signal(object)  # int | None (None: all podcasts)
    refresh_requested = Signal(int)
    unsubscribe_requested = Signal(int)
    remote_images_toggled = Signal(int, bool)
    auto_download_toggled = Signal(int, bool)

    def __init__(self, model: PodcastListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._model = model
        self.setAccessibleName("Podcasts")
        self.setToolTip("Your podcasts: pick one to see its episodes")
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.setItemDelegate(PodcastRowDelegate(self))
        self.setUniformItemSizes(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        open_menus_from_keyboard(self)
        self.customContextMenuRequested.connect(self._menu)
        self.selectionModel().currentChanged.connect(self._current_changed)
        model.modelReset.connect(self._reselect)
        self._selected_id: int | None = None
        remove = QAction("Unsubscribe", self)
        remove.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self._unsubscribe_selected)
        self.addAction(remove)
        self.setCurrentIndex(model.index(0, 0))

    def selected_podcast_id(self) -> int | None:
        return self._selected_id

    def select_podcast(self, podcast_id: int | None) -> None:
        self.setCurrentIndex(self._model.index(self._model.row_of(podcast_id), 0))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        podcast_id = current.data(PODCAST_ID_ROLE) if current.isValid() else None
        if podcast_id != self._selected_id:
            self._selected_id = podcast_id
            self.podcast_selected.emit(podcast_id)

    def _reselect(self) -> None:
        row = self._model.row_of(self._selected_id)
        self.selectionModel().blockSignals(True)
        self.setCurrentIndex(self._model.index(row, 0))
        self.selectionModel().blockSignals(False)
        if row == 0 and self._selected_id is not None:
            self._selected_id = None
            self.podcast_selected.emit(None)

    def _unsubscribe_selected(self) -> None:
        if self._selected_id is not None:
            self.unsubscribe_requested.emit(self._selected_id)

    def _menu(self, point: QPoint) -> None:
        # The Menu key or Shift+F10 asks at a point that may hold no row: the current one then.
        index = self.indexAt(point)
        podcast = self._model.podcast_at((index if index.isValid() else self.currentIndex()).row())
        if podcast is None or podcast.id is None:
            return
        podcast_id = podcast.id
        menu = QMenu(self)
        menu.addAction("Refresh").triggered.connect(lambda: self.refresh_requested.emit(podcast_id))
        images = menu.addAction("Show images in show notes")
        images.setCheckable(True)
        images.setChecked(podcast.allow_remote_images)
        images.toggled.connect(lambda on: self.remote_images_toggled.emit(podcast_id, on))
        auto = menu.addAction("Download new episodes automatically")
        auto.setCheckable(True)
        auto.setChecked(podcast.auto_download)
        auto.toggled.connect(lambda on: self.auto_download_toggled.emit(podcast_id, on))
        menu.addSeparator()
        menu.addAction("Unsubscribe… (Delete)").triggered.connect(
            lambda: self.unsubscribe_requested.emit(podcast_id)
        )
        menu.exec(self.viewport().mapToGlobal(point))
