"""The Settings dialog stores what the user sets, through the declared settings."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QLineEdit, QMenu, QSpinBox
from pytestqt.qtbot import QtBot

from podplayer.core.settings import (
    ENABLED_DIRECTORIES,
    FYYD_URL,
    NOTIFY_NEW_EPISODES,
    PODCASTINDEX_KEY,
    PODCASTINDEX_SECRET,
    SKIP_BACK_MS,
)
from podplayer.gui.views.settings_dialog import SettingsDialog
from podplayer.gui.views.settings_pages.directories import DirectoriesPage
from podplayer.gui.views.settings_pages.general import GeneralPage
from podplayer.gui.views.settings_pages.playback import PlaybackPage
from tests.gui.conftest import WindowRig


def menu_action(rig: WindowRig, text: str) -> QAction:
    return next(
        action
        for menu in rig.window.menuBar().findChildren(QMenu)
        for action in menu.actions()
        if action.text() == text
    )


def test_settings_pages_store_their_values(window_rig: WindowRig, qtbot: QtBot) -> None:
    settings = window_rig.services.settings
    menu_action(window_rig, "&Preferences…").trigger()
    [dialog] = window_rig.window.findChildren(SettingsDialog)
    assert dialog.isVisible()
    assert [page.title for page in dialog.pages] == [
        "General",
        "Playback",
        "Directories",
        "Transcription",
        "Sync",
    ]
    general, playback, directories, _transcription, _sync = dialog.pages
    assert isinstance(general, GeneralPage) and isinstance(playback, PlaybackPage)
    assert isinstance(directories, DirectoriesPage)

    notify = general.form.editors[NOTIFY_NEW_EPISODES.key].widget
    assert isinstance(notify, QCheckBox) and notify.isChecked()
    notify.setChecked(False)
    skip_back = playback.form.editors[SKIP_BACK_MS.key].widget
    assert isinstance(skip_back, QSpinBox) and skip_back.value() == 10
    skip_back.setValue(15)
    directories.enabled.editors[ENABLED_DIRECTORIES.key].parts["fyyd"].setChecked(False)  # type: ignore[attr-defined]
    key_field = directories.keys.editors[PODCASTINDEX_KEY.key].widget
    assert isinstance(key_field, QLineEdit)
    key_field.setText("MYKEY")
    directories.keys.secrets[PODCASTINDEX_SECRET.key].field.setText("my secret")
    dialog.buttons.accepted.emit()

    assert not dialog.isVisible()
    assert settings.get(NOTIFY_NEW_EPISODES) is False
    assert settings.get(SKIP_BACK_MS) == 15_000
    assert settings.get(ENABLED_DIRECTORIES) == ["itunes", "podcastindex"]
    assert settings.get(PODCASTINDEX_KEY) == "MYKEY"
    assert settings.get(PODCASTINDEX_SECRET) == "my secret"
    assert window_rig.services.library.settings.get(PODCASTINDEX_SECRET.key) is None
    assert settings.stored(FYYD_URL) is None  # untouched addresses stay at their defaults
    assert menu_action(window_rig, "&Back 15 seconds") is not None
    assert window_rig.window.player_bar.back_button.toolTip() == "Back 15 s (Left)"


def test_a_bad_address_keeps_the_dialog_open_with_a_sentence(
    window_rig: WindowRig, qtbot: QtBot
) -> None:
    dialog = window_rig.window.open_settings()
    qtbot.addWidget(dialog)
    directories = dialog.pages[2]
    assert isinstance(directories, DirectoriesPage)
    field = directories.addresses.editors[FYYD_URL.key].widget
    assert isinstance(field, QLineEdit) and field.text() == ""
    assert field.placeholderText() == "https://api.fyyd.de"
    field.setText("ftp://mirror.example.org")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible()
    assert dialog.current_page() is directories
    assert dialog.problem.text() == (
        "directories.fyyd.url takes an http or https address like https://api.fyyd.de, "
        "not 'ftp://mirror.example.org'."
    )
    assert window_rig.services.settings.stored(FYYD_URL) is None
    field.setText("http://127.0.0.1:9/fyyd")
    dialog.buttons.accepted.emit()
    assert window_rig.services.settings.get(FYYD_URL) == "http://127.0.0.1:9/fyyd"


def test_the_notify_menu_item_follows_the_dialog(window_rig: WindowRig, qtbot: QtBot) -> None:
    settings = window_rig.services.settings
    window = window_rig.window
    option = window.add_option(
        "&Notify about new episodes",
        "tip",
        lambda: bool(settings.get(NOTIFY_NEW_EPISODES)),
        lambda on: settings.set(NOTIFY_NEW_EPISODES, on),
    )
    assert option.isChecked()
    dialog = window.open_settings()
    qtbot.addWidget(dialog)
    general = dialog.pages[0]
    assert isinstance(general, GeneralPage)
    general.form.editors[NOTIFY_NEW_EPISODES.key].widget.setChecked(False)  # type: ignore[attr-defined]
    dialog.buttons.accepted.emit()
    settings_menu = option.parent()
    assert isinstance(settings_menu, QMenu)
    settings_menu.aboutToShow.emit()
    assert not option.isChecked()
    option.trigger()
    assert settings.get(NOTIFY_NEW_EPISODES) is True


def test_removing_the_secret(window_rig: WindowRig, qtbot: QtBot) -> None:
    settings = window_rig.services.settings
    settings.set(PODCASTINDEX_SECRET, "old")
    dialog = window_rig.window.open_settings()
    qtbot.addWidget(dialog)
    directories = dialog.pages[2]
    assert isinstance(directories, DirectoriesPage)
    secret = directories.keys.secrets[PODCASTINDEX_SECRET.key]
    assert secret.field.text() == "" and secret.field.placeholderText() == (
        "Stored; type to replace"
    )
    secret.remove_button.click()
    dialog.buttons.accepted.emit()
    assert settings.stored(PODCASTINDEX_SECRET) is None
