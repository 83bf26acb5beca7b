"""The SQLite library: connection handling, schema migrations and typed repositories.

All SQL of the app lives in this module. One file in WAL mode; each thread gets its own connection,
so a refresh on a worker thread never blocks the GUI thread's reads.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from podplayer.core import chapter_repository
from podplayer.core.chapter_repository import ChapterPreferencesRepository
from podplayer.core.models import (
    ChapterRef,
    Download,
    DownloadState,
    Episode,
    EpisodeQuery,
    EpisodeSort,
    EpisodeSummary,
    EpisodeView,
    Podcast,
    RefreshStatus,
    TranscriptRef,
)

BUSY_TIMEOUT_MS = 10_000
DOWNLOAD_COMPLETE_STATE = "completed"


class LibraryError(Exception):
    """A library problem with a sentence a user can act on."""


class NewerDatabaseError(LibraryError):
    """The database was written by a newer podplayer; it is left untouched."""


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: executescript() would commit the migration's transaction."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _migration_1(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE podcasts (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            link TEXT NOT NULL DEFAULT '',
            image_url TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT '',
            etag TEXT,
            last_modified TEXT,
            body_hash TEXT,
            last_refresh_at REAL,
            refresh_status TEXT NOT NULL DEFAULT 'never',
            refresh_error TEXT NOT NULL DEFAULT '',
            added_at REAL
        );
        CREATE TABLE episodes (
            id INTEGER PRIMARY KEY,
            podcast_id INTEGER NOT NULL REFERENCES podcasts(id) ON DELETE CASCADE,
            guid TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            published REAL,
            duration_s INTEGER,
            enclosure_url TEXT NOT NULL DEFAULT '',
            enclosure_type TEXT NOT NULL DEFAULT '',
            enclosure_length INTEGER,
            notes_html TEXT NOT NULL DEFAULT '',
            link TEXT NOT NULL DEFAULT '',
            image_url TEXT NOT NULL DEFAULT '',
            episode_number INTEGER,
            season INTEGER,
            in_feed INTEGER NOT NULL DEFAULT 1,
            played INTEGER NOT NULL DEFAULT 0,
            position_ms INTEGER NOT NULL DEFAULT 0,
            last_played_at REAL,
            UNIQUE (podcast_id, guid)
        );
        CREATE TABLE transcripts (
            id INTEGER PRIMARY KEY,
            episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            mime_type TEXT NOT NULL DEFAULT '',
            language TEXT,
            rel TEXT
        );
        CREATE TABLE chapters (
            id INTEGER PRIMARY KEY,
            episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            mime_type TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE INDEX episodes_by_podcast ON episodes (podcast_id, published);
        CREATE INDEX transcripts_by_episode ON transcripts (episode_id);
        CREATE INDEX chapters_by_episode ON chapters (episode_id);
        """,
    )


def _migration_2(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        ALTER TABLE podcasts ADD COLUMN podcast_guid TEXT NOT NULL DEFAULT '';
        ALTER TABLE podcasts ADD COLUMN username TEXT;
        ALTER TABLE podcasts ADD COLUMN password TEXT;
        ALTER TABLE podcasts ADD COLUMN speed REAL;
        ALTER TABLE podcasts ADD COLUMN auto_download INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE podcasts ADD COLUMN allow_remote_images INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE queue (
            position INTEGER NOT NULL,
            episode_id INTEGER NOT NULL UNIQUE REFERENCES episodes(id) ON DELETE CASCADE
        );
        CREATE TABLE downloads (
            episode_id INTEGER PRIMARY KEY REFERENCES episodes(id) ON DELETE CASCADE,
            state TEXT NOT NULL,
            url TEXT NOT NULL,
            file_path TEXT,
            total_bytes INTEGER,
            received_bytes INTEGER NOT NULL DEFAULT 0,
            validator TEXT,
            error TEXT NOT NULL DEFAULT '',
            updated_at REAL
        );
        CREATE INDEX episodes_by_published ON episodes (published);
        CREATE INDEX episodes_by_state ON episodes (played, position_ms);
        """,
    )


def _migration_3(conn: sqlite3.Connection) -> None:
    _run_script(conn, chapter_repository.SCHEMA)


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _migration_1,
    _migration_2,
    _migration_3,
)
SCHEMA_VERSION = len(MIGRATIONS)


def _row_factory(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> sqlite3.Row:
    return sqlite3.Row(cursor, row)


class Database:
    """One SQLite file; a connection per thread, transactions that nest."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.row_factory = _row_factory
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            # Each thread's connection would keep up to 2 MB of pages read by a scan (episode ids,
            # unplayed counts): ~4 MB more at idle with 100,000 episodes. Transactions still
            # spill to the file only past ~2 MB of changed pages, as with the default cache.
            conn.execute("PRAGMA cache_size = -512")
            conn.execute("PRAGMA cache_spill = 500")
            self._local.conn = conn
            self._local.depth = 0
            with self._lock:
                self._connections.append(conn)
        return conn

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self.connection().execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        return self.connection().executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing; a transaction inside another joins the outer one."""
        conn = self.connection()
        depth: int = self._local.depth
        if depth == 0:
            conn.execute("BEGIN IMMEDIATE")
        self._local.depth = depth + 1
        try:
            yield conn
        except BaseException:
            self._local.depth = depth
            if depth == 0:
                conn.execute("ROLLBACK")
            raise
        self._local.depth = depth
        if depth == 0:
            conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()


def _read_schema_version(path: Path, *, check_every_page: bool) -> int:
    """The file's user_version, read without writing anything (read-only URI).

    Reading the header and the schema catches a file that is not a database or is cut short;
    ``check_every_page`` adds SQLite's quick_check (~70 ms on 100,000 episodes) for a file that
    was not closed cleanly.
    """
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if check_every_page:
            problems = conn.execute("PRAGMA quick_check").fetchall()
            if [tuple(row) for row in problems] != [("ok",)]:
                raise sqlite3.DatabaseError("; ".join(str(row[0]) for row in problems[:5]))
        return version
    finally:
        conn.close()


def _open_marker(path: Path, pid: int | None = None) -> Path:
    """Exists while this process has the library open; left behind by a crash or a kill -9."""
    return path.with_name(f"{path.name}.open-{os.getpid() if pid is None else pid}")


def _markers_of_ended_processes(path: Path) -> list[Path]:
    """Open markers whose process is gone: that process never closed the library."""
    ended = []
    for marker in path.parent.glob(f"{path.name}.open-*"):
        pid = marker.name.rsplit("-", 1)[1]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            ended.append(marker)
        except PermissionError:
            pass  # alive, another user's
    return ended


def _move_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target


def _podcast_from_row(row: sqlite3.Row) -> Podcast:
    return Podcast(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        author=row["author"],
        description=row["description"],
        link=row["link"],
        image_url=row["image_url"],
        language=row["language"],
        podcast_guid=row["podcast_guid"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        body_hash=row["body_hash"],
        last_refresh_at=row["last_refresh_at"],
        refresh_status=RefreshStatus(row["refresh_status"]),
        refresh_error=row["refresh_error"],
        username=row["username"],
        password=row["password"],
        speed=row["speed"],
        auto_download=bool(row["auto_download"]),
        allow_remote_images=bool(row["allow_remote_images"]),
        added_at=row["added_at"],
    )


_PODCAST_COLUMNS = tuple(f.name for f in fields(Podcast) if f.name != "id")
_EPISODE_COLUMNS = tuple(
    f.name
    for f in fields(Episode)
    if f.name not in ("id", "transcripts", "chapters", "podlove_chapters")
)


# What a feed refresh may write; everything else on these rows belongs to the user.
_FEED_STATE_COLUMNS = (
    "url",
    "title",
    "author",
    "description",
    "link",
    "image_url",
    "language",
    "podcast_guid",
    "etag",
    "last_modified",
    "body_hash",
    "last_refresh_at",
    "refresh_status",
    "refresh_error",
)
FEED_EPISODE_COLUMNS = (
    "guid",
    "title",
    "published",
    "duration_s",
    "enclosure_url",
    "enclosure_type",
    "enclosure_length",
    "notes_html",
    "link",
    "image_url",
    "episode_number",
    "season",
)


def _episode_from_row(row: sqlite3.Row) -> Episode:
    return Episode(
        id=row["id"],
        podcast_id=row["podcast_id"],
        guid=row["guid"],
        title=row["title"],
        published=row["published"],
        duration_s=row["duration_s"],
        enclosure_url=row["enclosure_url"],
        enclosure_type=row["enclosure_type"],
        enclosure_length=row["enclosure_length"],
        notes_html=row["notes_html"],
        link=row["link"],
        image_url=row["image_url"],
        episode_number=row["episode_number"],
        season=row["season"],
        in_feed=bool(row["in_feed"]),
        played=bool(row["played"]),
        position_ms=row["position_ms"],
        last_played_at=row["last_played_at"],
    )


class PodcastRepository:
    """Subscriptions."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, podcast: Podcast) -> Podcast:
        if podcast.added_at is None:
            podcast.added_at = time.time()
        values = [_to_sql(getattr(podcast, name)) for name in _PODCAST_COLUMNS]
        placeholders = ", ".join("?" for _ in _PODCAST_COLUMNS)
        cursor = self._db.execute(
            f"INSERT INTO podcasts ({', '.join(_PODCAST_COLUMNS)}) VALUES ({placeholders})", values
        )
        podcast.id = cursor.lastrowid
        return podcast

    def update(self, podcast: Podcast) -> None:
        if podcast.id is None:
            raise ValueError("podcast has no id")
        assignments = ", ".join(f"{name} = ?" for name in _PODCAST_COLUMNS)
        values = [_to_sql(getattr(podcast, name)) for name in _PODCAST_COLUMNS]
        self._db.execute(f"UPDATE podcasts SET {assignments} WHERE id = ?", [*values, podcast.id])

    def get(self, podcast_id: int) -> Podcast | None:
        row = self._db.execute("SELECT * FROM podcasts WHERE id = ?", (podcast_id,)).fetchone()
        return _podcast_from_row(row) if row else None

    def find_by_url(self, url: str) -> Podcast | None:
        row = self._db.execute("SELECT * FROM podcasts WHERE url = ?", (url,)).fetchone()
        return _podcast_from_row(row) if row else None

    def list(self) -> list[Podcast]:
        rows = self._db.execute("SELECT * FROM podcasts ORDER BY title COLLATE NOCASE, id")
        return [_podcast_from_row(row) for row in rows]

    def unplayed_counts(self) -> dict[int, int]:
        rows = self._db.execute(
            "SELECT podcast_id, count(*) FROM episodes WHERE played = 0 GROUP BY podcast_id"
        )
        return {row[0]: row[1] for row in rows}

    def delete(self, podcast_id: int) -> None:
        self._db.execute("DELETE FROM podcasts WHERE id = ?", (podcast_id,))

    def set_allow_remote_images(self, podcast_id: int, allowed: bool) -> None:
        """Whether this podcast's show notes may load images from the internet."""
        self._db.execute(
            "UPDATE podcasts SET allow_remote_images = ? WHERE id = ?", (int(allowed), podcast_id)
        )

    def set_auto_download(self, podcast_id: int, enabled: bool) -> None:
        """Whether new episodes of this podcast are downloaded when a refresh finds them."""
        self._db.execute(
            "UPDATE podcasts SET auto_download = ? WHERE id = ?", (int(enabled), podcast_id)
        )

    def set_speed(self, podcast_id: int, speed: float | None) -> None:
        """Remember a playback rate for one podcast (None: use the global rate)."""
        self._db.execute("UPDATE podcasts SET speed = ? WHERE id = ?", (speed, podcast_id))

    def save_feed_state(self, podcast: Podcast) -> None:
        """Write what a refresh learns (feed fields, validators, status); user settings stay."""
        if podcast.id is None:
            raise ValueError("podcast has no id")
        values = [_to_sql(getattr(podcast, name)) for name in _FEED_STATE_COLUMNS]
        assignments = ", ".join(f"{name} = ?" for name in _FEED_STATE_COLUMNS)
        self._db.execute(f"UPDATE podcasts SET {assignments} WHERE id = ?", [*values, podcast.id])

    def save_refresh_status(
        self, podcast_id: int, status: RefreshStatus, error: str, at: float
    ) -> None:
        """Record how a refresh that changed nothing else went."""
        self._db.execute(
            "UPDATE podcasts SET refresh_status = ?, refresh_error = ?, last_refresh_at = ?"
            " WHERE id = ?",
            (status.value, error, at, podcast_id),
        )

    def episode_counts(self) -> dict[int, tuple[int, int]]:
        """(episodes, unplayed) per podcast id."""
        rows = self._db.execute(
            "SELECT podcast_id, count(*), sum(played = 0) FROM episodes GROUP BY podcast_id"
        )
        return {row[0]: (row[1], row[2]) for row in rows}


class EpisodeRepository:
    """Episodes with their play state, transcript and chapter references."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, episode: Episode) -> Episode:
        values = [_to_sql(getattr(episode, name)) for name in _EPISODE_COLUMNS]
        placeholders = ", ".join("?" for _ in _EPISODE_COLUMNS)
        with self._db.transaction():
            cursor = self._db.execute(
                f"INSERT INTO episodes ({', '.join(_EPISODE_COLUMNS)}) VALUES ({placeholders})",
                values,
            )
            episode.id = cursor.lastrowid
            self._write_refs(episode)
        return episode

    def update(self, episode: Episode) -> None:
        """Write every field, play state included, and replace the transcript/chapter refs."""
        if episode.id is None:
            raise ValueError("episode has no id")
        assignments = ", ".join(f"{name} = ?" for name in _EPISODE_COLUMNS)
        values = [_to_sql(getattr(episode, name)) for name in _EPISODE_COLUMNS]
        with self._db.transaction():
            self._db.execute(
                f"UPDATE episodes SET {assignments} WHERE id = ?", [*values, episode.id]
            )
            self._db.execute("DELETE FROM transcripts WHERE episode_id = ?", (episode.id,))
            self._db.execute("DELETE FROM chapters WHERE episode_id = ?", (episode.id,))
            self._write_refs(episode)

    def _write_refs(self, episode: Episode) -> None:
        self._db.executemany(
            "INSERT INTO transcripts (episode_id, url, mime_type, language, rel)"
            " VALUES (?, ?, ?, ?, ?)",
            [(episode.id, t.url, t.mime_type, t.language, t.rel) for t in episode.transcripts],
        )
        self._db.executemany(
            "INSERT INTO chapters (episode_id, url, mime_type) VALUES (?, ?, ?)",
            [(episode.id, c.url, c.mime_type) for c in episode.chapters],
        )
        assert episode.id is not None
        chapter_repository.write_podlove_chapters(
            self._db, [(episode.id, episode.podlove_chapters)]
        )

    def get(self, episode_id: int) -> Episode | None:
        row = self._db.execute("SELECT * FROM episodes WHERE id = ?", (episode_id,)).fetchone()
        if row is None:
            return None
        episode = _episode_from_row(row)
        self._load_refs([episode])
        return episode

    def find_by_enclosure_url(self, url: str) -> Episode | None:
        """The episode whose media is ``url`` (newest first when feeds share a file)."""
        row = self._db.execute(
            "SELECT * FROM episodes WHERE enclosure_url = ? ORDER BY id DESC LIMIT 1", (url,)
        ).fetchone()
        if row is None:
            return None
        episode = _episode_from_row(row)
        self._load_refs([episode])
        return episode

    def list_for_podcast(self, podcast_id: int) -> list[Episode]:
        """Newest first, with transcript and chapter references."""
        rows = self._db.execute(
            "SELECT * FROM episodes WHERE podcast_id = ? ORDER BY published DESC, id DESC",
            (podcast_id,),
        )
        episodes = [_episode_from_row(row) for row in rows]
        self._load_refs(episodes)
        return episodes

    def _load_refs(self, episodes: list[Episode]) -> None:
        by_id = {episode.id: episode for episode in episodes}
        if not by_id:
            return
        for chunk in _chunks(list(by_id), 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self._db.execute(
                f"SELECT * FROM transcripts WHERE episode_id IN ({marks}) ORDER BY id", chunk
            ):
                by_id[row["episode_id"]].transcripts.append(
                    TranscriptRef(row["url"], row["mime_type"], row["language"], row["rel"])
                )
            for row in self._db.execute(
                f"SELECT * FROM chapters WHERE episode_id IN ({marks}) ORDER BY id", chunk
            ):
                by_id[row["episode_id"]].chapters.append(ChapterRef(row["url"], row["mime_type"]))
            podlove = chapter_repository.read_podlove_chapters(self._db, chunk)
            for episode_id, chapters in podlove.items():
                by_id[episode_id].podlove_chapters = chapters

    def ids_matching(self, query: EpisodeQuery) -> array[int]:
        """The ids of the episodes a list shows, in order: 8 bytes each, cheap even for 100,000."""
        where: list[str] = []
        params: list[Any] = []
        if query.podcast_id is not None:
            where.append("e.podcast_id = ?")
            params.append(query.podcast_id)
        where += _VIEW_CONDITIONS[query.view]
        text = query.text.strip()
        if text:
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append("e.title LIKE ? ESCAPE '\\'")
            params.append(f"%{escaped}%")
        direction = "DESC" if query.descending else "ASC"
        order = _SORT_COLUMNS[query.sort]
        sql = "SELECT e.id FROM episodes e"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {order} {direction}, e.id {direction}"
        cursor = self._db.connection().cursor()
        cursor.row_factory = None  # plain tuples: 100,000 Row objects cost time and memory
        return array("q", (row[0] for row in cursor.execute(sql, params)))

    def summaries(self, episode_ids: Sequence[int]) -> list[EpisodeSummary]:
        """The list rows for these ids, in the order given (ids no longer stored are skipped)."""
        found: dict[int, EpisodeSummary] = {}
        for chunk in _chunks(list(episode_ids), 500):
            marks = ", ".join("?" for _ in chunk)
            rows = self._db.execute(
                "SELECT e.id, e.podcast_id, p.title AS podcast_title, e.title, e.published,"
                " e.duration_s, e.played, e.position_ms,"
                f" EXISTS (SELECT 1 FROM downloads d WHERE d.episode_id = e.id"
                f" AND d.state = '{DOWNLOAD_COMPLETE_STATE}') AS downloaded"
                f" FROM episodes e JOIN podcasts p ON p.id = e.podcast_id WHERE e.id IN ({marks})",
                chunk,
            )
            for row in rows:
                found[row["id"]] = EpisodeSummary(
                    id=row["id"],
                    podcast_id=row["podcast_id"],
                    podcast_title=row["podcast_title"],
                    title=row["title"],
                    published=row["published"],
                    duration_s=row["duration_s"],
                    played=bool(row["played"]),
                    position_ms=row["position_ms"],
                    downloaded=bool(row["downloaded"]),
                )
        return [found[episode_id] for episode_id in episode_ids if episode_id in found]

    def save_position(self, episode_id: int, position_ms: int) -> None:
        self._db.execute(
            "UPDATE episodes SET position_ms = ?, last_played_at = ? WHERE id = ?",
            (max(0, int(position_ms)), time.time(), episode_id),
        )

    def set_played(self, episode_id: int, played: bool) -> None:
        """Mark played (position back to the start) or unplayed."""
        self._db.execute(
            "UPDATE episodes SET played = ?, position_ms = 0 WHERE id = ?",
            (int(played), episode_id),
        )

    def add_many(self, episodes: Sequence[Episode]) -> None:
        """Insert new episodes (ids are set on them) with their transcript and chapter refs."""
        sql = (
            f"INSERT INTO episodes ({', '.join(_EPISODE_COLUMNS)})"
            f" VALUES ({', '.join('?' for _ in _EPISODE_COLUMNS)})"
        )
        with self._db.transaction():
            for episode in episodes:
                values = [_to_sql(getattr(episode, name)) for name in _EPISODE_COLUMNS]
                episode.id = self._db.execute(sql, values).lastrowid
            self._write_refs_many(episodes)

    def update_from_feed(self, episodes: Sequence[Episode], refs_changed: Sequence[int]) -> None:
        """Write the feed's fields of each episode and mark it in the feed; play state stays.

        Transcript and chapter refs are rewritten only for the episode ids in ``refs_changed``.
        """
        assignments = ", ".join(f"{name} = ?" for name in FEED_EPISODE_COLUMNS)
        rows = [
            [*(_to_sql(getattr(episode, name)) for name in FEED_EPISODE_COLUMNS), episode.id]
            for episode in episodes
        ]
        changed = set(refs_changed)
        with self._db.transaction():
            self._db.executemany(
                f"UPDATE episodes SET {assignments}, in_feed = 1 WHERE id = ?", rows
            )
            ids = [(episode_id,) for episode_id in changed]
            self._db.executemany("DELETE FROM transcripts WHERE episode_id = ?", ids)
            self._db.executemany("DELETE FROM chapters WHERE episode_id = ?", ids)
            self._write_refs_many([episode for episode in episodes if episode.id in changed])

    def mark_in_feed(self, episode_ids: Sequence[int], in_feed: bool) -> None:
        """Flag episodes the feed no longer lists (kept, with their play state) or lists again."""
        self._db.executemany(
            "UPDATE episodes SET in_feed = ? WHERE id = ?",
            [(int(in_feed), episode_id) for episode_id in episode_ids],
        )

    def _write_refs_many(self, episodes: Sequence[Episode]) -> None:
        self._db.executemany(
            "INSERT INTO transcripts (episode_id, url, mime_type, language, rel)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (episode.id, t.url, t.mime_type, t.language, t.rel)
                for episode in episodes
                for t in episode.transcripts
            ],
        )
        self._db.executemany(
            "INSERT INTO chapters (episode_id, url, mime_type) VALUES (?, ?, ?)",
            [(episode.id, c.url, c.mime_type) for episode in episodes for c in episode.chapters],
        )
        chapter_repository.write_podlove_chapters(
            self._db,
            [(episode.id, episode.podlove_chapters) for episode in episodes if episode.id],
        )


_VIEW_CONDITIONS: dict[EpisodeView, list[str]] = {
    EpisodeView.ALL: [],
    EpisodeView.NEW: ["e.played = 0", "e.position_ms = 0"],
    EpisodeView.IN_PROGRESS: ["e.played = 0", "e.position_ms > 0"],
    EpisodeView.PLAYED: ["e.played = 1"],
    EpisodeView.DOWNLOADED: [
        "EXISTS (SELECT 1 FROM downloads d WHERE d.episode_id = e.id"
        f" AND d.state = '{DOWNLOAD_COMPLETE_STATE}')"
    ],
}
_SORT_COLUMNS: dict[EpisodeSort, str] = {
    EpisodeSort.DATE: "e.published",
    EpisodeSort.TITLE: "e.title COLLATE NOCASE",
    EpisodeSort.DURATION: "e.duration_s",
}


class SettingsRepository:
    """User settings as JSON values under string keys (UI state is kept elsewhere)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str, default: Any = None) -> Any:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except json.JSONDecodeError:
            return default

    def set(self, key: str, value: Any) -> None:
        self._db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )


class QueueRepository:
    """The Up Next queue, in order."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def episode_ids(self) -> list[int]:
        return [
            row[0] for row in self._db.execute("SELECT episode_id FROM queue ORDER BY position")
        ]

    def replace(self, episode_ids: Sequence[int]) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM queue")
            self._db.executemany(
                "INSERT INTO queue (position, episode_id) VALUES (?, ?)",
                list(enumerate(dict.fromkeys(episode_ids))),
            )


def _download_from_row(row: sqlite3.Row) -> Download:
    return Download(
        episode_id=row["episode_id"],
        url=row["url"],
        state=DownloadState(row["state"]),
        file_path=row["file_path"],
        total_bytes=row["total_bytes"],
        received_bytes=row["received_bytes"],
        validator=row["validator"],
        error=row["error"],
        updated_at=row["updated_at"],
    )


class DownloadRepository:
    """One download record per episode: state, file, byte counts and the resume validator."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def save(self, download: Download) -> None:
        """Insert or replace the episode's record, stamping ``updated_at``."""
        download.updated_at = time.time()
        self._db.execute(
            "INSERT INTO downloads (episode_id, state, url, file_path, total_bytes,"
            " received_bytes, validator, error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (episode_id) DO UPDATE SET state = excluded.state,"
            " url = excluded.url, file_path = excluded.file_path,"
            " total_bytes = excluded.total_bytes, received_bytes = excluded.received_bytes,"
            " validator = excluded.validator, error = excluded.error,"
            " updated_at = excluded.updated_at",
            (
                download.episode_id,
                download.state.value,
                download.url,
                download.file_path,
                download.total_bytes,
                download.received_bytes,
                download.validator,
                download.error,
                download.updated_at,
            ),
        )

    def save_progress(self, episode_id: int, received_bytes: int) -> None:
        self._db.execute(
            "UPDATE downloads SET received_bytes = ?, updated_at = ? WHERE episode_id = ?",
            (received_bytes, time.time(), episode_id),
        )

    def get(self, episode_id: int) -> Download | None:
        row = self._db.execute(
            "SELECT * FROM downloads WHERE episode_id = ?", (episode_id,)
        ).fetchone()
        return _download_from_row(row) if row else None

    def list(self, states: Iterable[DownloadState] | None = None) -> list[Download]:
        """All records (or those in ``states``), most recently changed first."""
        if states is None:
            rows = self._db.execute("SELECT * FROM downloads ORDER BY updated_at DESC")
        else:
            wanted = [state.value for state in states]
            marks = ", ".join("?" for _ in wanted)
            rows = self._db.execute(
                f"SELECT * FROM downloads WHERE state IN ({marks}) ORDER BY updated_at DESC",
                wanted,
            )
        return [_download_from_row(row) for row in rows]

    def completed_file(self, episode_id: int) -> str | None:
        row = self._db.execute(
            "SELECT file_path FROM downloads WHERE episode_id = ? AND state = ?",
            (episode_id, DownloadState.COMPLETED.value),
        ).fetchone()
        return row[0] if row else None

    def file_paths(self) -> set[str]:
        """Every file name a record points at (final names, not the ``.part`` files)."""
        rows = self._db.execute("SELECT file_path FROM downloads WHERE file_path IS NOT NULL")
        return {row[0] for row in rows}

    def delete(self, episode_id: int) -> None:
        self._db.execute("DELETE FROM downloads WHERE episode_id = ?", (episode_id,))


def _to_sql(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, RefreshStatus):
        return value.value
    return value


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Library:
    """The opened library: its repositories and anything the user must be told about opening it."""

    db: Database
    podcasts: PodcastRepository
    episodes: EpisodeRepository
    settings: SettingsRepository
    queue: QueueRepository
    downloads: DownloadRepository
    chapter_preferences: ChapterPreferencesRepository
    notices: list[str]

    @classmethod
    def open(cls, path: Path) -> Library:
        """Open (creating or upgrading) the library at ``path``.

        A corrupt file is moved aside under a timestamped name and a new library is started; a file
        from a newer podplayer raises NewerDatabaseError and is not touched.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        notices: list[str] = []
        unclean = _markers_of_ended_processes(path)
        if path.exists() and path.stat().st_size > 0:
            try:
                version = _read_schema_version(path, check_every_page=bool(unclean))
            except sqlite3.DatabaseError:
                moved = _move_aside(path)
                notices.append(
                    f"The library file was damaged and could not be read. It was kept as "
                    f"{moved} and podplayer started with an empty library."
                )
            else:
                if version > SCHEMA_VERSION:
                    raise NewerDatabaseError(
                        f"The library at {path} was written by a newer version of podplayer "
                        f"(schema {version}; this version knows {SCHEMA_VERSION}). Update "
                        f"podplayer, or start this version with another folder (--data-dir)."
                        " The file was not changed."
                    )
        db = Database(path)
        _migrate(db)
        for marker in unclean:
            marker.unlink(missing_ok=True)
        _open_marker(path).touch()
        return cls(
            db=db,
            podcasts=PodcastRepository(db),
            episodes=EpisodeRepository(db),
            settings=SettingsRepository(db),
            queue=QueueRepository(db),
            downloads=DownloadRepository(db),
            chapter_preferences=ChapterPreferencesRepository(db),
            notices=notices,
        )

    def transaction(self) -> Any:
        return self.db.transaction()

    def close(self) -> None:
        self.db.close()
        _open_marker(self.db.path).unlink(missing_ok=True)


def _migrate(db: Database, target: int = SCHEMA_VERSION) -> None:
    conn = db.connection()
    conn.execute("PRAGMA journal_mode = WAL")
    with db.transaction():
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        for number in range(version + 1, target + 1):
            MIGRATIONS[number - 1](conn)
            conn.execute(f"PRAGMA user_version = {number}")
