"""Gathers an episode's chapters source by source, in the merge rule's order, with a cache.

Network reads (the feed's chapters file, a stream's ID3 tag) are cached by URL, so an episode's
chapters are fetched once. Runs on a worker thread; every failure becomes a sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from podplayer.core.chapters.chapter_list import PREFERENCE, ChapterList, choose_chapters
from podplayer.core.chapters.reading import ChapterSource, Reading
from podplayer.core.models import Episode

if TYPE_CHECKING:
    from podplayer.core.http import HttpClient
    from podplayer.core.resource_fetch import ResourceFetcher

STREAM_DEADLINE_S = 15.0
FIRST_BYTES = 64 * 1024
"""Most tags fit in the first request; a tag with pictures needs a second one."""
JSON_DEADLINE_S = 20.0
TAG_KEY_PREFIX = "id3-tag:"


class ChapterCache(Protocol):
    """Bytes fetched for chapters, by URL (podplayer.core.storage keeps them in SQLite)."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, body: bytes) -> None: ...


class ChapterLoader:
    """Reads the sources of one episode until one has chapters (feed JSON first)."""

    def __init__(
        self,
        fetcher: ResourceFetcher,
        http: HttpClient,
        cache: ChapterCache,
        local_file_for: Callable[[int], Path | None],
    ) -> None:
        self._fetcher = fetcher
        self._http = http
        self._cache = cache
        self._local_file_for = local_file_for

    def load(self, episode: Episode, duration_ms: int | None = None) -> ChapterList:
        """The chapters the merge rule picks for ``episode``; never raises for bad input.

        ``duration_ms`` is a length measured from the audio: a feed's stated duration is too
        often wrong to drop chapters by (ChapterList.within trims once playback knows).
        """
        readings: dict[ChapterSource, Reading] = {}
        for source in PREFERENCE:
            readings[source] = self._read(source, episode)
            chosen = choose_chapters(readings, duration_ms)
            if chosen.source is not None:
                return chosen
        return choose_chapters(readings, duration_ms)

    def prefetch(self, episode: Episode) -> None:
        """Fetch (into the cache) the feed's chapters file of an episode the listener looks at,
        so its chapters are there when playback starts; a failure waits for playback to say it."""
        self._feed_json(episode)

    def _read(self, source: ChapterSource, episode: Episode) -> Reading:
        """One source's chapters; the readers are imported here, when an episode first plays."""
        from podplayer.core.chapters.show_notes import show_notes_chapters

        if source is ChapterSource.FEED_JSON:
            return self._feed_json(episode)
        if source is ChapterSource.EMBEDDED:
            return self._embedded(episode)
        if source is ChapterSource.PODLOVE:
            return Reading(list(episode.podlove_chapters))
        return show_notes_chapters(episode.notes_html)

    def _feed_json(self, episode: Episode) -> Reading:
        from podplayer.core.chapters.json_chapters import MAX_CHAPTERS_BYTES, parse_chapters_json
        from podplayer.core.http import HttpError

        refs = [ref for ref in episode.chapters if "json" in ref.mime_type or not ref.mime_type]
        if not refs:
            return Reading()
        url = refs[0].url
        body = self._cache.get(url)
        if body is None:
            try:
                body = self._fetcher.get_bytes(url, max_bytes=MAX_CHAPTERS_BYTES)
            except HttpError as exc:
                return Reading(
                    problems=[f"The podcast's chapters file could not be fetched: {exc}"]
                )
            self._cache.put(url, body)
        return parse_chapters_json(body)

    def _embedded(self, episode: Episode) -> Reading:
        from podplayer.core.chapters.id3 import id3_chapters
        from podplayer.core.http import HttpError

        local = self._local_file_for(episode.id) if episode.id is not None else None
        if local is not None:
            return read_file_chapters(local)
        url = episode.enclosure_url.strip()
        if urlsplit(url).scheme.lower() not in ("http", "https") or _is_mp4(url, episode):
            return Reading()
        key = TAG_KEY_PREFIX + url
        tag = self._cache.get(key)
        if tag is None:
            try:
                tag = stream_tag(self._http, url)
            except HttpError as exc:
                return Reading(problems=[f"The start of the audio could not be read: {exc}"])
            self._cache.put(key, tag)
        return id3_chapters(tag) if tag else Reading()


def read_file_chapters(path: Path) -> Reading:
    """Chapters inside an audio file: an ID3 tag at its start, else MP4 boxes."""
    from podplayer.core.chapters.id3 import id3_chapters, read_tag
    from podplayer.core.chapters.mp4 import MP4_SUFFIXES, mp4_chapters

    try:
        if path.suffix.lower() in MP4_SUFFIXES:
            return mp4_chapters(path)
        tag = read_tag(path)
    except OSError as exc:
        return Reading(problems=[f"The audio file could not be read ({exc.strerror})."])
    return id3_chapters(tag) if tag is not None else Reading()


def stream_tag(http: HttpClient, url: str) -> bytes:
    """The ID3 tag at the start of a stream (b"" when it has none), fetched with Range requests:
    the first 64 kB, then the rest of the tag if it is larger (chapter pictures)."""
    from podplayer.core.chapters.id3 import HEADER_BYTES, MAX_TAG_BYTES, tag_size

    head = _read_range(http, url, 0, FIRST_BYTES)
    size = tag_size(head[:HEADER_BYTES])
    if size is None or size > MAX_TAG_BYTES:
        return b""
    if len(head) < size:
        head += _read_range(http, url, len(head), size - len(head))
    return head[:size] if len(head) >= size else b""


def _read_range(http: HttpClient, url: str, start: int, length: int) -> bytes:
    """``length`` bytes from ``start`` (fewer at the end); a server without Range support sends
    the whole file from its start, which is read only as far as needed."""
    from podplayer.core.http import HttpError

    with http.stream(
        url,
        headers={"Range": f"bytes={start}-{start + length - 1}", "Accept-Encoding": "identity"},
        deadline=STREAM_DEADLINE_S,
    ) as response:
        if response.status not in (200, 206):
            raise HttpError(f"the server answered {response.status}.", status=response.status)
        skip = start if response.status == 200 else 0
        body = bytearray()
        for chunk in response.chunks():
            body += chunk
            if len(body) >= skip + length:
                break
    return bytes(body[skip : skip + length])


def _is_mp4(url: str, episode: Episode) -> bool:
    """An MP4's chapters may sit at its end (moov last): not read from a stream."""
    from podplayer.core.chapters.mp4 import MP4_SUFFIXES

    suffix = Path(urlsplit(url).path).suffix.lower()
    return suffix in MP4_SUFFIXES or episode.enclosure_type in (
        "audio/mp4",
        "audio/x-m4a",
        "video/mp4",
    )
