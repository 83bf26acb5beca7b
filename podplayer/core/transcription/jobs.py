"""Transcription jobs as stored and shown: state, progress, time left, the sentence on failure."""

from __future__ import annotations

import enum
from dataclasses import dataclass

DEFAULT_MODEL = "base"
MADE_HERE_FORMAT = "Made on this computer"
"""The format name a generated transcript carries; the pane shows it beside the line count."""
DEFAULT_SPEED = 0.15
"""Processing time per second of audio assumed until this computer has finished a job."""
MODEL_LOAD_S = 2.0


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE_STATES = frozenset({JobState.QUEUED, JobState.RUNNING, JobState.PAUSED})


@dataclass(slots=True)
class TranscriptionJob:
    """One episode to transcribe, as the job list shows it."""

    id: int
    episode_id: int
    model: str
    state: JobState
    language: str = ""
    progress_ms: int = 0
    duration_ms: int | None = None
    error: str = ""
    created_at: float = 0.0
    updated_at: float = 0.0
    work_seconds: float = 0.0
    episode_title: str = ""
    stage: str = ""
    """While running and before any line: what the worker is doing (not stored)."""

    @property
    def fraction(self) -> float | None:
        if not self.duration_ms:
            return None
        return min(1.0, self.progress_ms / self.duration_ms)

    def seconds_left(self, speed: float) -> float | None:
        """Estimated from how fast this job has gone so far, else from ``speed``."""
        if not self.duration_ms:
            return None
        remaining_s = max(0, self.duration_ms - self.progress_ms) / 1000
        if self.progress_ms > 5_000 and self.work_seconds > 1:
            return remaining_s * self.work_seconds / (self.progress_ms / 1000)
        return remaining_s * speed


def estimate_seconds(duration_s: float | None, speed: float | None) -> float | None:
    """How long transcribing ``duration_s`` of audio will take on this computer."""
    if not duration_s:
        return None
    return duration_s * (speed or DEFAULT_SPEED) + MODEL_LOAD_S


def describe_duration(seconds: float) -> str:
    """'about 40 seconds', 'about 3 minutes', 'about 1 h 20 min'."""
    if seconds < 60:
        return f"about {max(5, round(seconds / 5) * 5)} seconds"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    return f"about {minutes // 60} h {minutes % 60} min"
