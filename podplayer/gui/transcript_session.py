"""Keeps the transcript pane on the playing episode: loads its transcript, follows, seeks."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from podplayer.background import BackgroundWork
from podplayer.core.models import Episode
from podplayer.core.search.index import SearchIndex
from podplayer.core.storage.database import LibraryError
from podplayer.core.storage.podcasts import PodcastRepository
from podplayer.core.storage.search import SOURCE_LOADED
from podplayer.core.transcripts.store import TranscriptStore
from podplayer.core.transcripts.timeline import Transcript
from podplayer.gui.player_session import PlayerSession
from podplayer.gui.views.transcript_pane import TranscriptPane
from podplayer.playback.controller import PlaybackController

LOADING_TEXT = "Loading the transcript …"
NOTHING_PLAYING_TEXT = "Play an episode to see its transcript here."

log = logging.getLogger(__name__)


class TranscriptSession(QObject):
    """Transcripts are read and fetched in the background; a late answer for an episode that is
    no longer playing is dropped."""

    transcript_shown = Signal(object, object)  # Episode, Transcript (readable or not)

    def __init__(
        self,
        pane: TranscriptPane,
        controller: PlaybackController,
        player: PlayerSession,
        store: TranscriptStore,
        background: BackgroundWork,
        *,
        podcasts: PodcastRepository,
        search: SearchIndex,
    ) -> None:
        super().__init__()
        self._pane = pane
        self._controller = controller
        self._player = player
        self._store = store
        self._background = background
        self._podcasts = podcasts
        self._search = search
        self._episode_id: int | None = None
        self._episode: Episode | None = None
        controller.episode_changed.connect(self.show_episode)
        controller.position_changed.connect(pane.set_position)
        pane.seek_requested.connect(player.seek)
        pane.file_chosen.connect(self._load_file)
        pane.show_message(NOTHING_PLAYING_TEXT)

    def show_episode(self, episode: Episode | None) -> None:
        """Show the transcript of ``episode`` (the playing or the cued one)."""
        self._episode_id = episode.id if episode is not None else None
        self._episode = episode
        if episode is None or episode.id is None:
            self._pane.show_message(NOTHING_PLAYING_TEXT)
            return
        self._pane.show_message(LOADING_TEXT)
        episode_id = episode.id
        self._background.submit(
            self._transcript_of,
            episode,
            on_done=lambda transcript: self._arrived(episode_id, transcript),
            on_error=lambda exc: self._arrived(
                episode_id, Transcript.unreadable(f"The transcript could not be loaded: {exc}.")
            ),
        )

    def _transcript_of(self, episode: Episode) -> Transcript:
        """The transcript in the podcast's language when the feed offers several (a worker)."""
        podcast = self._podcasts.get(episode.podcast_id)
        return self._store.transcript_for(episode, podcast.language if podcast else "")

    def _load_file(self, path: str) -> None:
        episode, episode_id = self._episode, self._episode_id
        if episode is None or episode_id is None:
            self._pane.show_message("Play an episode first, then load its transcript file.")
            return
        self._background.submit(
            self._load_and_index,
            episode,
            Path(path),
            on_done=lambda transcript: self._arrived(episode_id, transcript),
        )

    def _load_and_index(self, episode: Episode, path: Path) -> Transcript:
        """Read the user's file as the episode's transcript and make it the episode's searchable
        text, as it is the one the pane shows from now on (a worker)."""
        assert episode.id is not None
        episode_id = episode.id
        transcript = self._store.load_file(episode, path)
        if transcript.readable:
            try:
                self._search.index_transcript(episode_id, transcript.cues, source=SOURCE_LOADED)
            except LibraryError:  # the pane shows it all the same; loading it again indexes it
                log.exception("The loaded transcript of episode %s was not indexed", episode_id)
        return transcript

    @property
    def episode(self) -> Episode | None:
        """The episode whose transcript the pane shows (or is loading)."""
        return self._episode

    def reload(self) -> None:
        """Read the shown episode's transcript again (one was made or deleted)."""
        if self._episode is not None:
            self.show_episode(self._episode)

    def _arrived(self, episode_id: int, transcript: Transcript) -> None:
        if episode_id != self._episode_id:
            return
        self._pane.set_transcript(transcript)
        self._pane.set_position(self._controller.position_ms())
        self.transcript_shown.emit(self._episode, transcript)
