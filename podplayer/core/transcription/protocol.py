"""What the app and the transcription worker process say to each other: JSON, one object a line.

The app writes one ``JobRequest`` to the worker's standard input; the worker answers with events
on its standard output (its own prints and the libraries' go to standard error):

- ``{"event": "stage", "stage": "decoding" | "model" | "recognizing"}``
- ``{"event": "model_progress", "done": bytes, "total": bytes}`` while a model is fetched
- ``{"event": "audio", "duration_ms": n}`` once the audio is decoded
- ``{"event": "language", "code": code}`` the language spoken (given, or detected)
- ``{"event": "cue", "start_ms", "end_ms", "text", "words": [[start_ms, end_ms, text], ...]}``
- ``{"event": "done"}`` or ``{"event": "failed", "message": sentence}``, last.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from podplayer.core.models import Cue, Word


@dataclass(frozen=True, slots=True)
class JobRequest:
    """One transcription: a file path or an http(s) URL, a model name or folder, a language."""

    source: str
    model: str
    cache_dir: str
    language: str | None = None
    threads: int = 2
    expected_ms: int | None = None
    """The length the feed gives, to tell an incomplete download from a whole one."""

    def encode(self) -> bytes:
        return json.dumps(asdict(self)).encode() + b"\n"

    @classmethod
    def decode(cls, line: bytes) -> JobRequest:
        raw = json.loads(line)
        return cls(
            source=str(raw["source"]),
            model=str(raw["model"]),
            cache_dir=str(raw["cache_dir"]),
            language=raw.get("language") or None,
            threads=int(raw.get("threads") or 2),
            expected_ms=int(raw["expected_ms"]) if raw.get("expected_ms") else None,
        )


def cue_event(cue: Cue) -> dict[str, Any]:
    return {
        "event": "cue",
        "start_ms": cue.start_ms,
        "end_ms": cue.end_ms,
        "text": cue.text,
        "words": [[word.start_ms, word.end_ms, word.text] for word in cue.words],
    }


def cue_from_event(event: dict[str, Any]) -> Cue:
    words = tuple(Word(int(s), int(e), str(t)) for s, e, t in event.get("words") or ())
    return Cue(int(event["start_ms"]), int(event["end_ms"]), str(event["text"]), None, words)


def encode_event(event: dict[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False).encode() + b"\n"
