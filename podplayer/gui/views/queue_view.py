"""The Up Next queue: what plays after the current episode, in order."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from podplayer.core.models import EpisodeSummary
from podplayer.gui.text import plain_tooltip


class QueueView(QWidget):
    """Lists queued episodes; forwards play, remove and move requests."""

    play_requested = Signal(int)
    remove_requested = Signal(int)
    move_requested = Signal(int, int)  # episode id, new index

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setAccessibleName("Up Next")
        self.list.setToolTip("Episodes that play next, in order. Double-click to play now")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setSpacing(3)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._activated)
        buttons = QHBoxLayout()
        for text, name, handler in (
            ("↑", "Move up", lambda: self._move(-1)),
            ("↓", "Move down", lambda: self._move(+1)),
            ("✕", "Remove from Up Next", self._remove),
        ):
            button = QToolButton()
            button.setText(text)
            button.setAccessibleName(name)
            button.setToolTip(name)
            button.clicked.connect(handler)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def show_queue(self, episodes: list[EpisodeSummary]) -> None:
        current = self._current_id()
        self.list.clear()
        for episode in episodes:
            item = QListWidgetItem(f"{episode.title}\n{episode.podcast_title}")
            item.setData(Qt.ItemDataRole.UserRole, episode.id)
            item.setToolTip(plain_tooltip(f"{episode.title} ({episode.podcast_title})"))
            self.list.addItem(item)
            if episode.id == current:
                self.list.setCurrentItem(item)
        if not episodes:
            empty = QListWidgetItem(
                "Nothing queued. Right-click an episode and choose Add to Up Next."
            )
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)

    def episode_ids(self) -> list[int]:
        items = (self.list.item(row) for row in range(self.list.count()))
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if item.data(Qt.ItemDataRole.UserRole)
        ]

    def _current_id(self) -> int | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, int) else None

    def _activated(self, item: QListWidgetItem) -> None:
        episode_id = item.data(Qt.ItemDataRole.UserRole)
        if episode_id:
            self.play_requested.emit(episode_id)

    def _remove(self) -> None:
        episode_id = self._current_id()
        if episode_id:
            self.remove_requested.emit(episode_id)

    def _move(self, offset: int) -> None:
        episode_id = self._current_id()
        if episode_id:
            row = self.list.currentRow() + offset
            if 0 <= row < len(self.episode_ids()):
                self.move_requested.emit(episode_id, row)
