"""Search the whole library: a field, a podcast filter and an order; hits grouped by episode.

Feed text is never read as markup: a hit's snippet is laid out as plain text with its matched
words set in bold by character ranges (QTextLayout formats), not by HTML.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QIcon,
    QKeyEvent,
    QPainter,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from podplayer.core.search.index import EpisodeResult, Hit
from podplayer.core.search.passages import HitKind
from podplayer.core.transcripts.timestamps import format_clock
from podplayer.gui.accessibility import announce

EPISODE_ROLE = Qt.ItemDataRole.UserRole + 1
START_ROLE = Qt.ItemDataRole.UserRole + 2
HIGHLIGHTS_ROLE = Qt.ItemDataRole.UserRole + 3
LABEL_ROLE = Qt.ItemDataRole.UserRole + 4
ARTWORK_SIZE = 40
KIND_LABELS = {HitKind.TITLE: "In the title", HitKind.NOTES: "In the notes"}
ORDERS = (("best", "Best match first"), ("newest", "Newest first"))
ALL_PODCASTS = "All podcasts"
SEARCHING = "Searching…"
RESULT_KEYS = frozenset({Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown})


class LibrarySearchView(QWidget):
    """Emits what the user asks for; ``show_results`` and ``show_message`` show the answers."""

    query_changed = Signal(str, object, str)  # text, podcast id or None, "best" | "newest"
    hit_activated = Signal(int, object)  # episode id, start ms or None (notes, title)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setPlaceholderText("Search what was said, show notes and titles")
        self.field.setAccessibleName("Search the library")
        self.field.setToolTip(
            'Words anywhere in transcripts, notes or titles. "a phrase", prefix*, -leave out, '
            "OR. Enter plays the selected moment"
        )
        self.field.setClearButtonEnabled(True)
        self.podcast_filter = QComboBox()
        self.podcast_filter.setAccessibleName("Search in podcast")
        self.podcast_filter.setToolTip("Search every podcast, or only one")
        self.podcast_filter.addItem(ALL_PODCASTS, None)
        self.order = QComboBox()
        self.order.setToolTip("Episodes with the most matches first, or the newest first")
        self.order.setAccessibleName("Order of results")
        for value, text in ORDERS:
            self.order.addItem(text, value)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.model = QStandardItemModel(self)
        self.results = ResultsTree()
        self.results.setAccessibleName("Search results")
        self.results.setToolTip(
            "Episodes that hold the words. Enter or double-click a moment to play from it"
        )
        self.results.setModel(self.model)
        self.results.setHeaderHidden(True)
        self.results.setRootIsDecorated(False)
        self.results.setItemsExpandable(False)
        self.results.setUniformRowHeights(False)
        self.results.setWordWrap(True)
        self.results.setIconSize(QSize(ARTWORK_SIZE, ARTWORK_SIZE))
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.activated.connect(self._activated)

        filters = QHBoxLayout()
        filters.addWidget(buddy_label("&In:", self.podcast_filter))
        filters.addWidget(self.podcast_filter, 1)
        filters.addWidget(buddy_label("O&rder:", self.order))
        filters.addWidget(self.order)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)

        self.field.installEventFilter(self)
        self.field.textChanged.connect(self._changed)
        self.field.returnPressed.connect(self._activate_current)
        self.podcast_filter.currentIndexChanged.connect(self._changed)
        self.order.currentIndexChanged.connect(self._changed)

    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def set_podcasts(self, podcasts: list[tuple[int, str]]) -> None:
        """The filter's choices; the chosen podcast stays chosen while it exists."""
        chosen = self.podcast_filter.currentData()
        self.podcast_filter.blockSignals(True)
        self.podcast_filter.clear()
        self.podcast_filter.addItem(ALL_PODCASTS, None)
        for podcast_id, title in podcasts:
            self.podcast_filter.addItem(title or f"Podcast {podcast_id}", podcast_id)
        found = self.podcast_filter.findData(chosen)
        self.podcast_filter.setCurrentIndex(max(0, found))
        self.podcast_filter.blockSignals(False)
        if chosen is not None and found < 0:
            self._changed()

    def show_results(self, results: list[EpisodeResult], icons: dict[int, QIcon]) -> None:
        self.model.clear()
        for result in results:
            episode = result.episode
            date = (
                datetime.fromtimestamp(episode.published, UTC).strftime("%-d %b %Y")
                if episode.published is not None
                else ""
            )
            heading = QStandardItem(
                f"{episode.title}\n{' · '.join(p for p in (episode.podcast_title, date) if p)}"
            )
            heading.setData(episode.episode_id, EPISODE_ROLE)
            heading.setToolTip(f"{episode.podcast_title}: {episode.title}")
            icon = icons.get(episode.podcast_id)
            if icon is not None:
                heading.setIcon(icon)
            for hit in result.hits:
                heading.appendRow(_hit_item(episode.episode_id, hit))
            self.model.appendRow(heading)
        self.results.expandAll()
        count = len(results)
        self.status.setText(
            f"{count} episode{'s' if count != 1 else ''}" if results else "Nothing found."
        )
        announce(self, f"{self.status.text()} found." if results else self.status.text())
        if results:
            first_hit = self.model.index(0, 0, self.model.index(0, 0))
            self.results.setCurrentIndex(first_hit)

    def show_message(self, sentence: str) -> None:
        """A sentence instead of results (a query that cannot be searched, an empty field)."""
        self.model.clear()
        self.status.setText(sentence)
        announce(self, sentence)

    def current_query(self) -> tuple[str, int | None, str]:
        return (
            self.field.text(),
            self.podcast_filter.currentData(),
            str(self.order.currentData()),
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Up, Down, Page Up and Page Down in the field move through the results."""
        if (
            watched is self.field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in RESULT_KEYS
        ):
            QApplication.sendEvent(self.results, event)
            return True
        return super().eventFilter(watched, event)

    def _changed(self) -> None:
        self.status.setText(SEARCHING)
        self.query_changed.emit(*self.current_query())

    def _activate_current(self) -> None:
        index = self.results.currentIndex()
        if index.isValid():
            self._activated(index)

    def _activated(self, index: QModelIndex) -> None:
        episode_id = index.data(EPISODE_ROLE)
        if episode_id is not None:
            self.hit_activated.emit(int(episode_id), index.data(START_ROLE))


def buddy_label(text: str, control: QWidget) -> QLabel:
    """A visible label naming a control; screen readers read it with the control (labelled-by),
    and Alt with its underlined letter moves there."""
    label = QLabel(text)
    label.setBuddy(control)
    return label


def _hit_item(episode_id: int, hit: Hit) -> QStandardItem:
    where = KIND_LABELS.get(hit.kind, "")
    if hit.start_ms is not None:
        where = f"{format_clock(hit.start_ms)}" + (f" · {where.lower()}" if where else "")
    item = QStandardItem(hit.snippet)
    item.setData(episode_id, EPISODE_ROLE)
    item.setData(hit.start_ms, START_ROLE)
    item.setData(list(hit.highlights), HIGHLIGHTS_ROLE)
    item.setData(where, LABEL_ROLE)
    action = "Enter plays from here" if hit.start_ms is not None else "Enter shows the episode"
    item.setToolTip(f"{where}: {action}" if where else action)
    item.setAccessibleText(f"{where}. {hit.snippet}" if where else hit.snippet)
    return item


def label_font(font: QFont) -> QFont:
    """A hit's time or place, a little smaller than its words."""
    smaller = QFont(font)
    smaller.setPointSizeF(max(6.0, font.pointSizeF() * 0.9))
    return smaller


class ResultsTree(QTreeView):
    """A tree whose wrapped rows are measured again when its width changes."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.doItemsLayout()


class HitDelegate(QStyledItemDelegate):
    """Paints a hit: its time or place in a narrow column, then the snippet with matches in bold."""

    PADDING = 4

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self._tree = tree

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if index.data(HIGHLIGHTS_ROLE) is None:
            self._paint_heading(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget is not None else None
        text = option.text
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = (
            option.palette.ColorRole.HighlightedText if selected else option.palette.ColorRole.Text
        )
        painter.save()
        painter.setPen(option.palette.color(role))
        rect = option.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        label_width = self.label_width(option.font)
        painter.setFont(label_font(option.font))
        painter.drawText(
            rect.adjusted(0, 0, -(rect.width() - label_width), 0),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
            str(index.data(LABEL_ROLE) or ""),
        )
        layout = self._layout(text, index.data(HIGHLIGHTS_ROLE), option.font, rect.width())
        layout.draw(painter, QPointF(rect.left() + label_width, rect.top()))
        painter.restore()

    def _paint_heading(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """The episode's title in bold, its podcast and date below in the normal weight."""
        self.initStyleOption(option, index)
        title, _, subtitle = str(index.data()).partition("\n")
        option.text = ""
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = (
            option.palette.ColorRole.HighlightedText if selected else option.palette.ColorRole.Text
        )
        left = option.rect.left() + ARTWORK_SIZE + 3 * self.PADDING
        width = option.rect.right() - left - self.PADDING
        painter.save()
        painter.setPen(option.palette.color(role))
        bold = QFont(option.font)
        bold.setBold(True)
        line = option.fontMetrics.height()
        top = option.rect.top() + (option.rect.height() - 2 * line) // 2
        painter.setFont(bold)
        painter.drawText(
            QRect(left, top, width, line),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            QFontMetrics(bold).elidedText(title, Qt.TextElideMode.ElideRight, width),
        )
        painter.setFont(option.font)
        painter.drawText(
            QRect(left, top + line, width, line),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            option.fontMetrics.elidedText(subtitle, Qt.TextElideMode.ElideRight, width),
        )
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        if index.data(HIGHLIGHTS_ROLE) is None:
            hint = super().sizeHint(option, index)
            return QSize(hint.width(), max(hint.height(), ARTWORK_SIZE + 2 * self.PADDING))
        width = self._tree.viewport().width() - self._tree.indentation()
        layout = self._layout(
            str(index.data()), index.data(HIGHLIGHTS_ROLE), option.font, width - 2 * self.PADDING
        )
        label = QFontMetrics(label_font(option.font)).boundingRect(
            QRect(0, 0, self.label_width(option.font) - self.PADDING, 10_000),
            int(Qt.TextFlag.TextWordWrap),
            str(index.data(LABEL_ROLE) or ""),
        )
        height = max(layout.boundingRect().height(), label.height())
        return QSize(width, int(height) + 2 * self.PADDING + 2)

    def label_width(self, font: QFont) -> int:
        """The column for a hit's time or place: as wide as its longest words in this font."""
        metrics = QFontMetrics(label_font(font))
        longest = max(
            metrics.horizontalAdvance(text) for text in (*KIND_LABELS.values(), "0:00:00")
        )
        return longest + 2 * self.PADDING

    def _layout(
        self, text: str, highlights: list[tuple[int, int]], font: QFont, width: int
    ) -> QTextLayout:
        layout = QTextLayout(text, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        ranges = []
        for start, length in highlights or []:
            marked = QTextLayout.FormatRange()
            marked.start, marked.length, marked.format = start, length, bold
            ranges.append(marked)
        layout.setFormats(ranges)
        line_width = max(12 * QFontMetrics(font).averageCharWidth(), width - self.label_width(font))
        layout.beginLayout()
        y = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(line_width)
            line.setPosition(QPointF(0, y))
            y += line.height()
        layout.endLayout()
        return layout
