"""Where the user switches transcription on and picks a model: the Settings menu, the podcast's
menu, and the pane's offer with its estimate (fake engine; no job runs here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from podplayer.core.settings import TRANSCRIBE_AUTOMATICALLY, TRANSCRIBE_SINCE, TRANSCRIPTION_MODEL
from podplayer.core.storage.transcription import TranscriptionRepository
from podplayer.gui.views.settings_dialog import SettingsDialog
from podplayer.gui.views.settings_pages.transcription import (
    FOLDER_CHOICE,
    MODELS_NOTE,
    TranscriptionPage,
)
from tests.gui.conftest import WindowRig


def settings_action(rig: WindowRig, text: str) -> QAction:
    menus = [a.menu() for a in rig.window.menuBar().actions() if a.text() == "&Settings"]
    assert isinstance(menus[0], QMenu)
    for action in menus[0].actions():
        if action.text().replace("&", "") == text:
            return action
        menu = action.menu()
        if isinstance(menu, QMenu):
            for inner in menu.actions():
                if inner.text() == text:
                    return inner
    raise AssertionError(f"no {text!r} in Settings")


def test_automatic_transcription_and_the_model_are_settings(window_rig: WindowRig) -> None:
    settings = window_rig.services.settings
    automatic = settings_action(window_rig, "Transcribe new episodes automatically")
    assert automatic.isCheckable() and not automatic.isChecked()
    automatic.trigger()
    assert settings.get(TRANSCRIBE_AUTOMATICALLY) is True
    assert isinstance(settings.get(TRANSCRIBE_SINCE), float)  # new episodes are from then on
    automatic.trigger()
    assert settings.get(TRANSCRIBE_AUTOMATICALLY) is False
    base = settings_action(window_rig, "Base (the default)")
    assert base.isChecked()
    settings_action(window_rig, "Small (slower, more accurate)").trigger()
    assert settings.get(TRANSCRIPTION_MODEL) == "small" and not base.isChecked()


def test_a_podcast_can_transcribe_its_new_episodes(window_rig: WindowRig) -> None:
    session = window_rig.window.transcription
    podcast_id = window_rig.podcast_ids[0]
    view = window_rig.window.podcasts
    assert view.transcribes_automatically(podcast_id) is False
    view.auto_transcribe_toggled.emit(podcast_id, True)
    assert session.automatic_for(podcast_id)
    repository = TranscriptionRepository(window_rig.services.library.db)
    assert repository.automatic_podcasts() == {podcast_id}


def test_the_offer_says_how_long_it_takes(window_rig: WindowRig) -> None:
    library = window_rig.services.library
    episode = library.episodes.get(window_rig.episode_ids[0])
    assert episode is not None
    episode.duration_s = 3000
    library.episodes.update(episode)
    window_rig.window.transcript_session.show_episode(episode)
    pane = window_rig.window.transcript
    assert not pane.offer_button.isHidden()
    assert pane.offer_button.text() == "Make a transcript on this computer"
    # 50 minutes at the assumed 0.15 of real time, plus loading the model: about 8 minutes.
    assert pane.offer_label.text() == (
        "It takes about 8 minutes on this computer, in the background. No audio is sent anywhere."
    )


def test_episodes_can_be_queued_from_the_episode_list(window_rig: WindowRig) -> None:
    first, second = window_rig.episode_ids[:2]
    window_rig.window.episodes.transcribe_requested.emit([first, second])
    jobs = window_rig.window.transcription_jobs
    assert jobs.tree.topLevelItemCount() == 2
    queued = window_rig.services.transcription.jobs()
    assert [job.episode_id for job in queued] == [first, second]
    assert all(jobs.status_text(job.id) == "Queued" for job in queued)


def open_transcription_page(rig: WindowRig) -> tuple[SettingsDialog, TranscriptionPage]:
    dialog = rig.window.open_settings()  # Settings > Preferences…
    dialog.show_page("Transcription")
    page = dialog.current_page()
    assert isinstance(page, TranscriptionPage)
    return dialog, page


def test_the_settings_dialog_has_a_transcription_page(window_rig: WindowRig) -> None:
    settings = window_rig.services.settings
    dialog, page = open_transcription_page(window_rig)
    assert page.choices["base"].isChecked() and not page.automatic.isChecked()
    assert not page.folder.isEnabled()
    assert "Base comes with podplayer and works offline" in MODELS_NOTE
    page.choices["small"].setChecked(True)
    page.automatic.setChecked(True)
    dialog.buttons.accepted.emit()

    assert not dialog.isVisible()
    assert settings.get(TRANSCRIPTION_MODEL) == "small"
    assert settings.get(TRANSCRIBE_AUTOMATICALLY) is True
    assert isinstance(settings.get(TRANSCRIBE_SINCE), float)  # new episodes are from then on
    # The Settings menu's items follow the dialog.
    menus = [a.menu() for a in window_rig.window.menuBar().actions() if a.text() == "&Settings"]
    assert isinstance(menus[0], QMenu)
    menus[0].aboutToShow.emit()
    model_menu = next(a.menu() for a in menus[0].actions() if a.text() == "Speech &model")
    assert isinstance(model_menu, QMenu)
    model_menu.aboutToShow.emit()
    assert settings_action(window_rig, "Small (slower, more accurate)").isChecked()
    assert settings_action(window_rig, "Transcribe new episodes automatically").isChecked()


def test_a_model_folder_is_chosen_and_checked(
    window_rig: WindowRig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = window_rig.services.settings
    folder = tmp_path / "whisper small ct2"
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"weights")
    dialog, page = open_transcription_page(window_rig)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_args: str(folder))
    page.choose_button.click()
    assert page.choices[FOLDER_CHOICE].isChecked() and page.folder.text() == str(folder)

    dialog.buttons.accepted.emit()  # incomplete: the dialog stays open and says why
    assert dialog.isVisible() and "is incomplete" in dialog.problem.text()
    assert settings.get(TRANSCRIPTION_MODEL) == "base"
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        (folder / name).write_text("{}")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    assert settings.get(TRANSCRIPTION_MODEL) == str(folder)
    _dialog, again = open_transcription_page(window_rig)
    assert again.choices[FOLDER_CHOICE].isChecked() and again.folder.text() == str(folder)
