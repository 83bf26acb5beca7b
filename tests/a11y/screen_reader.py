"""The real app in its own process, read through AT-SPI and driven by key presses, as Orca does.

Each test gets: a private D-Bus session bus, the AT-SPI accessibility bus on it, podplayer started
as a user starts it (its own process, real libvlc with a silent audio output, accessibility on),
a screen-reader client (Debian's python3 with pyatspi, see atspi_client.py), keys typed into the
X display with xdotool, and playerctl reading MPRIS. Nothing inside the app is touched.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
APP_NAME = "podplayer"


def missing_tools() -> str | None:
    """Why this machine cannot run the screen-reader tests, or None when it can."""
    if not os.environ.get("DISPLAY"):
        return "no X display (run the tests under xvfb-run, as make test does)"
    for tool in ("dbus-daemon", "xdotool", "playerctl", "openbox", "gdbus"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (make test installs it)"
    if not Path(BUS_LAUNCHER).exists():
        return "at-spi2-core is not installed (make test installs it)"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
    if probe.returncode != 0:
        return "Debian's python3-pyatspi is not installed (make test installs it)"
    return None


def wait_until(condition: Callable[[], Any], timeout_s: float, what: str) -> Any:
    """Poll until condition() returns something true; fail with what was awaited."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(0.1)


class Desktop:
    """A session bus with the accessibility bus on it; the environment a desktop app gets."""

    def __init__(self, home: Path) -> None:
        started = subprocess.run(
            ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
        address, pid = started.stdout.split()[:2]
        self._bus_pid = int(pid)
        self.environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "DISPLAY": os.environ["DISPLAY"],
            "XAUTHORITY": os.environ.get("XAUTHORITY", ""),
            "DBUS_SESSION_BUS_ADDRESS": address,
            "LANG": "C.UTF-8",
        }
        self._launcher = subprocess.Popen(
            [BUS_LAUNCHER, "--launch-immediately"],
            env=self.environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # A window manager gives a dialog the keyboard when it opens, as on any desktop.
        self._window_manager = subprocess.Popen(
            ["openbox", "--sm-disable"],
            env=self.environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def close(self) -> None:
        for process in (self._window_manager, self._launcher):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        os.kill(self._bus_pid, signal.SIGTERM)


class ScreenReader:
    """Finds and reads accessibles by role and name; records announcements and focus moves."""

    def __init__(self, desktop: Desktop) -> None:
        self._client = subprocess.Popen(
            [SYSTEM_PYTHON, str(Path(__file__).with_name("atspi_client.py"))],
            env=desktop.environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.heard: list[dict[str, Any]] = []

    def _ask(self, **request: Any) -> Any:
        assert self._client.stdin is not None and self._client.stdout is not None
        self._client.stdin.write(json.dumps({"app": APP_NAME, **request}) + "\n")
        self._client.stdin.flush()
        return json.loads(self._client.stdout.readline())

    def find(self, **query: Any) -> list[dict[str, Any]]:
        """Every showing accessible with this role / name / name_contains."""
        return list(self._ask(command="find", showing=True, **query))

    def one(self, timeout_s: float = 15, **query: Any) -> dict[str, Any]:
        """The first showing accessible that matches, waited for."""
        found = wait_until(lambda: self.find(**query), timeout_s, f"an accessible {query}")
        return dict(found[0])

    def focus(self) -> dict[str, Any] | None:
        """Where the keyboard focus is, as the last focus event told (what Orca speaks)."""
        self.events()
        for event in reversed(self.heard):
            if event["type"] == "object:state-changed:focused" and event["detail1"] == 1:
                return dict(event)
        return None

    def focus_moves(self) -> int:
        """How many focus moves the app has reported so far."""
        self.events()
        return sum(
            1
            for event in self.heard
            if event["type"] == "object:state-changed:focused" and event["detail1"] == 1
        )

    def focus_is(self, timeout_s: float = 10, **query: Any) -> dict[str, Any]:
        """Wait until the focus is on an accessible with this role / name / name_contains."""

        def there() -> dict[str, Any] | None:
            focus = self.focus()
            if focus is None:
                return None
            if "role" in query and focus.get("role") != query["role"]:
                return None
            if "name" in query and focus.get("name") != query["name"]:
                return None
            if "name_contains" in query and query["name_contains"] not in focus.get("name", ""):
                return None
            return focus

        return dict(wait_until(there, timeout_s, f"the focus on {query} (it is on {self.focus()})"))

    def press_action(self, action: str, **query: Any) -> bool:
        return bool(self._ask(command="action", action=action, **query))

    def events(self) -> list[dict[str, Any]]:
        """What the app told assistive technology since the last call (also kept in heard)."""
        new = list(self._ask(command="events"))
        self.heard.extend(new)
        return new

    def announced(self, words: str, timeout_s: float = 10) -> dict[str, Any]:
        """Wait for an announcement that contains words."""

        def heard() -> dict[str, Any] | None:
            self.events()
            for event in self.heard:
                if event["type"].startswith("object:announcement") and words in event["detail"]:
                    return event
            return None

        return dict(wait_until(heard, timeout_s, f"an announcement of {words!r}"))

    def close(self) -> None:
        if self._client.stdin is not None:
            self._client.stdin.close()
        try:
            self._client.wait(10)
        except subprocess.TimeoutExpired:
            self._client.kill()


class RunningApp:
    """``python -m podplayer`` as a user starts it, with its window focused for key presses."""

    def __init__(self, desktop: Desktop, data_dir: Path) -> None:
        self.environment = desktop.environment | {
            "PYTHONPATH": str(ROOT),
            "QT_QPA_PLATFORM": "xcb",
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
            "PODPLAYER_AUDIO_OUTPUT": "adummy",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "podplayer", "--data-dir", str(data_dir)],
            env=self.environment,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def focus_window(self) -> None:
        """Give the window the keyboard, as clicking it or a window manager would. The window
        manager may still be starting (it refuses until it is up), so this tries until it works;
        the caller waits for the frame's "active" state to know the keyboard arrived."""

        def activated() -> bool:
            for window in reversed(self._window_ids()):
                try:
                    done = subprocess.run(
                        ["xdotool", "windowactivate", window],
                        env=self.environment,
                        capture_output=True,
                        timeout=10,
                    )
                except subprocess.TimeoutExpired:
                    continue
                if done.returncode == 0:
                    return True
            return False

        wait_until(activated, 60, "the window manager to activate the podplayer window")

    def _window_ids(self) -> list[str]:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--pid", str(self.process.pid)],
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=10,
        )
        return found.stdout.split()

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.environment, check=True, timeout=20)

    def keys(self, *keys: str) -> None:
        """Press keys one after another (xdotool names: ctrl+l, Return, Tab, F6, bracketright)."""
        for key in keys:
            self.xdotool("key", "--clearmodifiers", key)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "20", text)

    def mpris(self, *args: str) -> str:
        """playerctl's answer about podplayer on the session bus."""
        done = subprocess.run(
            ["playerctl", "--player=podplayer", *args],
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=20,
        )
        return done.stdout.strip()

    def close(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            output, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        return output
