"""Playback: skip lengths, when an episode counts as played, speed per podcast."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from podplayer.core.settings import UserSettings, settings_on_page
from podplayer.gui.views.settings_pages.form import SettingsForm, SettingsPage, note


class PlaybackPage(SettingsPage):
    title = "Playback"

    def __init__(self, settings: UserSettings) -> None:
        super().__init__()
        self.form = SettingsForm(settings, settings_on_page("playback"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(
            note("Speed and volume are set in the player bar; podplayer remembers them.")
        )
        layout.addStretch(1)

    def apply(self) -> str:
        return self.form.apply()
