"""Small files a feed points at (artwork, chapters, images): bundled files or http(s) only."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from podplayer.core.http import HttpClient, HttpError

SMALL_FILE_BYTES = 5 * 1024 * 1024
FETCH_DEADLINE_S = 20.0


class ResourceFetcher:
    """Reads ``file:`` URLs only inside trusted folders (the bundled demo); fetches http(s)."""

    def __init__(self, http: HttpClient, trusted_dirs: list[Path]) -> None:
        self._http = http
        self._trusted = [folder.resolve() for folder in trusted_dirs]

    def is_trusted_file(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme != "file":
            return False
        path = Path(unquote(parts.path)).resolve()
        return any(path.is_relative_to(folder) for folder in self._trusted)

    def get_bytes(self, url: str, max_bytes: int = SMALL_FILE_BYTES) -> bytes:
        """The body at ``url``; HttpError with a sentence when it cannot be had."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            if not self.is_trusted_file(url):
                raise HttpError(
                    "podplayer does not open local files named by a feed.", transient=False
                )
            path = Path(unquote(urlsplit(url).path))
            try:
                if path.stat().st_size > max_bytes:
                    raise HttpError(f"{path.name} is too large.", transient=False)
                return path.read_bytes()
            except OSError as exc:
                raise HttpError(f"{path.name} could not be read ({exc.strerror}).") from exc
        response = self._http.get(url, max_bytes=max_bytes, deadline=FETCH_DEADLINE_S)
        if response.status != 200:
            raise HttpError(
                f"The server answered {response.status} for {url}.", status=response.status
            )
        return response.body
