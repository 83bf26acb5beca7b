"""Shared fixtures: every test keeps its files in its own folder."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from podplayer.core.paths import HOME_VARIABLE, AppPaths
from tests.http_server import TestHttpServer

# Never the user's own keyring: secrets go to the 0600 file in the test's config folder, in this
# process and in the podplayer processes tests start (tests/core/test_credentials.py tests both).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

_real_getaddrinfo = socket.getaddrinfo
OFF_MACHINE_LOOKUPS: list[str] = []


def _loopback_only_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    """Tests reach 127.0.0.1 and nothing else: any other host fails as unknown, and is listed."""
    name = host.decode() if isinstance(host, bytes) else str(host)
    try:
        loopback = name == "localhost" or ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if not loopback and host is not None:
        OFF_MACHINE_LOOKUPS.append(name)
        raise socket.gaierror(socket.EAI_NONAME, f"tests may not reach {name}")
    return _real_getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _loopback_only_getaddrinfo


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if OFF_MACHINE_LOOKUPS:
        hosts = ", ".join(sorted(set(OFF_MACHINE_LOOKUPS)))
        terminalreporter.write_line(f"Refused lookups of hosts off this machine: {hosts}")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point PODPLAYER_HOME (and XDG folders) at a temp folder so no test touches the real ones."""
    home = tmp_path / "podplayer-home"
    monkeypatch.setenv(HOME_VARIABLE, str(home))
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    yield home


@pytest.fixture
def app_paths(isolated_home: Path) -> AppPaths:
    paths = AppPaths.in_folder(isolated_home)
    paths.create()
    return paths


@pytest.fixture
def http_server() -> Iterator[TestHttpServer]:
    """A real HTTP server on 127.0.0.1 (Range, ETag, Last-Modified, redirects, misbehaviour)."""
    server = TestHttpServer().start()
    yield server
    server.stop()
