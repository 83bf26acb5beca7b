"""Work that waits for the window: it runs once, after the first paint, or after a wait."""

from __future__ import annotations

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from podplayer.gui.launch import AfterFirstPaint


class PaintCounter(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def paintEvent(self, event: QPaintEvent) -> None:
        self.paints += 1
        super().paintEvent(event)


def test_runs_once_after_the_window_is_painted(qtbot: QtBot) -> None:
    window = PaintCounter()
    qtbot.addWidget(window)
    window.show()
    paints_seen: list[int] = []
    AfterFirstPaint(window, lambda: paints_seen.append(window.paints), wait_ms=60_000)
    assert paints_seen == []  # not before the event loop has shown it
    qtbot.waitUntil(lambda: bool(paints_seen), timeout=10_000)
    assert paints_seen[0] >= 1
    window.hide()
    window.show()
    qtbot.wait(50)
    assert len(paints_seen) == 1


def test_runs_after_the_wait_when_the_window_is_never_exposed(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.winId()  # a native window that is never mapped: no expose comes
    ran: list[bool] = []
    AfterFirstPaint(window, lambda: ran.append(True), wait_ms=50)
    qtbot.waitUntil(lambda: bool(ran), timeout=5_000)
    qtbot.wait(100)
    assert ran == [True]
