"""Turning cue text with markup, entities and odd spacing into plain readable text."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^<>]*>")
_HIDDEN_ELEMENT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
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
    without_tags = _TAG.sub(" ", _HIDDEN_ELEMENT.sub(" ", text))
    decoded = html.unescape(without_tags)
    decoded = _DIRECTION_MARKS.sub("", decoded)
    return _SPACES.sub(" ", decoded.replace("\n", " ")).strip()


def fold_whitespace(text: str) -> str:
    """One space between words, no leading or trailing space."""
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
