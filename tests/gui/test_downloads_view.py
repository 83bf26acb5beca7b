"""The downloads view follows a real download live and its buttons drive the manager."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from podplayer.core.downloads import DownloadManager
from podplayer.core.http import HttpClient
from podplayer.core.library import Library
from podplayer.core.models import DownloadState
from podplayer.core.paths import AppPaths
from podplayer.gui.models.downloads_model import ProgressRole
from podplayer.gui.views.downloads_view import DownloadsView
from tests.core.downloads.conftest import add_episode, audio_bytes
from tests.http_server import TestHttpServer


@pytest.fixture
def manager(app_paths: AppPaths) -> Iterator[tuple[DownloadManager, Library]]:
    library = Library.open(app_paths.database)
    http = HttpClient(connect_timeout=2, read_timeout=2)
    manager = DownloadManager(library, http, app_paths.downloads_dir, retry_delays_s=())
    yield manager, library
    manager.shutdown()
    http.close()
    library.close()


def state_of(view: DownloadsView, row: int = 0) -> DownloadState | None:
    progress = view.model.progress_at(row)
    return progress.state if progress else None


def test_view_shows_progress_and_buttons_act(
    qtbot: QtBot, http_server: TestHttpServer, manager: tuple[DownloadManager, Library]
) -> None:
    downloads, library = manager
    body = audio_bytes(40_000)
    route = http_server.route(
        "/slow.mp3", body=body, content_type="audio/mpeg", etag='"x"', trickle_interval=0.0003
    )
    episode = add_episode(library, http_server.url("/slow.mp3"), title="<b>Slow</b> one")
    assert episode.id is not None
    view = DownloadsView(downloads)
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    assert view.model.rowCount() == 0
    assert view.leftovers_button.isHidden()
    assert not any(button.isEnabled() for button in view.buttons.values())

    downloads.start(episode.id)
    qtbot.waitUntil(lambda: state_of(view) == DownloadState.DOWNLOADING, timeout=10_000)
    assert view.model.index(0, 0).data() == "<b>Slow</b> one"
    view.table.selectRow(0)
    assert view.buttons["pause"].isEnabled() and not view.buttons["resume"].isEnabled()
    qtbot.waitUntil(
        lambda: view.model.progress_at(0).received_bytes > 2000,  # type: ignore[union-attr]
        timeout=10_000,
    )
    assert "of 40.0 kB" in view.model.index(0, 1).data()
    view.grab()  # paints the progress-bar delegate
    qtbot.mouseClick(view.buttons["pause"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state_of(view) == DownloadState.PAUSED, timeout=10_000)
    assert view.buttons["resume"].isEnabled() and not view.buttons["pause"].isEnabled()
    assert view.model.index(0, 1).data().startswith("Paused at")

    route.trickle_interval = None
    qtbot.mouseClick(view.buttons["resume"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state_of(view) == DownloadState.COMPLETED, timeout=10_000)
    local = downloads.local_file_for(episode.id)
    assert local is not None and local.read_bytes() == body
    assert view.model.index(0, 1).data() == "Downloaded, 40.0 kB"
    assert view.model.index(0, 1).data(ProgressRole).state == DownloadState.COMPLETED
    view.table.selectRow(0)
    assert view.buttons["delete"].isEnabled() and not view.buttons["retry"].isEnabled()
    qtbot.mouseClick(view.buttons["delete"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5_000)
    assert not Path(local).exists()


def test_view_lists_existing_downloads_and_retries_failures(
    qtbot: QtBot, http_server: TestHttpServer, manager: tuple[DownloadManager, Library]
) -> None:
    downloads, library = manager
    episode = add_episode(library, http_server.url("/later.mp3"), title="Later")
    assert episode.id is not None
    downloads.start(episode.id)
    assert downloads.wait_until_idle(10)
    leftover = downloads.download_folder() / "Show" / "Old.mp3.part"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"x")
    view = DownloadsView(downloads)
    qtbot.addWidget(view)
    assert not view.leftovers_button.isHidden()
    qtbot.mouseClick(view.leftovers_button, Qt.MouseButton.LeftButton)
    assert not leftover.exists() and view.leftovers_button.isHidden()
    assert view.message.text() == "Removed 1 leftover partial file."
    assert state_of(view) == DownloadState.FAILED
    assert "HTTP status 404" in view.model.index(0, 1).data()
    http_server.route("/later.mp3", body=audio_bytes(5000), content_type="audio/mpeg")
    view.select_episode(episode.id)
    qtbot.mouseClick(view.buttons["retry"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state_of(view) == DownloadState.COMPLETED, timeout=10_000)
