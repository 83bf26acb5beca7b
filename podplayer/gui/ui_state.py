"""Window geometry, splitter sizes and the last episode, kept in an ini file apart from settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

LAST_EPISODE_KEY = "player/last_episode_id"


class UiState:
    """Reads and writes ``ui-state.ini``; a damaged value is ignored, never fatal."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    def restore_window(self, window: QMainWindow, splitters: dict[str, QSplitter]) -> bool:
        """Put the window and splitters back as they were; False on a first run."""
        geometry = self._settings.value("window/geometry")
        if not isinstance(geometry, QByteArray) or not window.restoreGeometry(geometry):
            return False
        for name, splitter in splitters.items():
            state = self._settings.value(f"splitters/{name}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        return True

    def save_window(self, window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
        self._settings.setValue("window/geometry", window.saveGeometry())
        for name, splitter in splitters.items():
            self._settings.setValue(f"splitters/{name}", splitter.saveState())

    def last_episode_id(self) -> int | None:
        value = self._settings.value(LAST_EPISODE_KEY)
        try:
            return int(str(value)) if value is not None else None
        except ValueError:
            return None

    def set_last_episode_id(self, episode_id: int | None) -> None:
        if episode_id is None:
            self._settings.remove(LAST_EPISODE_KEY)
        else:
            self._settings.setValue(LAST_EPISODE_KEY, episode_id)

    def sync(self) -> None:
        self._settings.sync()
