"""The Up Next queue."""

from __future__ import annotations

from collections.abc import Sequence

from podplayer.core.storage.database import Database


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
            self._db.write("DELETE FROM queue")
            self._db.write_many(
                "INSERT INTO queue (position, episode_id) VALUES (?, ?)",
                list(enumerate(dict.fromkeys(episode_ids))),
            )
