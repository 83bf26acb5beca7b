"""`podplayer download` headless: files on success, a sentence on stderr and exit 1 on failure."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

from podplayer.core.downloads.manager import DownloadProgress
from podplayer.core.downloads.progress_text import (
    describe,
    format_size,
    format_time_left,
    summary_line,
)
from podplayer.core.models import DownloadState
from podplayer.core.storage.library import Library
from tests.core.downloads.conftest import add_episode, audio_bytes
from tests.http_server import TestHttpServer


def run_download(home: Path, *ids: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "podplayer", "--data-dir", str(home), "download", *map(str, ids)],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "HOME": str(home)},
        timeout=60,
    )


def test_download_command_succeeds_and_fails_clearly(
    http_server: TestHttpServer, tmp_path: Path
) -> None:
    body = audio_bytes(100_000)
    http_server.route("/ok.mp3", body=body, content_type="audio/mpeg")
    home = tmp_path / "home"
    library = Library.open(home / "library.sqlite3")
    good = add_episode(library, http_server.url("/ok.mp3"), title="Good one")
    bad = add_episode(library, http_server.url("/missing.mp3"), title="Bad one")
    library.close()
    assert good.id is not None and bad.id is not None

    result = run_download(home, good.id)
    assert result.returncode == 0, result.stderr
    target = home / "downloads" / "Show" / "Good one.mp3"
    assert result.stdout.strip() == str(target)
    assert target.read_bytes() == body
    assert result.stderr == ""

    result = run_download(home, bad.id, 4242, good.id)
    assert result.returncode == 1
    assert "“Bad one” (episode 2) was not downloaded." in result.stderr
    assert "HTTP status 404" in result.stderr
    assert "There is no episode with number 4242" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip() == str(target)


def test_progress_line_is_drawn_on_a_terminal(http_server: TestHttpServer, tmp_path: Path) -> None:
    http_server.route("/ok.mp3", body=audio_bytes(50_000), content_type="audio/mpeg")
    home = tmp_path / "home"
    library = Library.open(home / "library.sqlite3")
    episode = add_episode(library, http_server.url("/ok.mp3"))
    library.close()
    leader, follower = pty.openpty()
    process = subprocess.run(
        [sys.executable, "-m", "podplayer", "--data-dir", str(home), "download", str(episode.id)],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={"PATH": os.environ["PATH"], "HOME": str(home)},
        timeout=60,
    )
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    assert process.returncode == 0
    assert b"\r\x1b[K" in drawn
    assert b"1 completed" in drawn and b"50.0 kB of 50.0 kB (100%)" in drawn


def progress(
    state: DownloadState,
    received: int,
    total: int | None,
    rate: float | None = None,
    left: float | None = None,
    error: str = "",
) -> DownloadProgress:
    return DownloadProgress(1, "T", state, received, total, rate, left, error, None)


def test_progress_text() -> None:
    assert [format_size(n) for n in (0, 999, 1000, 1_234_567, 5 * 10**9)] == [
        "0 B",
        "999 B",
        "1.0 kB",
        "1.2 MB",
        "5.0 GB",
    ]
    assert format_time_left(3723) == "1:02:03 left" and format_time_left(42.4) == "0:42 left"
    assert describe(progress(DownloadState.DOWNLOADING, 500_000, 2_000_000, 250_000, 6)) == (
        "500.0 kB of 2.0 MB (25%) · 250.0 kB/s · 0:06 left"
    )
    assert describe(progress(DownloadState.FAILED, 0, None, error="It broke.")) == (
        "Failed: It broke."
    )
    line = summary_line(
        [
            progress(DownloadState.DOWNLOADING, 1_000_000, 2_000_000, 500_000),
            progress(DownloadState.QUEUED, 0, None),
        ]
    )
    assert line == "1 downloading, 1 queued · 1.0 MB · 500.0 kB/s"


def test_kill_9_mid_download_leaves_only_a_partial_that_the_next_run_resumes(
    http_server: TestHttpServer, tmp_path: Path
) -> None:
    body = audio_bytes(200_000)
    route = http_server.route(
        "/k.mp3", body=body, content_type="audio/mpeg", etag='"k"', trickle_interval=0.0002
    )
    home = tmp_path / "home"
    library = Library.open(home / "library.sqlite3")
    episode = add_episode(library, http_server.url("/k.mp3"), title="Killed")
    library.close()
    assert episode.id is not None
    final = home / "downloads" / "Show" / "Killed.mp3"
    part = Path(str(final) + ".part")
    process = subprocess.Popen(
        [sys.executable, "-m", "podplayer", "--data-dir", str(home), "download", str(episode.id)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"PATH": os.environ["PATH"], "HOME": str(home)},
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (not part.exists() or part.stat().st_size < 5000):
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    assert not final.exists()
    kept = part.stat().st_size
    assert 5000 <= kept < len(body)
    route.trickle_interval = None
    result = run_download(home, episode.id)
    assert result.returncode == 0, result.stderr
    assert final.read_bytes() == body and not part.exists()
    ranges = [r.headers.get("Range") for r in http_server.requests_for("/k.mp3")]
    assert ranges[0] is None and ranges[-1] is not None
    assert int(ranges[-1].removeprefix("bytes=").rstrip("-")) >= 5000


def test_unsubscribe_keeps_downloaded_files_unless_told_to_delete_them(
    http_server: TestHttpServer, tmp_path: Path
) -> None:
    http_server.route("/ok.mp3", body=audio_bytes(20_000), content_type="audio/mpeg")
    home = tmp_path / "home"
    library = Library.open(home / "library.sqlite3")
    kept = add_episode(library, http_server.url("/ok.mp3"), title="Kept", podcast_title="Keep")
    gone = add_episode(library, http_server.url("/ok.mp3"), title="Gone", podcast_title="Drop")
    library.close()
    assert run_download(home, kept.id or 0, gone.id or 0).returncode == 0

    def unsubscribe(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "podplayer", "--data-dir", str(home), "unsubscribe", *args],
            capture_output=True,
            text=True,
            env={"PATH": os.environ["PATH"], "HOME": str(home)},
            timeout=60,
        )

    result = unsubscribe("Keep")
    assert result.returncode == 0, result.stderr
    assert "Kept 1 downloaded file in" in result.stdout and "--delete-files" in result.stdout
    assert (home / "downloads" / "Keep" / "Kept.mp3").exists()
    result = unsubscribe("Drop", "--delete-files")
    assert result.returncode == 0, result.stderr
    assert "Deleted 1 downloaded file." in result.stdout
    assert not (home / "downloads" / "Drop" / "Gone.mp3").exists()
