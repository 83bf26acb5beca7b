"""The feed subscription manager the GUI and CLI share: preview, subscribe, refresh, OPML.

Every method may block on the network or disk: the GUI calls them through BackgroundWork.
Refreshing many feeds runs them concurrently: a bounded pool of workers, hosts interleaved, and
the shared HttpClient never opens more than two connections per host. One failing feed only ever
costs its own deadline.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from podplayer.core.feeds.fetch import (
    MAX_FEED_BYTES,
    FeedFetchError,
    FetchedFeed,
    fetch_feed,
    is_local,
)
from podplayer.core.http import Credentials, HttpClient, redact, split_credentials
from podplayer.core.models import Podcast, RefreshStatus
from podplayer.core.storage.library import Library

if TYPE_CHECKING:
    from podplayer.core.feeds.discover import FeedLink
    from podplayer.core.feeds.merge import MergeCounts
    from podplayer.core.feeds.parsed import ParsedFeed

log = logging.getLogger(__name__)

REFRESH_WORKERS = 6


class SubscribeError(Exception):
    """Subscribing did not happen; the message says why. ``choices``: feeds a page offers."""

    def __init__(self, message: str, choices: list[FeedLink] | None = None) -> None:
        super().__init__(message)
        self.choices = choices or []


@dataclass(slots=True)
class SubscribePreview:
    """A feed fetched and parsed but not stored yet: show it, then ``subscribe(preview)``."""

    url: str
    title: str
    author: str
    image_url: str
    description: str
    episode_count: int
    feed: ParsedFeed
    fetched: FetchedFeed
    credentials: Credentials | None = None


@dataclass(frozen=True, slots=True)
class SubscribeResult:
    """The stored subscription and a sentence about it."""

    podcast: Podcast
    counts: MergeCounts
    message: str


@dataclass(slots=True)
class ImportReport:
    """What an OPML import added and skipped."""

    added: list[Podcast]
    already_subscribed: int
    duplicates: int
    problems: list[str]

    def sentence(self) -> str:
        parts = [f"Imported {len(self.added)} podcast{'s' if len(self.added) != 1 else ''}"]
        if self.already_subscribed:
            parts.append(f"{self.already_subscribed} already subscribed")
        if self.duplicates:
            parts.append(f"{self.duplicates} listed twice in the file")
        if self.problems:
            parts.append(f"{len(self.problems)} entries could not be used")
        return ", ".join(parts) + "."


@dataclass(frozen=True, slots=True)
class RefreshResult:
    """How refreshing one podcast went, with a sentence for a progress line."""

    podcast_id: int
    title: str
    status: RefreshStatus
    message: str
    counts: MergeCounts | None = None
    warnings: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.status in (RefreshStatus.FAILED, RefreshStatus.GONE, RefreshStatus.NEEDS_LOGIN)


RefreshProgress = Callable[[RefreshResult, int, int], None]


class FeedService:
    """Subscriptions: everything that fetches, parses and merges feeds.

    Parsing, merging, page discovery and OPML are imported by the methods that use them, on a
    worker thread, so building the service for the window loads none of them.
    """

    def __init__(
        self,
        library: Library,
        client: HttpClient,
        *,
        workers: int = REFRESH_WORKERS,
        max_feed_bytes: int = MAX_FEED_BYTES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._library = library
        self._client = client
        self._workers = max(1, workers)
        self._max_feed_bytes = max_feed_bytes
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._clock = clock

    # Subscribing ---------------------------------------------------------------------------

    def preview(self, address: str) -> SubscribePreview:
        """Fetch and parse what the user typed: a feed URL, a page that links one, or a file.

        Raises SubscribeError; when a page links several feeds, its ``choices`` lists them.
        """
        from podplayer.core.feeds.parse import FeedParseError, NotAFeedError, parse_feed

        url, credentials = _normalize_address(address)
        self._refuse_duplicate(url)
        fetched = self._fetch_for_subscribe(url, credentials)
        try:
            feed = parse_feed(fetched.body or b"", fetched.url, fetched.headers)
        except NotAFeedError as exc:
            from podplayer.core.feeds.discover import discover_feeds  # only for a web page

            links = discover_feeds(fetched.body or b"", fetched.url)
            if not links:
                raise SubscribeError(
                    f"{redact(url)} is a web page that links no podcast feed. Look on the page "
                    "for an RSS link and subscribe to that address."
                ) from exc
            if len(links) > 1:
                raise SubscribeError(
                    f"{redact(url)} links {len(links)} feeds; choose one and subscribe to it.",
                    links,
                ) from exc
            url = links[0].url
            self._refuse_duplicate(url)
            fetched = self._fetch_for_subscribe(url, credentials)
            try:
                feed = parse_feed(fetched.body or b"", fetched.url, fetched.headers)
            except FeedParseError as inner:
                raise SubscribeError(f"{redact(url)}: {inner}") from inner
        except FeedParseError as exc:
            raise SubscribeError(f"{redact(url)}: {exc}") from exc
        final = fetched.permanent_url or (fetched.url if is_local(url) else url)
        self._refuse_duplicate(final, feed.podcast_guid)
        return SubscribePreview(
            url=final,
            title=feed.title or _title_from_url(final),
            author=feed.author,
            image_url=feed.image_url,
            description=feed.description,
            episode_count=len(feed.episodes),
            feed=feed,
            fetched=fetched,
            credentials=credentials,
        )

    def subscribe(self, address_or_preview: str | SubscribePreview) -> SubscribeResult:
        """Store a subscription (previewing first when given an address) with its episodes."""
        from podplayer.core.feeds.merge import apply_feed_metadata, merge_feed

        preview = (
            self.preview(address_or_preview)
            if isinstance(address_or_preview, str)
            else address_or_preview
        )
        self._refuse_duplicate(preview.url)
        fetched = preview.fetched
        podcast = Podcast(
            url=preview.url,
            title=preview.title,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            body_hash=_hash(fetched.body or b""),
            last_refresh_at=self._clock(),
            refresh_status=RefreshStatus.OK,
            username=preview.credentials.username if preview.credentials else None,
        )
        apply_feed_metadata(podcast, preview.feed)
        with self._library.transaction():
            if self._library.podcasts.find_by_url(preview.url) is not None:
                raise SubscribeError(f"You are already subscribed to {preview.title}.")
            self._library.podcasts.add(podcast)
            if preview.credentials is not None:
                self._library.podcasts.set_password(podcast, preview.credentials.password)
            counts = merge_feed(self._library, podcast, preview.feed)
        message = f"Subscribed to {podcast.title}: {counts.sentence()}."
        return SubscribeResult(podcast=podcast, counts=counts, message=message)

    def unsubscribe(self, podcast_id: int) -> Podcast:
        """Remove a subscription with its episodes; SubscribeError if there is no such podcast."""
        podcast = self._library.podcasts.get(podcast_id)
        if podcast is None:
            raise SubscribeError(f"There is no podcast number {podcast_id}.")
        self._library.podcasts.delete(podcast_id)
        return podcast

    def find(self, name_or_id: str) -> Podcast:
        """The podcast a user means: its number, its URL, or a unique part of its title."""
        podcasts = self._library.podcasts.list()
        text = name_or_id.strip()
        if text.isdigit():
            for podcast in podcasts:
                if podcast.id == int(text):
                    return podcast
        exact = [p for p in podcasts if text in (p.url, p.title)]
        if len(exact) == 1:
            return exact[0]
        partial = [p for p in podcasts if text.casefold() in p.title.casefold()]
        if len(partial) == 1:
            return partial[0]
        if not partial:
            raise SubscribeError(f"No podcast matches {text!r}; `podplayer list` shows them all.")
        names = ", ".join(f"{p.id} ({p.title})" for p in partial[:10])
        raise SubscribeError(f"{text!r} matches several podcasts: {names}. Use its number.")

    # OPML ----------------------------------------------------------------------------------

    def import_opml(self, data: bytes) -> ImportReport:
        """Add every new feed an OPML file lists (not fetched yet: refresh them next).

        Raises OpmlError when the file is not OPML at all.
        """
        from podplayer.core.opml import read_opml

        document = read_opml(data)
        report = ImportReport([], 0, document.duplicates, list(document.problems))
        with self._library.transaction():
            for entry in document.feeds:
                url, credentials = split_credentials(entry.url)
                if self._library.podcasts.find_by_url(url) is not None:
                    report.already_subscribed += 1
                    continue
                podcast = Podcast(
                    url=url,
                    title=entry.title or _title_from_url(url),
                    username=credentials.username if credentials else None,
                )
                report.added.append(self._library.podcasts.add(podcast))
                if credentials is not None:
                    self._library.podcasts.set_password(podcast, credentials.password)
        return report

    def export_opml(self) -> bytes:
        """Every subscription as OPML (gPodder's layout), credentials left out."""
        from podplayer.core.opml import write_opml

        return write_opml(self._library.podcasts.list())

    # Refreshing ----------------------------------------------------------------------------

    def refresh(
        self,
        podcast_ids: Iterable[int] | None = None,
        progress: RefreshProgress | None = None,
    ) -> list[RefreshResult]:
        """Refresh the podcasts named (default: all that are not gone), concurrently.

        ``progress(result, done, total)`` is called from worker threads as each feed finishes.
        """
        if podcast_ids is None:
            podcasts = [
                p for p in self._library.podcasts.list() if p.refresh_status != RefreshStatus.GONE
            ]
        else:
            wanted = set(podcast_ids)
            podcasts = [p for p in self._library.podcasts.list() if p.id in wanted]
        podcasts = _interleave_hosts(podcasts)
        total = len(podcasts)
        results: list[RefreshResult] = []
        lock = threading.Lock()

        def run(podcast: Podcast) -> RefreshResult:
            try:
                result = self.refresh_one(podcast)
            except Exception as exc:  # one broken feed must never stop the others
                log.exception("Refreshing %s failed unexpectedly", redact(podcast.url))
                result = self._failed(
                    podcast,
                    podcast.title or _title_from_url(podcast.url),
                    RefreshStatus.FAILED,
                    f"podplayer hit an internal problem ({type(exc).__name__}: {exc}).",
                    self._clock(),
                )
            with lock:
                results.append(result)
                done = len(results)
            if progress is not None:
                progress(result, done, total)
            return result

        if total <= 1 or self._workers == 1:
            for podcast in podcasts:
                run(podcast)
        else:
            list(self._refresh_pool().map(run, podcasts))
        order = {p.id: index for index, p in enumerate(podcasts)}
        return sorted(results, key=lambda r: order.get(r.podcast_id, 0))

    def refresh_one(self, podcast: Podcast) -> RefreshResult:
        """Fetch, parse and merge one podcast; failures are recorded, never raised."""
        from podplayer.core.feeds.merge import UnsubscribedError, merge_feed
        from podplayer.core.feeds.parse import FeedParseError, parse_feed

        if podcast.id is None:
            raise ValueError("podcast has no id")
        title = podcast.title or _title_from_url(podcast.url)
        now = self._clock()
        credentials = (
            Credentials(podcast.username, self._library.podcasts.password(podcast) or "")
            if podcast.username is not None
            else None
        )
        try:
            fetched = fetch_feed(
                self._client,
                podcast.url,
                etag=podcast.etag,
                last_modified=podcast.last_modified,
                credentials=credentials,
                max_bytes=self._max_feed_bytes,
            )
        except FeedFetchError as exc:
            return self._failed(podcast, title, exc.status, str(exc), now)
        moved_to = self._move_target(podcast, fetched.permanent_url)
        body_hash = _hash(fetched.body) if fetched.body is not None else podcast.body_hash
        if fetched.body is None or body_hash == podcast.body_hash:
            podcast.etag, podcast.last_modified = fetched.etag, fetched.last_modified
            podcast.url = moved_to or podcast.url
            podcast.refresh_status, podcast.refresh_error = RefreshStatus.NOT_MODIFIED, ""
            podcast.last_refresh_at = now
            self._library.podcasts.save_feed_state(podcast)
            return RefreshResult(
                podcast.id, title, RefreshStatus.NOT_MODIFIED, f"{title}: no changes."
            )
        try:
            feed = parse_feed(fetched.body, fetched.url, fetched.headers)
        except FeedParseError as exc:
            return self._failed(podcast, title, RefreshStatus.FAILED, str(exc), now)
        warnings = list(feed.warnings)
        if feed.new_feed_url and feed.new_feed_url != podcast.url and not is_local(podcast.url):
            moved_feed = self._follow_new_feed_url(podcast, feed.new_feed_url, credentials)
            if isinstance(moved_feed, str):
                warnings.append(moved_feed)
                body_hash = None  # parse again next time, so the move is retried
            else:
                moved_to, fetched, feed = feed.new_feed_url, moved_feed[0], moved_feed[1]
                body_hash = _hash(fetched.body or b"")
                warnings.extend(feed.warnings)
        podcast.url = moved_to or podcast.url
        podcast.etag, podcast.last_modified = fetched.etag, fetched.last_modified
        podcast.body_hash = body_hash
        podcast.last_refresh_at = now
        podcast.refresh_status, podcast.refresh_error = RefreshStatus.OK, ""
        try:
            counts = merge_feed(self._library, podcast, feed)
        except UnsubscribedError:
            return RefreshResult(
                podcast.id, title, RefreshStatus.OK, f"{title}: unsubscribed during the refresh."
            )
        title = podcast.title or title
        moved = f" It moved to {redact(podcast.url)}." if moved_to else ""
        return RefreshResult(
            podcast.id,
            title,
            RefreshStatus.OK,
            f"{title}: {counts.sentence()}.{moved}",
            counts,
            tuple(warnings),
        )

    def close(self) -> None:
        """Wait for refresh workers to finish and let them go (their connections close too)."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    # Helpers -------------------------------------------------------------------------------

    def _refresh_pool(self) -> ThreadPoolExecutor:
        """One long-lived pool, so worker threads (and their SQLite connections) are reused."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers, "podplayer-refresh")
            return self._pool

    def _failed(
        self, podcast: Podcast, title: str, status: RefreshStatus, message: str, now: float
    ) -> RefreshResult:
        assert podcast.id is not None
        self._library.podcasts.save_refresh_status(podcast.id, status, message, now)
        return RefreshResult(
            podcast.id,
            title,
            status,
            f"{title}: refresh failed. {message} The stored episodes were kept.",
        )

    def _move_target(self, podcast: Podcast, permanent_url: str | None) -> str | None:
        """The permanent new address if it is free (not another subscription's), else None."""
        if not permanent_url or permanent_url == podcast.url:
            return None
        other = self._library.podcasts.find_by_url(permanent_url)
        if other is not None and other.id != podcast.id:
            return None
        return permanent_url

    def _follow_new_feed_url(
        self, podcast: Podcast, new_url: str, credentials: Credentials | None
    ) -> tuple[FetchedFeed, ParsedFeed] | str:
        """Fetch the feed's itunes:new-feed-url; the move happens only if it parses."""
        from podplayer.core.feeds.parse import FeedParseError, parse_feed

        if self._move_target(podcast, new_url) is None:
            return f"The feed says it moved to {redact(new_url)}, which is already subscribed."
        same_host = urlsplit(new_url).hostname == urlsplit(podcast.url).hostname
        try:
            fetched = fetch_feed(
                self._client,
                new_url,
                credentials=credentials if same_host else None,
                max_bytes=self._max_feed_bytes,
            )
            feed = parse_feed(fetched.body or b"", fetched.url, fetched.headers)
        except (FeedFetchError, FeedParseError) as exc:
            return (
                f"The feed says it moved to {redact(new_url)}, but that address did not serve a "
                f"feed ({exc}); podplayer stays at the old address."
            )
        return fetched, feed

    def _fetch_for_subscribe(self, url: str, credentials: Credentials | None) -> FetchedFeed:
        try:
            fetched = fetch_feed(
                self._client, url, credentials=credentials, max_bytes=self._max_feed_bytes
            )
        except FeedFetchError as exc:
            raise SubscribeError(str(exc)) from exc
        if fetched.body is None:
            raise SubscribeError(f"{redact(url)} sent no content.")
        return fetched

    def _refuse_duplicate(self, url: str, podcast_guid: str = "") -> None:
        """Refuse a feed already subscribed: the same URL, or the same podcast:guid elsewhere."""
        existing = self._library.podcasts.find_by_url(url)
        if existing is not None:
            raise SubscribeError(f"You are already subscribed to {existing.title or url}.")
        if podcast_guid:
            for podcast in self._library.podcasts.list():
                if podcast.podcast_guid == podcast_guid:
                    raise SubscribeError(
                        f"You are already subscribed to {podcast.title}, the same podcast at "
                        f"another address ({redact(podcast.url)})."
                    )


def _normalize_address(address: str) -> tuple[str, Credentials | None]:
    """A URL from what the user typed: http(s) URL, file: URL, or a path to a feed file."""
    text = address.strip()
    if not text:
        raise SubscribeError("Give the address of a podcast feed (or of its web page).")
    scheme = urlsplit(text).scheme.lower()
    if scheme in ("http", "https"):
        return split_credentials(text)
    if scheme == "feed":
        rest = text[len("feed:") :]
        return _normalize_address("https:" + rest if rest.startswith("//") else rest)
    if scheme == "file":
        return text, None
    if scheme and len(scheme) > 1:
        raise SubscribeError(
            f"podplayer subscribes to http and https addresses and to feed files, not {scheme}:."
        )
    path = Path(text).expanduser()
    if path.exists():
        return path.resolve().as_uri(), None
    if "." in text.split("/", 1)[0] and " " not in text:
        return split_credentials("https://" + text)
    raise SubscribeError(f"{text} is neither a web address nor an existing feed file.")


def _interleave_hosts(podcasts: list[Podcast]) -> list[Podcast]:
    """Order feeds so consecutive ones are on different hosts (one slow host blocks less)."""
    by_host: dict[str, list[Podcast]] = {}
    for podcast in podcasts:
        by_host.setdefault((urlsplit(podcast.url).hostname or "").lower(), []).append(podcast)
    queues = list(by_host.values())
    ordered: list[Podcast] = []
    while queues:
        ordered.extend(queue.pop(0) for queue in queues)
        queues = [queue for queue in queues if queue]
    return ordered


def _hash(body: bytes | None) -> str:
    import hashlib  # here, not at start: it loads libcrypto (~3.7 MB) and refreshes run later

    return hashlib.sha256(body or b"").hexdigest()


def _title_from_url(url: str) -> str:
    parts = urlsplit(url)
    name = Path(parts.path).stem if parts.scheme == "file" else (parts.hostname or "")
    return name or redact(url)
