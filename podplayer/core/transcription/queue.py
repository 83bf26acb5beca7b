"""The transcription queue: jobs run one at a time on a thread of their own, each in a worker.

The queue lives in the library, so it survives a restart (a job that was running starts again).
Listeners hear of every change on the queue's thread; the GUI hands them to its own thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from podplayer.core.models import Cue
from podplayer.core.storage.transcription import TranscriptionRepository, TranscriptSaveError
from podplayer.core.transcription.episode_audio import EpisodeAudio
from podplayer.core.transcription.generated import GeneratedTranscripts
from podplayer.core.transcription.jobs import DEFAULT_MODEL, JobState, TranscriptionJob
from podplayer.core.transcription.protocol import JobRequest

if TYPE_CHECKING:
    from podplayer.core.transcription.runner import RunResult, WorkerRun

log = logging.getLogger(__name__)

PROGRESS_SAVE_INTERVAL_S = 5.0
STAGES = {
    "decoding": "Reading the audio …",
    "model": "Loading the speech model …",
    "recognizing": "Listening …",
}
NO_AUDIO_MESSAGE = "This episode has no audio to transcribe."
UNEXPECTED_MESSAGE = "Something went wrong in podplayer while transcribing; the log says what."


class QueueListener(Protocol):
    def job_changed(self, job: TranscriptionJob) -> None:
        """A job was added, moved on, or ended (called on the queue's thread)."""

    def cue_made(self, episode_id: int, cue: Cue) -> None:
        """The running job recognized one more line."""


class _Running:
    """The job being worked on: its worker, and the live figures between database writes."""

    def __init__(self, job: TranscriptionJob, run: WorkerRun) -> None:
        self.job = job
        self.run = run
        self.started = time.monotonic()
        self.paused_at: float | None = None
        self.paused_for = 0.0
        self.saved_at = 0.0
        self.shutdown = False

    def work_seconds(self) -> float:
        now = self.paused_at if self.paused_at is not None else time.monotonic()
        return max(0.0, now - self.started - self.paused_for)


class TranscriptionQueue:
    """Add, pause, resume, cancel, retry; ``start`` runs the queue until ``shutdown``."""

    def __init__(
        self,
        repository: TranscriptionRepository,
        generated: GeneratedTranscripts,
        *,
        source_for: Callable[[int], EpisodeAudio | None],
        language_for: Callable[[int], str],
        cache_dir: Path,
        model: Callable[[], str] = lambda: DEFAULT_MODEL,
        threads: int = 2,
    ) -> None:
        self._repository = repository
        self._generated = generated
        self._source_for = source_for
        self._language_for = language_for
        self._cache_dir = cache_dir
        self._model = model
        self._threads = threads
        self.listeners: list[QueueListener] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = False
        self._running: _Running | None = None
        self._thread: threading.Thread | None = None

    # What the app calls (any thread).

    def start(self) -> None:
        """Put jobs an earlier run left running back in the queue, and start working."""
        self._repository.requeue_interrupted()
        self._thread = threading.Thread(target=self._loop, name="transcription-queue", daemon=True)
        self._thread.start()
        self._wake.set()

    def add(self, episode_id: int, model: str | None = None) -> TranscriptionJob:
        """Queue the episode (an episode already queued keeps its place)."""
        job = self._repository.add_job(
            episode_id, model or self._model(), self._language_for(episode_id)
        )
        self._changed(job)
        self._wake.set()
        return job

    def add_automatic(self, everything_since: float | None) -> list[TranscriptionJob]:
        """Queue the new episodes that podcasts (or the app-wide setting) ask to transcribe."""
        return [
            self.add(episode_id)
            for episode_id in self._repository.automatic_candidates(everything_since)
        ]

    def jobs(self) -> list[TranscriptionJob]:
        """Every job, with the running one's live progress."""
        jobs = self._repository.jobs()
        with self._lock:
            running = self._running
        if running is None:
            return jobs
        return [running.job if job.id == running.job.id else job for job in jobs]

    def running_job(self) -> TranscriptionJob | None:
        with self._lock:
            return self._running.job if self._running is not None else None

    def speed(self, model: str | None = None) -> float | None:
        """Seconds of work per second of audio measured here for ``model`` (None: not yet)."""
        return self._repository.measured_speed(model or self._model())

    def cancel(self, job_id: int) -> None:
        """Stop a job now (its worker is killed): nothing of it is kept."""
        running = self._running_job(job_id)
        self._set_state(job_id, JobState.CANCELLED)
        if running is not None:
            running.run.cancel()

    def pause(self, job_id: int) -> None:
        running = self._running_job(job_id)
        if running is not None:
            running.run.pause()
            running.paused_at = time.monotonic()
            running.job = replace(running.job, state=JobState.PAUSED)
        self._set_state(job_id, JobState.PAUSED)

    def resume(self, job_id: int) -> None:
        running = self._running_job(job_id)
        if running is not None:
            if running.paused_at is not None:
                running.paused_for += time.monotonic() - running.paused_at
                running.paused_at = None
            running.run.resume()
            running.job = replace(running.job, state=JobState.RUNNING)
            self._set_state(job_id, JobState.RUNNING)
        else:
            self._set_state(job_id, JobState.QUEUED)
            self._wake.set()

    def retry(self, job_id: int) -> None:
        """Run a failed or cancelled job again, from the start."""
        job = self._repository.job(job_id)
        if job is None or job.state not in (JobState.FAILED, JobState.CANCELLED, JobState.DONE):
            return
        self._repository.update_job(job_id, JobState.QUEUED, progress_ms=0, work_seconds=0)
        self._notify(job_id)
        self._wake.set()

    def remove(self, job_id: int) -> None:
        """Forget a finished job (a running one is cancelled first)."""
        self.cancel(job_id)
        self._repository.remove_job(job_id)

    def stop_removed(self) -> list[TranscriptionJob]:
        """Stop the running job if its episode was removed (an unsubscribe deletes the episodes
        with their jobs and transcripts); the jobs there are now."""
        with self._lock:
            running = self._running
        if running is not None and self._repository.job(running.job.id) is None:
            running.run.cancel()
        return self.jobs()

    def shutdown(self) -> None:
        """Stop the worker; its job runs again from the start next time."""
        with self._lock:
            self._stopping = True
            running = self._running
            if running is not None:
                running.shutdown = True
        if running is not None:
            running.run.cancel()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # The queue's thread.

    def _loop(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            while True:
                with self._lock:
                    if self._stopping:
                        return
                job = self._repository.next_queued()
                if job is None:
                    break
                try:
                    self._run(job)
                except Exception:  # the queue's thread must outlive any one job
                    log.exception("Transcription job %s could not be run", job.id)
                    self._give_up(job.id)

    def _run(self, job: TranscriptionJob) -> None:
        from podplayer.core.transcription.runner import WorkerRun  # subprocess: not at start

        source = self._source_for(job.episode_id)
        if not source:
            self._finish(job.id, JobState.FAILED, error=NO_AUDIO_MESSAGE)
            return
        request = JobRequest(
            source=source.location,
            expected_ms=source.expected_ms,
            model=job.model,
            cache_dir=str(self._cache_dir),
            language=job.language or None,
            threads=self._threads,
        )
        job = replace(job, state=JobState.RUNNING, progress_ms=0, work_seconds=0.0, error="")
        running = _Running(job, WorkerRun(request, lambda event: self._on_event(running, event)))
        with self._lock:
            if self._stopping:
                return
            self._running = running
        self._repository.update_job(job.id, JobState.RUNNING, progress_ms=0, work_seconds=0)
        self._changed(job)
        try:
            result = running.run.run()
        finally:
            with self._lock:
                self._running = None
        self._judge(running, result)

    def _judge(self, running: _Running, result: RunResult) -> None:
        job = running.job
        work = running.work_seconds()
        if running.shutdown:
            state = JobState.PAUSED if job.state is JobState.PAUSED else JobState.QUEUED
            self._repository.update_job(job.id, state, progress_ms=0, work_seconds=0)
            return
        if result.cancelled:
            self._notify(job.id)
            return
        if not result.succeeded:
            self._finish(job.id, JobState.FAILED, error=result.error, work_seconds=work)
            return
        try:
            self._generated.save(job.episode_id, result.cues, job.model, result.language)
        except TranscriptSaveError as exc:
            self._finish(job.id, JobState.FAILED, error=str(exc), work_seconds=work)
            return
        self._finish(
            job.id,
            JobState.DONE,
            progress_ms=result.duration_ms,
            duration_ms=result.duration_ms,
            language=result.language,
            work_seconds=work,
        )

    def _on_event(self, running: _Running, event: dict[str, object]) -> None:
        kind = event.get("event")
        job = running.job
        if kind == "stage":
            job = replace(job, stage=STAGES.get(str(event.get("stage")), ""))
        elif kind == "model_progress" and event.get("total"):
            done, total = int(str(event["done"])), int(str(event["total"]))
            job = replace(job, stage=f"Fetching the speech model: {100 * done // total}%")
        elif kind == "audio":
            job = replace(job, duration_ms=int(str(event["duration_ms"])))
        elif kind == "cue":
            from podplayer.core.transcription.protocol import cue_from_event

            cue = cue_from_event(event)
            job = replace(job, progress_ms=cue.end_ms or cue.start_ms or 0)
            for listener in self.listeners:
                listener.cue_made(job.episode_id, cue)
        else:
            return
        job.work_seconds = running.work_seconds()
        running.job = job
        if time.monotonic() - running.saved_at > PROGRESS_SAVE_INTERVAL_S:
            running.saved_at = time.monotonic()
            if not self._repository.update_job(
                job.id,
                job.state,
                progress_ms=job.progress_ms,
                duration_ms=job.duration_ms,
                work_seconds=job.work_seconds,
            ):
                running.run.cancel()  # its episode is gone (unsubscribed, maybe in the shell)
                return
        self._changed(job)

    # Inside.

    def _give_up(self, job_id: int) -> None:
        """After an unexpected error: the job fails with a sentence rather than stay 'running'."""
        try:
            self._finish(job_id, JobState.FAILED, error=UNEXPECTED_MESSAGE)
        except Exception:
            log.exception("Transcription job %s could not be marked as failed", job_id)

    def _running_job(self, job_id: int) -> _Running | None:
        with self._lock:
            running = self._running
        return running if running is not None and running.job.id == job_id else None

    def _set_state(self, job_id: int, state: JobState) -> None:
        job = self._repository.job(job_id)
        if job is None or job.state in (JobState.DONE, JobState.FAILED, JobState.CANCELLED):
            return
        self._repository.update_job(job_id, state)
        self._notify(job_id)

    def _finish(self, job_id: int, state: JobState, **fields: object) -> None:
        self._repository.update_job(job_id, state, **fields)  # type: ignore[arg-type]
        self._notify(job_id)

    def _notify(self, job_id: int) -> None:
        job = self._repository.job(job_id)
        if job is not None:
            self._changed(job)

    def _changed(self, job: TranscriptionJob) -> None:
        for listener in self.listeners:
            listener.job_changed(job)
