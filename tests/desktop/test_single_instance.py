"""A second launch hands its links to the running podplayer; it never opens the library."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from podplayer.core.paths import AppPaths
from podplayer.desktop.single_instance import (
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


def test_a_start_with_nothing_running_checks_the_socket_file_without_qtnetwork(
    tmp_path: Path,
) -> None:
    probe = (
        "import sys\n"
        "from podplayer.desktop.single_instance import hand_over\n"
        f"print(hand_over({str(tmp_path / 'none.socket')!r}, []).name, "
        "'PySide6.QtNetwork' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["NOT_RUNNING", "False"]


def test_a_socket_file_nobody_listens_on_is_not_running(app_paths: AppPaths) -> None:
    name = socket_name(app_paths.data_dir)
    Path(name).write_bytes(b"")  # what a killed podplayer can leave behind
    try:
        assert (
            hand_over(name, ["feed://127.0.0.1/feed.xml"], timeout_ms=500) is HandOver.NOT_RUNNING
        )
    finally:
        Path(name).unlink()


def test_stale_socket_from_a_crash_is_replaced(app_paths: AppPaths) -> None:
    name = socket_name(app_paths.data_dir)
    Path(name).write_bytes(b"")  # what a killed podplayer can leave behind
    instance = SingleInstance(name)
    try:
        assert instance.listen() == ""
    finally:
        instance.close()


def test_garbage_and_oversized_messages_are_harmless(qtbot: QtBot, running: SingleInstance) -> None:
    received: list[str] = []
    running.url_received.connect(received.append)
    for payload in (
        b"not json\n",
        b'{"arguments": "feed://127.0.0.1/x"}\n',
        b'{"arguments": [1, null, "javascript:alert(1)", "file:///etc/passwd"]}\n',
        b"x" * (MAX_MESSAGE_BYTES + 10),
    ):
        socket = QLocalSocket()
        socket.connectToServer(running.name)
        assert socket.waitForConnected(2000)
        socket.write(payload)
        socket.flush()
        qtbot.wait(100)
        socket.abort()
    assert received == []
