"""Podcast artwork as icons: bundled files, or http(s) images fetched once into the artwork cache.

Fetched images are decoded and re-encoded as small PNGs on a worker thread, so the GUI only ever
reads files it wrote itself; until one arrives (or when none can be had) a lettered tile shows.
Stored files are decoded on a worker too (13 rows of 256 px PNGs took ~11 ms of the first paint):
the row is blank for that moment.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import QCryptographicHash, QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPixmap

from podplayer.background import BackgroundWork
from podplayer.core.http import HttpError
from podplayer.core.models import Podcast
from podplayer.core.resource_fetch import ResourceFetcher

TILE_COLORS = ("#1d4e89", "#00798c", "#d1495b", "#edae49", "#66a182", "#6b4e71", "#2e4057")
MAX_ARTWORK_BYTES = 4 * 1024 * 1024
STORED_SIZE = 256


def _url_key(url: str) -> str:
    """SHA-256 through Qt: hashlib would load libcrypto (~3.7 MB) before the window shows."""
    digest = QCryptographicHash.hash(url.encode(), QCryptographicHash.Algorithm.Sha256)
    return bytes(digest.toHex().data()).decode()[:16]


class ArtworkProvider(QObject):
    """Icons for podcasts; emits artwork_changed(podcast id) when fetched artwork arrives."""

    artwork_changed = Signal(int)
    remote_artwork_changed = Signal(str)  # the URL of a directory result's artwork

    def __init__(
        self,
        fetcher: ResourceFetcher,
        background: BackgroundWork,
        cache_dir: Path,
        size: int = 64,
    ) -> None:
        super().__init__()
        self._fetcher = fetcher
        self._background = background
        self._cache_dir = cache_dir
        self._size = size
        self._icons: dict[tuple[int | None, str], QIcon] = {}
        self._asked: set[tuple[int, str]] = set()
        self._asked_remote: set[str] = set()
        self._decoding: set[tuple[int | None, str]] = set()
        self._unreadable: set[tuple[int | None, str]] = set()
        self._blank: QIcon | None = None

    def cached_file(self, podcast_id: int, url: str) -> Path:
        """Where the artwork at ``url`` of a podcast is kept (a new URL gets a new file)."""
        return self._cache_dir / f"podcast-{podcast_id}-{_url_key(url)}.png"

    def pixmap(self, podcast: Podcast, size: int) -> QPixmap:
        return self.icon(podcast).pixmap(size, size)

    def icon(self, podcast: Podcast) -> QIcon:
        """The artwork once decoded; blank while a stored file is decoded; else a tile."""
        key = (podcast.id, podcast.image_url)
        icon = self._icons.get(key)
        if icon is not None:
            return icon
        stored = None if key in self._unreadable else self._stored_file(podcast)
        if stored is None:
            self._fetch(podcast)
            return QIcon(self._tile(podcast.title))
        self._decode(podcast, stored)
        return self._icons.get(key) or self._blank_icon()  # synchronous work has it already

    def remote_icon(self, url: str, title: str) -> QIcon:
        """Artwork of a podcast not in the library (a directory result): fetched into the cache
        on a worker like podcast artwork; a tile until it arrives or when it cannot be had."""
        key = (None, url)
        icon = self._icons.get(key)
        if icon is not None:
            return icon
        stored = self._cache_dir / f"directory-{_url_key(url)}.png"
        if key not in self._unreadable and stored.is_file():
            self._decode_file(key, stored)
        elif urlsplit(url).scheme in ("http", "https") and url not in self._asked_remote:
            self._asked_remote.add(url)
            self._background.submit(
                self._download,
                url,
                stored,
                on_done=lambda path: self._decode_file(key, path),
                on_error=lambda _exc: None,
            )
        return self._icons.get(key) or QIcon(self._tile(title))

    def forget(self, podcast_id: int) -> None:
        self._drop(podcast_id)
        for stale in self._cache_dir.glob(f"podcast-{podcast_id}-*.png"):
            stale.unlink(missing_ok=True)

    def _drop(self, podcast_id: int) -> None:
        self._icons = {key: icon for key, icon in self._icons.items() if key[0] != podcast_id}
        self._unreadable = {key for key in self._unreadable if key[0] != podcast_id}

    def _stored_file(self, podcast: Podcast) -> Path | None:
        """A bundled file or the artwork cache's copy, when there is one."""
        url = podcast.image_url
        if not url:
            return None
        candidates = [self._fetcher.trusted_path(url)]
        if podcast.id is not None:
            candidates.append(self.cached_file(podcast.id, url))
        return next((path for path in candidates if path is not None and path.is_file()), None)

    def _decode(self, podcast: Podcast, path: Path) -> None:
        self._decode_file((podcast.id, podcast.image_url), path)

    def _decode_file(self, key: tuple[int | None, str], path: Path) -> None:
        if key in self._decoding:
            return
        self._decoding.add(key)
        self._background.submit(
            self._read_scaled,
            path,
            on_done=lambda image: self._decoded(key, image),
            on_error=lambda _exc: self._decoded(key, None),
        )

    def _read_scaled(self, path: Path) -> QImage | None:
        """Runs on a worker: the stored picture at icon size, or None when it is not one."""
        image = QImage(str(path))
        if image.isNull():
            return None
        return image.scaled(
            self._size,
            self._size,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )

    def _decoded(self, key: tuple[int | None, str], image: QImage | None) -> None:
        self._decoding.discard(key)
        if image is None:
            self._unreadable.add(key)  # a tile and a fetch instead, on the next ask
        else:
            self._icons[key] = QIcon(QPixmap.fromImage(image))
        if key[0] is not None:
            self.artwork_changed.emit(key[0])
        elif image is not None:
            self.remote_artwork_changed.emit(key[1])

    def _blank_icon(self) -> QIcon:
        if self._blank is None:
            pixmap = QPixmap(self._size, self._size)
            pixmap.fill(Qt.GlobalColor.transparent)
            self._blank = QIcon(pixmap)
        return self._blank

    def _fetch(self, podcast: Podcast) -> None:
        url = podcast.image_url
        podcast_id = podcast.id
        if podcast_id is None or urlsplit(url).scheme not in ("http", "https"):
            return
        if (podcast_id, url) in self._asked:
            return
        self._asked.add((podcast_id, url))
        target = self.cached_file(podcast_id, url)
        self._background.submit(
            self._download,
            url,
            target,
            on_done=lambda _path: self._arrived(podcast_id),
            on_error=lambda _exc: None,
        )

    def _download(self, url: str, target: Path) -> Path:
        """Runs on a worker: fetch, decode, shrink and store as PNG (never the raw bytes)."""
        image = QImage.fromData(self._fetcher.get_bytes(url, MAX_ARTWORK_BYTES))
        if image.isNull():
            raise HttpError(f"The artwork at {url} is not an image podplayer can show.")
        if max(image.width(), image.height()) > STORED_SIZE:
            image = image.scaled(
                STORED_SIZE,
                STORED_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.stem}.part.png")  # the suffix picks the format
        if not image.save(str(partial)):
            raise HttpError(f"The artwork could not be saved in {target.parent}.")
        os.replace(partial, target)
        return target

    def _arrived(self, podcast_id: int) -> None:
        self._drop(podcast_id)
        self.artwork_changed.emit(podcast_id)

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
