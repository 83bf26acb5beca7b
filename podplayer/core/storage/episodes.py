"""Episodes with their play state, transcript and chapter references."""

from __future__ import annotations

import sqlite3
import time
from array import array
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from podplayer.core.models import (
    EPISODE_FEED_COLUMNS,
    FEED_LISTS,
    ChapterRef,
    DownloadState,
    Episode,
    EpisodeQuery,
    EpisodeSort,
    EpisodeSummary,
    EpisodeView,
    TranscriptRef,
)
from podplayer.core.storage.chapters import read_podlove_chapters, write_podlove_chapters
from podplayer.core.storage.database import Database, in_chunks, sql_value

_COLUMNS = tuple(f.name for f in fields(Episode) if f.name != "id" and f.name not in FEED_LISTS)
_FROM_SQL = {"in_feed": bool, "played": bool}
DOWNLOAD_COMPLETE_STATE = DownloadState.COMPLETED.value


def _episode_from_row(row: sqlite3.Row) -> Episode:
    values = {name: row[name] for name in ("id", *_COLUMNS)}
    for name, convert in _FROM_SQL.items():
        values[name] = convert(values[name])
    return Episode(**values)


class EpisodeRepository:
    """Episodes with their play state, transcript and chapter references."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, episode: Episode) -> Episode:
        values = [sql_value(getattr(episode, name)) for name in _COLUMNS]
        placeholders = ", ".join("?" for _ in _COLUMNS)
        with self._db.transaction():
            cursor = self._db.write(
                f"INSERT INTO episodes ({', '.join(_COLUMNS)}) VALUES ({placeholders})",
                values,
            )
            episode.id = cursor.lastrowid
            self._write_refs(episode)
        return episode

    def update(self, episode: Episode) -> None:
        """Write every field, play state included, and replace the transcript/chapter refs."""
        if episode.id is None:
            raise ValueError("episode has no id")
        assignments = ", ".join(f"{name} = ?" for name in _COLUMNS)
        values = [sql_value(getattr(episode, name)) for name in _COLUMNS]
        with self._db.transaction():
            self._db.write(f"UPDATE episodes SET {assignments} WHERE id = ?", [*values, episode.id])
            self._db.write("DELETE FROM transcripts WHERE episode_id = ?", (episode.id,))
            self._db.write("DELETE FROM chapters WHERE episode_id = ?", (episode.id,))
            self._write_refs(episode)

    def _write_refs(self, episode: Episode) -> None:
        self._db.write_many(
            "INSERT INTO transcripts (episode_id, url, mime_type, language, rel)"
            " VALUES (?, ?, ?, ?, ?)",
            [(episode.id, t.url, t.mime_type, t.language, t.rel) for t in episode.transcripts],
        )
        self._db.write_many(
            "INSERT INTO chapters (episode_id, url, mime_type) VALUES (?, ?, ?)",
            [(episode.id, c.url, c.mime_type) for c in episode.chapters],
        )
        assert episode.id is not None
        write_podlove_chapters(self._db, [(episode.id, episode.podlove_chapters)])

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

    def fingerprint(self, podcast_id: int) -> tuple[int, int, int]:
        """Changes when episodes of the podcast are added or leave or rejoin its feed."""
        row = self._db.execute(
            "SELECT count(*), coalesce(max(id), 0), coalesce(sum(in_feed), 0) FROM episodes"
            " WHERE podcast_id = ?",
            (podcast_id,),
        ).fetchone()
        return (row[0], row[1], row[2])

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
        for chunk in in_chunks(list(by_id)):
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
            for episode_id, chapters in read_podlove_chapters(self._db, chunk).items():
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
        for chunk in in_chunks(episode_ids):
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
        """Called on the GUI thread while playing: it takes its turn among this process's (short)
        writes instead of sleeping in SQLite's busy handler."""
        self._db.write(
            "UPDATE episodes SET position_ms = ?, last_played_at = ? WHERE id = ?",
            (max(0, int(position_ms)), time.time(), episode_id),
        )

    def set_played(self, episode_id: int, played: bool) -> None:
        """Mark played (position back to the start) or unplayed."""
        self._db.write(
            "UPDATE episodes SET played = ?, position_ms = 0 WHERE id = ?",
            (int(played), episode_id),
        )

    def set_played_many(self, episode_ids: Sequence[int], played: bool) -> None:
        """Mark many played (positions back to the start) or unplayed, in one transaction."""
        with self._db.transaction():
            self._db.write_many(
                "UPDATE episodes SET played = ?, position_ms = 0 WHERE id = ?",
                [(int(played), episode_id) for episode_id in episode_ids],
            )

    def add_many(self, episodes: Sequence[Episode]) -> None:
        """Insert new episodes (ids are set on them) with their transcript and chapter refs."""
        rows = [[sql_value(getattr(episode, name)) for name in _COLUMNS] for episode in episodes]
        with self._db.transaction():
            # The write lock is held: no one else adds an episode until the commit.
            last = self._db.execute("SELECT coalesce(max(id), 0) FROM episodes").fetchone()[0]
            for offset, (episode, row) in enumerate(zip(episodes, rows, strict=True), 1):
                episode.id = last + offset
                row.insert(0, episode.id)
            self._db.insert_rows("episodes", ("id", *_COLUMNS), rows)
            self._write_refs_many(episodes)

    def update_from_feed(self, episodes: Sequence[Episode], refs_changed: Sequence[int]) -> None:
        """Write the feed's fields of each episode and mark it in the feed; play state stays.

        Transcript and chapter refs are rewritten only for the episode ids in ``refs_changed``.
        """
        rows = [
            [episode.id, *(sql_value(getattr(episode, name)) for name in EPISODE_FEED_COLUMNS)]
            for episode in episodes
        ]
        changed = sorted(set(refs_changed))
        with self._db.transaction():
            self._db.update_rows("episodes", EPISODE_FEED_COLUMNS, rows, extra="in_feed = 1")
            for chunk in in_chunks(changed):
                marks = ", ".join("?" for _ in chunk)
                self._db.write(f"DELETE FROM transcripts WHERE episode_id IN ({marks})", chunk)
                self._db.write(f"DELETE FROM chapters WHERE episode_id IN ({marks})", chunk)
            self._write_refs_many([episode for episode in episodes if episode.id in changed])

    def mark_in_feed(self, episode_ids: Sequence[int], in_feed: bool) -> None:
        """Flag episodes the feed no longer lists (kept, with their play state) or lists again."""
        for chunk in in_chunks(episode_ids):
            marks = ", ".join("?" for _ in chunk)
            self._db.write(
                f"UPDATE episodes SET in_feed = ? WHERE id IN ({marks})", [int(in_feed), *chunk]
            )

    def _write_refs_many(self, episodes: Sequence[Episode]) -> None:
        self._db.insert_rows(
            "transcripts",
            ("episode_id", "url", "mime_type", "language", "rel"),
            [
                (episode.id, t.url, t.mime_type, t.language, t.rel)
                for episode in episodes
                for t in episode.transcripts
            ],
        )
        self._db.insert_rows(
            "chapters",
            ("episode_id", "url", "mime_type"),
            [(episode.id, c.url, c.mime_type) for episode in episodes for c in episode.chapters],
        )
        write_podlove_chapters(
            self._db, [(episode.id, episode.podlove_chapters) for episode in episodes if episode.id]
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
