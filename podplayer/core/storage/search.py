"""The full-text index's SQL (tables in migration m0030): passages in, ranked matches out."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from podplayer.core.search.passages import HitKind, Passage
from podplayer.core.storage.database import Database

HIGHLIGHT_OPEN = "\x02"
HIGHLIGHT_CLOSE = "\x03"


class SearchOrder(Enum):
    BEST = "best"
    NEWEST = "newest"


@dataclass(frozen=True, slots=True)
class MatchedPassage:
    """One index row that matched, ranked; ``marked`` has the matches between control marks."""

    passage_id: int
    episode_id: int
    kind: HitKind
    marks: bytes | None
    marked: str


@dataclass(frozen=True, slots=True)
class EpisodeHeading:
    """What a result group shows of its episode."""

    episode_id: int
    podcast_id: int
    podcast_title: str
    podcast_image_url: str
    title: str
    published: float | None
    image_url: str


@dataclass(frozen=True, slots=True)
class PendingEpisode:
    episode_id: int
    title: str
    notes_html: str


@dataclass(frozen=True, slots=True)
class IndexedTranscript:
    """Where an episode's indexed transcript came from."""

    source: str
    url: str
    etag: str | None
    last_modified: str | None


class SearchRepository:
    """The search tables; every passage written reaches search_fts through the triggers."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def pending(self, limit: int) -> list[PendingEpisode]:
        """Episodes whose title or notes changed since they were last indexed."""
        rows = self._db.execute(
            "SELECT e.id, e.title, e.notes_html FROM search_pending p"
            " JOIN episodes e ON e.id = p.episode_id LIMIT ?",
            (limit,),
        )
        return [PendingEpisode(row[0], row[1], row[2]) for row in rows]

    def replace_notes(self, episodes: Sequence[tuple[int, Sequence[Passage]]]) -> None:
        """Store each episode's title and notes passages; it is no longer pending."""
        with self._db.transaction():
            for episode_id, passages in episodes:
                self._db.execute(
                    "DELETE FROM search_text WHERE episode_id = ? AND kind IN (?, ?)",
                    (episode_id, HitKind.TITLE, HitKind.NOTES),
                )
                self._insert(episode_id, passages)
                self._db.execute("DELETE FROM search_pending WHERE episode_id = ?", (episode_id,))

    def replace_transcript(
        self, episode_id: int, passages: Sequence[Passage], source: IndexedTranscript
    ) -> bool:
        """Store the episode's transcript passages in place of any before; False if it is gone."""
        with self._db.transaction():
            if self._db.execute("SELECT 1 FROM episodes WHERE id = ?", (episode_id,)).fetchone():
                self._db.execute(
                    "DELETE FROM search_text WHERE episode_id = ? AND kind = ?",
                    (episode_id, HitKind.TRANSCRIPT),
                )
                self._insert(episode_id, passages)
                self._db.execute(
                    "INSERT OR REPLACE INTO search_transcripts"
                    " (episode_id, source, url, etag, last_modified, indexed_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        episode_id,
                        source.source,
                        source.url,
                        source.etag,
                        source.last_modified,
                        time.time(),
                    ),
                )
                return True
        return False

    def _insert(self, episode_id: int, passages: Sequence[Passage]) -> None:
        self._db.executemany(
            "INSERT INTO search_text (episode_id, kind, marks, body) VALUES (?, ?, ?, ?)",
            [
                (episode_id, int(p.kind), p.packed_marks() if p.marks else None, p.text)
                for p in passages
            ],
        )

    def indexed_transcript(self, episode_id: int) -> IndexedTranscript | None:
        row = self._db.execute(
            "SELECT source, url, etag, last_modified FROM search_transcripts WHERE episode_id = ?",
            (episode_id,),
        ).fetchone()
        return IndexedTranscript(row[0], row[1], row[2], row[3]) if row else None

    def episodes_to_fetch(self, per_podcast: int) -> list[int]:
        """Newest first, up to ``per_podcast`` of each podcast: episodes with transcript refs whose
        transcript is not indexed yet."""
        rows = self._db.execute(
            "SELECT id FROM (SELECT e.id, e.published, row_number() OVER"
            " (PARTITION BY e.podcast_id ORDER BY e.published DESC, e.id DESC) AS n"
            " FROM episodes e WHERE EXISTS (SELECT 1 FROM transcripts r WHERE r.episode_id = e.id))"
            " WHERE n <= ? AND id NOT IN (SELECT episode_id FROM search_transcripts)"
            " ORDER BY published DESC, id DESC",
            (per_podcast,),
        )
        return [row[0] for row in rows]

    def matches(
        self,
        expression: str,
        *,
        podcast_id: int | None,
        order: SearchOrder,
        per_episode: int,
        limit: int,
    ) -> list[tuple[int, int]]:
        """(passage id, episode id) of the matches of an FTS5 expression: at most ``per_episode``
        of each episode (its best), episodes by best match or newest first, ``limit`` rows."""
        where = "search_fts MATCH ?"
        params: list[object] = [expression]
        if podcast_id is not None:
            where += " AND e.podcast_id = ?"
            params.append(podcast_id)
        # Newest first: the smallest negated date (an undated episode counts as the oldest).
        episode_key = "f.rank" if order is SearchOrder.BEST else "-coalesce(e.published, -1e18)"
        sql = (
            "SELECT id, episode_id FROM (SELECT t.id, t.episode_id, f.rank,"
            f" min({episode_key})"
            " OVER (PARTITION BY t.episode_id) AS best,"
            " row_number() OVER (PARTITION BY t.episode_id ORDER BY f.rank) AS n"
            " FROM search_fts f JOIN search_text t ON t.id = f.rowid"
            f" JOIN episodes e ON e.id = t.episode_id WHERE {where})"
            " WHERE n <= ? ORDER BY best, episode_id DESC, rank LIMIT ?"
        )
        params += [per_episode, limit]
        return [(row[0], row[1]) for row in self._db.execute(sql, params)]

    def marked_passages(self, expression: str, passage_ids: Sequence[int]) -> list[MatchedPassage]:
        """The given matched passages with their matches marked (by highlight())."""
        if not passage_ids:
            return []
        marks = ", ".join("?" for _ in passage_ids)
        rows = self._db.execute(
            f"SELECT t.id, t.episode_id, t.kind, t.marks,"
            f" highlight(search_fts, 0, '{HIGHLIGHT_OPEN}', '{HIGHLIGHT_CLOSE}')"
            f" FROM search_fts f JOIN search_text t ON t.id = f.rowid"
            f" WHERE search_fts MATCH ? AND f.rowid IN ({marks})",
            [expression, *passage_ids],
        )
        return [MatchedPassage(row[0], row[1], HitKind(row[2]), row[3], row[4]) for row in rows]

    def headings(self, episode_ids: Sequence[int]) -> dict[int, EpisodeHeading]:
        if not episode_ids:
            return {}
        marks = ", ".join("?" for _ in episode_ids)
        rows = self._db.execute(
            "SELECT e.id, e.podcast_id, p.title, p.image_url, e.title, e.published, e.image_url"
            f" FROM episodes e JOIN podcasts p ON p.id = e.podcast_id WHERE e.id IN ({marks})",
            list(episode_ids),
        )
        return {row[0]: EpisodeHeading(*row) for row in rows}

    def rebuild(self) -> None:
        """Rebuild the FTS index from the stored passages and re-read every title and notes."""
        with self._db.transaction():
            self._db.execute("INSERT INTO search_fts (search_fts) VALUES ('rebuild')")
            self._db.execute("INSERT OR IGNORE INTO search_pending SELECT id FROM episodes")

    def counts(self) -> tuple[int, int]:
        """(passages stored, episodes with an indexed transcript)."""
        passages = self._db.execute("SELECT count(*) FROM search_text").fetchone()[0]
        transcripts = self._db.execute("SELECT count(*) FROM search_transcripts").fetchone()[0]
        return int(passages), int(transcripts)
