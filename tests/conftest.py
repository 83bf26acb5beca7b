"""Shared fixtures: every test keeps its files in its own folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from podplayer.core.paths import HOME_VARIABLE, AppPaths
from tests.http_server import TestHttpServer


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
