"""Settings > Transcription: new episodes transcribed by themselves, and the speech model (a
named Whisper model or a folder holding one). The window's TranscriptionSession stores them, as
the Settings menu's items do, so the job list's time estimates follow the model."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from podplayer.core.settings import TRANSCRIBE_AUTOMATICALLY, TRANSCRIPTION_MODEL, UserSettings
from podplayer.gui.transcription_session import MODEL_CHOICES, TranscriptionSession
from podplayer.gui.views.settings_pages.form import SettingsPage, note

FOLDER_CHOICE = "folder"
MODELS_NOTE = (
    "Base comes with podplayer and works offline from the start. The others are downloaded "
    "from the Hugging Face model hub the first time a transcript is made with them, then work "
    "offline too. Larger models are more accurate and take longer. Audio is never sent anywhere."
)


class TranscriptionPage(SettingsPage):
    title = "Transcription"

    def __init__(self, settings: UserSettings, session: TranscriptionSession) -> None:
        super().__init__()
        self._settings = settings
        self._session = session
        self.automatic = QCheckBox(f"&{TRANSCRIBE_AUTOMATICALLY.label}")
        self.automatic.setToolTip(TRANSCRIBE_AUTOMATICALLY.description)
        self.automatic.setAccessibleDescription(TRANSCRIBE_AUTOMATICALLY.description)
        self.automatic.setChecked(session.automatic_everywhere())

        models = QGroupBox("Speech &model")
        self.model_buttons = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        model_layout = QVBoxLayout(models)
        for name, (label, detail) in MODEL_CHOICES.items():
            button = QRadioButton(f"{label} — {detail[0].lower()}{detail[1:]}")
            button.setAccessibleName(label)
            self.choices[name] = button
        self.choices[FOLDER_CHOICE] = QRadioButton("A faster-whisper model in a folder:")
        for button in self.choices.values():
            self.model_buttons.addButton(button)
            model_layout.addWidget(button)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("/home/you/models/whisper-small-ct2")
        self.folder.setAccessibleName("Model folder")
        self.folder.setClearButtonEnabled(True)
        self.choose_button = QPushButton("C&hoose…")
        self.choose_button.setToolTip("Choose the folder holding model.bin, config.json, …")
        self.choose_button.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(24, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose_button)
        model_layout.addLayout(folder_row)
        model_layout.addWidget(note(MODELS_NOTE))
        self.folder.textEdited.connect(lambda _: self.choices[FOLDER_CHOICE].setChecked(True))
        self.choices[FOLDER_CHOICE].toggled.connect(self._show_folder_state)

        chosen = str(settings.get(TRANSCRIPTION_MODEL))
        if chosen in MODEL_CHOICES:
            self.choices[chosen].setChecked(True)
        else:
            self.choices[FOLDER_CHOICE].setChecked(True)
            self.folder.setText(chosen)
        self._show_folder_state()

        layout = QVBoxLayout(self)
        layout.addWidget(self.automatic)
        layout.addWidget(
            note(
                "Each new episode without a transcript of its own gets one made on this "
                "computer, downloaded episodes first. A podcast's right-click menu has the same "
                "switch for that podcast alone."
            )
        )
        layout.addWidget(models)
        layout.addStretch(1)

    def model(self) -> str:
        """The chosen model's name, or the folder typed or chosen."""
        for name, button in self.choices.items():
            if button.isChecked() and name != FOLDER_CHOICE:
                return name
        return self.folder.text().strip()

    def _show_folder_state(self) -> None:
        self.folder.setEnabled(self.choices[FOLDER_CHOICE].isChecked())

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Choose a faster-whisper model folder", self.folder.text().strip()
        )
        if folder:
            self.folder.setText(folder)
            self.choices[FOLDER_CHOICE].setChecked(True)

    def apply(self) -> str:
        from podplayer.core.transcription.speech_models import ModelError, check_model_folder

        model = self.model()
        if model not in MODEL_CHOICES:
            if not model:
                return "Choose the folder of the speech model, or one of the named models."
            folder = Path(model).expanduser()
            try:
                check_model_folder(folder)
            except ModelError as exc:
                return str(exc)
            model = str(folder)
        if model != str(self._settings.get(TRANSCRIPTION_MODEL)):
            self._session.choose_model(model)
        if self.automatic.isChecked() != self._session.automatic_everywhere():
            self._session.set_automatic_everywhere(self.automatic.isChecked())
        return ""
