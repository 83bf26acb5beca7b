"""Settings > Sync: the account (server, kind, user, password, device), Sync now, and how the
last sync went. Log in, Log out and Sync now act at once (OK has nothing more to store); the
work runs in the window's SyncSession, off the GUI thread."""

from __future__ import annotations

import socket
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from podplayer.core.sync.client import ServerKind
from podplayer.core.sync.service import SyncStatus
from podplayer.gui.sync_session import SyncSession
from podplayer.gui.views.settings_pages.form import SettingsPage, note

KINDS = (
    (ServerKind.GPODDER, "gpodder.net API (gpodder.net, mygpo, oPodSync)"),
    (ServerKind.NEXTCLOUD, "Nextcloud with the gPodder Sync app"),
)


class SyncPage(SettingsPage):
    title = "Sync"

    def __init__(self, session: SyncSession) -> None:
        super().__init__()
        self._session = session
        self.kind = QComboBox()
        for kind, text in KINDS:
            self.kind.addItem(text, kind)
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://gpodder.net")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = QLabel("&Password:")
        self.password_label.setBuddy(self.password)
        self.device = QLineEdit(f"podplayer on {socket.gethostname()}")
        self.device.setToolTip("How this computer is named on the server, next to your phone")
        account = QFormLayout()
        account.addRow("&Kind of server:", self.kind)
        account.addRow("&Server address:", self.server)
        account.addRow("&User:", self.user)
        account.addRow(self.password_label, self.password)
        account.addRow("&Device name:", self.device)
        self.login_button = QPushButton("&Log in")
        self.logout_button = QPushButton("Log &out")
        self.sync_button = QPushButton("&Sync now")
        for button in (self.logout_button, self.login_button, self.sync_button):
            button.setAutoDefault(False)  # Enter in a field logs in (below); elsewhere it is OK
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.logout_button, self.login_button, self.sync_button):
            buttons.addWidget(button)
        account_box = QGroupBox("Account")
        account_layout = QVBoxLayout(account_box)
        account_layout.addLayout(account)
        account_layout.addLayout(buttons)

        self.last_sync = QLabel()
        self.pending = QLabel()
        self.last_error = QLabel()
        self.last_error.setWordWrap(True)
        self.last_error.setTextFormat(Qt.TextFormat.PlainText)
        state = QFormLayout()
        state.addRow("Last sync:", self.last_sync)
        state.addRow("Pending changes:", self.pending)
        state.addRow("Last error:", self.last_error)
        state_box = QGroupBox("Status")
        state_box.setLayout(state)
        layout = QVBoxLayout(self)
        layout.addWidget(
            note(
                "Subscriptions and where you are in each episode are synced with your phone and "
                "other computers at start, after a refresh, when you pause or stop, and every 15 "
                "minutes. The password is kept in the desktop keyring."
            )
        )
        layout.addWidget(account_box)
        layout.addWidget(state_box)
        layout.addStretch(1)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.login_button.clicked.connect(self._login)
        self.logout_button.clicked.connect(session.logout)
        self.sync_button.clicked.connect(session.sync_now)
        for field in (self.server, self.user, self.password):
            field.textChanged.connect(self._enable)
            field.returnPressed.connect(self._login)
        self._busy = False
        self._status = SyncStatus(configured=False)
        self._kind_changed()
        session.status_changed.connect(self.show_status)
        session.busy_changed.connect(self.set_busy)
        self.show_status(session.status())
        self.set_busy(session.busy)

    def show_status(self, status: SyncStatus) -> None:
        self._status = status
        if status.configured:
            self.server.setText(status.server_url)
            self.user.setText(status.username)
            self.device.setText(status.device_id)
            index = self.kind.findData(status.kind)
            self.kind.setCurrentIndex(max(0, index))
            self.password.setPlaceholderText("kept in the keyring; type to change it")
        when = status.last_sync_at
        self.last_sync.setText(
            datetime.fromtimestamp(when).strftime("%Y-%m-%d %H:%M") if when else "never"
        )
        self.pending.setText(str(status.pending_changes) if status.configured else "—")
        self.last_error.setText(status.last_error or "none")
        self.last_error.setStyleSheet("color: #a4000f;" if status.last_error else "")
        self.login_button.setText("&Log in again" if status.configured else "&Log in")
        self._enable()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.sync_button.setText("Syncing…" if busy else "&Sync now")
        self._enable()

    def _kind_changed(self) -> None:
        nextcloud = self.kind.currentData() == ServerKind.NEXTCLOUD  # Qt hands back a str
        self.password_label.setText("&App password:" if nextcloud else "&Password:")
        self.server.setPlaceholderText(
            "https://cloud.example.org" if nextcloud else "https://gpodder.net"
        )
        self.device.setEnabled(not nextcloud)  # Nextcloud has no devices

    def _enable(self) -> None:
        filled = all(f.text().strip() for f in (self.server, self.user, self.password))
        self.login_button.setEnabled(filled and not self._busy)
        self.logout_button.setEnabled(self._status.configured and not self._busy)
        self.sync_button.setEnabled(self._status.configured and not self._busy)

    def _login(self) -> None:
        if not self.login_button.isEnabled():
            return
        self._session.login(
            self.server.text().strip(),
            self.user.text().strip(),
            self.password.text(),
            self.kind.currentData(),
            self.device.text().strip() or "podplayer",
        )
        self.password.clear()
