"""The window opens on an empty library and says plainly when playback is unavailable."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from podplayer.app import build_services
from podplayer.core.paths import AppPaths
from podplayer.engine.vlc import INSTALL_HINT
from podplayer.gui.views.main_window import MainWindow


def test_window_opens_with_empty_library(qtbot: QtBot, app_paths: AppPaths) -> None:
    services = build_services(app_paths)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.isVisible()
    assert window.windowTitle() == "podplayer"
    services.library.close()


def test_missing_libvlc_is_explained(qtbot: QtBot, app_paths: AppPaths) -> None:
    services = build_services(app_paths)
    services.playback_unavailable = INSTALL_HINT
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert "libvlc" in window.statusBar().currentMessage()
    services.library.close()
