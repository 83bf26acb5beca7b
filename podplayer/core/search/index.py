"""Library-wide search: keeps the index in step with episodes and transcripts, answers queries."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from podplayer.core.models import Cue
from podplayer.core.search.passages import (
    CueStarts,
    Document,
    HitKind,
    notes_document,
    title_document,
    transcript_document,
    unpack_marks,
    unpack_passage,
)
from podplayer.core.search.query import parse_query
from podplayer.core.search.snippets import match_spans, snippet
from podplayer.core.storage.search import (
    SOURCE_GENERATED,
    EpisodeHeading,
    IndexedTranscript,
    SearchOrder,
    SearchRepository,
    split_rowid,
)

log = logging.getLogger(__name__)

HITS_PER_EPISODE = 3
MAX_COUNTED = 20_000
"""Words found in more passages than this are counted in the most recently added episodes."""
CATCH_UP_BATCH = 200


@dataclass(frozen=True, slots=True)
class Hit:
    """One place the words were found: its kind, when they are said, and a marked snippet."""

    kind: HitKind
    start_ms: int | None
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    """(start, length) of each matched word in ``snippet``."""


@dataclass(frozen=True, slots=True)
class EpisodeResult:
    """An episode that matched, with its best hits in order."""

    episode: EpisodeHeading
    hits: tuple[Hit, ...]


class SearchIndex:
    """The one way into the full-text index: the fetcher of published transcripts and
    speech-to-text call ``index_transcript``; the window and the CLI call ``search``.
    Thread-safe (a connection per thread)."""

    def __init__(self, repository: SearchRepository) -> None:
        self._repository = repository

    def index_transcript(
        self,
        episode_id: int,
        cues: Iterable[Cue],
        *,
        source: str = SOURCE_GENERATED,
        url: str = "",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> bool:
        """Make these cues the episode's searchable transcript (replacing any before it).

        Speech-to-text calls this with ``(episode_id, cues)`` when a transcript is made; False
        when the episode is no longer in the library.
        """
        return self._repository.replace_transcript(
            episode_id,
            transcript_document(cues),
            IndexedTranscript(source, url, etag, last_modified),
        )

    def remove_transcript(self, episode_id: int, source: str) -> bool:
        """Take the episode's transcript out of the index when it came from ``source`` (one
        made here was deleted); whether it was there."""
        return self._repository.remove_transcript(episode_id, source)

    def indexed_transcript(self, episode_id: int) -> IndexedTranscript | None:
        return self._repository.indexed_transcript(episode_id)

    def episodes_to_fetch(self, per_podcast: int, retry_after_s: float) -> list[int]:
        """Episodes whose published transcript should be fetched for the index, newest first."""
        return self._repository.episodes_to_fetch(per_podcast, retry_after_s)

    def mark_unavailable(self, episode_id: int, url: str) -> None:
        self._repository.mark_unavailable(episode_id, url)

    def transcripts_to_check(
        self, per_podcast: int, checked_before: float
    ) -> list[tuple[int, IndexedTranscript]]:
        return self._repository.transcripts_to_check(per_podcast, checked_before)

    def mark_checked(self, episode_id: int) -> None:
        self._repository.mark_checked(episode_id)

    def catch_up(self) -> int:
        """Index the titles and notes of new or changed episodes, and take removed ones out of
        the index; how many episodes were indexed."""
        if self._repository.has_removed():
            self._repository.purge_removed()
        done = 0
        while batch := self._repository.pending(CATCH_UP_BATCH):
            rows = []
            for episode in batch:
                documents: list[Document | None] = [title_document(episode.title)]
                try:
                    documents.append(notes_document(episode.notes_html))
                except Exception:  # a parser bug must not stop the index; the title still counts
                    log.exception("Could not read the notes of episode %s", episode.episode_id)
                rows.append((episode.episode_id, [d for d in documents if d is not None]))
            self._repository.replace_notes(rows)
            done += len(batch)
        return done

    def rebuild(self) -> int:
        """Rebuild the index from the stored transcripts (how many); titles and notes are read
        again."""
        transcripts = self._repository.rebuild()
        self.catch_up()
        return transcripts

    def search(
        self,
        text: str,
        *,
        podcast_id: int | None = None,
        order: SearchOrder = SearchOrder.BEST,
        limit: int = 20,
        hits_per_episode: int = HITS_PER_EPISODE,
        cancelled: Callable[[], bool] | None = None,
        index_pending: bool = True,
    ) -> list[EpisodeResult]:
        """Episodes whose title, notes or transcript hold the words; raises QueryError, and
        SearchCancelledError once ``cancelled()`` is true.

        The titles and notes of new episodes are indexed first (and removed documents' words
        taken out), unless ``index_pending`` is false: the window leaves that to its background
        pass, or a search after adding thousands of episodes or unsubscribing from a big podcast
        would wait for it. Until then, words of removed documents match nothing shown: their
        episode, or its document, is gone.
        """
        query = parse_query(text)
        if index_pending:
            self.catch_up()
        expression = query.match_expression
        rows = self._repository.matches(
            expression,
            podcast_id=podcast_id,
            order=order,
            limit=max(1, limit),
            per_episode=hits_per_episode,
            # One podcast's matches are counted in full; the library's from the latest added down.
            counted=-1 if podcast_id is not None else MAX_COUNTED,
            cancelled=cancelled,
        )
        episode_ids = list(dict.fromkeys(episode_id for episode_id, _ in rows))
        places = [split_rowid(rowid) for _, rowid in rows]
        documents = self._repository.documents([(place[0], place[1]) for place in places])
        headings = self._repository.headings(episode_ids)
        hits: dict[int, list[Hit]] = {episode_id: [] for episode_id in episode_ids}
        starts: dict[tuple[int, HitKind], CueStarts] = {}
        for episode_id, kind, number in places:
            document = documents.get((episode_id, kind))
            passage = unpack_passage(document.text, number) if document is not None else None
            if document is None or passage is None:
                continue
            if (episode_id, kind) not in starts:
                starts[(episode_id, kind)] = unpack_marks(document.marks)
            spans = match_spans(passage, query)
            shown = snippet(passage, spans)
            start_ms = starts[(episode_id, kind)].at(number, spans[0][0] if spans else 0)
            hits[episode_id].append(Hit(kind, start_ms, shown.text, shown.highlights))
        return [
            EpisodeResult(headings[episode_id], tuple(hits[episode_id]))
            for episode_id in episode_ids
            if episode_id in headings and hits[episode_id]
        ]
