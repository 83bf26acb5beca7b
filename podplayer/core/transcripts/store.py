"""Fetching an episode's transcript (best ref first) and caching it on disk per episode and URL."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from podplayer.core.http import HttpError
from podplayer.core.models import Episode
from podplayer.core.transcripts.decoding import MAX_TRANSCRIPT_BYTES, charset_of
from podplayer.core.transcripts.timeline import Transcript

log = logging.getLogger(__name__)

MAX_CACHE_BYTES = 200 * 1024 * 1024
FETCH_DEADLINE_S = 30.0
NO_TRANSCRIPT_MESSAGE = (
    "This episode has no transcript. If you have one as a file, you can load it for this episode."
)
_META_SUFFIX = ".json"
_BODY_SUFFIX = ".body"
_USER_FILE_KEY = "user-file"


class _Response(Protocol):
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def body(self) -> bytes: ...


class GeneratedSource(Protocol):
    """Transcripts made on this computer (podplayer.core.transcription.generated fits)."""

    def transcript_for(self, episode_id: int) -> Transcript | None: ...


class TranscriptFetcher(Protocol):
    """What the store needs of an HTTP client (podplayer.core.http.HttpClient fits)."""

    def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = ...,
        max_bytes: int | None = ...,
        deadline: float | None = ...,
    ) -> _Response:
        """A GET whose body is at most ``max_bytes``; raises HttpError on failure."""
        ...


@dataclass(frozen=True, slots=True)
class CachedSource:
    """What a cached body is: where it came from and its declared type."""

    url: str
    mime_type: str
    name: str
    stored_at: float
    etag: str | None = None
    last_modified: str | None = None
    episode: str | None = None
    """Whose file the user loaded (``episode_identity``): a removed episode's number is given
    to a new one, which must not inherit it."""


def episode_identity(episode: Episode) -> str:
    return f"{episode.podcast_id}\n{episode.guid}"


class TranscriptStore:
    """Gives each episode its transcript: a file the user loaded, else the feed's, else one made
    on this computer, else its notes (a feed's transcript that appears later wins again).

    Bodies are cached under ``cache_dir/<episode id>/`` keyed by URL, so a transcript is fetched
    again only when the feed points at another URL. The whole cache stays under
    ``max_cache_bytes`` (oldest episodes go first; files the user loaded are kept).
    Thread-safe for use from background work: files are replaced atomically.
    """

    def __init__(
        self,
        cache_dir: Path,
        fetcher: TranscriptFetcher,
        *,
        max_bytes: int = MAX_TRANSCRIPT_BYTES,
        max_cache_bytes: int = MAX_CACHE_BYTES,
    ) -> None:
        self.cache_dir = cache_dir
        self.generated: GeneratedSource | None = None
        """Transcripts made on this computer, when the app has them (set by app.py)."""
        self._fetcher = fetcher
        self.max_bytes = max_bytes
        self.max_cache_bytes = max_cache_bytes

    def transcript_for(self, episode: Episode, language: str = "") -> Transcript:
        """The episode's transcript, fetching only what is not cached; never raises."""
        # The parsers are imported here, on a worker thread, not while the window opens.
        from podplayer.core.transcripts.choice import rank_transcript_refs
        from podplayer.core.transcripts.show_notes import transcript_from_show_notes

        if episode.id is None:
            return Transcript.unreadable(NO_TRANSCRIPT_MESSAGE)
        user_file = self._user_file(episode)
        if user_file is not None:
            return user_file
        refs = rank_transcript_refs(episode.transcripts, language)
        self._drop_stale(episode.id, {_url_key(ref.url) for ref in refs})
        problems: list[str] = []
        for ref in refs:
            cached = self._read_cached(episode.id, _url_key(ref.url))
            if cached is not None:
                if cached.readable:
                    return cached
                problems.append(cached.problem)
                continue
            fetched = self._fetch(episode.id, ref.url, ref.mime_type)
            assert fetched is not None  # None only answers a conditional GET
            if fetched.readable:
                return fetched
            problems.append(fetched.problem)
        made_here = self.generated.transcript_for(episode.id) if self.generated else None
        if made_here is not None and made_here.readable:
            return made_here
        from_notes = transcript_from_show_notes(episode.notes_html) if episode.notes_html else None
        if from_notes is not None:
            return from_notes
        if problems:
            return Transcript.unreadable(problems[0])
        return Transcript.unreadable(NO_TRANSCRIPT_MESSAGE)

    def load_file(self, episode: Episode, path: Path) -> Transcript:
        """Read a transcript file the user chose and keep a copy as this episode's transcript."""
        from podplayer.core.transcripts.parsing import parse_transcript

        if episode.id is None:
            return Transcript.unreadable(NO_TRANSCRIPT_MESSAGE)
        episode_id = episode.id
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                return Transcript.unreadable(
                    f"{path.name} is too large for a transcript ({size // (1024 * 1024)} MB; "
                    f"the limit is {self.max_bytes // (1024 * 1024)} MB)."
                )
            data = path.read_bytes()
        except OSError as exc:
            return Transcript.unreadable(
                f"{path.name} could not be opened ({exc.strerror or exc}). Check the file and "
                "try again."
            )
        transcript = parse_transcript(data, name=path.name, max_bytes=self.max_bytes)
        if not transcript.readable:
            return Transcript.unreadable(
                f"{path.name} could not be read as a transcript. {transcript.problem}",
                format_name=transcript.format_name,
            )
        source = CachedSource(
            str(path), "", path.name, time.time(), episode=episode_identity(episode)
        )
        self._write(episode_id, _USER_FILE_KEY, data, source)
        return transcript

    def _user_file(self, episode: Episode) -> Transcript | None:
        """The file the user loaded for this episode; one loaded for a removed episode that had
        its number is forgotten (a copy loaded before this check was made has no owner)."""
        assert episode.id is not None
        meta = self._read_meta(self._episode_dir(episode.id) / (_USER_FILE_KEY + _META_SUFFIX))
        if meta is None:
            return None
        if meta.episode is not None and meta.episode != episode_identity(episode):
            self.forget_file(episode.id)
            return None
        return self._read_cached(episode.id, _USER_FILE_KEY)

    def forget_file(self, episode_id: int) -> None:
        """Stop using the file the user loaded; the feed's transcript is used again."""
        for suffix in (_META_SUFFIX, _BODY_SUFFIX):
            self._episode_dir(episode_id).joinpath(_USER_FILE_KEY + suffix).unlink(missing_ok=True)

    def cached_source(self, episode_id: int, url: str) -> CachedSource | None:
        """What is cached for this episode and URL, if anything."""
        return self._read_meta(self._episode_dir(episode_id) / (_url_key(url) + _META_SUFFIX))

    def fetch_if_changed(
        self, episode_id: int, url: str, mime_type: str, validators: CachedSource
    ) -> Transcript | None:
        """Fetch ``url`` again only if it changed since ``validators`` (a conditional GET with
        their ETag and Last-Modified); None when the server says it did not."""
        headers = {}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        return self._fetch(episode_id, url, mime_type, headers)

    def _fetch(
        self, episode_id: int, url: str, mime_type: str, headers: Mapping[str, str] | None = None
    ) -> Transcript | None:
        from podplayer.core.transcripts.parsing import parse_transcript

        try:
            response = self._fetcher.get(
                url, headers=headers, max_bytes=self.max_bytes, deadline=FETCH_DEADLINE_S
            )
        except HttpError as exc:
            return Transcript.unreadable(f"The transcript could not be downloaded. {exc}")
        if response.status == 304 and headers:
            return None
        if response.status != 200:
            return Transcript.unreadable(
                f"The transcript could not be downloaded: the server answered {response.status}. "
                "Try again later."
            )
        served_type = response.headers.get("Content-Type", "")
        declared = mime_type or served_type
        charset = charset_of(served_type)
        if charset and charset_of(declared) is None:
            declared = f"{declared}; charset={charset}"
        source = CachedSource(
            url,
            declared,
            "",
            time.time(),
            response.headers.get("ETag"),
            response.headers.get("Last-Modified"),
        )
        self._write(episode_id, _url_key(url), response.body, source)
        return parse_transcript(response.body, declared, name=url, max_bytes=self.max_bytes)

    def _episode_dir(self, episode_id: int) -> Path:
        return self.cache_dir / str(int(episode_id))

    def _read_cached(self, episode_id: int, key: str) -> Transcript | None:
        from podplayer.core.transcripts.parsing import parse_transcript

        folder = self._episode_dir(episode_id)
        meta = self._read_meta(folder / (key + _META_SUFFIX))
        if meta is None:
            return None
        try:
            data = (folder / (key + _BODY_SUFFIX)).read_bytes()
        except OSError:
            return None
        return parse_transcript(
            data, meta.mime_type, name=meta.name or meta.url, max_bytes=self.max_bytes
        )

    @staticmethod
    def _read_meta(path: Path) -> CachedSource | None:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return CachedSource(
                str(raw["url"]),
                str(raw["mime_type"]),
                str(raw["name"]),
                float(raw["stored_at"]),
                raw.get("etag"),
                raw.get("last_modified"),
                raw.get("episode"),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write(self, episode_id: int, key: str, data: bytes, source: CachedSource) -> None:
        folder = self._episode_dir(episode_id)
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            _write_atomically(folder / (key + _BODY_SUFFIX), data)
            meta = {
                "url": source.url,
                "mime_type": source.mime_type,
                "name": source.name,
                "stored_at": source.stored_at,
                "etag": source.etag,
                "last_modified": source.last_modified,
                "episode": source.episode,
            }
            _write_atomically(folder / (key + _META_SUFFIX), json.dumps(meta).encode())
        except OSError as exc:
            log.warning("Could not cache the transcript of episode %s: %s", episode_id, exc)
            return
        self._enforce_cache_limit(keep=folder)

    def _drop_stale(self, episode_id: int, current_keys: set[str]) -> None:
        """Forget cached bodies of URLs the episode no longer lists."""
        folder = self._episode_dir(episode_id)
        if not folder.is_dir():
            return
        for entry in folder.iterdir():
            key = entry.name.rsplit(".", 1)[0]
            if key != _USER_FILE_KEY and key not in current_keys:
                entry.unlink(missing_ok=True)

    def _enforce_cache_limit(self, keep: Path) -> None:
        """Delete the least recently written episodes' feed transcripts until under the cap."""
        if not self.cache_dir.is_dir():
            return
        usage: list[tuple[float, Path, int]] = []
        total = 0
        for folder in self.cache_dir.iterdir():
            if not folder.is_dir() or not folder.name.isdigit():
                continue
            for entry in folder.iterdir():
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                total += stat.st_size
                if folder != keep and not entry.name.startswith(_USER_FILE_KEY):
                    usage.append((stat.st_mtime, entry, stat.st_size))
        for _, entry, size in sorted(usage):
            if total <= self.max_cache_bytes:
                break
            entry.unlink(missing_ok=True)
            total -= size
        for folder in self.cache_dir.iterdir():
            if folder.is_dir() and folder.name.isdigit() and not any(folder.iterdir()):
                shutil.rmtree(folder, ignore_errors=True)


def _url_key(url: str) -> str:
    import hashlib  # here, not at start: it loads libcrypto (~3.7 MB)

    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over: never a half-written file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
