"""Directories: which ones Add podcast searches, the Podcast Index key, and their addresses."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QVBoxLayout

from podplayer.core.settings import (
    ENABLED_DIRECTORIES,
    FYYD_URL,
    ITUNES_URL,
    PODCASTINDEX_KEY,
    PODCASTINDEX_SECRET,
    PODCASTINDEX_URL,
    UserSettings,
)
from podplayer.gui.views.settings_pages.form import SettingsForm, SettingsPage, note


class DirectoriesPage(SettingsPage):
    title = "Directories"

    def __init__(self, settings: UserSettings) -> None:
        super().__init__()
        self.enabled = SettingsForm(settings, [ENABLED_DIRECTORIES])
        keys = QGroupBox("Podcast Index")
        self.keys = SettingsForm(settings, [PODCASTINDEX_KEY, PODCASTINDEX_SECRET])
        keys_layout = QVBoxLayout(keys)
        keys_layout.addWidget(
            note(
                "Podcast Index is searched with your own free API key and secret "
                "(from api.podcastindex.org). The secret is kept in the desktop keyring."
            )
        )
        keys_layout.addWidget(self.keys)
        addresses = QGroupBox("Addresses")
        self.addresses = SettingsForm(settings, [ITUNES_URL, FYYD_URL, PODCASTINDEX_URL])
        addresses_layout = QVBoxLayout(addresses)
        addresses_layout.addWidget(
            note("Change these only to use a mirror; empty means the directory's own address.")
        )
        addresses_layout.addWidget(self.addresses)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addWidget(
            note("Nothing is sent to a directory until you search in Add podcast (Ctrl+L).")
        )
        layout.addWidget(keys)
        layout.addWidget(addresses)
        layout.addStretch(1)

    def apply(self) -> str:
        for form in (self.enabled, self.keys, self.addresses):
            problem = form.apply()
            if problem:
                return problem
        return ""
