"""Plain dataclasses shared by every layer: seconds for feed data, milliseconds for playback."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields


class RefreshStatus(enum.StrEnum):
    """How the last refresh of a podcast went."""

    NEVER = "never"
    OK = "ok"
    NOT_MODIFIED = "not-modified"
    FAILED = "failed"
    GONE = "gone"
    NEEDS_LOGIN = "needs-login"


@dataclass(frozen=True, slots=True)
class TranscriptRef:
    """A ``<podcast:transcript>`` of an episode."""

    url: str
    mime_type: str
    language: str | None = None
    rel: str | None = None


@dataclass(frozen=True, slots=True)
class ChapterRef:
    """A ``<podcast:chapters>`` of an episode."""

    url: str
    mime_type: str


@dataclass(frozen=True, slots=True)
class Chapter:
    """One chapter of an episode; ``toc`` False marks a silent marker (new image or link only).

    ``image_data`` is a picture embedded in the audio file's tag; ``image_url`` one on the web.
    """

    start_ms: int
    title: str
    end_ms: int | None = None
    url: str | None = None
    image_url: str | None = None
    toc: bool = True
    image_data: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class Cue:
    """One line of a transcript. ``start_ms`` is None for untimed transcripts."""

    start_ms: int | None
    end_ms: int | None
    text: str
    speaker: str | None = None


@dataclass(slots=True)
class Podcast:
    """A subscription as stored in the library."""

    url: str
    title: str = ""
    id: int | None = None
    author: str = ""
    description: str = ""
    link: str = ""
    image_url: str = ""
    language: str = ""
    podcast_guid: str = ""
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_refresh_at: float | None = None
    refresh_status: RefreshStatus = RefreshStatus.NEVER
    refresh_error: str = ""
    username: str | None = None
    # The secret store's key for this feed's password (core/credentials.py); None: no password.
    password_key: str | None = None
    speed: float | None = None
    auto_download: bool = False
    allow_remote_images: bool = False
    added_at: float | None = None


@dataclass(slots=True, kw_only=True)
class EpisodeFeedFields:
    """What a feed says about an episode: the one list parsing, merging and storage share.

    A new feed field is added here (and as a column by a migration); the parsed item, the stored
    episode, the row mapping and the merge all follow from this list.
    """

    guid: str
    title: str = ""
    published: float | None = None
    duration_s: int | None = None
    enclosure_url: str = ""
    enclosure_type: str = ""
    enclosure_length: int | None = None
    notes_html: str = ""
    link: str = ""
    image_url: str = ""
    episode_number: int | None = None
    season: int | None = None
    transcripts: list[TranscriptRef] = field(default_factory=list)
    chapters: list[ChapterRef] = field(default_factory=list)
    podlove_chapters: list[Chapter] = field(default_factory=list)


FEED_LISTS = ("transcripts", "chapters", "podlove_chapters")
"""The feed's list fields: rows of their own tables."""
# The feed's scalar fields, one column each.
EPISODE_FEED_COLUMNS: tuple[str, ...] = tuple(
    f.name for f in fields(EpisodeFeedFields) if f.name not in FEED_LISTS
)


@dataclass(slots=True, kw_only=True)
class Episode(EpisodeFeedFields):
    """An episode as stored in the library: the feed's fields and the user's play state."""

    podcast_id: int
    id: int | None = None
    in_feed: bool = True
    played: bool = False
    position_ms: int = 0
    last_played_at: float | None = None


class DownloadState(enum.StrEnum):
    """Where a download task stands; podplayer.core.downloads.state says which moves are allowed."""

    QUEUED = "queued"
    DOWNLOADING = "downloading"
    PAUSED = "paused"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(slots=True)
class Download:
    """One episode's download as stored in the library; ``file_path`` is the final name."""

    episode_id: int
    url: str
    state: DownloadState = DownloadState.QUEUED
    file_path: str | None = None
    total_bytes: int | None = None
    received_bytes: int = 0
    validator: str | None = None
    error: str = ""
    updated_at: float | None = None


class EpisodeView(enum.StrEnum):
    """Which episodes a list shows, by play state."""

    ALL = "all"
    NEW = "new"
    IN_PROGRESS = "in-progress"
    DOWNLOADED = "downloaded"
    PLAYED = "played"


class EpisodeSort(enum.StrEnum):
    """The column an episode list is ordered by."""

    DATE = "date"
    TITLE = "title"
    DURATION = "duration"


@dataclass(frozen=True, slots=True)
class EpisodeQuery:
    """What an episode list shows: one podcast or all, a view, a filter text and an order."""

    podcast_id: int | None = None
    view: EpisodeView = EpisodeView.ALL
    text: str = ""
    sort: EpisodeSort = EpisodeSort.DATE
    descending: bool = True


@dataclass(frozen=True, slots=True)
class EpisodeSummary:
    """One row of an episode list: what the list shows, without notes or references."""

    id: int
    podcast_id: int
    podcast_title: str
    title: str
    published: float | None
    duration_s: int | None
    played: bool
    position_ms: int
    downloaded: bool
