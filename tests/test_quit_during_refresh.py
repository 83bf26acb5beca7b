"""Quitting during a refresh of 24 slow feeds: real processes, a server on 127.0.0.1 that
never answers, timed (issue 12, defect 3)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from podplayer.core.models import Podcast
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from tests.http_server import TestHttpServer

REPO_ROOT = Path(__file__).resolve().parents[1]
FEEDS = 24
QUIT_WITHIN_S = 2.0


@pytest.fixture
def silent_server() -> Iterator[TestHttpServer]:
    """Every feed path accepts the request and then says nothing until the test ends."""
    release = threading.Event()

    def hang(handler: BaseHTTPRequestHandler) -> None:
        release.wait(60)

    server = TestHttpServer().start()
    for number in range(FEEDS):
        server.route(f"/slow/{number}.xml", handler=hang)
    yield server
    release.set()
    server.stop()


def subscribed(tmp_path: Path, server: TestHttpServer) -> Path:
    """A data folder subscribed to the 24 slow feeds."""
    data_dir = tmp_path / "data"
    paths = AppPaths.in_folder(data_dir)
    paths.create()
    library = Library.open(paths.database)
    for number in range(FEEDS):
        library.podcasts.add(
            Podcast(url=server.url(f"/slow/{number}.xml"), title=f"Slow show {number}")
        )
    library.close()
    return data_dir


def wait_for_requests(server: TestHttpServer, count: int, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while len(server.requests) < count:
        assert time.monotonic() < deadline, f"only {len(server.requests)} feeds were asked for"
        time.sleep(0.05)


@pytest.mark.parametrize("sent", [signal.SIGINT, signal.SIGTERM])
def test_the_cli_refresh_stops_on_a_signal_and_says_what_was_left(
    tmp_path: Path, silent_server: TestHttpServer, sent: signal.Signals
) -> None:
    data_dir = subscribed(tmp_path, silent_server)
    process = subprocess.Popen(
        [sys.executable, "-m", "podplayer", "--data-dir", str(data_dir), "refresh"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_requests(silent_server, 2)  # both connections to the host wait on it
        started = time.monotonic()
        os.kill(process.pid, sent)
        out, err = process.communicate(timeout=10)
        took = time.monotonic() - started
    finally:
        process.kill()
    assert took < QUIT_WITHIN_S, f"the refresh took {took:.1f} s to stop"
    assert process.returncode == 128 + sent
    assert "Traceback" not in err
    assert f"stopped ({sent.name})" in err
    assert f"{FEEDS} not refreshed: Slow show" in err
    assert "Run `podplayer refresh` again" in err
    assert "Refreshed 0 podcasts" in out
    library = Library.open(AppPaths.in_folder(data_dir).database)
    try:  # nothing was recorded as failed: the feeds were left as they were
        assert {p.refresh_status.value for p in library.podcasts.list()} == {"never"}
    finally:
        library.close()


def test_closing_the_window_during_a_refresh_quits_within_two_seconds(
    tmp_path: Path, silent_server: TestHttpServer
) -> None:
    data_dir = subscribed(tmp_path, silent_server)
    environment = {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.gui.quit_during_refresh_child", str(data_dir)],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line.strip())
            if line.strip() == "CLOSING":
                break
        started = time.monotonic()
        assert "REFRESHING" in lines, process.stderr.read() if process.stderr else ""
        assert len(silent_server.requests) >= 2  # the refresh is waiting on the server
        process.wait(timeout=30)
        took = time.monotonic() - started
        rest = process.stdout.read()
    finally:
        process.kill()
    assert took < QUIT_WITHIN_S, f"the window took {took:.1f} s to quit"
    assert process.returncode == 0
    assert "SOCKET yes" in rest  # the single-instance socket still listened as services closed
