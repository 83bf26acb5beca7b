"""Runs real D-Bus clients (playerctl, gdbus, dbus-monitor) against the tests' private bus.

The app answers the bus on the test's own event loop, so a client is never waited for with a
blocking call: the loop keeps turning until the client is done.
"""

from __future__ import annotations

import os
import subprocess

from PySide6.QtCore import QProcess, QProcessEnvironment
from pytestqt.qtbot import QtBot


def bus_environment(address: str) -> dict[str, str]:
    """The environment for a client that must talk to the private bus only."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DBUS_SESSION_BUS_ADDRESS": address,
        "HOME": os.environ.get("HOME", "/tmp"),
    }


def run_client(qtbot: QtBot, address: str, *argv: str, timeout_ms: int = 15000) -> str:
    """Run a client to its end while the Qt loop serves the bus; returns its stdout."""
    process = subprocess.Popen(
        list(argv),
        env=bus_environment(address),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        qtbot.waitUntil(lambda: process.poll() is not None, timeout=timeout_ms)
    finally:
        if process.poll() is None:
            process.kill()
    out, err = process.communicate()
    assert process.returncode == 0, f"{argv} failed: {err}"
    return out.strip()


def playerctl(qtbot: QtBot, address: str, *args: str) -> str:
    return run_client(qtbot, address, "playerctl", "--player=podplayer", *args)


def call_method(qtbot: QtBot, address: str, bus_name: str, method: str, *args: str) -> str:
    """Call ``method`` (interface.Name) on the MPRIS object with gdbus; returns what it prints."""
    return run_client(
        qtbot,
        address,
        *("gdbus", "call", "--session", "--dest", bus_name),
        *("--object-path", "/org/mpris/MediaPlayer2", "--method", method),
        *args,
    )


def get_property(qtbot: QtBot, address: str, bus_name: str, interface: str, name: str) -> str:
    """A property as gdbus prints it, e.g. ``(<1.5>,)``."""
    return call_method(
        qtbot, address, bus_name, "org.freedesktop.DBus.Properties.Get", interface, name
    )


class FollowingClient:
    """A long-running client (``playerctl --follow``, dbus-monitor) whose output is collected."""

    def __init__(self, qtbot: QtBot, address: str, *argv: str) -> None:
        self._qtbot = qtbot
        self.output = ""
        self._process = QProcess()
        environment = QProcessEnvironment()
        for key, value in bus_environment(address).items():
            environment.insert(key, value)
        self._process.setProcessEnvironment(environment)
        self._process.readyReadStandardOutput.connect(self._read)
        self._process.start(argv[0], list(argv[1:]))
        assert self._process.waitForStarted(5000)

    def _read(self) -> None:
        self.output += bytes(self._process.readAllStandardOutput().data()).decode()

    def wait_for(self, text: str, timeout_ms: int = 10000) -> None:
        self._qtbot.waitUntil(lambda: text in self.output, timeout=timeout_ms)

    def close(self) -> None:
        self._process.kill()
        self._process.waitForFinished(5000)
