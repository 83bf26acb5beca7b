"""A private D-Bus session bus for the desktop tests, started by the tests themselves."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtDBus import QDBusConnection


@pytest.fixture(scope="session")
def dbus_address() -> Iterator[str]:
    """Start a session bus daemon of our own; skip (with the reason) where none can start."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon is not installed (Debian package dbus), so no session bus")
    try:
        started = subprocess.run(
            ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"a D-Bus session daemon could not be started here: {exc}")
    address, pid = started.stdout.split()[:2]
    yield address
    os.kill(int(pid), signal.SIGTERM)


@pytest.fixture
def bus(dbus_address: str) -> Iterator[QDBusConnection]:
    """A fresh connection to the private bus (never the user's real session bus)."""
    name = f"podplayer-test-{uuid.uuid4().hex}"
    connection = QDBusConnection.connectToBus(dbus_address, name)
    assert connection.isConnected(), connection.lastError().message()
    yield connection
    QDBusConnection.disconnectFromBus(name)
