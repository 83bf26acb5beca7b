"""F6 and Shift+F6: the keyboard moves between the window's main areas, as in mail apps."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget


class FocusAreas:
    """The main areas in layout order; move() focuses the next (or previous) one shown."""

    def __init__(self, areas: Sequence[QWidget]) -> None:
        self._areas = list(areas)

    def move(self, step: int) -> QWidget | None:
        """Focus the area step places away from the one holding the focus; returns what got it."""
        current = self._current()
        count = len(self._areas)
        for distance in range(1, count + 1):
            area = self._areas[(current + step * distance) % count]
            target = focus_target(area)
            if target is not None:
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return target
        return None

    def _current(self) -> int:
        focus = QApplication.focusWidget()
        for index, area in enumerate(self._areas):
            if focus is not None and (focus is area or area.isAncestorOf(focus)):
                return index
        return -1


def focus_target(area: QWidget) -> QWidget | None:
    """Where the keyboard lands in an area: its list or table that has rows first (an empty
    one says nothing), else its first control."""
    if not area.isVisible():
        return None
    takes_focus = [
        child
        for child in area.findChildren(QWidget)
        if child.isVisible() and child.isEnabled() and child.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]
    lists = [
        child
        for child in takes_focus
        if isinstance(child, QAbstractItemView)
        and child.model() is not None
        and child.model().rowCount() > 0
    ]
    if lists:
        return lists[0]
    proxy = area.focusProxy()
    if proxy is not None and proxy.isVisible():
        return proxy
    if area.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return area
    return takes_focus[0] if takes_focus else None
