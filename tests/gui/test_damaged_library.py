"""A damaged library opens with an explanation; a newer one stops the app; both files are kept."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from podplayer.app import run_gui
from podplayer.core.paths import AppPaths
from podplayer.engine.fake import FakeEngine
from tests.gui.conftest import open_window


def test_window_opens_over_a_damaged_library_and_explains(
    app_paths: AppPaths, qtbot: QtBot
) -> None:
    garbage = b"SQLite format 3\x00" + b"\xff" * 5000
    app_paths.database.write_bytes(garbage)
    services, window = open_window(app_paths, qtbot, FakeEngine())
    try:
        window.show()
        assert window.banner.isVisible()
        assert "damaged" in window.banner.text() and window.banner.text().endswith(".")
        [kept] = [p for p in app_paths.data_dir.iterdir() if ".corrupt-" in p.name]
        assert kept.read_bytes() == garbage and kept.name in window.banner.text()
    finally:
        window.close()
        services.close()


def test_a_library_from_a_newer_version_stops_the_app_with_a_sentence(
    app_paths: AppPaths, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite3.connect(app_paths.database) as connection:
        connection.execute("CREATE TABLE future (x)")
        connection.execute("PRAGMA user_version = 999")
    before = app_paths.database.read_bytes()
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda parent, title, text, *args: shown.append(text)
    )
    assert run_gui(app_paths.data_dir) == 1
    [message] = shown
    assert "newer version of podplayer" in message and message.endswith(".")
    assert app_paths.database.read_bytes() == before
