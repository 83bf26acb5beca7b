"""Settings > Sync and the window's automatic syncs, against a real server (fake engine)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from podplayer.core.paths import AppPaths
from podplayer.core.sync.client import ServerKind
from podplayer.engine.base import PlaybackState
from podplayer.engine.fake import FakeEngine
from podplayer.gui import sync_session
from podplayer.gui.views.main_window import MainWindow
from podplayer.gui.views.settings_pages.sync import SyncPage
from podplayer.services import Services
from tests.gui.conftest import EPISODE_MS, open_window, stock_library
from tests.sync.conftest import PASSWORD, SyncServer
from tests.sync.phone import phone


@pytest.fixture
def window(
    app_paths: AppPaths, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Services, MainWindow, list[int]]]:
    monkeypatch.setattr(sync_session, "DEBOUNCE_MS", 50)
    services, window = open_window(app_paths, qtbot, FakeEngine(default_duration_ms=EPISODE_MS))
    _podcasts, episodes = stock_library(services)
    window.show()
    qtbot.waitExposed(window)
    yield services, window, episodes
    window.close()
    services.close()


def _dialog(window: MainWindow) -> SyncPage:
    """Settings > Sync…: the Settings dialog, open on its Sync page."""
    settings = window.open_sync_settings()
    page = settings.current_page()
    assert isinstance(page, SyncPage)
    return page


def test_log_in_from_settings_then_pausing_syncs(
    window: tuple[Services, MainWindow, list[int]], router_server: SyncServer, qtbot: QtBot
) -> None:
    services, main, episodes = window
    user = router_server.new_user()
    phone(router_server.url, user).update_device_settings("phone", "Phone", "mobile")
    dialog = _dialog(main)
    assert dialog.last_sync.text() == "never" and not dialog.sync_button.isEnabled()
    dialog.server.setText(router_server.url)
    dialog.user.setText(user)
    dialog.password.setText(PASSWORD)
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.last_sync.text() != "never")
    assert dialog.pending.text() == "0" and dialog.last_error.text() == "none"
    assert dialog.sync_button.isEnabled() and dialog.password.text() == ""
    seen = phone(router_server.url, user).pull_subscriptions("phone", 0).add
    assert sorted(seen) == ["http://127.0.0.1/0.xml", "http://127.0.0.1/1.xml"]  # not the demo

    services.controller.play_episode(episodes[0])
    services.library.episodes.save_position(episodes[0], 61_000)
    services.controller.state_changed.emit(PlaybackState.PAUSED)
    positions: list[int] = []

    def phone_sees_it() -> bool:
        positions[:] = [
            a.position
            for a in phone(router_server.url, user).download_episode_actions(since=0).actions
        ]
        return 61 in positions

    qtbot.waitUntil(phone_sees_it, timeout=5000)
    assert "Synced" in main.statusBar().currentMessage()


def test_a_refused_password_is_a_sentence_in_the_banner(
    window: tuple[Services, MainWindow, list[int]], opodsync_server: SyncServer
) -> None:
    services, main, episodes = window
    main.sync.login(
        opodsync_server.url, opodsync_server.new_user(), "wrong!", ServerKind.NEXTCLOUD, "d"
    )
    assert "refused the user name" in main.banner.text()
    assert not services.sync.status().configured
    services.controller.play_episode(episodes[1])
    assert services.controller.state() in (PlaybackState.PLAYING, PlaybackState.LOADING)


def test_a_podcast_removed_on_the_server_stops_playing_here(
    window: tuple[Services, MainWindow, list[int]], router_server: SyncServer, qtbot: QtBot
) -> None:
    services, main, episodes = window
    user = router_server.new_user()
    dialog = _dialog(main)
    dialog.server.setText(router_server.url)
    dialog.user.setText(user)
    dialog.password.setText(PASSWORD)
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.last_sync.text() != "never")
    services.controller.play_episode(episodes[0])
    current = services.controller.current_episode()
    assert current is not None and services.engine.state() is PlaybackState.PLAYING
    removed = services.library.podcasts.get(current.podcast_id)
    assert removed is not None
    state = services.library.sync.state()
    assert state is not None
    time.sleep(1.1)  # the server counts changes in whole seconds
    # Removed from this computer's list on the server, as gpodder.net's web page does.
    phone(router_server.url, user).update_subscriptions(state.account.device_id, [], [removed.url])

    dialog.sync_button.click()

    qtbot.waitUntil(lambda: services.library.podcasts.get(current.podcast_id) is None, timeout=5000)
    qtbot.waitUntil(lambda: services.engine.state() is PlaybackState.STOPPED, timeout=5000)
