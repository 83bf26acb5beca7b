"""Download benchmark: `podplayer download` against curl, wget and gPodder on 127.0.0.1.

One file served by the test server (tests/http_server.py) from this process; each client runs as
a child process and is timed (wall clock and its CPU time). Then a resume: the server drops the
connection halfway and podplayer resumes with Range; the bytes fetched twice are counted. Prints
figures and ratios; asserts nothing. podplayer's wall time includes an fsync of the whole file
before the rename (the others do not sync).

    .venv/bin/python -m bench.downloads [--megabytes 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from podplayer.core.models import Episode, Podcast
from podplayer.core.storage.library import Library
from tests.http_server import TestHttpServer


@dataclass
class Sample:
    wall_s: float
    cpu_s: float


def _check_size(folder: Path, size: int) -> None:
    """Make sure the client really stored the whole file (a silent failure is no result)."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    if size not in sizes:
        raise OSError(f"no file of {size} bytes under {folder}: {sizes}")


def _timed(command: list[str], env: dict[str, str] | None = None) -> Sample:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Sample(wall, cpu)


def _podplayer_home(server: TestHttpServer, path: str) -> tuple[Path, list[str]]:
    """A library with one episode at ``path`` and the command that downloads it."""
    home = Path(tempfile.mkdtemp(prefix="bench-podplayer-"))
    library = Library.open(home / "library.sqlite3")
    podcast = library.podcasts.add(Podcast(url=server.url("/feed.xml"), title="Bench"))
    assert podcast.id is not None
    episode = library.episodes.add(
        Episode(podcast_id=podcast.id, guid="1", title="Big", enclosure_url=server.url(path))
    )
    library.close()
    assert episode.id is not None
    command = [sys.executable, "-m", "podplayer", "--data-dir", str(home), "download"]
    return home, [*command, str(episode.id)]


def _podplayer(server: TestHttpServer, path: str) -> Sample:
    home, command = _podplayer_home(server, path)
    try:
        sample = _timed(command)
        _check_size(home / "downloads", len(server.routes[path].body))
        return sample
    finally:
        shutil.rmtree(home)


def _podplayer_overhead(server: TestHttpServer, path: str) -> Sample:
    """The same command once the file is there: start-up, library and checks, no transfer."""
    home, command = _podplayer_home(server, path)
    try:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        return _timed(command)
    finally:
        shutil.rmtree(home)


def _curl(server: TestHttpServer, path: str) -> Sample:
    with tempfile.TemporaryDirectory() as folder:
        sample = _timed(["curl", "-s", "-f", "-o", f"{folder}/file.mp3", server.url(path)])
        _check_size(Path(folder), len(server.routes[path].body))
        return sample


def _wget(server: TestHttpServer, path: str) -> Sample:
    with tempfile.TemporaryDirectory() as folder:
        sample = _timed(["wget", "-q", "-O", f"{folder}/file.mp3", server.url(path)])
        _check_size(Path(folder), len(server.routes[path].body))
        return sample


def _gpodder(server: TestHttpServer, path: str) -> Sample:
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
        f'<item><title>Big</title><guid>1</guid><enclosure url="{server.url(path)}" '
        'type="audio/mpeg" length="0"/></item></channel></rss>'
    ).encode()
    server.route("/feed.xml", body=feed, content_type="application/rss+xml")
    home = Path(tempfile.mkdtemp(prefix="bench-gpodder-"))
    env = {**os.environ, "GPODDER_HOME": str(home), "GPODDER_DOWNLOAD_DIR": str(home / "dl")}
    try:
        subprocess.run(
            ["gpo", "subscribe", server.url("/feed.xml")],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        sample = _timed(["gpo", "download"], env=env)
        _check_size(home / "dl", len(server.routes[path].body))
        return sample
    finally:
        shutil.rmtree(home)


def _median(samples: list[Sample]) -> Sample:
    return Sample(
        statistics.median(s.wall_s for s in samples), statistics.median(s.cpu_s for s in samples)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    size = args.megabytes * 1_000_000
    body = b"ID3\x04" + os.urandom(size - 4)
    server = TestHttpServer().start()
    server.route("/big.mp3", body=body, content_type="audio/mpeg", etag='"big"')
    clients: dict[str, Callable[[TestHttpServer, str], Sample]] = {
        "podplayer download": _podplayer,
        "  of it, fixed start-up": _podplayer_overhead,
        "curl": _curl,
        "wget": _wget,
    }
    if shutil.which("gpo"):
        clients["gPodder 3 (gpo download)"] = _gpodder
    try:
        print(f"{args.megabytes} MB over 127.0.0.1, median of {args.runs} runs")
        results: dict[str, Sample] = {}
        for name, client in clients.items():
            if name in ("curl", "wget") and not shutil.which(name):
                continue
            try:
                results[name] = _median([client(server, "/big.mp3") for _ in range(args.runs)])
            except (subprocess.CalledProcessError, OSError) as exc:
                print(f"  {name}: could not run ({exc})")
        reference = results.get("curl")
        for name, sample in results.items():
            if name.startswith(" "):
                print(f"  {name:28} {sample.wall_s:6.2f} s wall  {sample.cpu_s:6.2f} s CPU")
                continue
            ratio = f"  ({sample.wall_s / reference.wall_s:.2f}x curl)" if reference else ""
            print(
                f"  {name:28} {sample.wall_s:6.2f} s wall  {sample.cpu_s:6.2f} s CPU  "
                f"{args.megabytes / sample.wall_s:7.1f} MB/s{ratio}"
            )

        route = server.route(
            "/drop.mp3", body=body, content_type="audio/mpeg", etag='"big"', drop_after=size // 2
        )
        sample = _podplayer(server, "/drop.mp3")
        ranges = [r.headers.get("Range", "-") for r in server.requests_for("/drop.mp3")]
        fetched = sum(
            size - int(r.removeprefix("bytes=").rstrip("-"))
            if r != "-"
            else min(size, route.drop_after or size)
            for r in ranges
        )
        print(
            f"  resume after a drop at 50%: {sample.wall_s:.2f} s wall (includes the 1 s retry"
            f" pause), requests {ranges}, {fetched / size:.2f}x the file size fetched"
        )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
