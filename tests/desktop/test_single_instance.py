"""A second launch hands its links to the running podplayer; it never opens the library."""

from __future__ import annotations

import errno
import os
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from podplayer.core.paths import AppPaths
from podplayer.desktop.single_instance import (
    ACK,
    HANDOVER_TIMEOUT_MS,
    MAX_CONNECTIONS,
    MAX_MESSAGE_BYTES,
    HandOver,
    SingleInstance,
    hand_over,
    socket_name,
)


@pytest.fixture
def running(app_paths: AppPaths) -> Iterator[SingleInstance]:
    instance = SingleInstance(socket_name(app_paths.data_dir))
    assert instance.listen() == ""
    yield instance
    instance.close()


def launch(qtbot: QtBot, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Start podplayer as a desktop would, letting this test's loop answer the hand-over."""
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    if "XDG_RUNTIME_DIR" in os.environ:
        environment["XDG_RUNTIME_DIR"] = os.environ["XDG_RUNTIME_DIR"]
    process = subprocess.Popen(
        [sys.executable, "-m", "podplayer", "--data-dir", str(data_dir), *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        qtbot.waitUntil(lambda: process.poll() is not None, timeout=30000)
    finally:
        if process.poll() is None:
            process.kill()
    out, err = process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def hand_over_meanwhile(
    qtbot: QtBot, name: str, arguments: Sequence[str], timeout_ms: int = HANDOVER_TIMEOUT_MS
) -> HandOver:
    """Hand over from another thread while this test's event loop runs the listener."""
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(hand_over, name, arguments, timeout_ms)
        qtbot.waitUntil(result.done, timeout=timeout_ms + 5000)
        return result.result()


def connected(name: str) -> socket.socket:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(name)
    client.setblocking(False)
    return client


def hung_up(client: socket.socket) -> bool:
    """True once the other end closed this connection (without blocking the event loop)."""
    try:
        return client.recv(MAX_MESSAGE_BYTES) == b""
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True


def test_second_launch_hands_over_links_and_exits(
    qtbot: QtBot, running: SingleInstance, app_paths: AppPaths
) -> None:
    received: list[str] = []
    raised: list[bool] = []
    running.url_received.connect(received.append)
    running.raise_requested.connect(lambda: raised.append(True))
    app_paths.database.unlink(missing_ok=True)
    result = launch(
        qtbot,
        app_paths.data_dir,
        "feed://127.0.0.1/feed.xml",
        "podcast://127.0.0.1/other.rss",
        "https://127.0.0.1/third.xml",
    )
    assert result.returncode == 0, result.stderr
    assert "already running" in result.stdout
    assert received == [
        "https://127.0.0.1/feed.xml",
        "https://127.0.0.1/other.rss",
        "https://127.0.0.1/third.xml",
    ]
    assert raised == [True]
    assert not app_paths.database.exists()  # the second process never opened the library


def test_plain_second_launch_raises_the_window(
    qtbot: QtBot, running: SingleInstance, app_paths: AppPaths
) -> None:
    with qtbot.waitSignal(running.raise_requested, timeout=30000):
        result = launch(qtbot, app_paths.data_dir)
    assert result.returncode == 0, result.stderr


def test_other_data_folders_are_other_instances(tmp_path: Path, app_paths: AppPaths) -> None:
    assert socket_name(tmp_path / "a") != socket_name(tmp_path / "b")
    assert socket_name(app_paths.data_dir) == socket_name(
        app_paths.data_dir / ".." / "podplayer-home"
    )


def test_the_socket_is_where_earlier_versions_put_it(
    app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtNetwork import QLocalServer  # what podplayer used before, and only here

    # A short runtime folder, as a desktop's /run/user/UID is: tmp_path's length depends on the
    # user's name, and past MAX_SOCKET_PATH the socket falls back to the temp folder.
    runtime = Path(tempfile.mkdtemp(prefix="rt-", dir="/tmp"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", "relative/runtime")  # invalid: not absolute
    name = socket_name(app_paths.data_dir)
    assert Path(name).is_absolute()
    for runtime_dir in ("", str(runtime)):
        monkeypatch.setenv("XDG_RUNTIME_DIR", runtime_dir)
        name = socket_name(app_paths.data_dir)
        earlier = QLocalServer()
        earlier.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        assert earlier.listen(name), earlier.errorString()
        try:
            assert earlier.fullServerName() == name
        finally:
            earlier.close()
    assert Path(name).parent == runtime
    runtime.rmdir()


def test_an_earlier_version_hands_over_to_this_one(qtbot: QtBot, running: SingleInstance) -> None:
    from PySide6.QtNetwork import QLocalSocket

    received: list[str] = []
    running.url_received.connect(received.append)
    earlier = QLocalSocket()
    earlier.connectToServer(running.name)
    assert earlier.waitForConnected(2000)
    earlier.write(b'{"arguments": ["feed://127.0.0.1/feed.xml"]}\n')
    earlier.flush()
    qtbot.waitUntil(lambda: received == ["https://127.0.0.1/feed.xml"])
    qtbot.waitUntil(lambda: earlier.bytesAvailable() >= len(ACK))
    assert bytes(earlier.readAll().data()) == ACK
    earlier.abort()


def test_the_socket_file_is_for_this_user_only(running: SingleInstance) -> None:
    mode = os.stat(running.name).st_mode
    assert stat.S_ISSOCK(mode)
    assert stat.S_IMODE(mode) == 0o600


def test_stale_file_from_a_crash_is_replaced(app_paths: AppPaths) -> None:
    name = socket_name(app_paths.data_dir)
    Path(name).write_bytes(b"")  # what a killed podplayer can leave behind
    instance = SingleInstance(name)
    try:
        assert instance.listen() == ""
        assert stat.S_ISSOCK(os.stat(name).st_mode)
    finally:
        instance.close()


def test_dead_socket_from_a_crash_is_replaced(qtbot: QtBot, app_paths: AppPaths) -> None:
    name = socket_name(app_paths.data_dir)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as crashed:
        crashed.bind(name)
        crashed.listen()
    assert Path(name).exists()  # closing a socket leaves its file, as a killed process does
    assert hand_over(name, []) is HandOver.NOT_RUNNING
    instance = SingleInstance(name)
    try:
        assert instance.listen() == ""
        assert hand_over_meanwhile(qtbot, name, []) is HandOver.DELIVERED
    finally:
        instance.close()


def test_a_live_socket_is_not_taken_over(qtbot: QtBot, running: SingleInstance) -> None:
    latecomer = SingleInstance(running.name)
    problem = latecomer.listen()
    latecomer.close()
    assert "could not hand links" in problem
    assert "another program listens" in problem
    with qtbot.waitSignal(running.raise_requested):
        assert hand_over_meanwhile(qtbot, running.name, []) is HandOver.DELIVERED


def test_closing_removes_the_socket_file_but_not_a_newer_one(app_paths: AppPaths) -> None:
    name = socket_name(app_paths.data_dir)
    instance = SingleInstance(name)
    assert instance.listen() == ""
    instance.close()
    assert not Path(name).exists()

    assert instance.listen() == ""
    os.unlink(name)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as newer:
        newer.bind(name)
        instance.close()
        assert Path(name).exists()


def test_a_listener_that_does_not_answer_gives_no_answer_in_time(app_paths: AppPaths) -> None:
    name = socket_name(app_paths.data_dir)
    held: list[socket.socket] = []
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as silent:
        silent.bind(name)
        silent.listen()
        accepting = threading.Thread(target=lambda: held.append(silent.accept()[0]))
        accepting.start()
        started = time.monotonic()
        result = hand_over(name, ["feed://127.0.0.1/feed.xml"], timeout_ms=300)
        elapsed = time.monotonic() - started
        accepting.join()
    held[0].close()
    assert result is HandOver.NO_ANSWER
    assert 0.25 <= elapsed < 2.0


def test_a_listener_that_accepts_nobody_gives_no_answer_in_time(app_paths: AppPaths) -> None:
    name = socket_name(app_paths.data_dir)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stuck:
        stuck.bind(name)
        stuck.listen(0)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as waiting:
            waiting.connect(name)  # its queue is full now
            started = time.monotonic()
            result = hand_over(name, [], timeout_ms=300)
            elapsed = time.monotonic() - started
    assert result is HandOver.NO_ANSWER
    assert 0.25 <= elapsed < 2.0


def test_links_go_to_no_other_users_socket(
    app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = socket_name(app_paths.data_dir)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as foreign:
        foreign.bind(name)
        foreign.listen()
        real_user = os.geteuid()
        monkeypatch.setattr(os, "geteuid", lambda: real_user + 1)
        assert hand_over(name, ["feed://127.0.0.1/feed.xml"], timeout_ms=2000) is (
            HandOver.NOT_RUNNING
        )
        monkeypatch.undo()
        accepted, _ = foreign.accept()
        with accepted:
            assert accepted.recv(1024) == b""  # it was given nothing


def test_other_users_are_hung_up_on(
    qtbot: QtBot, running: SingleInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    raised: list[bool] = []
    running.raise_requested.connect(lambda: raised.append(True))
    real_user = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: real_user + 1)
    with connected(running.name) as stranger:
        stranger.sendall(b'{"arguments": []}\n')
        qtbot.waitUntil(lambda: hung_up(stranger))
    assert raised == []


def test_a_line_sent_in_pieces_is_put_together(qtbot: QtBot, running: SingleInstance) -> None:
    received: list[str] = []
    running.url_received.connect(received.append)
    message = b'{"arguments": ["feed://127.0.0.1/feed.xml"]}\n'
    with connected(running.name) as client:
        for start in range(0, len(message), 7):
            client.sendall(message[start : start + 7])
            qtbot.wait(10)
        qtbot.waitUntil(lambda: received == ["https://127.0.0.1/feed.xml"])
        client.setblocking(True)
        assert client.recv(len(ACK)) == ACK


def test_garbage_and_oversized_messages_are_harmless(qtbot: QtBot, running: SingleInstance) -> None:
    received: list[str] = []
    running.url_received.connect(received.append)
    for payload in (
        b"not json\n",
        b"\xff\xfe\n",
        b"[" * 60_000 + b"\n",
        b'{"arguments": "feed://127.0.0.1/x"}\n',
        b'{"arguments": [1, null, "javascript:alert(1)", "file:///etc/passwd"]}\n',
        b"x" * (MAX_MESSAGE_BYTES + 10),
    ):
        with connected(running.name) as client:
            client.setblocking(True)
            client.sendall(payload)
            client.setblocking(False)
            qtbot.waitUntil(lambda: hung_up(client))
    assert received == []
    assert hand_over_meanwhile(qtbot, running.name, ["feed://127.0.0.1/ok"]) is HandOver.DELIVERED
    assert received == ["https://127.0.0.1/ok"]


def test_idle_connections_are_limited(qtbot: QtBot, running: SingleInstance) -> None:
    idle = [connected(running.name) for _ in range(MAX_CONNECTIONS)]
    qtbot.wait(100)
    with connected(running.name) as one_too_many:
        qtbot.waitUntil(lambda: hung_up(one_too_many))
    assert not any(hung_up(client) for client in idle)
    for client in idle:
        client.close()
    qtbot.wait(200)  # the listener sees them hang up
    assert hand_over_meanwhile(qtbot, running.name, []) is HandOver.DELIVERED


def test_running_out_of_file_descriptors_stops_listening_instead_of_spinning(
    qtbot: QtBot, running: SingleInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    def out_of_descriptors(self: socket.socket) -> tuple[socket.socket, object]:
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(socket.socket, "accept", out_of_descriptors)
    with connected(running.name):
        qtbot.waitUntil(lambda: not Path(running.name).exists())
