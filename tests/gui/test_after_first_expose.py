"""The desktop's ways in start once the window is on screen, not before its map request."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from podplayer.gui.launch import AfterFirstExpose


def test_the_callback_runs_once_after_the_window_is_exposed(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    calls: list[bool] = []
    AfterFirstExpose(window, lambda: calls.append(window.windowHandle().isExposed()))
    assert calls == []
    qtbot.waitUntil(lambda: calls != [], timeout=2000)
    window.hide()
    window.show()
    qtbot.wait(100)
    assert calls == [True]


def test_a_window_never_exposed_still_gets_the_callback_after_the_latest_time(
    qtbot: QtBot,
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.winId()  # a native window that is never shown
    calls: list[str] = []
    AfterFirstExpose(window, lambda: calls.append("started"), latest_ms=50)
    qtbot.wait(20)
    assert calls == []
    qtbot.waitUntil(lambda: calls == ["started"], timeout=1000)
