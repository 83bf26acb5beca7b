"""Fetching the published transcripts of subscribed podcasts ahead of playing, for the index.

Politely: newest episodes first, a set number per podcast, at most two requests to one host at
a time, through the transcript store (its size cap, deadline and cache: one network path).
A transcript fetched once is cached and indexed; it is not requested again.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from podplayer.core.search.index import SOURCE_PUBLISHED, SearchIndex
from podplayer.core.storage.library import Library
from podplayer.core.transcripts.store import TranscriptStore

log = logging.getLogger(__name__)

TRANSCRIPTS_PER_PODCAST_KEY = "search.transcripts_per_podcast"
"""Setting: how many of each podcast's newest episodes get their transcript fetched ahead."""
DEFAULT_TRANSCRIPTS_PER_PODCAST = 25
REQUESTS_PER_HOST = 2
WORKERS = 4
RETRY_UNAVAILABLE_S = 24 * 3600
NOTES_FORMAT = "show notes"


@dataclass
class FetchReport:
    """What a pass did, for a status line."""

    indexed: int = 0
    unavailable: int = 0
    problems: list[str] = field(default_factory=list)

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

    def __init__(self, library: Library, store: TranscriptStore, index: SearchIndex) -> None:
        self._library = library
        self._store = store
        self._index = index
        self._stopping = threading.Event()

    def per_podcast(self) -> int:
        value = self._library.settings.get(
            TRANSCRIPTS_PER_PODCAST_KEY, DEFAULT_TRANSCRIPTS_PER_PODCAST
        )
        return value if isinstance(value, int) and value >= 0 else DEFAULT_TRANSCRIPTS_PER_PODCAST

    def stop(self) -> None:
        """Finish the requests under way and start no more (the app is closing)."""
        self._stopping.set()

    def run(
        self,
        podcast_ids: Collection[int] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> FetchReport:
        """Fetch and index what is due (of these podcasts only, when given); blocks until done."""
        from podplayer.core.transcripts.choice import rank_transcript_refs

        due = []
        for episode_id in self._index.episodes_to_fetch(self.per_podcast(), RETRY_UNAVAILABLE_S):
            episode = self._library.episodes.get(episode_id)
            if episode is None or (
                podcast_ids is not None and episode.podcast_id not in podcast_ids
            ):
                continue
            refs = rank_transcript_refs(episode.transcripts)
            if refs:
                due.append((episode_id, urlsplit(refs[0].url).netloc.lower()))
        report = FetchReport()
        lock = threading.Condition()
        active: Counter[str] = Counter()
        done = 0

        def next_due() -> tuple[int, str] | None:
            with lock:
                while due and not self._stopping.is_set():
                    for position, (episode_id, host) in enumerate(due):
                        if active[host] < REQUESTS_PER_HOST:
                            del due[position]
                            active[host] += 1
                            return episode_id, host
                    lock.wait()
                return None

        def work() -> None:
            nonlocal done
            while (item := next_due()) is not None:
                episode_id, host = item
                try:
                    indexed = self._fetch_one(episode_id)
                except Exception as exc:  # one bad transcript must not stop the others
                    log.exception("Indexing the transcript of episode %s failed", episode_id)
                    indexed = False
                    report.problems.append(str(exc))
                with lock:
                    active[host] -= 1
                    done += 1
                    if indexed:
                        report.indexed += 1
                    else:
                        report.unavailable += 1
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

    def _fetch_one(self, episode_id: int) -> bool:
        from podplayer.core.transcripts.choice import rank_transcript_refs

        episode = self._library.episodes.get(episode_id)
        if episode is None:
            return False
        podcast = self._library.podcasts.get(episode.podcast_id)
        language = podcast.language if podcast is not None else ""
        transcript = self._store.transcript_for(episode, language)
        refs = rank_transcript_refs(episode.transcripts, language)
        url = refs[0].url if refs else ""
        if not transcript.readable or transcript.format_name == NOTES_FORMAT:
            self._index.mark_unavailable(episode_id, url)
            return False
        return self._index.index_transcript(
            episode_id, transcript.cues, source=SOURCE_PUBLISHED, url=url
        )
