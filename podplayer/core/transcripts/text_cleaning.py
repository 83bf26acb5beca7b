"""Turning cue text with markup, entities and odd spacing into plain readable text."""

from __future__ import annotations

import html
import re

from podplayer.core.control_characters import strip_control_characters

_TAG = re.compile(r"<[^<>]*>")
_HIDDEN_OPEN = re.compile(r"<(script|style)\b", re.IGNORECASE)
_HIDDEN_CLOSE = re.compile(r"</(?:script|style)\s*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_DIRECTION_MARKS = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPEAKER_PREFIX = re.compile(
    r"^(?P<name>[^\W\d_][\w'’.\-]*(?:[ ][\w'’.\-]+){0,3}|\[[^\]\n]{1,40}\]|>>\s*[^:\n]{1,40})"
    r"\s*:\s+(?P<rest>\S.*)$",
    re.DOTALL,
)
_NOT_SPEAKERS = frozenset({"note", "update", "http", "https", "warning", "example", "q", "a"})


def strip_markup(text: str) -> str:
    """Drop tags, decode entities, fold whitespace (newlines become spaces): plain cue text."""
    without_tags = _TAG.sub(" ", drop_hidden_elements(text))
    decoded = strip_control_characters(html.unescape(without_tags))  # "&#155;" is CSI
    decoded = _DIRECTION_MARKS.sub("", decoded)
    return _SPACES.sub(" ", decoded.replace("\n", " ")).strip()


def drop_hidden_elements(text: str) -> str:
    """Remove ``<script>``/``<style>`` elements with their content, in one pass over the text.

    A lazy ``<script>.*?</script>`` regex rescans to the end for every unclosed tag: quadratic
    (800 KB of ``<script>`` took minutes). Here an unclosed tag ends the search at once.
    """
    if "<" not in text:
        return text
    pieces: list[str] = []
    position = 0
    while (opening := _HIDDEN_OPEN.search(text, position)) is not None:
        closing = _HIDDEN_CLOSE.search(text, opening.end())
        if closing is None:
            break
        pieces.append(text[position : opening.start()])
        position = closing.end()
    pieces.append(text[position:])
    return " ".join(pieces)


def fold_whitespace(text: str) -> str:
    """One space between words, no leading or trailing space, no control characters."""
    text = strip_control_characters(text)
    return _SPACES.sub(" ", _DIRECTION_MARKS.sub("", text.replace("\n", " "))).strip()


def split_speaker(text: str) -> tuple[str | None, str]:
    """``"Travis: When you..."`` -> ("Travis", "When you..."); text without a name prefix stays."""
    match = _SPEAKER_PREFIX.match(text)
    if match is None:
        return None, text
    name = match["name"].strip("[]> ").strip()
    if not name or name.lower() in _NOT_SPEAKERS or name[0].islower():
        return None, text
    return name, match["rest"].strip()
