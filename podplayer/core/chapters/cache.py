"""Fetched chapter bytes (chapters files, streams' ID3 tags) kept on disk by URL, size-bounded."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

MAX_CACHE_BYTES = 100 * 1024 * 1024


class ChapterFileCache:
    """One file per URL under ``folder``; the oldest go when the whole passes ``max_bytes``.

    Safe from several threads: files are replaced atomically, and a vanished file is a miss.
    """

    def __init__(self, folder: Path, max_bytes: int = MAX_CACHE_BYTES) -> None:
        self.folder = folder
        self._max_bytes = max_bytes

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, body: bytes) -> None:
        """Keep ``body``; a full disk or a read-only folder only means no cache."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
            with os.fdopen(handle, "wb") as file:
                file.write(body)
            os.replace(temporary, self._path(key))
        except OSError:
            return
        self._prune()

    def _path(self, key: str) -> Path:
        import hashlib  # not needed until the first episode plays

        return self.folder / (hashlib.sha256(key.encode("utf-8", "replace")).hexdigest() + ".bin")

    def _prune(self) -> None:
        entries = []
        for path in self.folder.glob("*.bin"):
            with contextlib.suppress(OSError):
                stat = path.stat()
                entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _mtime, size, _path in entries)
        for _mtime, size, path in sorted(entries):
            if total <= self._max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
