"""Bundled files are readable by URL; other local files named by a feed are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from podplayer.core.http import HttpClient, HttpError
from podplayer.core.resource_fetch import ResourceFetcher


def test_only_trusted_folders_are_read(tmp_path: Path) -> None:
    trusted = tmp_path / "resources"
    trusted.mkdir()
    (trusted / "chapters.json").write_bytes(b"{}")
    (tmp_path / "secret.txt").write_text("private")
    fetcher = ResourceFetcher(HttpClient(), [trusted])
    assert fetcher.get_bytes((trusted / "chapters.json").as_uri()) == b"{}"
    assert fetcher.get((trusted / "chapters.json").as_uri()).headers["Content-Type"] == (
        "application/json"
    )
    for url in (
        (tmp_path / "secret.txt").as_uri(),
        (trusted / ".." / "secret.txt").as_uri(),
        "file:///etc/passwd",
    ):
        with pytest.raises(HttpError, match="does not open local files"):
            fetcher.get_bytes(url)
    with pytest.raises(HttpError):
        fetcher.get_bytes("smb://host/share")
