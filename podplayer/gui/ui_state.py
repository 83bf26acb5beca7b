"""Window geometry, splitter sizes and the last episode, kept in an ini file apart from settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from podplayer.core.models import EpisodeQuery, EpisodeSort, EpisodeView

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

    def episode_query(self) -> EpisodeQuery:
        """The podcast, view and order the episode list showed last (not the filter text)."""
        value = self._settings.value("episodes/podcast_id")
        podcast_id = int(str(value)) if value is not None and str(value).isdigit() else None
        try:
            view = EpisodeView(str(self._settings.value("episodes/view", EpisodeView.ALL.value)))
            sort = EpisodeSort(str(self._settings.value("episodes/sort", EpisodeSort.DATE.value)))
        except ValueError:
            return EpisodeQuery(podcast_id=podcast_id)
        descending = str(self._settings.value("episodes/descending", "true")).lower() == "true"
        return EpisodeQuery(podcast_id, view, "", sort, descending)

    def set_episode_query(self, query: EpisodeQuery) -> None:
        if query.podcast_id is None:
            self._settings.remove("episodes/podcast_id")
        else:
            self._settings.setValue("episodes/podcast_id", query.podcast_id)
        self._settings.setValue("episodes/view", query.view.value)
        self._settings.setValue("episodes/sort", query.sort.value)
        self._settings.setValue("episodes/descending", "true" if query.descending else "false")

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
