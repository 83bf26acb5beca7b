"""Feed passwords leave SQLite for the secret store (core/credentials.py); the column is dropped.

Rows that held a password are overwritten with zeros (secure_delete), so the plain text does not
linger in the file's free pages.
"""

from __future__ import annotations

import sqlite3

from podplayer.core.credentials import new_key
from podplayer.core.storage.migrate import MigrationContext, MigrationError


def migrate(conn: sqlite3.Connection, context: MigrationContext) -> None:
    conn.execute("ALTER TABLE podcasts ADD COLUMN password_key TEXT")
    rows = conn.execute("SELECT id, password FROM podcasts WHERE password IS NOT NULL").fetchall()
    if rows:
        if context.secrets is None:
            raise MigrationError("Feed passwords cannot be moved: no secret store was given.")
        for podcast_id, password in rows:
            key = new_key("feed-password")
            context.secrets.set(key, password)
            conn.execute("UPDATE podcasts SET password_key = ? WHERE id = ?", (key, podcast_id))
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("UPDATE podcasts SET password = NULL")
    conn.execute("ALTER TABLE podcasts DROP COLUMN password")
    conn.execute("PRAGMA secure_delete = OFF")
