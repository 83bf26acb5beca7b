"""A non-modal banner for problems the user should read: a sentence and a close button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from podplayer.gui.accessibility import announce


class MessageBanner(QFrame):
    """Shows the latest error as plain text until closed; never blocks the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self.setStyleSheet(
            "#messageBanner { background: #fdecea; border: 1px solid #e6b0aa; border-radius: 4px; }"
            "#messageBanner QLabel { color: #611a15; }"
        )
        self.setAccessibleName("Message")
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setAccessibleName("Close message")
        close.setToolTip("Close this message")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, sentence: str) -> None:
        self.label.setText(sentence)
        self.show()
        announce(self, sentence, interrupt=True)

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
