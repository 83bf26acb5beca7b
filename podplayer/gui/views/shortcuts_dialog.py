"""Keyboard shortcuts (Ctrl+?): every key the window answers, read from its menus, and the keys
that work inside one list or field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QMenu,
    QMenuBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

AREA_KEYS: tuple[tuple[str, str, str], ...] = (
    ("Anywhere", "Tab / Shift+Tab", "Next / previous control"),
    ("Anywhere", "Alt+underlined letter", "Open that menu"),
    ("Anywhere", "Shift+F10 or the Menu key", "Context menu of the selected item"),
    (
        "Tabbed areas",
        "Ctrl+Tab / Ctrl+Shift+Tab",
        "Next / previous tab: Episodes and Search, Transcript and Chapters",
    ),
    ("Podcasts", "Delete", "Unsubscribe from the selected podcast (asks first)"),
    ("Episodes", "Enter", "Play the selected episode"),
    ("Up Next", "Enter", "Play the selected episode now"),
    ("Transcript", "Up / Down, Page Up / Page Down", "Move through the lines"),
    ("Transcript", "Enter", "Play from the selected line"),
    ("Transcript", "Ctrl+F, then Enter / Shift+Enter", "Find words; next / previous match"),
    ("Transcript", "Ctrl+C", "Copy the selected lines with their times"),
    (
        "Playback speed",
        "Up / Down, or a rate typed and Enter",
        "0.05x slower / faster, or that rate",
    ),
    ("Search", "Up / Down, Page Up / Page Down", "Move through the results, from the field too"),
    ("Search", "Enter", "Play from the selected moment, or show its episode"),
    ("Chapters", "Enter", "Play from the selected chapter"),
    ("Chapters", "Space", "Untick (skip) or tick (play) the selected chapter"),
    ("Add podcast", "Enter", "Search, or subscribe to the selected podcast"),
    ("Add podcast, Settings", "Escape", "Close without changing anything"),
    ("Settings", "Up / Down in the page list", "Show another page"),
    ("Speed presets, Sleep timer", "Space, then arrows and Enter", "Open the menu and choose"),
)
"""Keys that belong to one area, where no menu item shows them."""


class ShortcutsDialog(QDialog):
    """A list a screen reader reads row by row: area, key, what it does."""

    def __init__(self, menus: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Keyboard shortcuts")
        self.tree.setHeaderLabels(["Key", "Action", "Where"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for key, action, where in [*menu_shortcuts(menus), *self._area_rows()]:
            item = QTreeWidgetItem([key, action, where])
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{key}: {action}, {where}")
            self.tree.addTopLevelItem(item)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(760, 560)

    @staticmethod
    def _area_rows() -> list[tuple[str, str, str]]:
        return [(key, action, where) for where, key, action in AREA_KEYS]


def menu_shortcuts(menus: QMenuBar) -> list[tuple[str, str, str]]:
    """(key, action, menu) for every menu item that has a shortcut, in menu order."""
    rows = []
    for menu_action in menus.actions():
        menu = menu_action.menu()
        if not isinstance(menu, QMenu):
            continue
        where = menu_action.text().replace("&", "") + " menu"
        for action in menu.actions():
            keys = ", ".join(
                key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()
            )
            if keys:
                rows.append((keys, action.text().replace("&", ""), where))
    return rows
