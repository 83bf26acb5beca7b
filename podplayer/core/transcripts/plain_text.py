"""Plain-text transcripts: paragraphs become untimed cues, ``Name:`` prefixes become speakers."""

from __future__ import annotations

from podplayer.core.models import Cue
from podplayer.core.transcripts.show_notes import transcript_from_show_notes
from podplayer.core.transcripts.text_cleaning import fold_whitespace, split_speaker
from podplayer.core.transcripts.timeline import Transcript

MAX_UNTIMED_CUE_CHARS = 2_000


def parse_plain_text(text: str) -> Transcript:
    """Timed when its lines carry timestamps (as in show notes); else untimed paragraphs."""
    timed = transcript_from_show_notes(text)
    if timed is not None:
        return Transcript.build(timed.cues, timed=True, format_name="text")
    return untimed_from_paragraphs(text, format_name="text")


def untimed_from_paragraphs(text: str, *, format_name: str) -> Transcript:
    """Paragraphs (or lines, when a file has no blank lines) as untimed cues with speakers."""
    blocks = [block for block in text.split("\n\n") if block.strip()]
    if len(blocks) <= 1 and text.count("\n") > 1:
        blocks = [line for line in text.split("\n") if line.strip()]
    cues: list[Cue] = []
    for block in blocks:
        speaker, body = split_speaker(fold_whitespace(block))
        for piece in _pieces(body):
            cues.append(Cue(None, None, piece, speaker))
    return Transcript.build(cues, timed=False, format_name=format_name)


def _pieces(text: str) -> list[str]:
    """Very long paragraphs split at sentence ends so a list row stays readable."""
    if len(text) <= MAX_UNTIMED_CUE_CHARS:
        return [text]
    pieces: list[str] = []
    rest = text
    while len(rest) > MAX_UNTIMED_CUE_CHARS:
        cut = max(rest.rfind(". ", 0, MAX_UNTIMED_CUE_CHARS), rest.rfind(" ", 0, 200))
        if cut <= 0:
            cut = MAX_UNTIMED_CUE_CHARS
        pieces.append(rest[: cut + 1].strip())
        rest = rest[cut + 1 :]
    if rest.strip():
        pieces.append(rest.strip())
    return pieces
