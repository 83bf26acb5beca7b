"""The app's side of one worker process: start it, read its events, pause, cancel, judge its end."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from podplayer.core.models import Cue
from podplayer.core.transcription.protocol import JobRequest, cue_from_event

log = logging.getLogger(__name__)

WORKER_MODULE = "podplayer.core.transcription.worker"
KILLED_MESSAGE = (
    "The transcriber stopped unexpectedly (it may have run out of memory or been killed). "
    "Retry, or choose a smaller model."
)

EventCallback = Callable[[dict[str, Any]], None]


@dataclass
class RunResult:
    """How a worker run ended: cues made, or why not."""

    cues: list[Cue] = field(default_factory=list)
    duration_ms: int | None = None
    language: str = ""
    error: str = ""
    cancelled: bool = False

    @property
    def succeeded(self) -> bool:
        return not self.error and not self.cancelled


def worker_command() -> list[str]:
    """How to start a worker: this Python running the worker module (a bundled app, which has
    no `-m`, runs itself with a hidden option)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--transcription-worker"]
    return [sys.executable, "-m", WORKER_MODULE]


class WorkerRun:
    """One job in its own process. ``run`` blocks until it ends; ``cancel`` and ``pause`` may be
    called from any thread (a cancel kills the process at once)."""

    def __init__(self, request: JobRequest, on_event: EventCallback | None = None) -> None:
        self.request = request
        self.on_event = on_event
        """Called with each event on the thread that runs ``run``."""
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._cancelled = False
        self._paused = False
        self._stderr_tail: deque[bytes] = deque(maxlen=40)

    @property
    def cancelled(self) -> bool:
        with self._lock:
            return self._cancelled

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def run(self) -> RunResult:
        result = RunResult()
        with self._lock:
            if self._cancelled:
                result.cancelled = True
                return result
            try:
                self._process = subprocess.Popen(
                    worker_command(),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    env={**os.environ, "PYTHONUNBUFFERED": "1"},
                )
            except OSError as exc:
                result.error = f"The transcriber could not be started ({exc.strerror or exc})."
                return result
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        stderr_reader = threading.Thread(
            target=self._drain, args=(process.stderr,), name="transcriber-stderr", daemon=True
        )
        stderr_reader.start()
        try:
            process.stdin.write(self.request.encode())
            process.stdin.close()
        except OSError:
            pass  # the process died at once; its exit is judged below
        finished = False
        for line in process.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            finished = self._take(event, result) or finished
            if self.on_event is not None:
                self.on_event(event)
        process.wait()
        stderr_reader.join(timeout=2)
        result.cancelled = self.cancelled
        if result.cancelled:
            result.error = ""
        elif not finished:
            log.info(
                "Transcription worker ended with %s: %s",
                process.returncode,
                b"".join(self._stderr_tail).decode(errors="replace")[-2000:],
            )
            result.error = KILLED_MESSAGE
        return result

    @staticmethod
    def _take(event: dict[str, Any], result: RunResult) -> bool:
        """Record ``event`` in ``result``; True when it is the last one (done or failed)."""
        kind = event.get("event")
        if kind == "cue":
            result.cues.append(cue_from_event(event))
        elif kind == "audio":
            result.duration_ms = int(event["duration_ms"])
        elif kind == "language":
            result.language = str(event["code"])
        elif kind == "failed":
            result.error = str(event.get("message") or KILLED_MESSAGE)
            return True
        elif kind == "done":
            return True
        return False

    def _drain(self, stream: IO[bytes] | None) -> None:
        if stream is None:
            return
        for line in stream:
            self._stderr_tail.append(line)

    def cancel(self) -> None:
        """Stop the job now: the process is killed (a paused one too)."""
        with self._lock:
            self._cancelled = True
            process = self._process
        if process is not None and process.poll() is None:
            process.kill()

    def pause(self) -> None:
        """Stop the process where it is (SIGSTOP); ``resume`` lets it go on."""
        self._signal(signal.SIGSTOP, paused=True)

    def resume(self) -> None:
        self._signal(signal.SIGCONT, paused=False)

    @property
    def paused(self) -> bool:
        return self._paused

    def _signal(self, number: int, *, paused: bool) -> None:
        with self._lock:
            process = self._process
            if process is None or process.poll() is not None:
                return
            process.send_signal(number)
            self._paused = paused
