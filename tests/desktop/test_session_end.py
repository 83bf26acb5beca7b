"""A running podplayer ended by SIGTERM (a session logout) or SIGINT saves what a close saves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from podplayer.core.models import Episode, Podcast
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from tests.desktop.dbus_clients import bus_environment

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30


def _wait_for(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_signal_ends_the_app_like_a_close(
    number: signal.Signals, dbus_address: str, tmp_path: Path
) -> None:
    paths = AppPaths.in_folder(tmp_path / "data")
    paths.create()
    library = Library.open(paths.database)
    podcast = library.podcasts.add(Podcast(url="http://127.0.0.1/feed.xml", title="Signals"))
    assert podcast.id is not None
    library.episodes.add(Episode(podcast_id=podcast.id, guid="s1", title="One"))
    library.settings.set("demo.offered", True)
    library.close()
    environment = bus_environment(dbus_address) | {
        "DISPLAY": os.environ.get("DISPLAY", ""),
        "XAUTHORITY": os.environ.get("XAUTHORITY", ""),
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "xcb"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "podplayer", "--data-dir", str(paths.data_dir)],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    marker = paths.database.with_name(f"{paths.database.name}.open-{process.pid}")
    try:
        # The library is open (its marker exists) once the services are built; give the
        # window a moment to show, then end the session.
        assert _wait_for(marker.exists, START_TIMEOUT_S)
        time.sleep(1.0)
        assert process.poll() is None
        process.send_signal(number)
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert not marker.exists()  # the library was closed, not abandoned
    state = QSettings(str(paths.ui_state_file), QSettings.Format.IniFormat)
    assert state.value("window/geometry") is not None
    assert state.value("splitters/main") is not None
    assert state.value("episodes/view") == "all"
