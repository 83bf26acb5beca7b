"""Refresh benchmark: podplayer's CLI against gPodder's ``gpo`` on the same generated feeds.

Run from the repository root: ``.venv/bin/python -m bench.refresh [--feeds 50] [--items 200]``.
A separate process serves N feeds x M items on 127.0.0.1. Three figures per program, each a
whole command run (start-up included): the first import + refresh of an OPML list, a refresh
where every feed changed (a full re-parse), and a refresh where nothing changed (ETag: 304s).
When ``gpo`` (Debian package gpodder) is installed it runs in the same way (GPODDER_HOME in a
temporary folder) and the ratios are printed. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from podplayer.core.models import Podcast
from podplayer.core.opml import write_opml

Runner = Callable[[list[str]], None]


def _run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        print(f"  ! {' '.join(command[:4])}... exited {result.returncode}: {result.stderr[-500:]}")
    return elapsed


def _set_revision(base_url: str, revision: int) -> None:
    with urllib.request.urlopen(f"{base_url}/revision/{revision}", timeout=120) as answer:
        answer.read()


def _measure(
    label: str,
    base_url: str,
    import_command: list[str],
    refresh_command: list[str],
    env: dict[str, str],
    repeats: int,
    first_revision: int,
) -> dict[str, float]:
    _set_revision(base_url, first_revision)
    figures = {"first import + refresh": _run(import_command, env)}
    changed = []
    for number in range(repeats):
        _set_revision(base_url, first_revision + 1 + number)
        changed.append(_run(refresh_command, env))
    figures["refresh, every feed changed"] = min(changed)
    unchanged = [_run(refresh_command, env) for _ in range(repeats)]
    figures["refresh, nothing changed"] = min(unchanged)
    print(f"{label}:")
    for name, seconds in figures.items():
        print(f"  {name:<30} {seconds:7.2f} s")
    return figures


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--feeds", type=int, default=50)
    options.add_argument("--items", type=int, default=200)
    options.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    args = options.parse_args()

    server = subprocess.Popen(
        [sys.executable, "-m", "bench.feed_server", str(args.feeds), str(args.items)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdin is not None
    base_url = server.stdout.readline().strip()
    print(
        f"{args.feeds} feeds x {args.items} items served from {base_url} (best of {args.repeats})"
    )
    try:
        with tempfile.TemporaryDirectory(prefix="podplayer-bench-") as scratch:
            root = Path(scratch)
            opml = root / "feeds.opml"
            urls = [f"{base_url}/feed/{number}.xml" for number in range(args.feeds)]
            opml.write_bytes(write_opml(Podcast(url=url, title=url) for url in urls))
            env = {**os.environ, "PODPLAYER_HOME": str(root / "podplayer")}
            podplayer = [sys.executable, "-m", "podplayer"]
            ours = _measure(
                "podplayer",
                base_url,
                [*podplayer, "import", str(opml)],
                [*podplayer, "refresh"],
                env,
                args.repeats,
                0,
            )
            gpo = shutil.which("gpo")
            if gpo is None:
                print("gPodder (gpo) is not installed: apt-get install gpodder for the comparison.")
                return
            gpodder_env = {**os.environ, "GPODDER_HOME": str(root / "gpodder")}
            theirs = _measure(
                "gPodder (gpo)",
                base_url,
                [gpo, "import", str(opml)],
                [gpo, "update"],
                gpodder_env,
                args.repeats,
                100,
            )
            print("podplayer / gPodder:")
            for name, seconds in ours.items():
                print(f"  {name:<30} {seconds / theirs[name]:7.2f}x")
    finally:
        server.stdin.close()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
