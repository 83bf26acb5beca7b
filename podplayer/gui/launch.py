"""Starts Qt: the application object, the main window, the event loop."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from podplayer import __version__
from podplayer.app import RESOURCES_DIR, DesktopServices, Services
from podplayer.gui.views.main_window import MainWindow

# The bundle keeps resources/ next to the package too (packaging/podplayer.spec).
APP_ICON = RESOURCES_DIR / "icons" / "io.github.podplayer.Podplayer.svg"


def application() -> QApplication:
    """The one QApplication, created on first use."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("podplayer")
    app.setApplicationDisplayName("podplayer")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("io.github.podplayer.Podplayer")
    app.setWindowIcon(QIcon(str(APP_ICON)))
    return app


def run_window(
    services: Services, desktop: DesktopServices | None = None, links: Sequence[str] = ()
) -> int:
    app = application()
    window = MainWindow(services)
    if desktop is not None:
        connect_desktop(window, desktop)
    window.show()
    if desktop is not None and links:
        desktop.single_instance.receive(links)
    return app.exec()


def connect_desktop(window: MainWindow, desktop: DesktopServices) -> None:
    """What a second launch, media keys and the sound menu ask of the window."""
    desktop.single_instance.raise_requested.connect(lambda: bring_to_front(window))
    desktop.mpris.raise_requested.connect(lambda: bring_to_front(window))
    desktop.mpris.quit_requested.connect(window.close)
    desktop.opener.error.connect(window.show_error)
    desktop.single_instance.url_received.connect(
        lambda url: window.subscriptions.open_add_dialog(window, url)
    )


def bring_to_front(window: QWidget) -> None:
    """Un-minimize, show and activate (the window manager may only flash it)."""
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


def show_fatal_error(message: str) -> None:
    """A message box for problems that stop the app before its window exists."""
    application()
    QMessageBox.critical(None, "podplayer cannot start", message)
