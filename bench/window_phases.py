"""Where the window's start goes: build_services, MainWindow(), show(), the first paint, idle RSS.

Runs ``podplayer.app.run_gui`` (the real run_window) in a child process per run, with timestamps
around its steps, for three generated libraries: the demo (first run), 500 podcasts x 200
episodes with a downloads folder, and 60 podcasts with cached 256 px artwork. "painted" is the
end of the first frame's paint events; RSS and threads are read 3 s after the start. Prints
medians; asserts nothing.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m bench.window_phases [--runs 5]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUIT_AFTER_MS = 3000
PHASES: dict[str, Callable[[dict[str, float]], float]] = {
    "build_services": lambda m: m["services done"] - m["services start"],
    "MainWindow()": lambda m: m["window done"] - m["window start"],
    "show()": lambda m: m["show done"] - m["window done"],
    "services->show": lambda m: m["show done"] - m["services start"],
    "show->painted": lambda m: m["painted"] - m["show done"],
    "services->painted": lambda m: m["painted"] - m["services start"],
}


def child(data_dir: str) -> None:
    """One start of the app, instrumented; prints its marks (ms) as one JSON line."""
    started = time.perf_counter()
    marks: dict[str, float] = {}

    def mark(name: str) -> None:
        marks.setdefault(name, (time.perf_counter() - started) * 1000)

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    import podplayer.app as app_module
    import podplayer.gui.launch as launch
    from podplayer.gui.views.main_window import MainWindow

    build_services = app_module.build_services
    paints: list[float] = []

    class PaintClock(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                paints.append((time.perf_counter() - started) * 1000)
            return False

    clock = PaintClock()

    def timed_services(*args: Any, **kwargs: Any) -> Any:
        mark("services start")
        services = build_services(*args, **kwargs)
        mark("services done")
        return services

    def timed_window(services: Any) -> Any:
        mark("window start")
        window = MainWindow(services)
        mark("window done")
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(clock)
        show = window.show

        def timed_show() -> None:
            show()
            mark("show done")

        window.show = timed_show  # type: ignore[method-assign]
        QTimer.singleShot(QUIT_AFTER_MS, app.quit)
        return window

    app_module.build_services = timed_services
    setattr(launch, "MainWindow", timed_window)  # noqa: B010  (the name run_window builds)
    app_module.run_gui(data_dir)
    first_frame = paints[:1]
    for earlier, later in itertools.pairwise(paints):
        if later - earlier > 5:  # the next frame (data that arrived after the first paint)
            break
        first_frame.append(later)
    marks["painted"] = first_frame[-1] if first_frame else float("nan")
    status = Path("/proc/self/status").read_text().splitlines()
    marks["rss_mb"] = (
        next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024
    )
    marks["threads"] = len(os.listdir("/proc/self/task"))
    print(json.dumps(marks))


def _libraries(root: Path) -> dict[str, Path]:
    """The demo (first run), a big library with a downloads folder, one with cached artwork."""
    from PySide6.QtCore import QCryptographicHash, Qt
    from PySide6.QtGui import QGuiApplication, QImage

    from podplayer.core.paths import AppPaths
    from podplayer.core.storage.library import Library
    from tests.library_factory import fill_library

    QGuiApplication([sys.argv[0], "-platform", "offscreen"])
    folders = {
        "demo (first run)": root / "demo",
        "500 podcasts / 100,000 episodes": root / "big",
        "60 podcasts with artwork": root / "artwork",
    }
    big = AppPaths.in_folder(folders["500 podcasts / 100,000 episodes"])
    big.create()
    library = Library.open(big.database)
    fill_library(library, 500, 200)
    library.close()
    for number in range(0, 500, 10):  # a downloads folder, as after some downloads
        (big.downloads_dir / f"Podcast {number:04d}").mkdir(parents=True)
    art = AppPaths.in_folder(folders["60 podcasts with artwork"])
    art.create()
    library = Library.open(art.database)
    picture = QImage(str(ROOT / "resources" / "demo" / "artwork.png")).scaled(
        256, 256, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    art.artwork_cache_dir.mkdir(parents=True, exist_ok=True)
    for podcast_id in fill_library(library, 60, 50):
        podcast = library.podcasts.get(podcast_id)
        assert podcast is not None
        podcast.image_url = f"http://127.0.0.1:9/art/{podcast_id}.png"
        library.podcasts.update(podcast)
        sha256 = QCryptographicHash.Algorithm.Sha256
        key = bytes(QCryptographicHash.hash(podcast.image_url.encode(), sha256).toHex().data())
        picture.save(str(art.artwork_cache_dir / f"podcast-{podcast_id}-{key.decode()[:16]}.png"))
    library.settings.set("demo.offered", True)
    library.close()
    return folders


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    if not os.environ.get("DISPLAY"):
        print("Needs an X display: run under xvfb-run.")
        return 2
    env = {**os.environ, "PODPLAYER_HOME": ""}
    with tempfile.TemporaryDirectory(prefix="podplayer-phases-") as scratch:
        for name, folder in _libraries(Path(scratch)).items():
            samples = []
            for run in range(args.runs + 1):  # the first run warms caches (and takes the demo)
                result = subprocess.run(
                    [sys.executable, "-m", "bench.window_phases", "--child", str(folder)],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                if run:
                    samples.append(json.loads(result.stdout.splitlines()[-1]))
            figures = "; ".join(
                f"{phase} {statistics.median(measure(s) for s in samples):.0f} ms"
                for phase, measure in PHASES.items()
            )
            rss = statistics.median(s["rss_mb"] for s in samples)
            threads = statistics.median(s["threads"] for s in samples)
            print(f"{name}: {figures}; RSS {rss:.1f} MB, {threads:.0f} threads at 3 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
