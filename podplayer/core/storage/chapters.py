"""Chapter data in the library: Podlove chapters from feeds, skip choices and skip rules.

Tables from migration m0060_chapters.sql.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from podplayer.core.models import Chapter
from podplayer.core.storage.database import Database, in_chunks


def write_podlove_chapters(db: Database, episodes: Iterable[tuple[int, list[Chapter]]]) -> None:
    """Replace the Podlove chapters of each (episode id, chapters); call inside a transaction."""
    rows = []
    ids = []
    for episode_id, chapters in episodes:
        ids.append(episode_id)
        rows += [
            (episode_id, position, c.start_ms, c.title, c.url, c.image_url)
            for position, c in enumerate(chapters)
        ]
    for chunk in in_chunks(ids):  # few statements: see Database.insert_rows
        marks = ", ".join("?" for _ in chunk)
        db.write(f"DELETE FROM podlove_chapters WHERE episode_id IN ({marks})", chunk)
    db.insert_rows(
        "podlove_chapters",
        ("episode_id", "position", "start_ms", "title", "url", "image_url"),
        rows,
    )


def read_podlove_chapters(db: Database, episode_ids: Sequence[int]) -> dict[int, list[Chapter]]:
    """Podlove chapters of the given episodes (at most a few hundred ids at a time)."""
    marks = ", ".join("?" for _ in episode_ids)
    found: dict[int, list[Chapter]] = {}
    for row in db.execute(
        f"SELECT * FROM podlove_chapters WHERE episode_id IN ({marks})"
        " ORDER BY episode_id, position",
        list(episode_ids),
    ):
        found.setdefault(row["episode_id"], []).append(
            Chapter(row["start_ms"], row["title"], url=row["url"], image_url=row["image_url"])
        )
    return found


class ChapterPreferencesRepository:
    """Which chapters the listener skips: a choice per chapter, rules per podcast."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def choices(self, episode_id: int) -> dict[int, bool]:
        rows = self._db.execute(
            "SELECT start_ms, skip FROM chapter_skip_choices WHERE episode_id = ?", (episode_id,)
        )
        return {row["start_ms"]: bool(row["skip"]) for row in rows}

    def set_choice(self, episode_id: int, start_ms: int, skip: bool) -> None:
        self._db.write(
            "INSERT INTO chapter_skip_choices (episode_id, start_ms, skip) VALUES (?, ?, ?)"
            " ON CONFLICT (episode_id, start_ms) DO UPDATE SET skip = excluded.skip",
            (episode_id, start_ms, int(skip)),
        )

    def rules(self, podcast_id: int) -> list[str]:
        row = self._db.execute(
            "SELECT rules FROM chapter_skip_rules WHERE podcast_id = ?", (podcast_id,)
        ).fetchone()
        if row is None:
            return []
        try:
            rules = json.loads(row["rules"])
        except json.JSONDecodeError:
            return []
        return [rule for rule in rules if isinstance(rule, str)] if isinstance(rules, list) else []

    def set_rules(self, podcast_id: int, rules: Sequence[str]) -> None:
        if not rules:
            self._db.write("DELETE FROM chapter_skip_rules WHERE podcast_id = ?", (podcast_id,))
            return
        self._db.write(
            "INSERT INTO chapter_skip_rules (podcast_id, rules) VALUES (?, ?)"
            " ON CONFLICT (podcast_id) DO UPDATE SET rules = excluded.rules",
            (podcast_id, json.dumps(list(rules))),
        )
