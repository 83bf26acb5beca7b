"""Podcast artwork as icons: bundled or cached image files, else a lettered tile."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from podplayer.core.models import Podcast

TILE_COLORS = ("#1d4e89", "#00798c", "#d1495b", "#edae49", "#66a182", "#6b4e71", "#2e4057")


class ArtworkProvider:
    """Finds a podcast's artwork in trusted folders only (bundled resources, the artwork cache)."""

    def __init__(self, trusted_dirs: list[Path], cache_dir: Path, size: int = 64) -> None:
        self._trusted = [folder.resolve() for folder in trusted_dirs]
        self._cache_dir = cache_dir
        self._size = size
        self._icons: dict[tuple[int | None, str], QIcon] = {}

    def cached_file(self, podcast_id: int) -> Path:
        """Where a downloader stores a podcast's artwork."""
        return self._cache_dir / f"podcast-{podcast_id}"

    def pixmap(self, podcast: Podcast, size: int) -> QPixmap:
        return self.icon(podcast).pixmap(size, size)

    def icon(self, podcast: Podcast) -> QIcon:
        key = (podcast.id, podcast.image_url)
        icon = self._icons.get(key)
        if icon is None:
            icon = QIcon(self._load(podcast) or self._tile(podcast.title))
            self._icons[key] = icon
        return icon

    def forget(self, podcast_id: int) -> None:
        self._icons = {key: icon for key, icon in self._icons.items() if key[0] != podcast_id}

    def _load(self, podcast: Podcast) -> QPixmap | None:
        for candidate in self._candidates(podcast):
            pixmap = QPixmap(str(candidate))
            if not pixmap.isNull():
                return pixmap.scaled(
                    self._size,
                    self._size,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
        return None

    def _candidates(self, podcast: Podcast) -> list[Path]:
        found: list[Path] = []
        if podcast.id is not None and self.cached_file(podcast.id).is_file():
            found.append(self.cached_file(podcast.id))
        parts = urlsplit(podcast.image_url)
        if parts.scheme == "file":
            local = Path(unquote(parts.path)).resolve()
            if local.is_file() and any(local.is_relative_to(d) for d in self._trusted):
                found.append(local)
        return found

    def _tile(self, title: str) -> QPixmap:
        pixmap = QPixmap(self._size, self._size)
        letter = (title.strip()[:1] or "?").upper()
        pixmap.fill(QColor(TILE_COLORS[sum(map(ord, title)) % len(TILE_COLORS)]))
        painter = QPainter(pixmap)
        painter.setPen(QColor("white"))
        font = QFont()
        font.setPixelSize(self._size // 2)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRect(0, 0, self._size, self._size), Qt.AlignmentFlag.AlignCenter, letter)
        painter.end()
        return pixmap
