"""Transcription jobs and the transcripts made on this computer (segments with their words)."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass

from podplayer.core.models import Cue, Word
from podplayer.core.storage.database import Database
from podplayer.core.transcription.jobs import ACTIVE_STATES, JobState, TranscriptionJob

_ACTIVE = tuple(state.value for state in ACTIVE_STATES)
_DOWNLOADED = "completed"


class TranscriptSaveError(Exception):
    """A generated transcript could not be written (disk full, library locked); nothing was."""


@dataclass(frozen=True, slots=True)
class StoredTranscript:
    """A transcript made on this computer, as stored."""

    episode_id: int
    model: str
    language: str
    created_at: float
    cues: tuple[Cue, ...]


def _job_from_row(row: sqlite3.Row) -> TranscriptionJob:
    return TranscriptionJob(
        id=row["id"],
        episode_id=row["episode_id"],
        model=row["model"],
        state=JobState(row["state"]),
        language=row["language"],
        progress_ms=row["progress_ms"],
        duration_ms=row["duration_ms"],
        error=row["error"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        work_seconds=row["work_seconds"],
        episode_title=row["title"] or "",
    )


_JOB_SELECT = (
    "SELECT j.*, e.title FROM transcription_jobs j LEFT JOIN episodes e ON e.id = j.episode_id"
)


class TranscriptionRepository:
    """The job queue (it survives a restart) and the generated transcripts."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # Jobs.

    def add_job(self, episode_id: int, model: str, language: str = "") -> TranscriptionJob:
        """Queue the episode; an episode already queued or running keeps its job."""
        with self._db.transaction():
            row = self._db.execute(
                f"{_JOB_SELECT} WHERE j.episode_id = ? AND j.state IN ({_marks(_ACTIVE)})",
                (episode_id, *_ACTIVE),
            ).fetchone()
            if row is not None:
                return _job_from_row(row)
            now = time.time()
            cursor = self._db.execute(
                "INSERT INTO transcription_jobs (episode_id, model, language, state, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (episode_id, model, language, JobState.QUEUED.value, now, now),
            )
            job = self.job(int(cursor.lastrowid or 0))
        assert job is not None
        return job

    def job(self, job_id: int) -> TranscriptionJob | None:
        row = self._db.execute(f"{_JOB_SELECT} WHERE j.id = ?", (job_id,)).fetchone()
        return _job_from_row(row) if row else None

    def jobs(self, limit: int = 200) -> list[TranscriptionJob]:
        """Active jobs first (in queue order), then the most recently finished."""
        rows = self._db.execute(
            f"{_JOB_SELECT} ORDER BY j.state IN ({_marks(_ACTIVE)}) DESC,"
            " CASE WHEN j.state IN (" + _marks(_ACTIVE) + ") THEN j.created_at"
            " ELSE -j.updated_at END LIMIT ?",
            (*_ACTIVE, *_ACTIVE, limit),
        )
        return [_job_from_row(row) for row in rows]

    def next_queued(self) -> TranscriptionJob | None:
        """The job to run next: downloaded episodes first, then in the order they were queued."""
        row = self._db.execute(
            f"{_JOB_SELECT} LEFT JOIN downloads d ON d.episode_id = j.episode_id"
            " WHERE j.state = ? ORDER BY d.state IS NOT ? , j.created_at LIMIT 1",
            (JobState.QUEUED.value, _DOWNLOADED),
        ).fetchone()
        return _job_from_row(row) if row else None

    def update_job(
        self,
        job_id: int,
        state: JobState,
        *,
        error: str = "",
        progress_ms: int | None = None,
        duration_ms: int | None = None,
        language: str | None = None,
        work_seconds: float | None = None,
    ) -> bool:
        """Whether the job is still there (an unsubscribe deletes its episodes' jobs)."""
        cursor = self._db.execute(
            "UPDATE transcription_jobs SET state = ?, error = ?,"
            " progress_ms = COALESCE(?, progress_ms), duration_ms = COALESCE(?, duration_ms),"
            " language = COALESCE(?, language), work_seconds = COALESCE(?, work_seconds),"
            " updated_at = ? WHERE id = ?",
            (
                state.value,
                error,
                progress_ms,
                duration_ms,
                language,
                work_seconds,
                time.time(),
                job_id,
            ),
        )
        return cursor.rowcount > 0

    def requeue_interrupted(self) -> int:
        """Jobs left running by an app that stopped go back to the queue, from the start."""
        cursor = self._db.execute(
            "UPDATE transcription_jobs SET state = ?, progress_ms = 0, work_seconds = 0"
            " WHERE state = ?",
            (JobState.QUEUED.value, JobState.RUNNING.value),
        )
        return cursor.rowcount

    def remove_job(self, job_id: int) -> None:
        self._db.execute("DELETE FROM transcription_jobs WHERE id = ?", (job_id,))

    def clear_finished(self) -> None:
        self._db.execute(
            f"DELETE FROM transcription_jobs WHERE state NOT IN ({_marks(_ACTIVE)})", _ACTIVE
        )

    def measured_speed(self, model: str) -> float | None:
        """Seconds of work per second of audio over this model's finished jobs (None: none yet)."""
        row = self._db.execute(
            "SELECT SUM(work_seconds), SUM(duration_ms) FROM transcription_jobs"
            " WHERE state = ? AND model = ? AND duration_ms > 0 AND work_seconds > 0",
            (JobState.DONE.value, model),
        ).fetchone()
        if row is None or not row[0] or not row[1]:
            return None
        return float(row[0]) / (float(row[1]) / 1000)

    # Transcripts made on this computer.

    def save_transcript(
        self, episode_id: int, cues: Sequence[Cue], model: str, language: str
    ) -> None:
        """Replace the episode's generated transcript with ``cues``, all in one transaction."""
        try:
            self._write_transcript(episode_id, cues, model, language)
        except sqlite3.Error as exc:
            raise TranscriptSaveError(
                f"The transcript could not be saved ({exc}). Free some disk space and retry."
            ) from exc

    def _write_transcript(
        self, episode_id: int, cues: Sequence[Cue], model: str, language: str
    ) -> None:
        with self._db.transaction():
            self._db.execute(
                "DELETE FROM generated_transcripts WHERE episode_id = ?", (episode_id,)
            )
            self._db.execute(
                "INSERT INTO generated_transcripts (episode_id, model, language, created_at)"
                " VALUES (?, ?, ?, ?)",
                (episode_id, model, language, time.time()),
            )
            self._db.executemany(
                "INSERT INTO generated_segments (episode_id, position, start_ms, end_ms, text,"
                " words) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (
                        episode_id,
                        position,
                        cue.start_ms or 0,
                        cue.end_ms if cue.end_ms is not None else cue.start_ms or 0,
                        cue.text,
                        json.dumps([[w.start_ms, w.end_ms, w.text] for w in cue.words]),
                    )
                    for position, cue in enumerate(cues)
                ),
            )

    def transcript(self, episode_id: int) -> StoredTranscript | None:
        head = self._db.execute(
            "SELECT * FROM generated_transcripts WHERE episode_id = ?", (episode_id,)
        ).fetchone()
        if head is None:
            return None
        rows = self._db.execute(
            "SELECT start_ms, end_ms, text, words FROM generated_segments WHERE episode_id = ?"
            " ORDER BY position",
            (episode_id,),
        )
        cues = tuple(Cue(row[0], row[1], row[2], None, _words(row[3])) for row in rows)
        return StoredTranscript(
            episode_id, head["model"], head["language"], head["created_at"], cues
        )

    def delete_transcript(self, episode_id: int) -> None:
        self._db.execute("DELETE FROM generated_transcripts WHERE episode_id = ?", (episode_id,))

    # Which podcasts transcribe their new episodes by themselves.

    def set_automatic(self, podcast_id: int, on: bool) -> None:
        """Transcribe the podcast's episodes published from now on (or stop doing so)."""
        if on:
            self._db.execute(
                "INSERT OR IGNORE INTO transcription_auto_podcasts (podcast_id, since)"
                " VALUES (?, ?)",
                (podcast_id, time.time()),
            )
        else:
            self._db.execute(
                "DELETE FROM transcription_auto_podcasts WHERE podcast_id = ?", (podcast_id,)
            )

    def automatic_podcasts(self) -> set[int]:
        rows = self._db.execute("SELECT podcast_id FROM transcription_auto_podcasts")
        return {row[0] for row in rows}

    def automatic_candidates(self, everything_since: float | None) -> list[int]:
        """Episodes to transcribe by themselves: published since their podcast (or, with
        ``everything_since``, every podcast) was switched to it, with no transcript of their
        own, never transcribed nor queued before."""
        rows = self._db.execute(
            "SELECT e.id FROM episodes e"
            " LEFT JOIN transcription_auto_podcasts a ON a.podcast_id = e.podcast_id"
            " WHERE ((a.since IS NOT NULL AND e.published >= a.since)"
            "        OR (? IS NOT NULL AND e.published >= ?))"
            " AND NOT EXISTS (SELECT 1 FROM transcription_jobs j WHERE j.episode_id = e.id)"
            " AND NOT EXISTS (SELECT 1 FROM generated_transcripts g WHERE g.episode_id = e.id)"
            " AND NOT EXISTS (SELECT 1 FROM transcripts t WHERE t.episode_id = e.id)"
            " ORDER BY e.published",
            (everything_since, everything_since),
        )
        return [row[0] for row in rows]


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


def _words(raw: str) -> tuple[Word, ...]:
    try:
        return tuple(Word(int(s), int(e), str(t)) for s, e, t in json.loads(raw))
    except (ValueError, TypeError):
        return ()
