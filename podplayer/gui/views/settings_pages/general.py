"""General: notifications and other app-wide choices."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from podplayer.core.settings import UserSettings, settings_on_page
from podplayer.gui.views.settings_pages.form import SettingsForm, SettingsPage


class GeneralPage(SettingsPage):
    title = "General"

    def __init__(self, settings: UserSettings) -> None:
        super().__init__()
        self.form = SettingsForm(settings, settings_on_page("general"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addStretch(1)

    def apply(self) -> str:
        return self.form.apply()
