"""The composition root's desktop wiring: a second launch raises the window, MPRIS drives it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtDBus import QDBusConnection
from pytestqt.qtbot import QtBot

from podplayer.app import build_desktop_services
from podplayer.core.paths import AppPaths
from podplayer.desktop.mpris import BUS_NAME, PLAYER_INTERFACE
from podplayer.desktop.single_instance import SingleInstance, socket_name
from podplayer.engine.base import PlaybackState
from podplayer.engine.fake import FakeEngine
from podplayer.gui.launch import connect_desktop
from tests.desktop.dbus_clients import call_method, get_property, playerctl
from tests.gui.conftest import open_window, stock_library


def test_second_launch_raises_and_media_keys_play(
    qtbot: QtBot, app_paths: AppPaths, bus: QDBusConnection, dbus_address: str
) -> None:
    services, window = open_window(app_paths, qtbot, FakeEngine(default_duration_ms=60_000))
    _, episode_ids = stock_library(services)
    desktop = build_desktop_services(services, SingleInstance(socket_name(app_paths.data_dir)), bus)
    try:
        connect_desktop(window, desktop)
        window.showMinimized()
        qtbot.waitUntil(lambda: bool(window.windowState() & Qt.WindowState.WindowMinimized))
        desktop.single_instance.receive([])
        assert not window.windowState() & Qt.WindowState.WindowMinimized
        assert window.isVisible()

        services.controller.play_episode(episode_ids[0])
        playerctl(qtbot, dbus_address, "pause")
        assert services.controller.state() is PlaybackState.PAUSED

        call_method(qtbot, dbus_address, BUS_NAME, "org.mpris.MediaPlayer2.Quit")
        qtbot.waitUntil(lambda: not window.isVisible())
    finally:
        desktop.close()
        services.close()


def test_after_a_relaunch_the_last_episode_is_paused_and_media_keys_play_it(
    qtbot: QtBot, app_paths: AppPaths, bus: QDBusConnection, dbus_address: str
) -> None:
    engine = FakeEngine(default_duration_ms=120_000)
    services, window = open_window(app_paths, qtbot, engine)
    _, episode_ids = stock_library(services)
    services.controller.play_episode(episode_ids[2], start_ms=42_000)
    services.controller.pause()
    window.close()
    services.close()

    engine = FakeEngine(default_duration_ms=120_000)
    services, window = open_window(app_paths, qtbot, engine)
    desktop = build_desktop_services(services, SingleInstance(socket_name(app_paths.data_dir)), bus)
    try:
        connect_desktop(window, desktop)
        current = services.controller.current_episode()
        assert current is not None and current.id == episode_ids[2]
        assert engine.source is None  # the audio loads when asked to play
        assert playerctl(qtbot, dbus_address, "status") == "Paused"
        assert playerctl(qtbot, dbus_address, "metadata", "title") == current.title
        assert float(playerctl(qtbot, dbus_address, "position")) == 42.0
        can_play = get_property(qtbot, dbus_address, BUS_NAME, PLAYER_INTERFACE, "CanPlay")
        assert can_play == "(<true>,)"
        playerctl(qtbot, dbus_address, "play")
        assert services.controller.state() is PlaybackState.PLAYING
        assert str(engine.source).endswith(current.enclosure_url)
        assert abs(services.controller.position_ms() - 42_000) < 100
    finally:
        desktop.close()
        window.close()
        services.close()
