"""The main window: composes the views and wires them; holds no feed, storage or playback logic."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow

from podplayer.app import Services


class MainWindow(QMainWindow):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.setWindowTitle("podplayer")
        self.resize(1200, 760)
        welcome = QLabel("No podcasts yet.")
        welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(welcome)
        for notice in services.library.notices:
            self.statusBar().showMessage(notice)
        if services.playback_unavailable:
            self.statusBar().showMessage(services.playback_unavailable)
