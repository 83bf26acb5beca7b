"""Transcripts made on this computer, in the window: the pane's offer, the job list, lines that
appear while the playing episode is transcribed, delete and redo, automatic transcription."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from podplayer.background import BackgroundWork
from podplayer.core.models import Cue, Episode
from podplayer.core.settings import (
    TRANSCRIBE_AUTOMATICALLY,
    TRANSCRIBE_SINCE,
    TRANSCRIPTION_MODEL,
    UserSettings,
)
from podplayer.core.storage.library import Library
from podplayer.core.storage.transcription import TranscriptionRepository
from podplayer.core.transcription.generated import GeneratedTranscripts, generated_transcript
from podplayer.core.transcription.jobs import (
    ACTIVE_STATES,
    DEFAULT_SPEED,
    JobState,
    TranscriptionJob,
    describe_duration,
    estimate_seconds,
)
from podplayer.core.transcription.queue import TranscriptionQueue
from podplayer.core.transcripts.timeline import Transcript
from podplayer.gui.transcript_session import TranscriptSession
from podplayer.gui.views.transcript_pane import TranscriptPane
from podplayer.gui.views.transcription_jobs_view import TranscriptionJobsView, job_status

OFFER_TEXT = "Make a transcript on this computer"
MODEL_CHOICES = {
    "tiny": ("Tiny (fastest, least accurate)", "Downloaded on first use (75 MB)"),
    "base": ("Base (the default)", "Comes with podplayer"),
    "small": ("Small (slower, more accurate)", "Downloaded on first use (480 MB)"),
    "medium": ("Medium (slowest, most accurate)", "Downloaded on first use (1.5 GB)"),
}


class TranscriptionSession(QObject):
    """Turns what the user asks into queue calls (slow ones in the background) and shows what
    the queue reports, which arrives on the queue's thread and is handed to the GUI thread."""

    message = Signal(str)
    _job_reported = Signal(object)  # TranscriptionJob, from the queue's thread
    _cue_reported = Signal(int, object)  # episode id, Cue, from the queue's thread

    def __init__(
        self,
        queue: TranscriptionQueue,
        generated: GeneratedTranscripts,
        library: Library,
        settings: UserSettings,
        *,
        transcripts: TranscriptSession,
        pane: TranscriptPane,
        jobs_view: TranscriptionJobsView,
        background: BackgroundWork,
    ) -> None:
        super().__init__()
        self._queue = queue
        self._generated = generated
        self._library = library
        self._settings = settings
        self._repository = TranscriptionRepository(library.db)
        self._transcripts = transcripts
        self._pane = pane
        self._jobs_view = jobs_view
        self._background = background
        self._speed = DEFAULT_SPEED
        self._active: dict[int, TranscriptionJob] = {}  # by episode id
        self._live: dict[int, list[Cue]] = {}  # cues made so far, by episode id
        self._job_reported.connect(self._show_job, Qt.ConnectionType.QueuedConnection)
        self._cue_reported.connect(self._show_cue, Qt.ConnectionType.QueuedConnection)
        queue.listeners.append(self)
        transcripts.transcript_shown.connect(self._transcript_shown)
        pane.transcribe_requested.connect(self.transcribe_shown_episode)
        pane.redo_requested.connect(self.transcribe_shown_episode)
        pane.delete_generated_requested.connect(self.delete_shown_transcript)
        jobs_view.action_requested.connect(self._act)

    # The app's calls.

    def start(self) -> None:
        """Start the queue (after the window is up): jobs of an earlier run go on."""

        def begin() -> list[TranscriptionJob]:
            self._queue.start()
            self.transcribe_new_episodes()
            return self._queue.jobs()

        self._background.submit(begin, on_done=self._show_all)

    def transcribe(self, episode_id: int) -> None:
        self._background.submit(self._queue.add, episode_id, on_done=self._queued)

    def transcribe_episodes(self, episode_ids: list[int]) -> None:
        for episode_id in episode_ids:
            self.transcribe(episode_id)

    def transcribe_shown_episode(self) -> None:
        episode = self._transcripts.episode
        if episode is not None and episode.id is not None:
            self.transcribe(episode.id)

    def delete_shown_transcript(self) -> None:
        episode = self._transcripts.episode
        if episode is None or episode.id is None:
            return
        self._background.submit(
            self._generated.delete, episode.id, on_done=lambda _: self._transcripts.reload()
        )
        self.message.emit("The transcript made on this computer was deleted.")

    def forget_removed_jobs(self) -> None:
        """After an unsubscribe (here or by sync) took episodes with their jobs and transcripts:
        a running job of theirs stops (on a worker) and their jobs leave the list."""
        self._background.submit(self._queue.stop_removed, on_done=self._show_remaining)

    def transcribe_new_episodes(self) -> None:
        """Queue new episodes that podcasts (or the setting for all) ask to transcribe (worker)."""
        since = None
        if self.automatic_everywhere():
            since = self._settings.get(TRANSCRIBE_SINCE)
            if not isinstance(since, int | float):  # switched on from the shell
                since = time.time()
                self._settings.set(TRANSCRIBE_SINCE, since)
        self._queue.add_automatic(float(since) if since is not None else None)

    def after_refresh(self, _results: object) -> None:
        self._background.submit(self.transcribe_new_episodes)

    def automatic_everywhere(self) -> bool:
        return self._settings.get(TRANSCRIBE_AUTOMATICALLY) is True

    def set_automatic_everywhere(self, on: bool) -> None:
        """Episodes published from now on are new; switching off forgets when it began."""
        self._settings.set(TRANSCRIBE_AUTOMATICALLY, on)
        if on:
            self._settings.set(TRANSCRIBE_SINCE, time.time())
        else:
            self._settings.unset(TRANSCRIBE_SINCE)

    def fill_model_menu(self, menu: QMenu) -> None:
        """Settings > Speech model: the named models, or a folder with a faster-whisper model."""
        group = QActionGroup(menu)
        named: dict[str, QAction] = {}
        for name, (label, tooltip) in MODEL_CHOICES.items():
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setToolTip(tooltip)
            action.setStatusTip(tooltip)
            group.addAction(action)
            action.triggered.connect(lambda _=False, name=name: self.choose_model(name))
            named[name] = action
        menu.addSeparator()
        folder = menu.addAction("Model folder…")
        folder.setCheckable(True)
        group.addAction(folder)
        folder.triggered.connect(lambda _=False: self._choose_model_folder(menu))

        def show_chosen() -> None:  # Settings > Transcription may have changed it
            chosen = str(self._settings.get(TRANSCRIPTION_MODEL))
            named.get(chosen, folder).setChecked(True)
            folder.setToolTip(chosen if chosen not in named else "A faster-whisper model")

        show_chosen()
        menu.aboutToShow.connect(show_chosen)

    def choose_model(self, name: str) -> None:
        self._settings.set(TRANSCRIPTION_MODEL, name)
        self._speed = self._queue.speed(name) or DEFAULT_SPEED
        self._jobs_view.speed = self._speed
        self.message.emit(f"New transcripts will be made with the {name} model.")

    def _choose_model_folder(self, parent: QWidget) -> None:
        from PySide6.QtWidgets import QFileDialog

        from podplayer.core.transcription.speech_models import ModelError, check_model_folder

        folder = QFileDialog.getExistingDirectory(parent, "Choose a faster-whisper model folder")
        if not folder:
            return
        try:
            check_model_folder(Path(folder))
        except ModelError as exc:
            self.message.emit(str(exc))
            return
        self.choose_model(folder)

    def automatic_for(self, podcast_id: int) -> bool:
        return podcast_id in self._repository.automatic_podcasts()

    def set_automatic_for(self, podcast_id: int, on: bool) -> None:
        self._repository.set_automatic(podcast_id, on)

    # The queue's listener (called on the queue's thread).

    def job_changed(self, job: TranscriptionJob) -> None:
        self._job_reported.emit(job)

    def cue_made(self, episode_id: int, cue: Cue) -> None:
        self._cue_reported.emit(episode_id, cue)

    # On the GUI thread.

    def _show_all(self, jobs: list[TranscriptionJob]) -> None:
        self._speed = self._queue.speed() or DEFAULT_SPEED
        self._jobs_view.speed = self._speed
        for job in jobs:
            self._show_job(job)

    def _show_remaining(self, jobs: list[TranscriptionJob]) -> None:
        episodes = {job.episode_id for job in jobs}
        for gone in [episode_id for episode_id in self._active if episode_id not in episodes]:
            self._active.pop(gone)
            self._live.pop(gone, None)
        self._jobs_view.show_only(jobs)

    def _queued(self, job: TranscriptionJob) -> None:
        self._show_job(job)
        self.message.emit("Making a transcript on this computer; see the Downloads tab.")

    def _show_job(self, job: TranscriptionJob) -> None:
        self._jobs_view.show_job(job)
        if job.state in ACTIVE_STATES:
            self._active[job.episode_id] = job
        else:
            self._active.pop(job.episode_id, None)
            self._live.pop(job.episode_id, None)
        if job.state is JobState.RUNNING and job.progress_ms == 0:
            self._live[job.episode_id] = []
        shown = self._transcripts.episode
        if shown is None or shown.id != job.episode_id:
            return
        if job.state is JobState.DONE:
            self._speed = self._queue.speed() or self._speed
            self._jobs_view.speed = self._speed
            self._transcripts.reload()
        elif self._pane.transcript is not None and self._live.get(job.episode_id):
            self._pane.show_note(f"Being made: {job_status(job, self._speed)}")
        elif self._pane.transcript is None:
            self._offer(shown, job)

    def _show_cue(self, episode_id: int, cue: Cue) -> None:
        cues = self._live.setdefault(episode_id, [])
        cues.append(cue)
        shown = self._transcripts.episode
        if shown is None or shown.id != episode_id:
            return
        job = self._active.get(episode_id)
        note = f"Being made: {job_status(job, self._speed)}" if job else ""
        self._pane.grow_transcript(generated_transcript(cues), note)

    def _transcript_shown(self, episode: Episode, transcript: Transcript) -> None:
        if transcript.readable or episode.id is None:
            return
        cues = self._live.get(episode.id)
        if cues:
            self._pane.grow_transcript(generated_transcript(cues))
            return
        self._offer(episode, self._active.get(episode.id))

    def _offer(self, episode: Episode, job: TranscriptionJob | None) -> None:
        """Under 'no transcript': the offer with its time, or how the job for it stands."""
        if job is not None and job.state in ACTIVE_STATES:
            self._pane.set_offer(
                None, f"A transcript is being made: {job_status(job, self._speed)}"
            )
            return
        if job is not None and job.state is JobState.FAILED:
            self._pane.set_offer("Try again", f"Making a transcript failed. {job.error}")
            return
        seconds = estimate_seconds(episode.duration_s, self._speed)
        detail = (
            f"It takes {describe_duration(seconds)} on this computer, in the background. "
            if seconds is not None
            else "It takes about a tenth of the episode's length, in the background. "
        )
        self._pane.set_offer(OFFER_TEXT, detail + "No audio is sent anywhere.")

    def _act(self, action: str, job_id: int) -> None:
        queue = self._queue
        commands = {
            "pause": queue.pause,
            "resume": queue.resume,
            "cancel": queue.cancel,
            "retry": queue.retry,
        }
        if action == "remove":
            self._jobs_view.forget_job(job_id)
            self._background.submit(queue.remove, job_id)
        else:
            self._background.submit(commands[action], job_id)
