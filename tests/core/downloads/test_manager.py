"""Downloads against a real server on 127.0.0.1 that misbehaves on request: every case ends well."""

from __future__ import annotations

import errno
import threading
import time
from pathlib import Path
from typing import BinaryIO

import pytest

from podplayer.core.downloads import DownloadError, DownloadProgress
from podplayer.core.downloads import transfer as transfer_module
from podplayer.core.downloads.naming import part_path
from podplayer.core.models import Download, DownloadState
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from tests.core.downloads.conftest import (
    MakeManager,
    add_episode,
    audio_bytes,
    download_to_end,
    files_under,
    wait_for_bytes,
)
from tests.http_server import TestHttpServer

SIZE = 300_000


def wait_for_state(manager, episode_id: int, state: DownloadState, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        progress = manager.progress(episode_id)
        if progress is not None and progress.state == state:
            return
        time.sleep(0.01)
    raise AssertionError(f"never reached {state}: {manager.progress(episode_id)}")


def test_download_lands_under_podcast_folder_with_progress(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager, app_paths: AppPaths
) -> None:
    body = audio_bytes(SIZE)
    http_server.route("/ep1.mp3", body=body, content_type="audio/mpeg", etag='"v1"')
    episode = add_episode(library, http_server.url("/ep1.mp3"), title="First: the start")
    assert episode.id is not None
    manager = make_manager()
    seen: list[DownloadProgress] = []
    manager.add_listener(seen.append)
    progress = download_to_end(manager, episode.id)
    assert progress.state == DownloadState.COMPLETED, progress
    local = manager.local_file_for(episode.id)
    assert local is not None and local.read_bytes() == body
    assert local == app_paths.downloads_dir / "Show" / "First_ the start.mp3"
    assert files_under(app_paths.downloads_dir) == ["Show/First_ the start.mp3"]
    states = [p.state for p in seen]
    assert states[-1] == DownloadState.COMPLETED
    assert DownloadState.DOWNLOADING in states
    received = [p.received_bytes for p in seen if p.state == DownloadState.DOWNLOADING]
    assert received == sorted(received)
    record = library.downloads.get(episode.id)
    assert record is not None
    assert (record.total_bytes, record.received_bytes, record.validator) == (SIZE, SIZE, '"v1"')
    assert http_server.requests_for("/ep1.mp3")[0].headers.get("Accept-Encoding") == "identity"


def test_dropped_connection_resumes_with_range_and_if_range(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    body = audio_bytes(SIZE)
    http_server.route(
        "/drop.mp3", body=body, content_type="audio/mpeg", etag='"e1"', drop_after=120_000
    )
    episode = add_episode(library, http_server.url("/drop.mp3"))
    assert episode.id is not None
    manager = make_manager(retry_delays_s=(0.0, 0.0, 0.0))
    manager.start(episode.id)
    assert manager.wait_until_idle(15)
    local = manager.local_file_for(episode.id)
    assert local is not None and local.read_bytes() == body
    requests = http_server.requests_for("/drop.mp3")
    assert len(requests) == 3
    assert requests[1].headers["Range"] == "bytes=120000-"
    assert requests[1].headers["If-Range"] == '"e1"'
    assert requests[2].headers["Range"] == "bytes=240000-"


def test_drop_without_retries_leaves_a_resumable_partial_never_a_complete_file(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager, app_paths: AppPaths
) -> None:
    body = audio_bytes(SIZE)
    route = http_server.route(
        "/drop.mp3", body=body, content_type="audio/mpeg", etag='"e1"', drop_after=100_000
    )
    episode = add_episode(library, http_server.url("/drop.mp3"), title="Dropped")
    assert episode.id is not None
    manager = make_manager()
    progress = download_to_end(manager, episode.id)
    assert progress.state == DownloadState.FAILED
    assert "connection broke" in progress.error and "Retry to resume" in progress.error
    assert manager.local_file_for(episode.id) is None
    assert files_under(app_paths.downloads_dir) == ["Show/Dropped.mp3.part"]
    assert progress.received_bytes == 100_000
    route.drop_after = None
    manager.retry(episode.id)
    assert manager.wait_until_idle(15)
    local = manager.local_file_for(episode.id)
    assert local is not None and local.read_bytes() == body
    assert http_server.requests_for("/drop.mp3")[1].headers["Range"] == "bytes=100000-"
    assert files_under(app_paths.downloads_dir) == ["Show/Dropped.mp3"]


@pytest.mark.parametrize(
    "misbehaviour", [{"ranges": False}, {"wrong_content_range": True}], ids=["no-range", "bad-cr"]
)
def test_server_that_will_not_resume_properly_restarts_from_zero(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager, misbehaviour
) -> None:
    body = audio_bytes(SIZE)
    route = http_server.route("/r.mp3", body=body, content_type="audio/mpeg", drop_after=50_000)
    episode = add_episode(library, http_server.url("/r.mp3"))
    assert episode.id is not None
    manager = make_manager()
    manager.start(episode.id)
    assert manager.wait_until_idle(15)
    assert library.downloads.get(episode.id).received_bytes == 50_000  # type: ignore[union-attr]
    route.drop_after = None
    for name, value in misbehaviour.items():
        setattr(route, name, value)
    manager.retry(episode.id)
    assert manager.wait_until_idle(15)
    local = manager.local_file_for(episode.id)
    assert local is not None and local.read_bytes() == body


def test_changed_file_on_server_restarts_instead_of_splicing(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    old, new = audio_bytes(SIZE), audio_bytes(SIZE - 1000)
    route = http_server.route(
        "/c.mp3", body=old, content_type="audio/mpeg", etag='"old"', drop_after=70_000
    )
    episode = add_episode(library, http_server.url("/c.mp3"))
    assert episode.id is not None
    manager = make_manager()
    manager.start(episode.id)
    assert manager.wait_until_idle(15)
    route.body, route.etag, route.drop_after = new, '"new"', None
    manager.retry(episode.id)
    assert manager.wait_until_idle(15)
    local = manager.local_file_for(episode.id)
    assert local is not None and local.read_bytes() == new
    assert http_server.requests_for("/c.mp3")[1].headers["If-Range"] == '"old"'


def test_416_finishes_a_whole_partial_and_restarts_a_too_long_one(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    body = audio_bytes(SIZE)
    route = http_server.route("/f.mp3", body=body, content_type="audio/mpeg")
    episode = add_episode(library, http_server.url("/f.mp3"))
    assert episode.id is not None
    manager = make_manager()
    route.drop_after = 10_000
    manager.start(episode.id)
    assert manager.wait_until_idle(15)
    record = library.downloads.get(episode.id)
    assert record is not None and record.file_path
    part = part_path(Path(record.file_path))
    part.write_bytes(body)  # as if killed between the last byte and the rename
    route.drop_after = None
    manager.retry(episode.id)
    assert manager.wait_until_idle(15)
    assert [r.headers.get("Range") for r in http_server.requests_for("/f.mp3")][1:] == [
        f"bytes={SIZE}-"
    ]
    local = manager.local_file_for(episode.id)
    assert local is not None and local.read_bytes() == body

    second = add_episode(library, http_server.url("/f.mp3"), title="Second")
    assert second.id is not None
    route.drop_after = 10_000
    manager.start(second.id)
    assert manager.wait_until_idle(15)
    record = library.downloads.get(second.id)
    assert record is not None and record.file_path
    part_path(Path(record.file_path)).write_bytes(body + b"junk")
    route.drop_after = None
    manager.retry(second.id)
    assert manager.wait_until_idle(15)
    local = manager.local_file_for(second.id)
    assert local is not None and local.read_bytes() == body


def test_html_instead_of_audio_is_rejected(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager, app_paths: AppPaths
) -> None:
    http_server.route(
        "/login",
        body=b"<!doctype html><p>Please log in</p>",
        content_type="text/html; charset=utf-8",
    )
    http_server.route(
        "/sneaky.mp3", body=b"\n<html><body>moved</body></html>", content_type="audio/mpeg"
    )
    first = add_episode(library, http_server.url("/login"), title="One")
    second = add_episode(library, http_server.url("/sneaky.mp3"), title="Two")
    assert first.id is not None and second.id is not None
    manager = make_manager()
    manager.start(first.id)
    manager.start(second.id)
    assert manager.wait_until_idle(15)
    for episode_id in (first.id, second.id):
        progress = manager.progress(episode_id)
        assert progress is not None and progress.state == DownloadState.FAILED
        assert "web page instead of audio" in progress.error
    assert files_under(app_paths.downloads_dir) == []


def test_http_error_status_fails_with_a_sentence(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    episode = add_episode(library, http_server.url("/missing.mp3"))
    assert episode.id is not None
    manager = make_manager()
    progress = download_to_end(manager, episode.id)
    assert progress.state == DownloadState.FAILED
    assert "HTTP status 404" in progress.error


def test_unreachable_server_fails_resumably(library: Library, make_manager: MakeManager) -> None:
    closed = TestHttpServer().start()
    url = closed.url("/gone.mp3")
    closed.stop()
    episode = add_episode(library, url)
    assert episode.id is not None
    manager = make_manager()
    progress = download_to_end(manager, episode.id)
    assert progress.state == DownloadState.FAILED
    assert "could not reach the server" in progress.error


def test_links_that_are_not_http_are_refused(library: Library, make_manager: MakeManager) -> None:
    manager = make_manager()
    for url in ("file:///etc/passwd", "javascript:alert(1)", ""):
        episode = add_episode(library, url, title=f"bad {url}")
        assert episode.id is not None
        with pytest.raises(DownloadError):
            manager.start(episode.id)
    with pytest.raises(DownloadError, match="no episode"):
        manager.start(9999)
    assert library.downloads.list() == []


def test_pause_keeps_partial_and_resume_continues(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    body = audio_bytes(20_000)
    route = http_server.route(
        "/slow.mp3", body=body, content_type="audio/mpeg", etag='"s"', trickle_interval=0.0005
    )
    episode = add_episode(library, http_server.url("/slow.mp3"))
    assert episode.id is not None
    manager = make_manager()
    manager.start(episode.id)
    wait_for_bytes(manager, episode.id, 1000)
    manager.pause(episode.id)
    assert manager.wait_until_idle(10)
    paused = manager.progress(episode.id)
    assert paused is not None and paused.state == DownloadState.PAUSED
    assert 1000 <= paused.received_bytes < len(body)
    assert paused.file_path and part_path(Path(paused.file_path)).stat().st_size == (
        paused.received_bytes
    )
    route.trickle_interval = None
    manager.resume(episode.id)
    assert manager.wait_until_idle(10)
    local = manager.local_file_for(episode.id)
    assert local is not None and local.read_bytes() == body
    assert http_server.requests_for("/slow.mp3")[-1].headers["Range"] == (
        f"bytes={paused.received_bytes}-"
    )


def test_cancel_and_delete_remove_only_our_files(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager, app_paths: AppPaths
) -> None:
    body = audio_bytes(SIZE)
    http_server.route("/slow.mp3", body=body, content_type="audio/mpeg", trickle_interval=0.001)
    http_server.route("/fast.mp3", body=body, content_type="audio/mpeg")
    slow = add_episode(library, http_server.url("/slow.mp3"), title="Slow")
    fast = add_episode(library, http_server.url("/fast.mp3"), title="Fast")
    assert slow.id is not None and fast.id is not None
    manager = make_manager()
    manager.start(fast.id)
    manager.start(slow.id)
    wait_for_state(manager, slow.id, DownloadState.DOWNLOADING)
    manager.cancel(slow.id)
    assert manager.wait_until_idle(15)
    cancelled = manager.progress(slow.id)
    assert cancelled is not None and cancelled.state == DownloadState.CANCELLED
    keep = app_paths.downloads_dir / "Show" / "mine.txt"
    keep.write_text("user file")
    assert files_under(app_paths.downloads_dir) == ["Show/Fast.mp3", "Show/mine.txt"]
    manager.delete(fast.id)
    assert files_under(app_paths.downloads_dir) == ["Show/mine.txt"]
    assert library.downloads.get(fast.id) is None
    assert manager.local_file_for(fast.id) is None


def test_at_most_two_run_at_once(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    body = audio_bytes(3000)
    ids = []
    for number in range(4):
        http_server.route(
            f"/t{number}.mp3", body=body, content_type="audio/mpeg", trickle_interval=0.0002
        )
        episode = add_episode(library, http_server.url(f"/t{number}.mp3"), title=f"T{number}")
        assert episode.id is not None
        ids.append(episode.id)
    manager = make_manager()
    states: dict[int, DownloadState] = {}
    most = 0
    lock = threading.Lock()

    def record(progress: DownloadProgress) -> None:
        nonlocal most
        with lock:
            states[progress.episode_id] = progress.state
            most = max(most, sum(s == DownloadState.DOWNLOADING for s in states.values()))

    manager.add_listener(record)
    for episode_id in ids:
        manager.start(episode_id)
    assert manager.wait_until_idle(30)
    assert most == 2
    assert {i: states[i] for i in ids} == {i: DownloadState.COMPLETED for i in ids}, [
        manager.progress(i) for i in ids
    ]


class FillingDisk:
    """Opens ``.part`` files whose writes fail with ENOSPC after ``room`` bytes."""

    def __init__(self, room: int) -> None:
        self.room = room

    def __call__(self, path: Path) -> BinaryIO:
        handle = path.open("r+b")
        room = self.room
        real_write = handle.write

        def write(data) -> int:
            nonlocal room
            if len(data) > room:
                raise OSError(errno.ENOSPC, "No space left on device")
            room -= len(data)
            return real_write(data)

        handle.write = write  # type: ignore[method-assign]
        return handle


def test_full_disk_fails_clearly_and_keeps_the_library(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    body = audio_bytes(SIZE)
    http_server.route("/big.mp3", body=body, content_type="audio/mpeg")
    episode = add_episode(library, http_server.url("/big.mp3"), title="Big")
    other = add_episode(library, http_server.url("/big.mp3"), title="Other")
    assert episode.id is not None and other.id is not None
    manager = make_manager(open_part=FillingDisk(100_000))
    progress = download_to_end(manager, episode.id)
    assert progress.state == DownloadState.FAILED
    assert "not enough free space" in progress.error and "disk is full" in progress.error
    assert manager.local_file_for(episode.id) is None
    assert [e.title for e in library.episodes.list_for_podcast(episode.podcast_id)] == [
        "Other",
        "Big",
    ] or len(library.episodes.list_for_podcast(episode.podcast_id)) == 2
    roomy = make_manager()
    roomy.start(other.id)
    roomy.retry(episode.id)
    assert roomy.wait_until_idle(15)
    assert roomy.local_file_for(other.id).read_bytes() == body  # type: ignore[union-attr]
    assert roomy.local_file_for(episode.id).read_bytes() == body  # type: ignore[union-attr]


def test_free_space_is_checked_before_starting(
    http_server: TestHttpServer,
    library: Library,
    make_manager: MakeManager,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(transfer_module, "FREE_SPACE_MARGIN_BYTES", 10**18)
    http_server.route("/ep.mp3", body=audio_bytes(SIZE), content_type="audio/mpeg")
    episode = add_episode(library, http_server.url("/ep.mp3"))
    assert episode.id is not None
    manager = make_manager()
    progress = download_to_end(manager, episode.id)
    assert progress.state == DownloadState.FAILED
    assert "not enough free space" in progress.error and "MB needed" in progress.error
    assert progress.received_bytes == 0


def test_partials_resume_after_restart_and_stale_ones_are_found(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager, app_paths: AppPaths
) -> None:
    body = audio_bytes(SIZE)
    route = http_server.route(
        "/r.mp3", body=body, content_type="audio/mpeg", etag='"r"', trickle_interval=0.0005
    )
    episode = add_episode(library, http_server.url("/r.mp3"))
    assert episode.id is not None
    first_run = make_manager()
    first_run.start(episode.id)
    wait_for_bytes(first_run, episode.id, 2000)
    first_run.shutdown()
    record = library.downloads.get(episode.id)
    assert record is not None and record.state == DownloadState.QUEUED
    assert record.file_path is not None
    on_disk = part_path(Path(record.file_path)).stat().st_size
    assert on_disk >= 2000
    stale = app_paths.downloads_dir / "Show" / "Left over.mp3.part"
    stale.write_bytes(b"x" * 10)
    not_ours = [
        app_paths.downloads_dir / "browser download.mp3.part",
        app_paths.downloads_dir / "Show" / "notes.txt.part",
        app_paths.downloads_dir / "Unknown show" / "x.mp3.part",
    ]
    for path in not_ours:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"keep")

    route.trickle_interval = None
    second_run = make_manager()
    notices = second_run.restore()
    assert any("1 partial download file" in notice for notice in notices)
    assert second_run.stale_partials() == [stale]
    assert second_run.wait_until_idle(15)
    local = second_run.local_file_for(episode.id)
    assert local is not None and local.read_bytes() == body
    assert http_server.requests_for("/r.mp3")[-1].headers["Range"] == f"bytes={on_disk}-"
    assert second_run.remove_stale_partials() == 1
    assert files_under(app_paths.downloads_dir) == sorted(
        ["Show/Episode 1.mp3", *(str(p.relative_to(app_paths.downloads_dir)) for p in not_ours)]
    )


def test_auto_download_only_for_podcasts_that_want_it(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    http_server.route("/a.mp3", body=audio_bytes(5000), content_type="audio/mpeg")
    wanted = add_episode(
        library, http_server.url("/a.mp3"), podcast_title="Auto", auto_download=True
    )
    unwanted = add_episode(library, http_server.url("/a.mp3"), podcast_title="Manual")
    manager = make_manager()
    assert manager.auto_download([wanted, unwanted]) == [wanted.id]
    assert manager.wait_until_idle(15)
    assert wanted.id is not None and unwanted.id is not None
    assert manager.local_file_for(wanted.id) is not None
    assert library.downloads.get(unwanted.id) is None
    assert manager.auto_download([wanted]) == []
    newer = add_episode(library, http_server.url("/a.mp3"), title="Newer", podcast_title="Auto")
    assert manager.auto_download_new(newer.podcast_id, 0) == []
    assert manager.auto_download_new(unwanted.podcast_id, 1) == []
    assert manager.auto_download_new(newer.podcast_id, 2) == [newer.id]
    assert manager.wait_until_idle(15)


def test_download_folder_setting(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager, tmp_path: Path
) -> None:
    http_server.route("/a.mp3", body=audio_bytes(5000), content_type="audio/mpeg")
    episode = add_episode(library, http_server.url("/a.mp3"))
    assert episode.id is not None
    second = add_episode(library, http_server.url("/a.mp3"), title="Second")
    manager = make_manager()
    manager.start(second.id)  # type: ignore[arg-type]
    assert manager.wait_until_idle(15)
    old_file = manager.local_file_for(second.id)  # type: ignore[arg-type]
    assert old_file is not None and old_file.parent.parent == manager.download_folder()
    chosen = tmp_path / "My Podcasts"
    manager.set_download_folder(chosen)
    progress = download_to_end(manager, episode.id)
    assert "is its drive connected?" in progress.error
    assert not chosen.exists()
    chosen.mkdir()
    assert manager.download_folder() == chosen
    with pytest.raises(DownloadError):
        manager.set_download_folder(Path("relative"))
    manager.start(episode.id)
    assert manager.wait_until_idle(15)
    assert manager.local_file_for(episode.id) == chosen / "Show" / "Episode 1.mp3"
    assert manager.local_file_for(second.id) == old_file  # type: ignore[arg-type]
    manager.delete(second.id)  # type: ignore[arg-type]
    assert not old_file.exists()
    manager.set_download_folder(None)
    assert manager.local_file_for(episode.id) == chosen / "Show" / "Episode 1.mp3"
    manager.delete(episode.id)
    assert not (chosen / "Show" / "Episode 1.mp3").exists()


def test_crash_between_link_and_unlink_completes_on_retry(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager, app_paths: AppPaths
) -> None:
    body = audio_bytes(SIZE)
    route = http_server.route("/k.mp3", body=body, content_type="audio/mpeg", drop_after=1000)
    episode = add_episode(library, http_server.url("/k.mp3"), title="Killed")
    assert episode.id is not None
    manager = make_manager()
    manager.start(episode.id)
    assert manager.wait_until_idle(15)
    record = library.downloads.get(episode.id)
    assert record is not None and record.file_path
    final = Path(record.file_path)
    part_path(final).write_bytes(body)
    final.hardlink_to(part_path(final))  # killed after os.link, before unlinking the .part
    route.drop_after = None
    manager.retry(episode.id)
    assert manager.wait_until_idle(15)
    assert manager.local_file_for(episode.id) == final and final.read_bytes() == body
    assert files_under(app_paths.downloads_dir) == ["Show/Killed.mp3"]


def test_a_partial_locked_by_another_process_is_left_alone(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    import fcntl

    body = audio_bytes(SIZE)
    route = http_server.route("/b.mp3", body=body, content_type="audio/mpeg", drop_after=5000)
    episode = add_episode(library, http_server.url("/b.mp3"))
    assert episode.id is not None
    manager = make_manager()
    manager.start(episode.id)
    assert manager.wait_until_idle(15)
    record = library.downloads.get(episode.id)
    assert record is not None and record.file_path
    route.drop_after = None
    with part_path(Path(record.file_path)).open("r+b") as other:
        fcntl.flock(other.fileno(), fcntl.LOCK_EX)
        manager.retry(episode.id)
        assert manager.wait_until_idle(15)
        progress = manager.progress(episode.id)
        assert progress is not None and progress.state == DownloadState.FAILED
        assert "Another podplayer is already downloading" in progress.error
        assert part_path(Path(record.file_path)).stat().st_size == 5000
    manager.retry(episode.id)
    assert manager.wait_until_idle(15)
    assert manager.local_file_for(episode.id).read_bytes() == body  # type: ignore[union-attr]


def test_compressed_body_is_stored_decoded(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    body = audio_bytes(SIZE)
    http_server.route("/z.mp3", body=body, content_type="audio/mpeg", gzip=True)
    episode = add_episode(library, http_server.url("/z.mp3"))
    assert episode.id is not None
    manager = make_manager()
    manager.start(episode.id)
    assert manager.wait_until_idle(15)
    local = manager.local_file_for(episode.id)
    assert local is not None and local.read_bytes() == body


def test_podcast_credentials_are_sent_only_to_the_feeds_own_host(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    body = audio_bytes(10_000)

    def members_only(request) -> None:
        if request.headers.get("Authorization") != "Basic YWxpY2U6czNjcmV0":
            request.send_response(401)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        request.send_response(200)
        request.send_header("Content-Type", "audio/mpeg")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    http_server.route("/members.mp3", handler=members_only)
    episode = add_episode(library, http_server.url("/members.mp3"), podcast_title="Members")
    podcast = library.podcasts.get(episode.podcast_id)
    assert podcast is not None and episode.id is not None
    manager = make_manager()
    manager.start(episode.id)
    assert manager.wait_until_idle(15)
    assert "HTTP status 401" in manager.progress(episode.id).error  # type: ignore[union-attr]
    podcast.username = "alice"
    library.podcasts.update(podcast)
    library.podcasts.set_password(podcast, "s3cret")
    manager.retry(episode.id)
    assert manager.wait_until_idle(15)
    assert "HTTP status 401" in manager.progress(episode.id).error  # type: ignore[union-attr]
    assert all("Authorization" not in r.headers for r in http_server.requests)  # another host
    podcast.url = http_server.url("/members.xml")
    library.podcasts.update(podcast)
    manager.retry(episode.id)
    assert manager.wait_until_idle(15)
    assert manager.local_file_for(episode.id).read_bytes() == body  # type: ignore[union-attr]


def test_pause_and_quit_do_not_wait_for_a_stalled_server(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    body = audio_bytes(SIZE)
    stalled = threading.Event()

    def stall_midway(request) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "audio/mpeg")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body[:50_000])
        request.wfile.flush()
        stalled.wait(20)

    http_server.route("/stall.mp3", handler=stall_midway)
    first = add_episode(library, http_server.url("/stall.mp3"), title="Paused")
    second = add_episode(library, http_server.url("/stall.mp3"), title="Quit")
    assert first.id is not None and second.id is not None
    manager = make_manager()
    try:
        manager.start(first.id)
        manager.start(second.id)
        for episode_id in (first.id, second.id):
            wait_for_bytes(manager, episode_id, 50_000)
        started = time.monotonic()
        manager.pause(first.id)
        manager.shutdown()
        assert manager.is_idle()
        assert time.monotonic() - started < 1.5
    finally:
        stalled.set()
    paused, queued = library.downloads.get(first.id), library.downloads.get(second.id)
    assert paused is not None and paused.state == DownloadState.PAUSED
    assert paused.received_bytes == 50_000
    assert queued is not None and queued.state == DownloadState.QUEUED
    assert queued.received_bytes == 50_000
    assert manager.local_file_for(first.id) is None


def test_busy_server_is_retried_and_a_vanished_partial_starts_over(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    body = audio_bytes(SIZE)
    answers = iter([503, 200])

    def busy_then_fine(request) -> None:
        status = next(answers)
        request.send_response(status)
        request.send_header("Content-Type", "audio/mpeg")
        request.send_header("Content-Length", str(len(body) if status == 200 else 0))
        request.end_headers()
        if status == 200:
            request.wfile.write(body)

    http_server.route("/busy.mp3", handler=busy_then_fine)
    episode = add_episode(library, http_server.url("/busy.mp3"))
    assert episode.id is not None
    manager = make_manager(retry_delays_s=(0.0,))
    manager.start(episode.id)
    assert manager.wait_until_idle(15)
    local = manager.local_file_for(episode.id)
    assert local is not None and local.read_bytes() == body

    route = http_server.route("/v.mp3", body=body, content_type="audio/mpeg", drop_after=4000)
    second = add_episode(library, http_server.url("/v.mp3"), title="Vanished")
    assert second.id is not None
    manager.start(second.id)
    assert manager.wait_until_idle(15)
    record = library.downloads.get(second.id)
    assert record is not None and record.file_path
    part_path(Path(record.file_path)).unlink()  # the user tidied up by hand
    route.drop_after = None
    manager.retry(second.id)
    assert manager.wait_until_idle(15)
    local = manager.local_file_for(second.id)
    assert local is not None and local.read_bytes() == body and local.name == "Vanished.mp3"


def test_quit_keeps_queued_and_paused_downloads_as_they_were(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    http_server.route(
        "/slow.mp3", body=audio_bytes(SIZE), content_type="audio/mpeg", trickle_interval=0.001
    )
    ids = []
    for number in range(3):
        episode = add_episode(library, http_server.url("/slow.mp3"), title=f"E{number}")
        assert episode.id is not None
        ids.append(episode.id)
    manager = make_manager(max_parallel=1)
    for episode_id in ids:
        manager.start(episode_id)
    wait_for_state(manager, ids[0], DownloadState.DOWNLOADING)
    manager.pause(ids[1])
    manager.shutdown()
    assert manager.is_idle() and manager.wait_until_idle(1)
    states = [library.downloads.get(i).state for i in ids]  # type: ignore[union-attr]
    assert states == [DownloadState.QUEUED, DownloadState.PAUSED, DownloadState.QUEUED]
    with pytest.raises(DownloadError, match="closing"):
        manager.start(ids[1])


def feed(base: str, items: list[str]) -> bytes:
    entries = "".join(
        f"<item><title>{name}</title><guid>{name}</guid>"
        f'<enclosure url="{base}/{name}.mp3" type="audio/mpeg" length="5000"/></item>'
        for name in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Auto</title>{entries}'
        "</channel></rss>"
    ).encode()


def test_refresh_results_queue_new_episodes_of_auto_download_podcasts(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager, http
) -> None:
    from podplayer.core.feeds.service import FeedService

    for name in ("old", "new1", "new2"):
        http_server.route(f"/{name}.mp3", body=audio_bytes(5000), content_type="audio/mpeg")
    route = http_server.route(
        "/feed.xml", body=feed(http_server.base_url, ["old"]), content_type="application/rss+xml"
    )
    feeds = FeedService(library, http)
    podcast = feeds.subscribe(http_server.url("/feed.xml")).podcast
    assert podcast.id is not None
    manager = make_manager()
    assert manager.restore() == [] and manager.restore() == []
    route.body = feed(http_server.base_url, ["old", "new1", "new2"])
    results = feeds.refresh([podcast.id])
    assert manager.auto_download_after_refresh(results) == []  # auto-download is off
    stored = library.podcasts.get(podcast.id)
    assert stored is not None
    stored.auto_download = True
    library.podcasts.update(stored)
    route.body = feed(http_server.base_url, ["old", "new1", "new2", "new3"])
    http_server.route("/new3.mp3", body=audio_bytes(5000), content_type="audio/mpeg")
    results = feeds.refresh([podcast.id])
    queued = manager.auto_download_after_refresh(results)
    assert manager.wait_until_idle(15)
    titles = {library.episodes.get(i).title for i in queued}  # type: ignore[union-attr]
    assert titles == {"new3"}
    assert manager.local_file_for(queued[0]) is not None


def test_quick_changes_of_mind_end_in_the_last_wish(
    http_server: TestHttpServer, library: Library, make_manager: MakeManager
) -> None:
    body = audio_bytes(100_000)
    route = http_server.route(
        "/m.mp3", body=body, content_type="audio/mpeg", etag='"m"', trickle_interval=0.0002
    )
    episode = add_episode(library, http_server.url("/m.mp3"))
    assert episode.id is not None
    manager = make_manager()

    def started() -> None:
        manager.start(episode.id)  # type: ignore[arg-type]
        wait_for_bytes(manager, episode.id, 1000)

    started()
    manager.pause(episode.id)
    manager.resume(episode.id)
    manager.pause(episode.id)
    assert manager.wait_until_idle(10)
    assert manager.progress(episode.id).state == DownloadState.PAUSED  # type: ignore[union-attr]

    manager.resume(episode.id)
    deadline = time.monotonic() + 10
    while (
        manager.progress(episode.id).state != DownloadState.DOWNLOADING  # type: ignore[union-attr]
        and time.monotonic() < deadline
    ):
        time.sleep(0.005)
    manager.cancel(episode.id)
    manager.retry(episode.id)
    manager.cancel(episode.id)
    manager.cancel(episode.id)
    assert manager.wait_until_idle(10)
    assert manager.progress(episode.id).state == DownloadState.CANCELLED  # type: ignore[union-attr]

    route.trickle_interval = None
    started()
    manager.cancel(episode.id)
    manager.retry(episode.id)
    assert manager.wait_until_idle(10)
    local = manager.local_file_for(episode.id)
    assert local is not None and local.read_bytes() == body
    assert list(local.parent.iterdir()) == [local]


def test_random_clicks_never_break_a_download(
    http_server: TestHttpServer,
    library: Library,
    make_manager: MakeManager,
    app_paths: AppPaths,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import random

    rng = random.Random(7)
    bodies = {}
    ids = []
    for number in range(5):
        body = audio_bytes(6_000 + number)
        http_server.route(
            f"/x{number}.mp3",
            body=body,
            content_type="audio/mpeg",
            etag=f'"{number}"',
            trickle_interval=0.00005,
        )
        episode = add_episode(library, http_server.url(f"/x{number}.mp3"), title=f"X{number}")
        assert episode.id is not None
        ids.append(episode.id)
        bodies[episode.id] = body
    manager = make_manager(retry_delays_s=(0.0,))
    commands = [
        manager.start,
        manager.pause,
        manager.resume,
        manager.cancel,
        manager.retry,
        manager.delete,
    ]
    for _ in range(80):
        rng.choice(commands)(rng.choice(ids))
        time.sleep(rng.random() * 0.01)
    for episode_id in ids:
        manager.start(episode_id)
    assert manager.wait_until_idle(30)
    for episode_id in ids:
        if manager.progress(episode_id).state != DownloadState.COMPLETED:  # type: ignore[union-attr]
            manager.retry(episode_id)
    assert manager.wait_until_idle(30)
    for episode_id in ids:
        local = manager.local_file_for(episode_id)
        assert local is not None, manager.progress(episode_id)
        assert local.read_bytes() == bodies[episode_id]
    names = files_under(app_paths.downloads_dir)
    assert not [name for name in names if name.endswith(".part")]
    assert len(names) == len(ids)
    assert [r.getMessage() for r in caplog.records if r.levelname in ("ERROR", "WARNING")] == []


@pytest.mark.parametrize(
    "disposition",
    [
        'attachment; filename="../../../.bashrc"',
        "attachment; filename*=UTF-8''..%2F..%2Fevil.desktop",
        'attachment; filename="/etc/cron.d/job.sh"',
        'attachment; filename="C:\\\\Windows\\\\evil.exe"',
        'attachment; filename="CON"',
    ],
)
def test_a_hostile_server_file_name_lands_inside_the_podcast_folder(
    http_server: TestHttpServer,
    library: Library,
    make_manager: MakeManager,
    app_paths: AppPaths,
    tmp_path: Path,
    disposition: str,
) -> None:
    body = audio_bytes(5_000)
    http_server.route(
        "/get", body=body, content_type="application/octet-stream",
        headers={"Content-Disposition": disposition},
    )  # fmt: skip
    episode = add_episode(library, http_server.url("/get"), title="")
    assert episode.id is not None
    outside_before = sorted(p.name for p in tmp_path.iterdir())
    manager = make_manager()
    manager.start(episode.id)
    assert manager.wait_until_idle(15)
    local = manager.local_file_for(episode.id)
    assert local is not None and local.read_bytes() == body
    assert local.parent == app_paths.downloads_dir / "Show"
    assert local.suffix == ".mp3"
    assert files_under(app_paths.downloads_dir) == [f"Show/{local.name}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == outside_before


def test_the_list_of_downloads_is_one_query_whatever_its_length(
    library: Library, make_manager: MakeManager
) -> None:
    for number in range(40):
        episode = add_episode(library, f"https://media.example/{number}.mp3", f"Episode {number}")
        assert episode.id is not None
        library.downloads.save(
            Download(episode_id=episode.id, url=episode.enclosure_url, state=DownloadState.FAILED)
        )
    manager = make_manager()
    statements: list[str] = []
    library.db.connection().set_trace_callback(statements.append)
    try:
        listed = manager.downloads()
    finally:
        library.db.connection().set_trace_callback(None)
    assert len(listed) == 40
    assert {item.title for item in listed} == {f"Episode {n}" for n in range(40)}
    assert len(statements) == 1, statements
