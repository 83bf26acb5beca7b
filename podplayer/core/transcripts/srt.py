"""SubRip (SRT): numbered blocks, comma milliseconds, speakers written as a ``Name:`` prefix."""

from __future__ import annotations

from podplayer.core.models import Cue
from podplayer.core.transcripts.text_cleaning import split_speaker, strip_markup
from podplayer.core.transcripts.timed_blocks import timed_blocks
from podplayer.core.transcripts.timeline import Transcript


def parse_srt(text: str) -> Transcript:
    """Cues from every block with readable times; a ``Name:`` prefix sets the speaker."""
    cues: list[Cue] = []
    bad = 0
    speaker: str | None = None
    for block in timed_blocks(text):
        if block.start_ms is None:
            bad += 1
            continue
        named, body = split_speaker(strip_markup("\n".join(block.lines)))
        if named is not None:
            speaker = named
        cues.append(Cue(block.start_ms, block.end_ms, body, speaker))
    notes = [f"{bad} cue(s) with unreadable times were skipped."] if bad else []
    return Transcript.build(cues, timed=True, format_name="SRT", notes=notes)
