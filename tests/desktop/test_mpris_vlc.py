"""MPRIS over the real VlcEngine: OpenUri plays a real file, playerctl pauses and seeks it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection
from pytestqt.qtbot import QtBot

from podplayer.app import build_desktop_services, build_services
from podplayer.core.paths import AppPaths
from podplayer.desktop.single_instance import SingleInstance, socket_name
from podplayer.engine.base import PlaybackState
from podplayer.engine.vlc import VlcEngine
from tests.desktop.dbus_clients import playerctl
from tests.engine.drivers import AUDIO_DIR


def test_open_uri_plays_a_real_file_and_playerctl_controls_it(
    qtbot: QtBot, app_paths: AppPaths, bus: QDBusConnection, dbus_address: str
) -> None:
    engine = VlcEngine(["--aout=adummy"])
    if not engine.available:
        pytest.skip(f"libvlc is unavailable here: {engine.unavailable_reason}")
    services = build_services(app_paths, engine, synchronous_work=True)
    desktop = build_desktop_services(services, SingleInstance(socket_name(app_paths.data_dir)), bus)
    controller = services.controller
    audio: Path = AUDIO_DIR / "beeps.mp3"
    try:
        playerctl(qtbot, dbus_address, "open", audio.as_uri())
        qtbot.waitUntil(lambda: engine.state() is PlaybackState.PLAYING, timeout=10000)
        qtbot.waitUntil(lambda: engine.time_ms() > 300, timeout=10000)
        assert playerctl(qtbot, dbus_address, "status") == "Playing"
        assert playerctl(qtbot, dbus_address, "metadata", "title") == "beeps.mp3"

        playerctl(qtbot, dbus_address, "position", "5")
        qtbot.waitUntil(lambda: engine.time_ms() >= 5000, timeout=10000)
        assert 5.0 <= float(playerctl(qtbot, dbus_address, "position")) < 8.0

        playerctl(qtbot, dbus_address, "pause")
        qtbot.waitUntil(lambda: engine.state() is PlaybackState.PAUSED, timeout=10000)
        assert controller.state() is PlaybackState.PAUSED
        assert playerctl(qtbot, dbus_address, "status") == "Paused"
    finally:
        desktop.close()
        services.close()
