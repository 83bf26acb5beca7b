"""HTML transcripts: ``<cite>`` speaker, ``<time>`` start, ``<p>`` text; else readable text."""

from __future__ import annotations

from podplayer.core.models import Cue
from podplayer.core.transcripts.html_text import read_html
from podplayer.core.transcripts.plain_text import untimed_from_paragraphs
from podplayer.core.transcripts.show_notes import transcript_from_show_notes
from podplayer.core.transcripts.text_cleaning import split_speaker
from podplayer.core.transcripts.timeline import Transcript
from podplayer.core.transcripts.timestamps import parse_clock


def parse_html_transcript(markup: str) -> Transcript:
    """Timed when paragraphs carry ``<time>`` starts; paragraphs without one join the one before."""
    parts, text = read_html(markup)
    speaker: str | None = None
    start: int | None = None
    timed_cues: list[Cue] = []
    untimed_cues: list[Cue] = []
    for part in parts:
        if part.kind == "cite":
            speaker = part.text.rstrip(":").strip() or None
        elif part.kind == "time":
            start = parse_clock(part.text)
        elif part.kind == "p":
            named, body = split_speaker(part.text)
            who = named or speaker
            if start is not None:
                timed_cues.append(Cue(start, None, body, who))
                start = None
            elif timed_cues:
                last = timed_cues[-1]
                timed_cues[-1] = Cue(last.start_ms, None, f"{last.text} {body}", last.speaker)
            untimed_cues.append(Cue(None, None, body, who))
    if len(timed_cues) >= 2 or (timed_cues and len(untimed_cues) == 1):
        return Transcript.build(timed_cues, timed=True, format_name="HTML")
    from_notes = transcript_from_show_notes(text)
    if from_notes is not None:
        return Transcript.build(from_notes.cues, timed=True, format_name="HTML")
    if untimed_cues:
        return Transcript.build(untimed_cues, timed=False, format_name="HTML")
    return untimed_from_paragraphs(text, format_name="HTML")
