"""Settings (Ctrl+,): a page per area, listed on the left; OK stores every page's values.

A feature adds its page as a module in ``settings_pages`` and one line in ``default_pages``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from podplayer.core.settings import UserSettings
from podplayer.gui.accessibility import announce
from podplayer.gui.views.settings_pages.form import SettingsPage


def default_pages(settings: UserSettings) -> list[SettingsPage]:
    from podplayer.gui.views.settings_pages.directories import DirectoriesPage
    from podplayer.gui.views.settings_pages.general import GeneralPage
    from podplayer.gui.views.settings_pages.playback import PlaybackPage

    return [GeneralPage(settings), PlaybackPage(settings), DirectoriesPage(settings)]


class SettingsDialog(QDialog):
    """Emits ``applied`` after OK stored every page (the window refreshes what shows them)."""

    applied = Signal()

    def __init__(self, pages: list[SettingsPage], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.resize(680, 460)
        self.pages = pages
        self.page_list = QListWidget()
        self.page_list.setAccessibleName("Settings pages")
        self.page_list.setSpacing(3)
        self.stack = QStackedWidget()
        for page in pages:
            self.page_list.addItem(page.title)
            self.stack.addWidget(scrolling(page))
        self.page_list.setFixedWidth(  # as wide as the longest title, in the font in use
            self.page_list.sizeHintForColumn(0)
            + 2 * (self.page_list.frameWidth() + self.page_list.spacing())
        )
        self.page_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.page_list.setCurrentRow(0)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        bold = self.problem.font()  # in the text colour: a pale accent is hard to read
        bold.setBold(True)
        self.problem.setFont(bold)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.apply_and_close)
        self.buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.page_list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def current_page(self) -> SettingsPage:
        return self.pages[self.stack.currentIndex()]

    def show_page(self, title: str) -> None:
        titles = [page.title for page in self.pages]
        if title in titles:
            self.page_list.setCurrentRow(titles.index(title))

    def apply_and_close(self) -> None:
        """Store every page; a value that does not fit keeps the dialog open on its page."""
        for index, page in enumerate(self.pages):
            problem = page.apply()
            if problem:
                self.page_list.setCurrentRow(index)
                self.problem.setText(problem)
                self.problem.show()
                announce(self.problem, problem, interrupt=True)
                return
        announce(self, "Settings saved")
        self.applied.emit()
        self.accept()


def scrolling(page: SettingsPage) -> QScrollArea:
    """A page that scrolls when it is taller than the dialog (large fonts) instead of squeezing."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the page's controls, not to it
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMinimumWidth(
        page.minimumSizeHint().width() + area.verticalScrollBar().sizeHint().width()
    )
    return area
