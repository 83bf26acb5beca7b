"""Small files a feed points at (artwork, chapters, transcripts): bundled files or http(s) only."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from podplayer.core.http import Credentials, HttpClient, HttpError, HttpResponse
from podplayer.core.paths import RESOURCES_DIR

SMALL_FILE_BYTES = 5 * 1024 * 1024
FETCH_DEADLINE_S = 20.0
# podplayer's own files (the demo podcast, icons); the bundle keeps them next to the package too.


class ResourceFetcher:
    """Reads ``file:`` URLs only inside trusted folders (the bundled demo); fetches http(s).

    Its ``get`` has HttpClient's shape, so stores that fetch (transcripts) can use it too.
    """

    def __init__(self, http: HttpClient, trusted_dirs: list[Path]) -> None:
        self._http = http
        self._trusted = [folder.resolve() for folder in trusted_dirs]

    def trusted_path(self, url: str) -> Path | None:
        """The local path of a ``file:`` URL inside a trusted folder, else None."""
        parts = urlsplit(url)
        if parts.scheme != "file":
            return None
        path = Path(unquote(parts.path)).resolve()
        return path if any(path.is_relative_to(folder) for folder in self._trusted) else None

    def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        credentials: Credentials | None = None,
        max_bytes: int | None = None,
        deadline: float | None = None,
    ) -> HttpResponse:
        """A trusted local file as a 200 response, or the HTTP client's answer."""
        limit = SMALL_FILE_BYTES if max_bytes is None else max_bytes
        if urlsplit(url).scheme.lower() != "file":
            return self._http.get(
                url, headers=headers, credentials=credentials, max_bytes=limit, deadline=deadline
            )
        if self.trusted_path(url) is None:
            raise HttpError("podplayer does not open local files named by a feed.", transient=False)
        path = Path(unquote(urlsplit(url).path))
        try:
            if path.stat().st_size > limit:
                raise HttpError(f"{path.name} is too large.", transient=False)
            body = path.read_bytes()
        except OSError as exc:
            raise HttpError(f"{path.name} could not be read ({exc.strerror}).") from exc
        import mimetypes  # bundled files are read long after the window opens

        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return HttpResponse(url, 200, {"Content-Type": content_type}, body)

    def get_bytes(self, url: str, max_bytes: int = SMALL_FILE_BYTES) -> bytes:
        """The body at ``url``; HttpError with a sentence when it cannot be had."""
        response = self.get(url, max_bytes=max_bytes, deadline=FETCH_DEADLINE_S)
        if response.status != 200:
            raise HttpError(
                f"The server answered {response.status} for {url}.", status=response.status
            )
        return response.body


def app_resource_fetcher(http: HttpClient) -> ResourceFetcher:
    """The one set of rules the window and the CLI read what a feed names by: http(s), and
    ``file:`` only inside podplayer's bundled resources (the demo podcast)."""
    return ResourceFetcher(http, [RESOURCES_DIR])
