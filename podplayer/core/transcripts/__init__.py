"""Transcripts: one parser per format -> cues; the Transcript timeline, its follower, the store."""

from podplayer.core.transcripts.choice import choose_transcript_ref, rank_transcript_refs
from podplayer.core.transcripts.parsing import MAX_TRANSCRIPT_BYTES, parse_transcript
from podplayer.core.transcripts.show_notes import transcript_from_show_notes
from podplayer.core.transcripts.store import TranscriptStore
from podplayer.core.transcripts.timeline import Transcript, TranscriptFollower

__all__ = [
    "MAX_TRANSCRIPT_BYTES",
    "Transcript",
    "TranscriptFollower",
    "TranscriptStore",
    "choose_transcript_ref",
    "parse_transcript",
    "rank_transcript_refs",
    "transcript_from_show_notes",
]
