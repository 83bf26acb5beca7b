"""Startup benchmark: time from process start to the main window shown, and idle RSS.

podplayer with an empty library (demo podcast) and with a generated library of 500 podcasts and
100,000 episodes; gPodder (when installed) with 50 feeds served on 127.0.0.1. Each app runs under
one Xvfb display; "shown" means X reports its top-level window viewable (xwininfo). Prints figures
and ratios; asserts nothing.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m bench.startup [--runs 3]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import podplayer
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from tests.http_server import TestHttpServer
from tests.library_factory import fill_library

IDLE_SECONDS = 3.0
SHOW_TIMEOUT_S = 30.0
GPODDER_FEEDS = 50
GPODDER_ITEMS = 200


@dataclass
class Sample:
    shown_s: float
    rss_mb: float


def _viewable(title: str) -> bool:
    """True once any top-level window with this exact title is mapped and viewable."""
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree"], capture_output=True, text=True, check=False
    ).stdout
    for line in tree.splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2 and parts[1].startswith(f'"{title}"'):
            info = subprocess.run(
                ["xwininfo", "-id", parts[0]], capture_output=True, text=True, check=False
            ).stdout
            if "IsViewable" in info:
                return True
    return False


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (gPodder's launcher execs into python)."""
    total_kb = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def _measure(command: list[str], title: str, env: dict[str, str]) -> Sample:
    started = time.monotonic()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while not _viewable(title):
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode} before showing")
            if time.monotonic() - started > SHOW_TIMEOUT_S:
                raise RuntimeError(f"{title} did not show within {SHOW_TIMEOUT_S:.0f} s")
            time.sleep(0.01)
        shown = time.monotonic() - started
        time.sleep(IDLE_SECONDS)
        return Sample(shown, _rss_mb(process.pid))
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _podplayer(data_dir: Path) -> list[str]:
    return [sys.executable, "-m", "podplayer", "--data-dir", str(data_dir)]


def _feed(number: int) -> bytes:
    items = "".join(
        f"<item><guid>f{number}-i{i}</guid><title>Episode {i} of feed {number}</title>"
        f"<pubDate>Mon, 0{1 + i % 9} Jan 2024 10:00:00 +0000</pubDate>"
        f'<enclosure url="http://127.0.0.1/audio/{number}/{i}.mp3" type="audio/mpeg" '
        f'length="1000"/><description>Notes for episode {i}.</description></item>'
        for i in range(GPODDER_ITEMS)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {number}</title>'
        f"<link>http://127.0.0.1/</link><description>Generated</description>{items}"
        "</channel></rss>"
    ).encode()


def _gpodder_home(root: Path, server: TestHttpServer) -> Path:
    """A GPODDER_HOME subscribed (through ``gpo import``) to the generated feeds."""
    home = root / "gpodder"
    home.mkdir()
    outlines = "".join(
        f'<outline type="rss" text="Feed {n}" xmlUrl="{server.url(f"/feed/{n}.xml")}"/>'
        for n in range(GPODDER_FEEDS)
    )
    opml = root / "feeds.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')
    env = {**os.environ, "GPODDER_HOME": str(home)}
    run = {"env": env, "capture_output": True, "text": True, "check": True, "timeout": 600}
    subprocess.run(["gpo", "import", str(opml)], **run)  # type: ignore[call-overload]
    listed = subprocess.run(["gpo", "list"], **run).stdout  # type: ignore[call-overload]
    subscribed = sum("127.0.0.1" in line for line in listed.splitlines())
    if subscribed != GPODDER_FEEDS:
        raise RuntimeError(f"gPodder subscribed to {subscribed} of {GPODDER_FEEDS} feeds")
    return home


def _summary(name: str, samples: list[Sample]) -> tuple[float, float]:
    shown = statistics.median(s.shown_s for s in samples)
    rss = statistics.median(s.rss_mb for s in samples)
    runs = ", ".join(f"{s.shown_s:.2f}" for s in samples)
    print(f"{name:<44} shown {shown:5.2f} s (runs: {runs})  idle RSS {rss:6.1f} MB")
    return shown, rss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("xwininfo") is None or not os.environ.get("DISPLAY"):
        print("Needs an X display (run under xvfb-run) and xwininfo (Debian package x11-utils).")
        return 2
    # Measured as installed: with its bytecode compiled (a shell with PYTHONDONTWRITEBYTECODE=1
    # would otherwise recompile every changed module on every start, ~100 ms).
    compileall.compile_dir(Path(podplayer.__file__).parent, quiet=1)
    env = {**os.environ, "PODPLAYER_HOME": ""}
    with tempfile.TemporaryDirectory(prefix="podplayer-bench-") as scratch:
        root = Path(scratch)
        empty = root / "empty"
        big = root / "big"
        paths = AppPaths.in_folder(big)
        paths.create()
        library = Library.open(paths.database)
        started = time.monotonic()
        fill_library(library, 500, 200)
        library.close()
        print(f"generated 500 podcasts x 200 episodes in {time.monotonic() - started:.1f} s")

        results: dict[str, tuple[float, float]] = {}
        for name, data_dir in (
            ("podplayer, first run (demo podcast)", empty),
            ("podplayer, 500 podcasts / 100,000 episodes", big),
        ):
            _measure(_podplayer(data_dir), "podplayer", env)  # warm the file cache once
            samples = [_measure(_podplayer(data_dir), "podplayer", env) for _ in range(args.runs)]
            results[name] = _summary(name, samples)

        if shutil.which("gpodder") and shutil.which("gpo"):
            server = TestHttpServer().start()
            try:
                for number in range(GPODDER_FEEDS):
                    server.route(
                        f"/feed/{number}.xml",
                        body=_feed(number),
                        content_type="application/rss+xml",
                    )
                started = time.monotonic()
                home = _gpodder_home(root, server)
                took = time.monotonic() - started
                print(f"gPodder subscribed to {GPODDER_FEEDS} feeds in {took:.1f} s")
                gp_env = {**os.environ, "GPODDER_HOME": str(home)}
                _measure(["gpodder"], "gPodder", gp_env)
                samples = [_measure(["gpodder"], "gPodder", gp_env) for _ in range(args.runs)]
                gp_shown, gp_rss = _summary(f"gPodder 3.11, {GPODDER_FEEDS} feeds", samples)
            finally:
                server.stop()
            for name, (shown, rss) in results.items():
                print(
                    f"{name}: window {shown / gp_shown:.2f}x gPodder's time, "
                    f"RSS {rss / gp_rss:.2f}x gPodder's"
                )
        else:
            print("gPodder is not installed (apt-get install gpodder): no comparison.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
