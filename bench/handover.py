"""How long a second launch takes to hand a feed link to the running podplayer and exit.

Prints the median wall time of `python -m podplayer --data-dir D feed://...` against a listening
instance, next to `python -m podplayer --version` (the interpreter's own start) for scale.
Run: .venv/bin/python -m bench.handover
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QProcess

from podplayer.desktop.single_instance import SingleInstance, socket_name

RUNS = 7


def timed_run(arguments: list[str]) -> float:
    """Run podplayer to its end on this event loop; seconds of wall time."""
    process = QProcess()
    loop = QEventLoop()
    process.finished.connect(loop.quit)
    started = time.perf_counter()
    process.start(sys.executable, ["-m", "podplayer", *arguments])
    loop.exec()
    elapsed = time.perf_counter() - started
    if process.exitCode() != 0:
        raise SystemExit(bytes(process.readAllStandardError().data()).decode())
    return elapsed


def main() -> None:
    app = QCoreApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        running = SingleInstance(socket_name(data_dir))
        assert running.listen() == ""
        links: list[str] = []
        running.url_received.connect(links.append)
        handover = [
            timed_run(["--data-dir", str(data_dir), "feed://127.0.0.1/feed.xml"])
            for _ in range(RUNS)
        ]
        version = [timed_run(["--version"]) for _ in range(RUNS)]
        running.close()
    assert len(links) == RUNS, links
    print(f"second launch hands over a link: median {statistics.median(handover) * 1000:.0f} ms")
    print(f"podplayer --version (start-up):  median {statistics.median(version) * 1000:.0f} ms")
    print(f"runs: {RUNS} each; links received by the running instance: {len(links)}")
    del app


if __name__ == "__main__":
    main()
