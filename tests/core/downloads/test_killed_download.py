"""kill -9 of a download mid-transfer or mid-rename: never a partial file under the final name."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from podplayer.core.downloads import DownloadManager
from podplayer.core.http import HttpClient
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from tests.child_process import ChildProcess
from tests.core.downloads.conftest import add_episode, audio_bytes, files_under
from tests.http_server import TestHttpServer

SIZE = 300_000


def partial_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.part"))


def resume_in_a_new_manager(app_paths: AppPaths, episode_id: int) -> Path | None:
    library = Library.open(app_paths.database)
    client = HttpClient(connect_timeout=2, read_timeout=2)
    manager = DownloadManager(library, client, app_paths.downloads_dir, retry_delays_s=())
    try:
        manager.restore()
        assert manager.wait_until_idle(15)
        return manager.local_file_for(episode_id)
    finally:
        manager.shutdown()
        client.close()
        library.close()


def add_episode_at(app_paths: AppPaths, url: str) -> int:
    library = Library.open(app_paths.database)
    try:
        episode = add_episode(library, url, title="Killed")
    finally:
        library.close()
    assert episode.id is not None
    return episode.id


def test_kill_mid_transfer_leaves_only_a_partial_that_resumes(
    app_paths: AppPaths, http_server: TestHttpServer
) -> None:
    body = audio_bytes(SIZE)
    route = http_server.route(
        "/k.mp3", body=body, content_type="audio/mpeg", etag='"k"', trickle_interval=0.0005
    )
    episode_id = add_episode_at(app_paths, http_server.url("/k.mp3"))
    child = ChildProcess(
        "tests.core.downloads.download_child", str(app_paths.data_dir), str(episode_id), "transfer"
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            parts = partial_files(app_paths.downloads_dir)
            if parts and parts[0].stat().st_size >= 2000:
                break
            time.sleep(0.02)
    finally:
        assert child.kill_hard() == -signal.SIGKILL
    [part] = partial_files(app_paths.downloads_dir)
    on_disk = part.stat().st_size
    assert 2000 <= on_disk < SIZE
    assert files_under(app_paths.downloads_dir) == ["Show/Killed.mp3.part"]
    assert part.read_bytes() == body[:on_disk]

    route.trickle_interval = None
    local = resume_in_a_new_manager(app_paths, episode_id)
    assert local is not None and local.read_bytes() == body
    assert http_server.requests_for("/k.mp3")[-1].headers["Range"] == f"bytes={on_disk}-"
    assert files_under(app_paths.downloads_dir) == ["Show/Killed.mp3"]


def test_kill_mid_rename_keeps_the_whole_file_once(
    app_paths: AppPaths, http_server: TestHttpServer
) -> None:
    body = audio_bytes(SIZE)
    http_server.route("/k.mp3", body=body, content_type="audio/mpeg", etag='"k"')
    episode_id = add_episode_at(app_paths, http_server.url("/k.mp3"))
    child = ChildProcess(
        "tests.core.downloads.download_child", str(app_paths.data_dir), str(episode_id), "link"
    )
    try:
        reached = child.wait_for_lines({"LINKED"}, timeout_s=20)
    finally:
        assert child.kill_hard() == -signal.SIGKILL
    assert reached
    final = app_paths.downloads_dir / "Show" / "Killed.mp3"
    assert final.read_bytes() == body  # the final name only ever names the complete file

    local = resume_in_a_new_manager(app_paths, episode_id)
    assert local == final and final.read_bytes() == body
    assert files_under(app_paths.downloads_dir) == ["Show/Killed.mp3"]
