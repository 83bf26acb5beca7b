"""Starts Qt: the application object, the main window, the event loop."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from podplayer import __version__
from podplayer.app import Services
from podplayer.gui.views.main_window import MainWindow


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
