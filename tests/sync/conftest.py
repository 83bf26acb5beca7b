"""Real sync servers on 127.0.0.1, started once per test session.

- gpodder-fastapi-router runs in its own virtual environment (``.venv-sync-server``, made by
  ``make test``/``make pytest``: it declares Python >= 3.12 and is installed with
  ``--ignore-requires-python``).
- oPodSync (PHP) comes from ``shared/servers`` beside the repository (or beside a folder above
  it), started by its ``start_opodsync.py``; skipped, with the reason, only when that is absent.

Each test gets a user of its own, so tests never see each other's data.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sync.recording_proxy import RecordingProxy

REPO = Path(__file__).resolve().parents[2]
ROUTER_PYTHON = REPO / ".venv-sync-server" / "bin" / "python"
ROUTER_MAIN = Path(__file__).with_name("gpodder_router_main.py")
PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, seconds: float = 30.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds:.0f} s")


def shared_servers() -> Path | None:
    """``shared/servers`` beside the repository or beside any folder above it."""
    for folder in REPO.parents:
        candidate = folder / "shared" / "servers"
        if (candidate / "start_opodsync.py").is_file():
            return candidate
    return None


@dataclass
class SyncServer:
    """A running server; ``new_user()`` gives a fresh account on it."""

    name: str
    url: str
    register: Callable[[str, str, str], None] | None = None

    def new_user(self) -> str:
        user = f"user{next(_counter)}"
        if self.register is not None:  # oPodSync: through its sign-up form
            self.register(self.url, user, PASSWORD)
            return user
        if self.name == "gpodder-fastapi-router":
            request = urllib.request.Request(
                f"{self.url}/api/2/auth/{user}/register.json",
                data=json.dumps({"password": PASSWORD}).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=10) as answer:
                assert answer.status == 201
        return user


class RouterProcess:
    """gpodder-fastapi-router in its own process; stop/start keep its database (server down)."""

    def __init__(self, folder: Path, port: int | None = None, bcrypt_rounds: int = 4) -> None:
        if not ROUTER_PYTHON.exists():
            reason = (
                f"gpodder-fastapi-router's environment {ROUTER_PYTHON.parent.parent} is missing; "
                "'make pytest' creates it"
            )
            if os.environ.get("CI"):
                pytest.fail(reason)
            pytest.skip(reason)  # raises: outside pytest too (bench/sync.py)
        self.database = folder / "gpodder.db"
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = folder / "router.log"
        self.bcrypt_rounds = bcrypt_rounds  # 4 for tests: password checks cost ~1 ms, not ~200

    def start(self) -> RouterProcess:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    *(str(ROUTER_PYTHON), str(ROUTER_MAIN), str(self.database), str(self.port)),
                    *("--bcrypt-rounds", str(self.bcrypt_rounds)),
                ],
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
            )
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture(scope="session")
def router_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    process = RouterProcess(tmp_path_factory.mktemp("gpodder-router")).start()
    yield SyncServer("gpodder-fastapi-router", process.url)
    process.stop()


@pytest.fixture(scope="session")
def opodsync_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    servers = shared_servers()
    if servers is None:
        pytest.skip(f"oPodSync is not here: no shared/servers beside {REPO} or above it")
    if shutil.which("php") is None:
        pytest.fail("php is missing: packaging/system-deps.sh test installs php8.2-cli")
    data = tmp_path_factory.mktemp("opodsync")
    script = servers / "start_opodsync.py"
    started = subprocess.run(
        [sys.executable, str(script), str(data), f"--user=first:{PASSWORD}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    info = json.loads(started.stdout.strip().splitlines()[-1])
    spec = importlib.util.spec_from_file_location("start_opodsync", script)
    assert spec is not None and spec.loader is not None
    starter = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(starter)
    yield SyncServer("oPodSync", info["url"], starter.register)
    os.kill(info["pid"], signal.SIGTERM)


@pytest.fixture(params=["router-gpodder", "opodsync-gpodder", "opodsync-nextcloud"])
def server_kind(request: pytest.FixtureRequest) -> tuple[SyncServer, str]:
    """Every flow on every server and protocol: (server, 'gpodder' or 'nextcloud')."""
    name, kind = str(request.param).split("-")
    fixture = "router_server" if name == "router" else "opodsync_server"
    server: SyncServer = request.getfixturevalue(fixture)
    return server, kind


@pytest.fixture
def proxy_to() -> Iterator[list[RecordingProxy]]:
    """Start proxies with ``proxy_to.append(RecordingProxy(url).start())``; all are stopped."""
    proxies: list[RecordingProxy] = []
    yield proxies
    for proxy in proxies:
        proxy.stop()
