"""Runs what the library search view asks: queries on a worker, plays or shows what was found.

Each keystroke (after a short pause) starts a query on a worker thread; a newer one makes SQLite
give up the older (``cancelled``), and only the newest answer is shown. Published transcripts
are fetched for the index in the background once the window is up and after each refresh.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from podplayer.background import BackgroundWork
from podplayer.core.models import Podcast
from podplayer.core.search.fetching import FetchReport, TranscriptPrefetcher
from podplayer.core.search.index import EpisodeResult, SearchIndex
from podplayer.core.search.query import QueryError
from podplayer.core.storage.search import SearchCancelledError, SearchOrder
from podplayer.engine.base import PlaybackState
from podplayer.gui.models.artwork import ArtworkProvider
from podplayer.gui.player_session import PlayerSession
from podplayer.gui.views.library_search_view import LibrarySearchView
from podplayer.playback.controller import PlaybackController

TYPING_PAUSE_MS = 150
LEAD_IN_MS = 2000
"""A hit plays from a little before the words, so the listener hears them come."""
EMPTY_FIELD = "Type to search every transcript, show note and title."


class SearchSession(QObject):
    """Between the search view and the index, the player and the background fetcher."""

    episode_requested = Signal(int)  # show this episode (a notes or title hit)
    message = Signal(str)

    def __init__(
        self,
        view: LibrarySearchView,
        *,
        index: SearchIndex,
        prefetcher: TranscriptPrefetcher,
        background: BackgroundWork,
        player: PlayerSession,
        controller: PlaybackController,
        artwork: ArtworkProvider,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._index = index
        self._prefetcher = prefetcher
        self._background = background
        self._player = player
        self._controller = controller
        self._artwork = artwork
        self._podcasts: dict[int, Podcast] = {}
        self._generation = 0
        self._prefetching = False
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self._start_query)
        view.query_changed.connect(self._typed)
        view.hit_activated.connect(self._activated)
        view.show_message(EMPTY_FIELD)

    def set_podcasts(self, podcasts: list[Podcast]) -> None:
        self._podcasts = {p.id: p for p in podcasts if p.id is not None}
        self._view.set_podcasts([(p.id, p.title) for p in podcasts if p.id is not None])

    def fetch_transcripts(self) -> None:
        """Fetch and index the published transcripts that are due, on a worker (one pass at a
        time)."""
        if self._prefetching:
            return
        self._prefetching = True
        self._background.submit(
            self._prefetcher.run, on_done=self._fetched, on_error=self._fetch_failed
        )

    def search_again(self) -> None:
        """The library changed: run the current query again."""
        if self._view.current_query()[0].strip():
            self._pause.start()

    def _typed(self, *_: object) -> None:
        self._generation += 1  # an answer to an older query is no longer wanted
        self._pause.start()

    def _start_query(self) -> None:
        text, podcast_id, order = self._view.current_query()
        self._generation += 1
        generation = self._generation
        if not text.strip():
            self._view.show_message(EMPTY_FIELD)
            return

        def cancelled() -> bool:
            return generation != self._generation

        def run() -> list[EpisodeResult]:
            return self._index.search(
                text,
                podcast_id=podcast_id,
                order=SearchOrder(order),
                cancelled=cancelled,
                index_pending=False,
            )

        self._background.submit(
            run,
            on_done=lambda results: self._answered(generation, results),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _answered(self, generation: int, results: list[EpisodeResult]) -> None:
        if generation != self._generation:
            return
        icons = {
            podcast_id: self._artwork.icon(podcast)
            for podcast_id, podcast in self._podcasts.items()
            if any(result.episode.podcast_id == podcast_id for result in results)
        }
        self._view.show_results(results, icons)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation or isinstance(error, SearchCancelledError):
            return
        if isinstance(error, QueryError):
            self._view.show_message(str(error))
        else:
            self._view.show_message(f"The search failed: {error}. Try other words.")

    def _activated(self, episode_id: int, start_ms: int | None) -> None:
        if start_ms is None:
            self.episode_requested.emit(episode_id)
            return
        position = max(0, start_ms - LEAD_IN_MS)
        current = self._controller.current_episode()
        if current is not None and current.id == episode_id:
            self._player.seek(position)
            if self._controller.state() is not PlaybackState.PLAYING:
                self._player.toggle_play_pause()
        else:
            self._player.play_episode(episode_id, position)

    def _fetched(self, report: FetchReport) -> None:
        self._prefetching = False
        sentence = report.sentence()
        if sentence:
            self.message.emit(sentence)
        self.search_again()  # new titles, notes or transcripts may match

    def _fetch_failed(self, error: BaseException) -> None:
        self._prefetching = False
        self.message.emit(f"Transcripts could not be fetched for search: {error}")
