"""Starts Qt: the application object, the main window, the event loop."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from podplayer import __version__
from podplayer.app import RESOURCES_DIR, Services
from podplayer.gui.views.main_window import MainWindow

# Next to the package in a checkout; the bundle keeps the same layout (packaging/podplayer.spec).
APP_ICON = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "icons"
    / "io.github.podplayer.Podplayer.svg"
)


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
    app.setWindowIcon(QIcon(str(RESOURCES_DIR / "icons" / "io.github.podplayer.Podplayer.svg")))
    app.setWindowIcon(QIcon(str(APP_ICON)))
    return app


def run_window(services: Services) -> int:
    app = application()
    window = MainWindow(services)
    window.show()
    return app.exec()


def show_fatal_error(message: str) -> None:
    """A message box for problems that stop the app before its window exists."""
    application()
    QMessageBox.critical(None, "podplayer cannot start", message)
