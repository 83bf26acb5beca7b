"""A damaged library file: the window still opens, says what happened, and the file is kept."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

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
