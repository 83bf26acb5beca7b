"""Fetching the published transcripts of subscribed podcasts ahead of playing, for the index.

Politely: newest episodes first, a set number per podcast, at most two requests to one host at
a time, through the transcript store (its size cap, deadline and cache: one network path).
A transcript fetched once is cached and indexed; a week later its server is asked whether it
changed, with a conditional GET (ETag, Last-Modified).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit

from podplayer.core.models import Cue
from podplayer.core.search.index import SearchIndex
from podplayer.core.settings import TRANSCRIPTS_FOR_SEARCH, UserSettings
from podplayer.core.storage.library import Library
from podplayer.core.storage.search import SOURCE_PUBLISHED, IndexedTranscript
from podplayer.core.transcription.jobs import MADE_HERE_FORMAT
from podplayer.core.transcripts.store import CachedSource, TranscriptStore

log = logging.getLogger(__name__)

REQUESTS_PER_HOST = 2
WORKERS = 4
RETRY_UNAVAILABLE_S = 24 * 3600
RECHECK_AFTER_S = 7 * 24 * 3600
NOTES_FORMAT = "show notes"


class Outcome(Enum):
    INDEXED = "indexed"
    UNCHANGED = "unchanged"
    UNAVAILABLE = "unavailable"


@dataclass
class FetchReport:
    """What a pass did, for a status line."""

    indexed: int = 0
    unchanged: int = 0
    unavailable: int = 0
    problems: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def sentence(self) -> str:
        """What was done, or nothing when nothing was due."""
        if not self.indexed and not self.unavailable:
            return ""
        count = f"{self.indexed} transcript{'s' if self.indexed != 1 else ''}"
        text = f"Indexed {count} for search"
        if self.unavailable:
            text += f"; {self.unavailable} could not be fetched (tried again tomorrow)"
        return text + "."


class TranscriptPrefetcher:
    """Finds episodes whose published transcript is not indexed yet, fetches and indexes them."""

    def __init__(
        self,
        library: Library,
        store: TranscriptStore,
        index: SearchIndex,
        settings: UserSettings,
    ) -> None:
        self._library = library
        self._store = store
        self._index = index
        self._settings = settings
        self._stopping = threading.Event()

    def per_podcast(self) -> int:
        """The user's setting: how many of each podcast's newest episodes are fetched ahead."""
        return int(self._settings.get(TRANSCRIPTS_FOR_SEARCH))

    def stop(self) -> None:
        """Finish the requests under way and start no more (the app is closing)."""
        self._stopping.set()

    def run(
        self,
        podcast_ids: Collection[int] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> FetchReport:
        """Fetch and index what is due (of these podcasts only, when given); blocks until done.

        Due: transcripts not indexed yet, newest first; then indexed ones not checked for a
        week, asked for with a conditional GET (unchanged ones cost a 304). New episodes' titles
        and notes are indexed first.
        """
        from podplayer.core.transcripts.choice import rank_transcript_refs

        self._index.catch_up()  # the titles and notes of new episodes first: no network needed
        due: list[tuple[int, str, IndexedTranscript | None]] = []
        per_podcast = self.per_podcast()
        for episode_id in self._index.episodes_to_fetch(per_podcast, RETRY_UNAVAILABLE_S):
            episode = self._library.episodes.get(episode_id)
            if episode is None or (
                podcast_ids is not None and episode.podcast_id not in podcast_ids
            ):
                continue
            refs = rank_transcript_refs(episode.transcripts)
            if refs:
                due.append((episode_id, _host(refs[0].url), None))
        checked_before = time.time() - RECHECK_AFTER_S
        for episode_id, indexed in self._index.transcripts_to_check(per_podcast, checked_before):
            due.append((episode_id, _host(indexed.url), indexed))
        report = FetchReport()
        lock = threading.Condition()
        active: Counter[str] = Counter()
        done = 0

        def next_due() -> tuple[int, str, IndexedTranscript | None] | None:
            with lock:
                while due and not self._stopping.is_set():
                    for position, item in enumerate(due):
                        if active[item[1]] < REQUESTS_PER_HOST:
                            del due[position]
                            active[item[1]] += 1
                            return item
                    lock.wait()
                return None

        def work() -> None:
            nonlocal done
            while (item := next_due()) is not None:
                episode_id, host, indexed = item
                try:
                    outcome = (
                        self._fetch_one(episode_id)
                        if indexed is None
                        else self._check_one(episode_id, indexed)
                    )
                except Exception as exc:  # one bad transcript must not stop the others
                    log.exception("Indexing the transcript of episode %s failed", episode_id)
                    outcome = Outcome.UNAVAILABLE
                    report.problems.append(str(exc))
                with lock:
                    active[host] -= 1
                    done += 1
                    report.count(outcome)
                    lock.notify_all()
                if progress is not None:
                    progress(done, total)

        total = len(due)
        threads = [
            threading.Thread(target=work, name=f"podplayer-transcripts-{n}", daemon=True)
            for n in range(min(WORKERS, total))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return report

    def _fetch_one(self, episode_id: int) -> Outcome:
        """Fetch (or read from the cache) the episode's best transcript and index it."""
        from podplayer.core.transcripts.choice import rank_transcript_refs

        episode = self._library.episodes.get(episode_id)
        if episode is None:
            return Outcome.UNAVAILABLE
        podcast = self._library.podcasts.get(episode.podcast_id)
        language = podcast.language if podcast is not None else ""
        transcript = self._store.transcript_for(episode, language)
        refs = rank_transcript_refs(episode.transcripts, language)
        url = refs[0].url if refs else ""
        # The store falls back to the notes or to a transcript made here: neither is the feed's.
        if not transcript.readable or transcript.format_name in (NOTES_FORMAT, MADE_HERE_FORMAT):
            self._index.mark_unavailable(episode_id, url)
            return Outcome.UNAVAILABLE
        return self._index_published(episode_id, url, transcript.cues)

    def _check_one(self, episode_id: int, indexed: IndexedTranscript) -> Outcome:
        """Ask whether an indexed transcript changed (a conditional GET); index it if it did."""
        episode = self._library.episodes.get(episode_id)
        ref = (
            next((r for r in episode.transcripts if r.url == indexed.url), None)
            if episode
            else None
        )
        if ref is None:  # the feed no longer lists it: fetch whatever it lists now
            return self._fetch_one(episode_id)
        validators = CachedSource(indexed.url, "", "", 0.0, indexed.etag, indexed.last_modified)
        transcript = self._store.fetch_if_changed(episode_id, ref.url, ref.mime_type, validators)
        if transcript is None or not transcript.readable:
            self._index.mark_checked(episode_id)
            return Outcome.UNCHANGED
        return self._index_published(episode_id, ref.url, transcript.cues)

    def _index_published(self, episode_id: int, url: str, cues: Sequence[Cue]) -> Outcome:
        cached = self._store.cached_source(episode_id, url)
        indexed = self._index.index_transcript(
            episode_id,
            cues,
            source=SOURCE_PUBLISHED,
            url=url,
            etag=cached.etag if cached else None,
            last_modified=cached.last_modified if cached else None,
        )
        return Outcome.INDEXED if indexed else Outcome.UNAVAILABLE


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()
