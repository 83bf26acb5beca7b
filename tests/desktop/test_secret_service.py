"""Secrets in a real Secret Service: gnome-keyring-daemon on a private D-Bus session bus.

podplayer finds the keyring by itself (keyring's SecretService backend), keeps the password
there and starts no secrets.json; another process reads it back. Skipped, with the reason,
where gnome-keyring-daemon or dbus-daemon is missing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

STORE = (
    "import sys; from pathlib import Path; from podplayer.core.credentials import SecretStore\n"
    "store = SecretStore(Path(sys.argv[1]))\n"
    "if sys.argv[2] == 'set': store.set('feed-password:test', 's3cret')\n"
    "print(store.uses_keyring, store.get('feed-password:test'))\n"
)


@pytest.fixture
def secret_service(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a session with an unlocked gnome-keyring (its own bus and home)."""
    for program in ("dbus-daemon", "gnome-keyring-daemon", "gdbus"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed (packaging/system-deps.sh test installs it)")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_RUNTIME_DIR": str(runtime),
    }
    started = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
        env=env,
    )
    address, bus_pid = started.stdout.split()[:2]
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    keyring_daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert keyring_daemon.stdin is not None
    keyring_daemon.stdin.write(b"test-login-password")
    keyring_daemon.stdin.close()
    try:
        deadline = time.monotonic() + 15
        while not _has_owner(env, "org.freedesktop.secrets"):
            if time.monotonic() > deadline:
                pytest.skip("gnome-keyring-daemon did not offer the Secret Service here")
            time.sleep(0.1)
        yield env
    finally:
        keyring_daemon.terminate()
        keyring_daemon.wait(10)
        os.kill(int(bus_pid), signal.SIGTERM)


def _has_owner(env: dict[str, str], name: str) -> bool:
    answer = subprocess.run(
        [
            "gdbus",
            "call",
            "--session",
            "--dest",
            "org.freedesktop.DBus",
            "--object-path",
            "/org/freedesktop/DBus",
            "--method",
            "org.freedesktop.DBus.NameHasOwner",
            name,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=10,
    )
    return "true" in answer.stdout


def test_passwords_go_to_the_secret_service_when_one_answers(
    secret_service: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "config"

    def store(action: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", STORE, str(config), action],
            capture_output=True,
            text=True,
            env=secret_service,  # no PYTHON_KEYRING_BACKEND: keyring looks for itself
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert store("set") == "True s3cret"
    assert store("get") == "True s3cret"  # another process reads it from the keyring
    assert not (config / "secrets.json").exists()
