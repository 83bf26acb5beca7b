"""Library-wide search: keeps the index in step with episodes and transcripts, answers queries."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from podplayer.core.models import Cue
from podplayer.core.search.passages import (
    HitKind,
    notes_passages,
    start_at,
    title_passage,
    transcript_passages,
    unpack_marks,
)
from podplayer.core.search.query import parse_query
from podplayer.core.storage.search import (
    HIGHLIGHT_CLOSE,
    HIGHLIGHT_OPEN,
    EpisodeHeading,
    IndexedTranscript,
    MatchedPassage,
    SearchOrder,
    SearchRepository,
)

log = logging.getLogger(__name__)
_MARKED = re.compile(f"{HIGHLIGHT_OPEN}(.*?){HIGHLIGHT_CLOSE}", re.DOTALL)

HITS_PER_EPISODE = 5
SNIPPET_CHARS = 180
SNIPPET_LEAD_CHARS = 60
CATCH_UP_BATCH = 200
SOURCE_PUBLISHED = "published"
SOURCE_GENERATED = "generated"


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
    """The one way into the full-text index: the refresh, the transcript fetcher and speech-to-text
    call ``index_transcript``; the window and the CLI call ``search``. Thread-safe (a connection
    per thread)."""

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
        passages = transcript_passages(cues)
        return self._repository.replace_transcript(
            episode_id, passages, IndexedTranscript(source, url, etag, last_modified)
        )

    def indexed_transcript(self, episode_id: int) -> IndexedTranscript | None:
        return self._repository.indexed_transcript(episode_id)

    def catch_up(self) -> int:
        """Index the titles and notes of new or changed episodes; how many were indexed."""
        done = 0
        while batch := self._repository.pending(CATCH_UP_BATCH):
            rows = []
            for episode in batch:
                title = title_passage(episode.title)
                passages = [title] if title is not None else []
                try:
                    passages += notes_passages(episode.notes_html)
                except Exception:  # a parser bug must not stop the index; the title still counts
                    log.exception("Could not read the notes of episode %s", episode.episode_id)
                rows.append((episode.episode_id, passages))
            self._repository.replace_notes(rows)
            done += len(batch)
        return done

    def rebuild(self) -> int:
        """Rebuild the index from the stored text; titles and notes are read again."""
        self._repository.rebuild()
        return self.catch_up()

    def search(
        self,
        text: str,
        *,
        podcast_id: int | None = None,
        order: SearchOrder = SearchOrder.BEST,
        limit: int = 20,
        hits_per_episode: int = HITS_PER_EPISODE,
    ) -> list[EpisodeResult]:
        """Episodes whose title, notes or transcript hold the words; raises QueryError."""
        query = parse_query(text)
        self.catch_up()
        expression = query.match_expression
        rows = self._repository.matches(
            expression,
            podcast_id=podcast_id,
            order=order,
            per_episode=hits_per_episode,
            limit=max(1, limit) * hits_per_episode,
        )
        episode_ids = list(dict.fromkeys(episode_id for _, episode_id in rows))[: max(1, limit)]
        chosen = [passage_id for passage_id, episode_id in rows if episode_id in set(episode_ids)]
        marked = {
            passage.passage_id: passage
            for passage in self._repository.marked_passages(expression, chosen)
        }
        headings = self._repository.headings(episode_ids)
        hits: dict[int, list[Hit]] = {episode_id: [] for episode_id in episode_ids}
        for passage_id in chosen:
            passage = marked.get(passage_id)
            if passage is not None:
                hits[passage.episode_id].append(_hit(passage))
        return [
            EpisodeResult(headings[episode_id], tuple(hits[episode_id]))
            for episode_id in episode_ids
            if episode_id in headings and hits[episode_id]
        ]


def _hit(passage: MatchedPassage) -> Hit:
    text, spans = _unmark(passage.marked)
    first = spans[0][0] if spans else 0
    start_ms = start_at(unpack_marks(passage.marks), first)
    begin = 0 if first <= SNIPPET_LEAD_CHARS else text.find(" ", first - SNIPPET_LEAD_CHARS) + 1
    end = len(text)
    if end - begin > SNIPPET_CHARS:
        cut = text.rfind(" ", begin, begin + SNIPPET_CHARS)
        end = cut if cut > first else begin + SNIPPET_CHARS
    lead = "…" if begin > 0 else ""
    snippet = lead + text[begin:end] + ("…" if end < len(text) else "")
    shift = len(lead) - begin
    highlights = tuple(
        (start + shift, min(start + length, end) - start)
        for start, length in spans
        if begin <= start < end
    )
    return Hit(passage.kind, start_ms, snippet, highlights)


def _unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Plain text and the (start, length) of each span between highlight marks."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    position = 0
    for match in _MARKED.finditer(marked):
        before = marked[position : match.start()]
        word = match.group(1)
        spans.append((length + len(before), len(word)))
        plain += [before, word]
        length += len(before) + len(word)
        position = match.end()
    plain.append(marked[position:])
    return "".join(plain), spans
