"""Transcripts made on this computer: the one place they are saved, read and deleted.

Whatever else must know of a generated transcript (the full-text search index) subscribes to
``saved_listeners`` and ``deleted_listeners`` here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from podplayer.core.models import Cue
from podplayer.core.transcription.jobs import MADE_HERE_FORMAT
from podplayer.core.transcripts.timeline import Transcript

if TYPE_CHECKING:
    from podplayer.core.search.index import SearchIndex
    from podplayer.core.storage.transcription import TranscriptionRepository

SavedListener = Callable[[int, Transcript], None]
DeletedListener = Callable[[int], None]


def generated_transcript(cues: Sequence[Cue]) -> Transcript:
    """Cues as a timed transcript marked as made on this computer (cleaned like any other)."""
    return Transcript.build(cues, timed=True, format_name=MADE_HERE_FORMAT)


def index_in_search(search: SearchIndex) -> SavedListener:
    """A listener that makes a saved transcript the episode's searchable text, unless the index
    holds the podcast's own transcript or a file the user loaded (which win there as they do in
    the pane)."""
    from podplayer.core.storage.search import SOURCE_LOADED, SOURCE_PUBLISHED

    def index(episode_id: int, transcript: Transcript) -> None:
        indexed = search.indexed_transcript(episode_id)
        if indexed is None or indexed.source not in (SOURCE_PUBLISHED, SOURCE_LOADED):
            search.index_transcript(episode_id, transcript.cues)

    return index


def follow_in_search(generated: GeneratedTranscripts, search: SearchIndex) -> None:
    """Keep the search index in step with ``generated``: a saved transcript is indexed, a
    deleted one leaves the index (unless the index holds another transcript of the episode)."""
    from podplayer.core.storage.search import SOURCE_GENERATED

    def unindex(episode_id: int) -> None:
        search.remove_transcript(episode_id, SOURCE_GENERATED)

    generated.saved_listeners.append(index_in_search(search))
    generated.deleted_listeners.append(unindex)


class GeneratedTranscripts:
    """Generated transcripts by episode; thread-safe as the repository is."""

    def __init__(self, repository: TranscriptionRepository) -> None:
        self._repository = repository
        self.saved_listeners: list[SavedListener] = []
        self.deleted_listeners: list[DeletedListener] = []

    def save(self, episode_id: int, cues: Sequence[Cue], model: str, language: str) -> Transcript:
        """Store a finished transcript (replacing any earlier one) and tell the listeners."""
        transcript = generated_transcript(cues)
        self._repository.save_transcript(episode_id, transcript.cues, model, language)
        for listener in self.saved_listeners:
            listener(episode_id, transcript)
        return transcript

    def delete(self, episode_id: int) -> None:
        self._repository.delete_transcript(episode_id)
        for listener in self.deleted_listeners:
            listener(episode_id)

    def transcript_for(self, episode_id: int) -> Transcript | None:
        stored = self._repository.transcript(episode_id)
        if stored is None:
            return None
        return generated_transcript(stored.cues)
