"""One entry point for every transcript format: bytes and a MIME type in, a Transcript out."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import PurePosixPath

from podplayer.core.transcripts.decoding import MAX_TRANSCRIPT_BYTES, charset_of, decode_text
from podplayer.core.transcripts.html_text import looks_like_html
from podplayer.core.transcripts.html_transcript import parse_html_transcript
from podplayer.core.transcripts.json_segments import parse_json_transcript
from podplayer.core.transcripts.plain_text import parse_plain_text
from podplayer.core.transcripts.srt import parse_srt
from podplayer.core.transcripts.timed_blocks import is_timing_line
from podplayer.core.transcripts.timeline import Transcript
from podplayer.core.transcripts.vtt import parse_vtt

log = logging.getLogger(__name__)

PARSERS: dict[str, Callable[[str], Transcript]] = {
    "vtt": parse_vtt,
    "srt": parse_srt,
    "json": parse_json_transcript,
    "html": parse_html_transcript,
    "text": parse_plain_text,
}
_MIME_FORMATS = {
    "text/vtt": "vtt",
    "application/x-subrip": "srt",
    "application/srt": "srt",
    "text/srt": "srt",
    "text/x-srt": "srt",
    "application/x-srt": "srt",
    "application/json": "json",
    "text/json": "json",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
}
_EXTENSION_FORMATS = {
    ".vtt": "vtt",
    ".webvtt": "vtt",
    ".srt": "srt",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".text": "text",
}
TIMED_FORMATS = frozenset({"vtt", "srt", "json"})
_JSON_ARRAY = re.compile(r"\[\s*[{\]]")


def format_for_mime(mime_type: str) -> str | None:
    """The parser name for a MIME type (parameters ignored), or None when unknown."""
    return _MIME_FORMATS.get(mime_type.split(";", maxsplit=1)[0].strip().lower())


def format_for_name(name: str) -> str | None:
    """The parser name for a file name or URL path by its extension, or None."""
    path = name.split("?", maxsplit=1)[0].split("#", maxsplit=1)[0]
    return _EXTENSION_FORMATS.get(PurePosixPath(path).suffix.lower())


def sniff_format(text: str) -> str:
    """What the text itself looks like: a signature, else a timing line, else markup, else text."""
    head = text.lstrip()[:4000]
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith("{") or _JSON_ARRAY.match(head):
        return "json"
    lines = head.split("\n")[:40]
    if any(is_timing_line(line) for line in lines):
        timing = next(line for line in lines if is_timing_line(line))
        return "srt" if "," in timing.split("-->")[0] else "vtt"
    if looks_like_html(head):
        return "html"
    return "text"


def parse_transcript(
    data: bytes, mime_type: str = "", *, name: str = "", max_bytes: int = MAX_TRANSCRIPT_BYTES
) -> Transcript:
    """Parse any supported format; never raises: bad input gives cleaned cues or a ``problem``.

    What the file shows itself to be (``WEBVTT``, JSON, timing lines) beats its declared type,
    which beats its extension;
    when the declared parser finds nothing, what the content looks like gets a second chance.
    """
    if len(data) > max_bytes:
        return Transcript.unreadable(
            f"The transcript is too large to show ({len(data) // (1024 * 1024)} MB; the limit "
            f"is {max_bytes // (1024 * 1024)} MB)."
        )
    try:
        text = decode_text(data, charset_of(mime_type))
        if not text.strip():
            return Transcript.unreadable("The transcript file is empty.")
        sniffed = sniff_format(text)
        declared = format_for_mime(mime_type) or format_for_name(name)
        chosen = sniffed if sniffed in TIMED_FORMATS or declared is None else declared
        transcript = PARSERS[chosen](text)
        if not transcript.readable and sniffed not in (chosen, "text"):
            second = PARSERS[sniffed](text)
            if second.readable:
                return second
        return transcript
    except Exception:  # a parser bug must not take the window down; the user gets a sentence
        log.exception("Transcript parser failed on %s (%s)", name or "data", mime_type)
        return Transcript.unreadable()
