"""List rows of an icon, a bold first line and a quieter second line (plain text, elided)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

PADDING = 6


class TwoLineDelegate(QStyledItemDelegate):
    """Draws ``DisplayRole`` text "title\\ndetails" with the decoration at ``icon_size``."""

    def __init__(self, icon_size: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon_size = icon_size

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        height = max(self._icon_size, QFontMetrics(option.font).height() * 2 + 4)
        return QSize(option.rect.width(), height + 2 * PADDING)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        rect: QRect = option.rect
        style = option.widget.style() if option.widget else QApplication.style()
        title, _, details = str(index.data() or "").partition("\n")
        option.text = ""
        option.icon = type(option.icon)()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        painter.save()
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        left = rect.left() + PADDING
        if icon is not None:
            top = rect.top() + (rect.height() - self._icon_size) // 2
            icon.paint(painter, QRect(left, top, self._icon_size, self._icon_size))
            left += self._icon_size + PADDING * 2
        width = rect.right() - left - PADDING
        font = option.font
        bold = type(font)(font)
        bold.setBold(True)
        line = QFontMetrics(font).height()
        top = rect.top() + (rect.height() - 2 * line - 4) // 2
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(text_role))
        painter.setFont(bold)
        elided = QFontMetrics(bold).elidedText(title, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, top, width, line), Qt.AlignmentFlag.AlignLeft, elided)
        quiet = index.data(Qt.ItemDataRole.ForegroundRole)
        if not selected:
            painter.setPen(
                quiet if quiet is not None else palette.color(QPalette.ColorRole.PlaceholderText)
            )
        painter.setFont(font)
        elided = QFontMetrics(font).elidedText(details, Qt.TextElideMode.ElideRight, width)
        painter.drawText(
            QRect(left, top + line + 4, width, line), Qt.AlignmentFlag.AlignLeft, elided
        )
        painter.restore()
