"""Download records: one per episode."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable

from podplayer.core.models import Download, DownloadState
from podplayer.core.storage.database import Database


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

    def save(self, download: Download) -> bool:
        """Insert or replace the episode's record, stamping ``updated_at``.

        False when the episode is no longer in the library (its podcast was removed meanwhile,
        perhaps by another process): nothing is stored.
        """
        download.updated_at = time.time()
        cursor = self._db.write(
            "INSERT INTO downloads (episode_id, state, url, file_path, total_bytes,"
            " received_bytes, validator, error, updated_at)"
            " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM episodes WHERE id = ?)"
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
                download.episode_id,
            ),
        )
        return cursor.rowcount > 0

    def save_progress(self, episode_id: int, received_bytes: int) -> None:
        self._db.write(
            "UPDATE downloads SET received_bytes = ?, updated_at = ? WHERE episode_id = ?",
            (received_bytes, time.time(), episode_id),
        )

    def get(self, episode_id: int) -> Download | None:
        row = self._db.execute(
            "SELECT * FROM downloads WHERE episode_id = ?", (episode_id,)
        ).fetchone()
        return _download_from_row(row) if row else None

    def list_with_titles(self) -> list[tuple[Download, str]]:
        """Every record with its episode's title, most recently changed first: one query."""
        rows = self._db.execute(
            "SELECT d.*, coalesce(e.title, '') AS episode_title FROM downloads d"
            " LEFT JOIN episodes e ON e.id = d.episode_id ORDER BY d.updated_at DESC"
        )
        return [(_download_from_row(row), row["episode_title"]) for row in rows]

    def list_for_podcast(self, podcast_id: int) -> list[Download]:
        """The records of one podcast's episodes."""
        rows = self._db.execute(
            "SELECT d.* FROM downloads d JOIN episodes e ON e.id = d.episode_id"
            " WHERE e.podcast_id = ?",
            (podcast_id,),
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
        self._db.write("DELETE FROM downloads WHERE episode_id = ?", (episode_id,))

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
