"""Subscriptions: the podcasts table."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import fields

from podplayer.core.credentials import NoSecretStoreError, SecretStore, new_key
from podplayer.core.models import Podcast, RefreshStatus
from podplayer.core.storage.database import Database, sql_value

_COLUMNS = tuple(f.name for f in fields(Podcast) if f.name != "id")
_FROM_SQL = {"refresh_status": RefreshStatus, "auto_download": bool, "allow_remote_images": bool}

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


def _podcast_from_row(row: sqlite3.Row) -> Podcast:
    values = {name: row[name] for name in ("id", *_COLUMNS)}
    for name, convert in _FROM_SQL.items():
        values[name] = convert(values[name])
    return Podcast(**values)


class PodcastRepository:
    """Subscriptions. Their passwords are kept in the secret store, never in SQLite."""

    def __init__(self, db: Database, secrets: SecretStore | None = None) -> None:
        self._db = db
        self._secrets = secrets

    def set_password(self, podcast: Podcast, password: str | None) -> None:
        """Keep the feed's password in the secret store (None forgets it)."""
        if podcast.id is None:
            raise ValueError("podcast has no id")
        if password is None:
            if podcast.password_key is not None and self._secrets is not None:
                self._secrets.delete(podcast.password_key)
            podcast.password_key = None
        else:
            if self._secrets is None:
                raise NoSecretStoreError("This library was opened without a secret store.")
            podcast.password_key = podcast.password_key or new_key("feed-password")
            self._secrets.set(podcast.password_key, password)
        self._db.write(
            "UPDATE podcasts SET password_key = ? WHERE id = ?", (podcast.password_key, podcast.id)
        )

    def password(self, podcast: Podcast) -> str | None:
        """The feed's password from the secret store (may wait for the keyring: not on the GUI
        thread)."""
        if podcast.password_key is None or self._secrets is None:
            return None
        return self._secrets.get(podcast.password_key)

    def add(self, podcast: Podcast) -> Podcast:
        if podcast.added_at is None:
            podcast.added_at = time.time()
        values = [sql_value(getattr(podcast, name)) for name in _COLUMNS]
        placeholders = ", ".join("?" for _ in _COLUMNS)
        cursor = self._db.write(
            f"INSERT INTO podcasts ({', '.join(_COLUMNS)}) VALUES ({placeholders})", values
        )
        podcast.id = cursor.lastrowid
        return podcast

    def update(self, podcast: Podcast) -> None:
        if podcast.id is None:
            raise ValueError("podcast has no id")
        assignments = ", ".join(f"{name} = ?" for name in _COLUMNS)
        values = [sql_value(getattr(podcast, name)) for name in _COLUMNS]
        self._db.write(f"UPDATE podcasts SET {assignments} WHERE id = ?", [*values, podcast.id])

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
        """Remove the podcast with its episodes (and downloads records), and forget its password."""
        podcast = self.get(podcast_id)
        self._db.write("DELETE FROM podcasts WHERE id = ?", (podcast_id,))
        if podcast is not None and podcast.password_key is not None and self._secrets is not None:
            self._secrets.delete(podcast.password_key)

    def set_allow_remote_images(self, podcast_id: int, allowed: bool) -> None:
        """Whether this podcast's show notes may load images from the internet."""
        self._db.write(
            "UPDATE podcasts SET allow_remote_images = ? WHERE id = ?", (int(allowed), podcast_id)
        )

    def set_auto_download(self, podcast_id: int, enabled: bool) -> None:
        """Whether new episodes of this podcast are downloaded when a refresh finds them."""
        self._db.write(
            "UPDATE podcasts SET auto_download = ? WHERE id = ?", (int(enabled), podcast_id)
        )

    def set_speed(self, podcast_id: int, speed: float | None) -> None:
        """Remember a playback rate for one podcast (None: use the global rate)."""
        self._db.write("UPDATE podcasts SET speed = ? WHERE id = ?", (speed, podcast_id))

    def save_feed_state(self, podcast: Podcast) -> None:
        """Write what a refresh learns (feed fields, validators, status); user settings stay."""
        if podcast.id is None:
            raise ValueError("podcast has no id")
        values = [sql_value(getattr(podcast, name)) for name in _FEED_STATE_COLUMNS]
        assignments = ", ".join(f"{name} = ?" for name in _FEED_STATE_COLUMNS)
        self._db.write(f"UPDATE podcasts SET {assignments} WHERE id = ?", [*values, podcast.id])

    def save_refresh_status(
        self, podcast_id: int, status: RefreshStatus, error: str, at: float
    ) -> None:
        """Record how a refresh that changed nothing else went."""
        self._db.write(
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
