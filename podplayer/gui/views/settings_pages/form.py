"""A form of editors built from declared settings: the right control for each kind of value."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from podplayer.core.settings import Setting, SettingError, SettingKind, UserSettings

MS_PER_SECOND = 1000


class SettingsPage(QWidget):
    """One page of the Settings dialog: shows stored values, writes them back on ``apply``."""

    title = ""

    def apply(self) -> str:
        """Store what the page shows; a sentence when a value does not fit, else ""."""
        return ""


class SettingEditor:
    """One setting's control: reads the stored value in, gives the edited value back."""

    def __init__(
        self,
        setting: Setting,
        widget: QWidget,
        read: Callable[[], Any],
        write: Callable[[Any], None],
        parts: dict[str, QWidget] | None = None,
    ) -> None:
        self.setting = setting
        self.widget = widget
        self.parts = parts or {}  # a choice's own control, by choice
        self.value = read
        self.show_value = write


def editor_for(setting: Setting, settings: UserSettings) -> SettingEditor:
    """A control matching the setting's kind, showing its current value."""
    kind = setting.kind
    editor: SettingEditor
    if kind is SettingKind.BOOL:
        box = QCheckBox(setting.label)
        editor = SettingEditor(setting, box, box.isChecked, box.setChecked)
    elif kind is SettingKind.INT and setting.unit == "ms":
        seconds = QSpinBox()
        seconds.setSuffix(" s")
        seconds.setRange(
            int((setting.minimum or 0) // MS_PER_SECOND), int((setting.maximum or 0) // 1000)
        )
        editor = SettingEditor(
            setting,
            seconds,
            lambda: seconds.value() * MS_PER_SECOND,
            lambda value: seconds.setValue(round(value / MS_PER_SECOND)),
        )
    elif kind is SettingKind.INT:
        number = QSpinBox()
        number.setRange(int(setting.minimum or 0), int(setting.maximum or 1_000_000))
        editor = SettingEditor(setting, number, number.value, number.setValue)
    elif kind is SettingKind.CHOICES:
        editor = _choices_editor(setting)
    elif kind is SettingKind.FLOAT:
        real = QDoubleSpinBox()
        real.setRange(setting.minimum or 0.0, setting.maximum or 1_000_000.0)
        real.setSingleStep(0.1)
        editor = SettingEditor(setting, real, real.value, real.setValue)
    else:
        field = QLineEdit()
        field.setClearButtonEnabled(True)
        if kind is SettingKind.URL:
            field.setPlaceholderText(str(setting.default))
        editor = SettingEditor(
            setting,
            field,
            lambda: field.text().strip() or setting.default,
            lambda value: field.setText("" if value == setting.default else str(value)),
        )
    editor.widget.setToolTip(setting.description)
    editor.widget.setAccessibleName(setting.label or setting.key)
    editor.widget.setAccessibleDescription(setting.description)
    editor.show_value(settings.get(setting))
    return editor


def _choices_editor(setting: Setting) -> SettingEditor:
    """One check box per choice; the value keeps the declared order."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    boxes = []
    for choice, label in zip(setting.choices, setting.choice_labels, strict=True):
        box = QCheckBox(label)
        box.setAccessibleName(label)
        boxes.append((choice, box))
        layout.addWidget(box)
    layout.addStretch(1)

    def show(value: Any) -> None:
        for choice, box in boxes:
            box.setChecked(choice in value)

    def read() -> list[str]:
        return [choice for choice, box in boxes if box.isChecked()]

    return SettingEditor(setting, row, read, show, dict(boxes))


class SecretEditor(QWidget):
    """A secret is never shown: the field says whether one is stored; typing replaces it."""

    def __init__(self, setting: Setting, settings: UserSettings) -> None:
        super().__init__()
        self.setting = setting
        self._settings = settings
        self._forget = False
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(setting.label)
        self.field.setToolTip(setting.description)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip(f"Forget the stored {setting.label.lower()}")
        self.remove_button.clicked.connect(self._remove)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.field, 1)
        row.addWidget(self.remove_button)
        self._show_stored()

    def _show_stored(self) -> None:
        stored = self._settings.stored(self.setting) is not None
        self.field.setPlaceholderText("Stored; type to replace" if stored else "Not set")
        self.remove_button.setVisible(stored)

    def _remove(self) -> None:
        self._forget = True
        self.field.clear()
        self.field.setPlaceholderText("Removed when you press OK")
        self.remove_button.hide()

    def apply(self) -> None:
        typed = self.field.text().strip()
        if typed:
            self._settings.set(self.setting, typed)
        elif self._forget:
            self._settings.unset(self.setting)


class SettingsForm(QWidget):
    """Label and control for each setting; ``apply`` checks every value before storing any."""

    def __init__(self, settings: UserSettings, declared: Sequence[Setting]) -> None:
        super().__init__()
        self._settings = settings
        self.editors: dict[str, SettingEditor] = {}
        self.secrets: dict[str, SecretEditor] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for setting in declared:
            if setting.secret:
                secret = SecretEditor(setting, settings)
                self.secrets[setting.key] = secret
                layout.addRow(f"{setting.label}:", secret)
                continue
            editor = editor_for(setting, settings)
            self.editors[setting.key] = editor
            if setting.kind is SettingKind.BOOL:
                layout.addRow(editor.widget)
            else:
                layout.addRow(f"{setting.label}:", editor.widget)

    def apply(self) -> str:
        try:
            values = [(e.setting, e.setting.check(e.value())) for e in self.editors.values()]
        except SettingError as exc:
            return str(exc)
        for setting, value in values:
            if value != self._settings.get(setting):
                self._settings.set(setting, value)
        for secret in self.secrets.values():
            secret.apply()
        return ""


def note(text: str) -> QLabel:
    """A line of explanation under a group of settings."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label
