"""The persisted queue with a real library file and the real model: one job at a time, pause,
cancel, retry, restart with a queued job, a killed worker; a feed's transcript still wins."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from podplayer.core.http import HttpClient
from podplayer.core.models import Cue, Episode, Podcast, TranscriptRef, Word
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from podplayer.core.storage.transcription import TranscriptionRepository
from podplayer.core.transcription.episode_audio import EpisodeAudio
from podplayer.core.transcription.generated import GeneratedTranscripts
from podplayer.core.transcription.jobs import MADE_HERE_FORMAT, JobState, TranscriptionJob
from podplayer.core.transcription.queue import TranscriptionQueue
from podplayer.core.transcription.runner import KILLED_MESSAGE, WORKER_MODULE
from podplayer.core.transcripts.store import TranscriptStore
from podplayer.core.transcripts.timeline import Transcript
from tests.http_server import TestHttpServer

DEMO = Path(__file__).resolve().parents[3] / "resources" / "demo"


def worker_pid() -> int:
    """The transcription worker this test started, found as `ps` would find it."""
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines())
            command = (status.parent / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if int(fields.get("PPid", "0")) == os.getpid() and WORKER_MODULE.encode() in command:
            return int(status.parent.name)
    raise AssertionError("no worker process")


class Recorder:
    """A queue listener that lets a test wait for a job's state."""

    def __init__(self) -> None:
        self.changes: list[TranscriptionJob] = []
        self.cues: list[tuple[int, Cue]] = []
        self._condition = threading.Condition()

    def job_changed(self, job: TranscriptionJob) -> None:
        with self._condition:
            self.changes.append(job)
            self._condition.notify_all()

    def cue_made(self, episode_id: int, cue: Cue) -> None:
        self.cues.append((episode_id, cue))

    def wait_for(self, job_id: int, *states: JobState, timeout: float = 60) -> TranscriptionJob:
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                for job in reversed(self.changes):
                    if job.id == job_id:
                        if job.state in states:
                            return job
                        break
                left = deadline - time.monotonic()
                assert left > 0, f"job {job_id} never reached {states}: {self.changes[-3:]}"
                self._condition.wait(left)


class Setup:
    def __init__(self, paths: AppPaths, model: Path) -> None:
        self.paths = paths
        self.model = model
        self.library = Library.open(paths.database)
        self.repository = TranscriptionRepository(self.library.db)
        self.generated = GeneratedTranscripts(self.repository)
        self.saved: list[int] = []
        self.generated.saved_listeners.append(lambda episode_id, _: self.saved.append(episode_id))
        podcast = self.library.podcasts.add(Podcast(url="http://127.0.0.1/f.xml", title="P"))
        assert podcast.id is not None
        self.podcast_id = podcast.id
        self.files: dict[int, Path] = {}
        self.short = DEMO / "welcome.mp3"

    def episode(self, audio: Path, **fields: object) -> int:
        episode = self.library.episodes.add(
            Episode(podcast_id=self.podcast_id, guid=str(audio) + str(fields), **fields)  # type: ignore[arg-type]
        )
        assert episode.id is not None
        self.files[episode.id] = audio
        return episode.id

    def queue(self) -> tuple[TranscriptionQueue, Recorder]:
        queue = TranscriptionQueue(
            self.repository,
            self.generated,
            source_for=lambda i: (
                EpisodeAudio(str(self.files[i]), None) if i in self.files else None
            ),
            language_for=lambda _: "en",
            cache_dir=self.paths.cache_dir,
            model=lambda: str(self.model),
        )
        recorder = Recorder()
        queue.listeners.append(recorder)
        return queue, recorder


@pytest.fixture
def setup(app_paths: AppPaths, base_model_dir: Path, short_speech: Path) -> Iterator[Setup]:
    made = Setup(app_paths, base_model_dir)
    made.short = short_speech
    yield made
    made.library.close()


def test_a_job_runs_to_a_stored_transcript_that_the_store_reads(
    setup: Setup, http_server: TestHttpServer
) -> None:
    episode_id = setup.episode(setup.short)
    queue, recorder = setup.queue()
    queue.start()
    try:
        job = queue.add(episode_id)
        assert queue.add(episode_id).id == job.id  # queued once
        done = recorder.wait_for(job.id, JobState.DONE, JobState.FAILED)
    finally:
        queue.shutdown()
    assert done.state is JobState.DONE, done.error
    assert done.progress_ms == done.duration_ms and done.work_seconds > 0
    assert done.language == "en"
    running = [c for c in recorder.changes if c.state is JobState.RUNNING and c.progress_ms]
    assert running and running[0].progress_ms < running[-1].progress_ms  # progress as it goes
    assert len(recorder.cues) == 2  # lines came one by one, as they were made
    assert setup.saved == [episode_id]  # the one place a finished transcript is saved
    assert setup.repository.measured_speed(str(setup.model)) is not None

    stored = setup.generated.transcript_for(episode_id)
    assert stored is not None and stored.format_name == MADE_HERE_FORMAT
    assert "fox" in stored.cues[0].text and stored.cues[0].words
    episode = setup.library.episodes.get(episode_id)
    assert episode is not None
    http_server.route("/t.vtt", body=(DEMO / "welcome.vtt").read_bytes(), content_type="text/vtt")
    client = HttpClient()
    try:
        store = TranscriptStore(setup.paths.transcripts_cache_dir, client)
        store.generated = setup.generated
        assert store.transcript_for(episode).format_name == MADE_HERE_FORMAT
        # A feed's transcript that appears later wins; the generated one stays for when it fails.
        episode.transcripts = [TranscriptRef(http_server.url("/t.vtt"), "text/vtt")]
        assert store.transcript_for(episode).format_name == "WebVTT"
        episode.transcripts = [TranscriptRef(http_server.url("/missing.vtt"), "text/vtt")]
        assert store.transcript_for(episode).format_name == MADE_HERE_FORMAT
    finally:
        client.close()
    setup.generated.delete(episode_id)
    assert setup.generated.transcript_for(episode_id) is None


def test_the_queue_survives_a_restart(setup: Setup) -> None:
    first = setup.episode(setup.short)
    second = setup.episode(setup.short, title="again")
    queue, recorder = setup.queue()
    queue.start()
    running = queue.add(first)
    recorder.wait_for(running.id, JobState.RUNNING)
    waiting = queue.add(second)
    queue.shutdown()  # the app quits mid-job
    jobs = {job.id: job for job in setup.repository.jobs()}
    assert jobs[running.id].state is JobState.QUEUED and jobs[waiting.id].state is JobState.QUEUED
    assert setup.generated.transcript_for(first) is None  # nothing half-written

    later, recorder = setup.queue()  # the next start
    later.start()
    try:
        assert recorder.wait_for(running.id, JobState.DONE).state is JobState.DONE
        assert recorder.wait_for(waiting.id, JobState.DONE).state is JobState.DONE
    finally:
        later.shutdown()
    order = [c.id for c in recorder.changes if c.state is JobState.RUNNING]
    assert order.index(running.id) < order.index(waiting.id)  # one at a time, in order


def test_pause_cancel_retry_and_a_killed_worker(setup: Setup) -> None:
    episode_id = setup.episode(setup.short)
    queue, recorder = setup.queue()
    queue.start()
    try:
        job = queue.add(episode_id)
        recorder.wait_for(job.id, JobState.RUNNING)
        queue.pause(job.id)
        paused = queue.running_job()
        assert paused is not None and paused.state is JobState.PAUSED
        queue.resume(job.id)
        asked = time.monotonic()
        queue.cancel(job.id)
        assert recorder.wait_for(job.id, JobState.CANCELLED, timeout=5).state is JobState.CANCELLED
        while queue.running_job() is not None:
            time.sleep(0.02)
        assert time.monotonic() - asked < 1.0
        assert setup.generated.transcript_for(episode_id) is None

        queue.retry(job.id)
        recorder.wait_for(job.id, JobState.RUNNING)
        while (live := queue.running_job()) is None or not live.duration_ms:
            time.sleep(0.05)
        os.kill(worker_pid(), signal.SIGKILL)  # as the out-of-memory killer would
        failed = recorder.wait_for(job.id, JobState.FAILED, timeout=10)
        assert failed.error == KILLED_MESSAGE

        queue.retry(job.id)
        assert recorder.wait_for(job.id, JobState.DONE).state is JobState.DONE
        assert setup.generated.transcript_for(episode_id) is not None
    finally:
        queue.shutdown()


def test_an_episode_without_audio_fails_with_a_sentence(setup: Setup) -> None:
    episode = setup.library.episodes.add(Episode(podcast_id=setup.podcast_id, guid="none"))
    assert episode.id is not None
    queue, recorder = setup.queue()
    queue.start()
    try:
        job = queue.add(episode.id)
        failed = recorder.wait_for(job.id, JobState.FAILED, timeout=10)
    finally:
        queue.shutdown()
    assert failed.error == "This episode has no audio to transcribe."


def test_new_episodes_of_chosen_podcasts_are_queued_by_themselves(setup: Setup) -> None:
    old = setup.episode(DEMO / "welcome.mp3", published=time.time() - 86400)
    setup.repository.set_automatic(setup.podcast_id, True)
    new = setup.episode(DEMO / "welcome.mp3", published=time.time() + 1)
    with_own = setup.library.episodes.add(
        Episode(
            podcast_id=setup.podcast_id,
            guid="own",
            published=time.time() + 2,
            transcripts=[TranscriptRef("http://127.0.0.1/t.vtt", "text/vtt")],
        )
    )
    queue, _ = setup.queue()
    added = queue.add_automatic(None)
    assert [job.episode_id for job in added] == [new]
    assert old != new and with_own.id not in [job.episode_id for job in added]
    assert queue.add_automatic(None) == []  # never twice
    setup.repository.set_automatic(setup.podcast_id, False)


def test_a_saved_transcript_is_found_by_the_search_unless_the_feeds_is_indexed(
    setup: Setup,
) -> None:
    from podplayer.core.search.index import SearchIndex
    from podplayer.core.storage.search import SOURCE_PUBLISHED, SearchRepository
    from podplayer.core.transcription.generated import index_in_search

    search = SearchIndex(SearchRepository(setup.library.db))
    setup.generated.saved_listeners.append(index_in_search(search))
    made_here, published = setup.episode(setup.short), setup.episode(setup.short, title="own")
    search.index_transcript(published, [Cue(0, 900, "Zebras graze.")], source=SOURCE_PUBLISHED)
    words = (Word(0, 400, "Marmalade"), Word(450, 900, "sandwiches."))
    for episode_id in (made_here, published):
        setup.generated.save(
            episode_id, [Cue(0, 900, "Marmalade sandwiches.", None, words)], "base", "en"
        )
    found = search.search("marmalade")
    assert [result.episode.episode_id for result in found] == [made_here]
    assert found[0].hits[0].start_ms == 0  # a hit plays from its line
    assert [r.episode.episode_id for r in search.search("zebras")] == [published]


def test_generated_transcripts_keep_word_times_through_the_library(setup: Setup) -> None:
    episode_id = setup.episode(DEMO / "welcome.mp3")
    cues = [Cue(0, 900, "Hello there.", None, (Word(0, 400, "Hello"), Word(450, 900, "there.")))]
    transcript = setup.generated.save(episode_id, cues, "base", "en")
    assert isinstance(transcript, Transcript)
    again = setup.generated.transcript_for(episode_id)
    assert again is not None and again.cues == transcript.cues


def test_an_unsubscribe_stops_the_running_job_of_its_episode(setup: Setup) -> None:
    episode_id = setup.episode(setup.short)
    queue, recorder = setup.queue()
    queue.start()
    try:
        job = queue.add(episode_id)
        recorder.wait_for(job.id, JobState.RUNNING)
        queue.pause(job.id)  # it would otherwise finish before the test looks
        pid = worker_pid()
        setup.library.podcasts.delete(setup.podcast_id)  # as unsubscribing does
        asked = time.monotonic()
        assert queue.stop_removed() == []
        while queue.running_job() is not None:
            assert time.monotonic() - asked < 5, "the worker of a removed episode runs on"
            time.sleep(0.02)
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
    finally:
        queue.shutdown()
    assert setup.saved == [] and queue.jobs() == []


def test_a_job_whose_episode_went_in_another_process_stops_at_its_next_report(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    from podplayer.core.transcription import queue as queue_module

    monkeypatch.setattr(queue_module, "PROGRESS_SAVE_INTERVAL_S", 0.0)
    episode_id = setup.episode(setup.short)
    queue, recorder = setup.queue()
    queue.start()
    try:
        job = queue.add(episode_id)
        recorder.wait_for(job.id, JobState.RUNNING)
        queue.pause(job.id)
        other = Library.open(setup.paths.database)  # `podplayer unsubscribe` in a shell
        other.podcasts.delete(setup.podcast_id)
        other.close()
        queue.resume(job.id)
        deadline = time.monotonic() + 10
        while queue.running_job() is not None:
            assert time.monotonic() < deadline, "the worker of a removed episode runs on"
            time.sleep(0.02)
    finally:
        queue.shutdown()
    assert [cue for cue in recorder.cues if cue[0] == episode_id] == []  # stopped before a line
    assert setup.saved == [] and queue.jobs() == []
