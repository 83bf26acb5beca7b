"""The full-text index's SQL (tables in migration m0030): documents in, ranked matches out.

``search_docs`` keeps each episode's title, notes and transcript compressed; ``search_fts`` is a
contentless FTS5 index of their passages, row id = episode << 22 | kind << 20 | passage. A
contentless index forgets a row only when told the row's words, so a deleted document (also by
an unsubscribe, through the foreign key) waits in ``search_removed`` until ``purge_removed``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum

from podplayer.core.search.passages import Document, HitKind, unpack_text
from podplayer.core.storage.database import Database

SOURCE_PUBLISHED = "published"
SOURCE_GENERATED = "generated"
SOURCE_UNAVAILABLE = "unavailable"
SOURCE_LOADED = "loaded"
"""A transcript file the user loaded for the episode: it wins over all others, as in the pane."""
PROGRESS_STEPS = 20_000
"""SQLite virtual machine steps between two looks at whether the query was cancelled."""
KIND_SHIFT = 20
EPISODE_SHIFT = 22
MAX_PASSAGES = 1 << KIND_SHIFT


class SearchCancelledError(Exception):
    """A newer query made this one pointless; it stopped early."""


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
    title: str
    published: float | None


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

    def remove_transcript(self, episode_id: int, source: str) -> bool:
        """Take the episode's transcript out of the index if it came from ``source``; whether
        it did."""
        with self._db.transaction():
            row = self._db.execute(
                "SELECT source FROM search_transcripts WHERE episode_id = ?", (episode_id,)
            ).fetchone()
            if row is None or row[0] != source:
                return False
            self._db.execute(
                "DELETE FROM search_docs WHERE episode_id = ? AND kind = ?",
                (episode_id, int(HitKind.TRANSCRIPT)),
            )
            self._db.execute("DELETE FROM search_transcripts WHERE episode_id = ?", (episode_id,))
            self.purge_removed()
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
        """The stored documents of these (episode, kind) pairs, in one query."""
        wanted = set(keys)
        episode_ids = sorted({episode_id for episode_id, _ in wanted})
        if not episode_ids:
            return {}
        marks = ", ".join("?" for _ in episode_ids)
        rows = self._db.execute(
            f"SELECT episode_id, kind, text, marks FROM search_docs WHERE episode_id IN ({marks})",
            episode_ids,
        )
        found: dict[tuple[int, HitKind], StoredDocument] = {}
        for episode_id, kind, text, cue_marks in rows:
            key = (episode_id, HitKind(kind))
            if key in wanted:
                found[key] = StoredDocument(episode_id, key[1], text, cue_marks)
        return found

    def indexed_transcript(self, episode_id: int) -> IndexedTranscript | None:
        row = self._db.execute(
            "SELECT source, url, etag, last_modified FROM search_transcripts WHERE episode_id = ?",
            (episode_id,),
        ).fetchone()
        return IndexedTranscript(row[0], row[1], row[2], row[3]) if row else None

    def episodes_to_fetch(self, per_podcast: int, retry_after_s: float) -> list[int]:
        """Newest first, among each podcast's ``per_podcast`` newest: episodes that list a
        transcript not indexed yet (one that could not be fetched is tried again later). A
        transcript made here is replaced by the feed's: it has no URL until fetching failed."""
        rows = self._db.execute(
            "SELECT id FROM (SELECT e.id, e.published, row_number() OVER"
            " (PARTITION BY e.podcast_id ORDER BY e.published DESC, e.id DESC) AS n"
            " FROM episodes e WHERE EXISTS (SELECT 1 FROM transcripts r WHERE r.episode_id = e.id))"
            " WHERE n <= ? AND id NOT IN (SELECT episode_id FROM search_transcripts"
            " WHERE source NOT IN (?, ?) OR (url != '' AND indexed_at > ?))"
            " ORDER BY published DESC, id DESC",
            (per_podcast, SOURCE_UNAVAILABLE, SOURCE_GENERATED, time.time() - retry_after_s),
        )
        return [row[0] for row in rows]

    def transcripts_to_check(
        self, per_podcast: int, checked_before: float
    ) -> list[tuple[int, IndexedTranscript]]:
        """Published transcripts of each podcast's ``per_podcast`` newest episodes, last
        fetched before ``checked_before``: to ask their server whether they changed."""
        rows = self._db.execute(
            "SELECT t.episode_id, t.source, t.url, t.etag, t.last_modified"
            " FROM search_transcripts t JOIN (SELECT e.id, row_number() OVER"
            " (PARTITION BY e.podcast_id ORDER BY e.published DESC, e.id DESC) AS n"
            " FROM episodes e) r ON r.id = t.episode_id"
            " WHERE r.n <= ? AND t.source = ? AND t.url != '' AND t.indexed_at < ?",
            (per_podcast, SOURCE_PUBLISHED, checked_before),
        )
        return [(row[0], IndexedTranscript(row[1], row[2], row[3], row[4])) for row in rows]

    def mark_checked(self, episode_id: int) -> None:
        """The server said the indexed transcript has not changed."""
        self._db.write(
            "UPDATE search_transcripts SET indexed_at = ? WHERE episode_id = ?",
            (time.time(), episode_id),
        )

    def mark_unavailable(self, episode_id: int, url: str) -> None:
        """The episode's transcript could not be fetched now; an indexed one stays (a generated
        one is tried against the feed's again, as an unavailable one is, a day later)."""
        self._db.write(
            "INSERT INTO search_transcripts (episode_id, source, url, indexed_at)"
            " SELECT id, ?, ?, ? FROM episodes WHERE id = ?"
            " ON CONFLICT (episode_id) DO UPDATE SET url = excluded.url,"
            " indexed_at = excluded.indexed_at WHERE source IN (?, ?)",
            (
                SOURCE_UNAVAILABLE,
                url,
                time.time(),
                episode_id,
                SOURCE_UNAVAILABLE,
                SOURCE_GENERATED,
            ),
        )

    def matches(
        self,
        expression: str,
        *,
        podcast_id: int | None,
        order: SearchOrder,
        limit: int,
        per_episode: int,
        counted: int = -1,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[tuple[int, int]]:
        """(episode id, row id) of the passages matching an FTS5 expression: ``limit``
        episodes, newest first or best first (a match in the title, then the most passages
        that match), and of each its first ``per_episode`` passages (its title, its notes,
        then its transcript in spoken order).

        The index is read once, from the highest row id down (the most recently added
        episodes), and only ``counted`` matches when that is not -1: counting costs about a
        microsecond a match, too slow for a word found in half of 500,000 passages.
        """
        if order is SearchOrder.BEST:
            ordering = "g.titled DESC, g.n DESC, e.published DESC, e.id DESC"
        else:
            ordering = "e.published IS NULL, e.published DESC, e.id DESC"
        params: list[object] = [expression, counted]
        where = ""
        if podcast_id is not None:
            where = " WHERE e.podcast_id = ?"
            params.append(podcast_id)
        params += [limit, per_episode]
        with self._cancellable(cancelled):
            rows = self._db.execute(
                "WITH m AS MATERIALIZED (SELECT rowid AS id, rowid >> ? AS episode_id"
                " FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ?),"
                " top AS (SELECT g.episode_id, row_number() OVER (ORDER BY"
                f" {ordering}) AS place FROM (SELECT episode_id, count(*) AS n,"
                f" max(((id >> {KIND_SHIFT}) & 3) = {int(HitKind.TITLE)}) AS titled"
                f" FROM m GROUP BY episode_id) g JOIN episodes e ON e.id = g.episode_id{where}"
                " ORDER BY place LIMIT ?)"
                " SELECT t.episode_id, f.id FROM top t JOIN (SELECT id, episode_id,"
                " row_number() OVER (PARTITION BY episode_id ORDER BY id) AS n FROM m"
                " WHERE episode_id IN (SELECT episode_id FROM top)) f"
                " ON f.episode_id = t.episode_id WHERE f.n <= ? ORDER BY t.place, f.id",
                [EPISODE_SHIFT, *params],
            )
            return [(row[0], row[1]) for row in rows]

    @contextmanager
    def _cancellable(self, cancelled: Callable[[], bool] | None) -> Iterator[None]:
        """Let SQLite give up a query when ``cancelled()`` turns true (a newer keystroke)."""
        if cancelled is None:
            yield
            return
        conn = self._db.connection()
        conn.set_progress_handler(lambda: 1 if cancelled() else 0, PROGRESS_STEPS)
        try:
            yield
        except sqlite3.OperationalError as exc:
            if cancelled():
                raise SearchCancelledError from exc
            raise
        finally:
            conn.set_progress_handler(None, 0)

    def headings(self, episode_ids: Sequence[int]) -> dict[int, EpisodeHeading]:
        if not episode_ids:
            return {}
        marks = ", ".join("?" for _ in episode_ids)
        rows = self._db.execute(
            "SELECT e.id, e.podcast_id, p.title, e.title, e.published"
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
