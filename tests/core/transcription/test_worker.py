"""The real model in a real worker process: accuracy on the demo and on espeak-ng speech, timing,
streaming through the HTTP client, and every way a job can fail (a sentence, never a traceback)."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
import wave
from itertools import pairwise
from pathlib import Path

import numpy as np

from podplayer.core.models import Cue
from podplayer.core.transcription.protocol import JobRequest
from podplayer.core.transcription.runner import KILLED_MESSAGE, RunResult, WorkerRun
from tests.http_server import TestHttpServer
from tests.speech import TruthCue, start_errors_ms, vtt_truth, word_error_rate

DEMO = Path(__file__).resolve().parents[3] / "resources" / "demo"


def transcribe(source: str | Path, model: Path, cache: Path, **fields: object) -> RunResult:
    request = JobRequest(str(source), str(model), str(cache), **fields)  # type: ignore[arg-type]
    return WorkerRun(request).run()


def assert_matches_truth(cues: list[Cue], truth: list[TruthCue]) -> None:
    wer = word_error_rate(" ".join(t.text for t in truth), " ".join(c.text for c in cues))
    assert wer <= 0.15, f"word error rate {wer:.2f}"
    errors = start_errors_ms(truth, cues)
    assert max(errors) <= 500, errors
    # Every truth line has a generated line starting near it (nothing is lost).
    assert all(min(abs((c.start_ms or 0) - t.start_ms) for c in cues) <= 500 for t in truth)
    words = [word for cue in cues for word in cue.words]
    assert len(words) >= len(" ".join(t.text for t in truth).split()) * 0.8
    assert all(a.start_ms <= b.start_ms for a, b in pairwise(words))
    assert all(w.start_ms <= w.end_ms for w in words)
    assert all(cue.words and cue.words[0].start_ms == cue.start_ms for cue in cues)


def test_the_demo_episode_matches_its_webvtt(base_model_dir: Path, tmp_path: Path) -> None:
    result = transcribe(DEMO / "welcome.mp3", base_model_dir, tmp_path)
    assert result.succeeded, result.error
    assert result.language == "en"  # detected: the request gave none
    assert 50_000 < (result.duration_ms or 0) < 51_000
    assert_matches_truth(result.cues, vtt_truth(DEMO / "welcome.vtt"))


def test_espeak_sentences_between_known_pauses_streamed_over_http(
    base_model_dir: Path,
    speech_wav: tuple[Path, list[TruthCue]],
    http_server: TestHttpServer,
    tmp_path: Path,
) -> None:
    path, truth = speech_wav
    http_server.route("/episode.wav", body=path.read_bytes(), content_type="audio/wav")
    cache = tmp_path / "cache"
    result = transcribe(http_server.url("/episode.wav"), base_model_dir, cache, language="en")
    assert result.succeeded, result.error
    assert_matches_truth(result.cues, truth)
    assert list(cache.iterdir()) == []  # the spooled stream is gone


def _silence(path: Path, seconds: int) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(np.zeros(seconds * 16000, dtype=np.int16).tobytes())
    return path


def test_bad_audio_fails_with_a_sentence(base_model_dir: Path, tmp_path: Path) -> None:
    silent = transcribe(_silence(tmp_path / "silent.wav", 8), base_model_dir, tmp_path)
    assert silent.error == "No speech was found in this audio, so there is nothing to transcribe."
    assert silent.cues == []
    fake = tmp_path / "episode.mp3"
    fake.write_bytes(b"<!doctype html><title>Gone</title>" * 100)
    assert "not an audio file" in transcribe(fake, base_model_dir, tmp_path).error
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    assert "empty (0 bytes)" in transcribe(empty, base_model_dir, tmp_path).error
    cut = tmp_path / "cut.mp3"
    whole = (DEMO / "welcome.mp3").read_bytes()
    cut.write_bytes(whole[: len(whole) // 2])
    assert "incomplete" in transcribe(cut, base_model_dir, tmp_path).error


def test_missing_partial_and_damaged_models_fail_with_a_sentence(
    base_model_dir: Path, tmp_path: Path
) -> None:
    audio = DEMO / "welcome.mp3"
    missing = transcribe(audio, tmp_path / "no-such-model", tmp_path)
    assert "does not exist" in missing.error
    partial = tmp_path / "partial"
    partial.mkdir()
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        shutil.copy(base_model_dir / name, partial / name)
    assert "incomplete (missing model.bin)" in transcribe(audio, partial, tmp_path).error
    damaged = tmp_path / "damaged"
    shutil.copytree(partial, damaged)
    with (base_model_dir / "model.bin").open("rb") as source:
        (damaged / "model.bin").write_bytes(source.read(3_000_000))  # cut short
    assert "could not be loaded: it is damaged" in transcribe(audio, damaged, tmp_path).error


def _run_until(run: WorkerRun, stage: str) -> tuple[threading.Thread, list[RunResult]]:
    """Start ``run`` on a thread; return once the worker reports ``stage``."""
    reached = threading.Event()
    results: list[RunResult] = []
    run.on_event = lambda event: reached.set() if event.get("stage") == stage else None
    thread = threading.Thread(target=lambda: results.append(run.run()))
    thread.start()
    assert reached.wait(30), f"the worker never reached {stage}"
    return thread, results


def test_cancel_stops_the_worker_within_a_second(base_model_dir: Path, tmp_path: Path) -> None:
    run = WorkerRun(JobRequest(str(DEMO / "welcome.mp3"), str(base_model_dir), str(tmp_path)))
    thread, results = _run_until(run, "recognizing")
    pid = run.pid
    asked = time.monotonic()
    run.cancel()
    thread.join(5)
    assert time.monotonic() - asked < 1.0
    assert results[0].cancelled and not results[0].error and not results[0].succeeded
    assert pid is not None and not Path(f"/proc/{pid}").exists()


def test_a_killed_worker_costs_only_the_job(
    base_model_dir: Path, short_speech: Path, tmp_path: Path
) -> None:
    run = WorkerRun(JobRequest(str(DEMO / "welcome.mp3"), str(base_model_dir), str(tmp_path)))
    thread, results = _run_until(run, "recognizing")
    assert run.pid is not None
    os.kill(run.pid, signal.SIGKILL)  # as the out-of-memory killer would
    thread.join(10)
    assert results[0].error == KILLED_MESSAGE and not results[0].cancelled
    # The next job runs as if nothing happened.
    again = transcribe(short_speech, base_model_dir, tmp_path)
    assert again.succeeded and len(again.cues) == 2


def test_a_bundled_app_starts_its_worker_with_a_hidden_option() -> None:
    import json
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "podplayer", "--transcription-worker"],
        input=b"not a request\n",
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "event": "failed",
        "message": "The transcription worker got a request it did not understand.",
    }
