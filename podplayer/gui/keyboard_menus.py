"""The Menu key and Shift+F10 open a list's context menu at its current item.

Qt delivers the Menu key to item views here as a plain key press that they ignore, so without
this a keyboard user cannot reach Play next, Add to Up Next, Download or Unsubscribe.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication


def open_menus_from_keyboard(view: QAbstractItemView) -> None:
    """Give view the Menu key and Shift+F10, as mouse users have the right button."""
    action = QAction("Context menu", view)
    action.setShortcuts([QKeySequence(Qt.Key.Key_Menu), QKeySequence("Shift+F10")])
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(lambda: _open_at_current_item(view))
    view.addAction(action)


def _open_at_current_item(view: QAbstractItemView) -> None:
    rect = view.visualRect(view.currentIndex())
    point = rect.center() if rect.isValid() else QPoint(0, 0)
    viewport = view.viewport()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, point, viewport.mapToGlobal(point))
    QApplication.sendEvent(viewport, event)
