"""The full-text index's SQL (tables in migration m0030): documents in, ranked matches out.

``search_docs`` keeps each episode's title, notes and transcript compressed; ``search_fts`` is a
contentless FTS5 index of their passages, row id = episode << 22 | kind << 20 | passage. A
contentless index forgets a row only when told the row's words, so a deleted document (also by
an unsubscribe, through the foreign key) waits in ``search_removed`` until ``purge_removed``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from podplayer.core.search.passages import Document, HitKind, unpack_text
from podplayer.core.storage.database import Database

SOURCE_UNAVAILABLE = "unavailable"
KIND_SHIFT = 20
EPISODE_SHIFT = 22
MAX_PASSAGES = 1 << KIND_SHIFT


class SearchOrder(Enum):
    BEST = "best"
    NEWEST = "newest"


@dataclass(frozen=True, slots=True)
class StoredDocument:
    episode_id: int
    kind: HitKind
    text: bytes
    marks: bytes | None


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
    """Where an episode's indexed transcript came from (validators for a conditional GET)."""

    source: str
    url: str
    etag: str | None = None
    last_modified: str | None = None


def passage_rowid(episode_id: int, kind: HitKind, number: int) -> int:
    return (episode_id << EPISODE_SHIFT) | (int(kind) << KIND_SHIFT) | number


def split_rowid(rowid: int) -> tuple[int, HitKind, int]:
    """(episode id, kind, passage number) of an index row."""
    return (
        rowid >> EPISODE_SHIFT,
        HitKind((rowid >> KIND_SHIFT) & 3),
        rowid & (MAX_PASSAGES - 1),
    )


class SearchRepository:
    """The search tables. Writers purge removed documents first, so a reused episode id never
    inherits another episode's index rows."""

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

    def has_removed(self) -> bool:
        return self._db.execute("SELECT 1 FROM search_removed LIMIT 1").fetchone() is not None

    def replace_notes(self, episodes: Sequence[tuple[int, Sequence[Document]]]) -> None:
        """Store each episode's title and notes documents; it is no longer pending."""
        with self._db.transaction():
            for episode_id, _ in episodes:
                self._db.execute(
                    "DELETE FROM search_docs WHERE episode_id = ? AND kind IN (?, ?)",
                    (episode_id, int(HitKind.TITLE), int(HitKind.NOTES)),
                )
            self.purge_removed()
            for episode_id, documents in episodes:
                for document in documents:
                    self._insert(episode_id, document)
                self._db.execute("DELETE FROM search_pending WHERE episode_id = ?", (episode_id,))

    def replace_transcript(
        self, episode_id: int, document: Document | None, source: IndexedTranscript
    ) -> bool:
        """Store the episode's transcript in place of any before it; False if it is gone."""
        with self._db.transaction():
            if not self._db.execute(
                "SELECT 1 FROM episodes WHERE id = ?", (episode_id,)
            ).fetchone():
                return False
            self._db.execute(
                "DELETE FROM search_docs WHERE episode_id = ? AND kind = ?",
                (episode_id, int(HitKind.TRANSCRIPT)),
            )
            self.purge_removed()
            if document is not None:
                self._insert(episode_id, document)
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

    def _insert(self, episode_id: int, document: Document) -> None:
        passages = document.passages[:MAX_PASSAGES]
        self._db.execute(
            "INSERT INTO search_docs (episode_id, kind, text, marks) VALUES (?, ?, ?, ?)",
            (episode_id, int(document.kind), document.packed_text(), document.packed_marks()),
        )
        self._db.executemany(
            "INSERT INTO search_fts (rowid, body) VALUES (?, ?)",
            [
                (passage_rowid(episode_id, document.kind, number), passage)
                for number, passage in enumerate(passages)
            ],
        )

    def purge_removed(self) -> int:
        """Take the words of removed documents out of the index; how many documents."""
        with self._db.transaction():
            rows = self._db.execute(
                "SELECT id, episode_id, kind, text FROM search_removed"
            ).fetchall()
            for removed_id, episode_id, kind, text in rows:
                self._db.executemany(
                    "INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', ?, ?)",
                    [
                        (passage_rowid(episode_id, HitKind(kind), number), passage)
                        for number, passage in enumerate(unpack_text(text)[:MAX_PASSAGES])
                    ],
                )
                self._db.execute("DELETE FROM search_removed WHERE id = ?", (removed_id,))
        return len(rows)

    def documents(
        self, keys: Sequence[tuple[int, HitKind]]
    ) -> dict[tuple[int, HitKind], StoredDocument]:
        found: dict[tuple[int, HitKind], StoredDocument] = {}
        for episode_id, kind in dict.fromkeys(keys):
            row = self._db.execute(
                "SELECT text, marks FROM search_docs WHERE episode_id = ? AND kind = ?",
                (episode_id, int(kind)),
            ).fetchone()
            if row is not None:
                found[(episode_id, kind)] = StoredDocument(episode_id, kind, row[0], row[1])
        return found

    def indexed_transcript(self, episode_id: int) -> IndexedTranscript | None:
        row = self._db.execute(
            "SELECT source, url, etag, last_modified FROM search_transcripts WHERE episode_id = ?",
            (episode_id,),
        ).fetchone()
        return IndexedTranscript(row[0], row[1], row[2], row[3]) if row else None

    def episodes_to_fetch(self, per_podcast: int, retry_after_s: float) -> list[int]:
        """Newest first, among each podcast's ``per_podcast`` newest: episodes that list a
        transcript not indexed yet (one that could not be fetched is tried again later)."""
        rows = self._db.execute(
            "SELECT id FROM (SELECT e.id, e.published, row_number() OVER"
            " (PARTITION BY e.podcast_id ORDER BY e.published DESC, e.id DESC) AS n"
            " FROM episodes e WHERE EXISTS (SELECT 1 FROM transcripts r WHERE r.episode_id = e.id))"
            " WHERE n <= ? AND id NOT IN (SELECT episode_id FROM search_transcripts"
            " WHERE source != ? OR indexed_at > ?)"
            " ORDER BY published DESC, id DESC",
            (per_podcast, SOURCE_UNAVAILABLE, time.time() - retry_after_s),
        )
        return [row[0] for row in rows]

    def mark_unavailable(self, episode_id: int, url: str) -> None:
        """The episode's transcript could not be fetched now; an indexed one stays."""
        self._db.execute(
            "INSERT INTO search_transcripts (episode_id, source, url, indexed_at)"
            " SELECT id, ?, ?, ? FROM episodes WHERE id = ?"
            " ON CONFLICT (episode_id) DO UPDATE SET url = excluded.url,"
            " indexed_at = excluded.indexed_at WHERE source = ?",
            (SOURCE_UNAVAILABLE, url, time.time(), episode_id, SOURCE_UNAVAILABLE),
        )

    def matches(
        self,
        expression: str,
        *,
        podcast_id: int | None,
        order: SearchOrder,
        per_episode: int,
        limit: int,
    ) -> list[int]:
        """Row ids of the passages matching an FTS5 expression: at most ``per_episode`` of each
        episode (its best), episodes by best match or newest first, ``limit`` rows."""
        params: list[object] = [expression]
        if podcast_id is not None:
            params.append(podcast_id)
        # Newest first: the smallest negated date (an undated episode counts as the oldest).
        episode_key = "rank" if order is SearchOrder.BEST else "-coalesce(e.published, -1e18)"
        sql = (
            "SELECT rowid FROM (SELECT m.rowid, m.rank, e.id AS episode_id,"
            f" min({episode_key}) OVER (PARTITION BY e.id) AS first,"
            " row_number() OVER (PARTITION BY e.id ORDER BY m.rank) AS n"
            " FROM (SELECT rowid, rank FROM search_fts WHERE search_fts MATCH ?) m"
            f" JOIN episodes e ON e.id = m.rowid >> {EPISODE_SHIFT}"
            f"{' WHERE e.podcast_id = ?' if podcast_id is not None else ''})"
            " WHERE n <= ? ORDER BY first, episode_id DESC, rank LIMIT ?"
        )
        params += [per_episode, limit]
        return [row[0] for row in self._db.execute(sql, params)]

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

    def rebuild(self) -> int:
        """Index every stored transcript again into an emptied index; titles and notes are to be
        read again (they become pending). How many transcripts."""
        with self._db.transaction():
            self._db.execute(
                "DELETE FROM search_docs WHERE kind IN (?, ?)",
                (int(HitKind.TITLE), int(HitKind.NOTES)),
            )
            self._db.execute("DELETE FROM search_removed")
            self._db.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")
            self._db.execute("INSERT OR IGNORE INTO search_pending SELECT id FROM episodes")
            rows = self._db.execute(
                "SELECT episode_id, text FROM search_docs WHERE kind = ?",
                (int(HitKind.TRANSCRIPT),),
            )
            count = 0
            for episode_id, text in rows:
                self._db.executemany(
                    "INSERT INTO search_fts (rowid, body) VALUES (?, ?)",
                    [
                        (passage_rowid(episode_id, HitKind.TRANSCRIPT, number), passage)
                        for number, passage in enumerate(unpack_text(text)[:MAX_PASSAGES])
                    ],
                )
                count += 1
        return count
