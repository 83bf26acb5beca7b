"""Fetches a feed with conditional GET (HTTP) or from a local file the user named; no parsing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from podplayer.core.cancellation import Cancellation
from podplayer.core.http import Credentials, HttpClient, HttpError, TooLargeError, redact
from podplayer.core.models import RefreshStatus

MAX_FEED_BYTES = 50 * 1024 * 1024


class FeedFetchError(Exception):
    """A fetch that produced no feed; ``status`` is what the podcast's refresh status becomes."""

    def __init__(self, message: str, status: RefreshStatus = RefreshStatus.FAILED) -> None:
        super().__init__(message)
        self.status = status


@dataclass(slots=True)
class FetchedFeed:
    """A fetch's outcome. ``body`` is None when the server said 304 Not Modified."""

    url: str
    body: bytes | None
    headers: Mapping[str, str] = field(default_factory=dict)
    permanent_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None


def is_local(address: str) -> bool:
    """True for file: URLs (a feed file the user named), which are read, not fetched."""
    return urlsplit(address).scheme.lower() == "file"


def fetch_feed(
    client: HttpClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    credentials: Credentials | None = None,
    max_bytes: int = MAX_FEED_BYTES,
    deadline: float | None = None,
    cancellation: Cancellation | None = None,
) -> FetchedFeed:
    """GET ``url`` with the stored validators; FeedFetchError with a sentence on failure.

    ``deadline`` (seconds for the whole exchange) defaults to the client's.
    """
    if is_local(url):
        return _read_local(url, max_bytes)
    headers: dict[str, str] = {"Accept": "application/rss+xml, application/atom+xml, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        response = client.get(
            url,
            headers=headers,
            credentials=credentials,
            max_bytes=max_bytes,
            deadline=deadline,
            cancellation=cancellation,
        )
    except TooLargeError as exc:
        raise FeedFetchError(f"{exc} It is too big to be a feed.") from exc
    except HttpError as exc:
        raise FeedFetchError(str(exc)) from exc
    shown = redact(url)
    status = response.status
    if status == 304:
        return FetchedFeed(
            url=response.url,
            body=None,
            headers=response.headers,
            permanent_url=response.permanent_url,
            etag=response.headers.get("ETag") or etag,
            last_modified=response.headers.get("Last-Modified") or last_modified,
        )
    if status == 410:
        raise FeedFetchError(
            f"The feed at {shown} is gone for good (410); podplayer stopped checking it. "
            "Its episodes were kept.",
            RefreshStatus.GONE,
        )
    if status == 401:
        raise FeedFetchError(
            f"The feed at {shown} asks for a user name and password. Subscribe again with them "
            "(https://name:password@host/...).",
            RefreshStatus.NEEDS_LOGIN,
        )
    if status == 404:
        raise FeedFetchError(f"The feed at {shown} was not found (404); podplayer will try again.")
    if status >= 500:
        raise FeedFetchError(
            f"The server of {shown} had a problem ({status}); podplayer will try again later."
        )
    if status != 200:
        raise FeedFetchError(f"The server of {shown} answered {status} instead of the feed.")
    return FetchedFeed(
        url=response.url,
        body=response.body,
        headers=response.headers,
        permanent_url=response.permanent_url,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
    )


def _read_local(url: str, max_bytes: int) -> FetchedFeed:
    path = Path(unquote(urlsplit(url).path))
    try:
        if path.stat().st_size > max_bytes:
            raise FeedFetchError(f"The file {path} is too big to be a feed.")
        body = path.read_bytes()
    except FileNotFoundError as exc:
        raise FeedFetchError(f"The feed file {path} does not exist (any more).") from exc
    except IsADirectoryError as exc:
        raise FeedFetchError(f"{path} is a folder, not a feed file.") from exc
    except OSError as exc:
        raise FeedFetchError(f"The feed file {path} could not be read: {exc.strerror}.") from exc
    return FetchedFeed(url=path.as_uri(), body=body)
