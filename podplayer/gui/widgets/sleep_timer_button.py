"""A sleep-timer button: a menu of choices, and the time left while a countdown runs."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from podplayer.core.sleep_timer import SleepChoice, SleepTimerStatus
from podplayer.gui.text import format_ms

MOON = "☾"


class SleepTimerButton(QToolButton):
    """Emits choice_requested(SleepChoice) and extend_requested(); shows the status it is given."""

    choice_requested = Signal(object)
    extend_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Sleep timer")
        self.setToolTip("Sleep timer: pause playback later")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        group = QActionGroup(menu)
        self._actions: dict[SleepChoice, QAction] = {}
        for choice in SleepChoice:
            action = menu.addAction(choice.label)
            action.setCheckable(True)
            group.addAction(action)
            action.triggered.connect(lambda _=False, c=choice: self.choice_requested.emit(c))
            self._actions[choice] = action
        menu.addSeparator()
        self._extend = menu.addAction("Add 5 minutes")
        self._extend.triggered.connect(self.extend_requested)
        self.setMenu(menu)
        self.set_chapters_available(False)
        self.set_status(SleepTimerStatus(SleepChoice.OFF))

    def set_chapters_available(self, available: bool) -> None:
        """End of Chapter is offered only for episodes with chapters."""
        self._actions[SleepChoice.END_OF_CHAPTER].setVisible(available)

    def set_status(self, status: SleepTimerStatus) -> None:
        self._actions[status.choice].setChecked(True)
        if status.choice is SleepChoice.OFF:
            text, description = MOON, "Sleep timer is off"
        elif status.remaining_ms is not None:
            left = format_ms(status.remaining_ms + 999)
            text, description = f"{MOON} {left}", f"Sleep timer: {left} left"
        elif status.choice is SleepChoice.END_OF_EPISODE:
            text, description = f"{MOON} Episode", "Sleep timer: pauses at the end of this episode"
        else:
            text, description = f"{MOON} Chapter", "Sleep timer: pauses at the end of this chapter"
        if status.fading:
            description += ", fading out"
        self.setText(text)
        self.setAccessibleDescription(description)
        self.setToolTip(description)

    def action_for(self, choice: SleepChoice) -> QAction:
        return self._actions[choice]
