"""The downloads view follows a real download live and its buttons drive the manager."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from podplayer.background import BackgroundWork
from podplayer.core.downloads import DownloadManager
from podplayer.core.http import HttpClient
from podplayer.core.models import DownloadState
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from podplayer.gui.downloads_session import DownloadsSession
from podplayer.gui.models.downloads_model import ProgressRole, StatusTextRole
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
    view = DownloadsView(DownloadsSession(downloads, BackgroundWork(synchronous=True)))
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    assert view.model.rowCount() == 0
    assert not view.leftovers_action.isVisible()
    assert not any(action.isEnabled() for action in view.actions_by_name.values())

    downloads.start(episode.id)
    qtbot.waitUntil(lambda: state_of(view) == DownloadState.DOWNLOADING, timeout=10_000)
    assert view.model.index(0).data() == "<b>Slow</b> one"
    assert "&lt;b&gt;Slow" in view.model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    view.select_episode(episode.id)
    assert view.actions_by_name["pause"].isEnabled()
    assert not view.actions_by_name["resume"].isEnabled()
    qtbot.waitUntil(
        lambda: view.model.progress_at(0).received_bytes > 2000,  # type: ignore[union-attr]
        timeout=10_000,
    )
    assert "of 40.0 kB" in view.model.index(0).data(StatusTextRole)
    view.grab()  # paints the progress-bar delegate
    view.actions_by_name["pause"].trigger()
    qtbot.waitUntil(lambda: state_of(view) == DownloadState.PAUSED, timeout=10_000)
    assert view.actions_by_name["resume"].isEnabled()
    assert not view.actions_by_name["pause"].isEnabled()
    assert view.model.index(0).data(StatusTextRole).startswith("Paused at")

    route.trickle_interval = None
    view.actions_by_name["resume"].trigger()
    qtbot.waitUntil(lambda: state_of(view) == DownloadState.COMPLETED, timeout=10_000)
    local = downloads.local_file_for(episode.id)
    assert local is not None and local.read_bytes() == body
    assert view.model.index(0).data(StatusTextRole) == "Downloaded, 40.0 kB"
    assert view.model.index(0).data(ProgressRole).state == DownloadState.COMPLETED
    view.select_episode(episode.id)
    assert view.actions_by_name["delete"].isEnabled()
    assert not view.actions_by_name["retry"].isEnabled()
    view.actions_by_name["delete"].trigger()
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
    work = BackgroundWork()  # the look runs on a worker thread, as in the window
    view = DownloadsView(DownloadsSession(downloads, work))
    qtbot.addWidget(view)
    assert not view.leftovers_action.isVisible()  # looked for when the view is shown
    view.show()
    qtbot.waitUntil(view.leftovers_action.isVisible, timeout=5_000)
    view.leftovers_action.trigger()
    qtbot.waitUntil(lambda: not work.busy, timeout=5_000)
    assert not leftover.exists()
    assert not view.leftovers_action.isVisible()
    assert view.message.text() == "Removed 1 leftover partial file."
    assert state_of(view) == DownloadState.FAILED
    assert "HTTP status 404" in view.model.index(0).data(StatusTextRole)
    http_server.route("/later.mp3", body=audio_bytes(5000), content_type="audio/mpeg")
    view.select_episode(episode.id)
    assert "HTTP status 404" in view.message.text()
    view.actions_by_name["retry"].trigger()
    qtbot.waitUntil(lambda: state_of(view) == DownloadState.COMPLETED, timeout=10_000)
    work.shutdown()


def test_folder_can_be_changed_and_file_changes_are_announced(
    qtbot: QtBot,
    http_server: TestHttpServer,
    manager: tuple[DownloadManager, Library],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    downloads, library = manager
    view = DownloadsView(DownloadsSession(downloads, BackgroundWork(synchronous=True)))
    qtbot.addWidget(view)
    view.resize(260, 400)  # as narrow as the window's side panel
    view.show()
    qtbot.waitExposed(view)
    assert view.folder_label.toolTip() == str(downloads.download_folder())
    assert "…" in view.folder_label.text()
    assert view.minimumSizeHint().width() <= 260
    chosen = tmp_path / "Elsewhere"
    chosen.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(chosen))
    qtbot.mouseClick(view.findChild(QPushButton, "downloads-folder"), Qt.MouseButton.LeftButton)
    assert downloads.download_folder() == chosen
    assert view.folder_label.toolTip() == str(chosen)
    view.resize(1400, 400)
    qtbot.waitUntil(lambda: view.folder_label.text() == f"Folder: {chosen}", timeout=2000)

    http_server.route("/a.mp3", body=audio_bytes(5000), content_type="audio/mpeg")
    episode = add_episode(library, http_server.url("/a.mp3"))
    assert episode.id is not None
    with qtbot.waitSignal(view.files_changed, timeout=10_000):
        downloads.start(episode.id)
    assert downloads.local_file_for(episode.id) == chosen / "Show" / "Episode 1.mp3"
    with qtbot.waitSignal(view.files_changed, timeout=5_000):
        downloads.delete(episode.id)


def test_window_has_the_downloads_tab_and_the_auto_download_switch(window_rig) -> None:
    window = window_rig.window
    podcast_id = window_rig.podcast_ids[0]
    assert isinstance(window.downloads, DownloadsView)
    window.podcasts.auto_download_toggled.emit(podcast_id, True)
    podcast = window_rig.services.library.podcasts.get(podcast_id)
    assert podcast is not None and podcast.auto_download
    window.podcasts.auto_download_toggled.emit(podcast_id, False)
    podcast = window_rig.services.library.podcasts.get(podcast_id)
    assert podcast is not None and not podcast.auto_download


def test_episode_rows_show_unfinished_downloads(window_rig, qtbot: QtBot) -> None:
    from podplayer.core.downloads import DownloadProgress
    from podplayer.gui.models.episode_table_model import DURATION_COLUMN, STATE_COLUMN

    window = window_rig.window
    model = window.episode_model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=5000)
    episode_id = model.episode_id(0)
    assert episode_id is not None
    duration = model.index(0, DURATION_COLUMN).data()

    def news(state: DownloadState, received: int = 0, removed: bool = False) -> DownloadProgress:
        return DownloadProgress(
            episode_id, "T", state, received, 1000, None, None, "", None, removed=removed
        )

    window.downloads.progress_changed.emit(news(DownloadState.DOWNLOADING, 450))
    assert model.index(0, STATE_COLUMN).data().endswith("⇣")
    assert model.index(0, DURATION_COLUMN).data() == "↓ 45%"
    assert "download: 450 B of 1.0 kB (45%)" in model.index(0, STATE_COLUMN).data(
        Qt.ItemDataRole.ToolTipRole
    )
    window.downloads.progress_changed.emit(news(DownloadState.PAUSED, 450))
    assert model.index(0, DURATION_COLUMN).data() == "paused"
    window.downloads.progress_changed.emit(news(DownloadState.CANCELLED, removed=True))
    assert model.index(0, DURATION_COLUMN).data() == duration
    assert not model.index(0, STATE_COLUMN).data().endswith("⇣")
