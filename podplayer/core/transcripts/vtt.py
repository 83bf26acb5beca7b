"""WebVTT: voice spans ``<v Name>`` give speakers; other tags and NOTE/STYLE blocks are dropped."""

from __future__ import annotations

import re

from podplayer.core.models import Cue
from podplayer.core.transcripts.text_cleaning import split_speaker, strip_markup
from podplayer.core.transcripts.timed_blocks import timed_blocks
from podplayer.core.transcripts.timeline import Transcript

_VOICE = re.compile(r"<v(?:\.[\w.-]+)?[ \t]+([^>]*)>", re.IGNORECASE)


def parse_vtt(text: str) -> Transcript:
    """Cues with speakers from voice spans (or a ``Name:`` prefix when there is none)."""
    cues: list[Cue] = []
    bad = 0
    for block in timed_blocks(text):
        if block.start_ms is None:
            bad += 1
            continue
        raw = "\n".join(block.lines)
        voice = _VOICE.search(raw)
        speaker = strip_markup(voice[1]) if voice else None
        body = strip_markup(raw)
        if not speaker:
            speaker, body = split_speaker(body)
        cues.append(Cue(block.start_ms, block.end_ms, body, speaker or None))
    notes = [f"{bad} cue(s) with unreadable times were skipped."] if bad else []
    return Transcript.build(cues, timed=True, format_name="WebVTT", notes=notes)
