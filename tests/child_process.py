"""A test module run as its own Python process; await its printed lines, then kill -9 it."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


class ChildProcess:
    """``python -m MODULE ARGS`` from the repository root; its stdout lines are collected."""

    def __init__(self, module: str, *args: str) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.pid = self._process.pid
        self._lines: queue.Queue[str] = queue.Queue()
        self.seen: set[str] = set()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._lines.put(line.strip())

    def wait_for_lines(self, wanted: set[str], timeout_s: float) -> bool:
        """True once every wanted line was printed; False when the time is up first."""
        deadline = time.monotonic() + timeout_s
        while not wanted <= self.seen and time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                self.seen.add(self._lines.get(timeout=0.1))
        return wanted <= self.seen

    def kill_hard(self) -> int:
        """SIGKILL (no cleanup runs in the child, as in a power cut); its exit code comes back."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._process.pid, signal.SIGKILL)
        return self._process.wait(10)
