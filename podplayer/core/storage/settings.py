"""User settings as JSON values under string keys."""

from __future__ import annotations

import json
from typing import Any

from podplayer.core.storage.database import Database


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

    def delete(self, key: str) -> None:
        """Forget a value: the setting is back at its default."""
        self._db.write("DELETE FROM settings WHERE key = ?", (key,))

    def set(self, key: str, value: Any) -> None:
        self._db.write(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )
