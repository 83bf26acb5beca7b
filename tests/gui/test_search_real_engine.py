"""The search flow through the real VlcEngine: subscribe, type, Enter, audio plays from the hit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from podplayer.engine.base import PlaybackState
from podplayer.gui.views.library_search_view import LABEL_ROLE, SEARCHING
from tests.gui.test_flows_real_engine import RealRig, real_rig  # noqa: F401 (the fixture)

HIT_MS = 41_333  # "The highlighted line follows the voice as it speaks." in welcome.vtt


def test_search_a_spoken_phrase_and_play_from_it(real_rig: RealRig, qtbot: QtBot) -> None:  # noqa: F811
    window = real_rig.window
    dialog = window.subscriptions.open_add_dialog(window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.url_field, real_rig.server.url("/feed.xml"))
    qtbot.keyClick(dialog.url_field, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.url_field, Qt.Key.Key_Return)
    assert real_rig.server.requests_for("/tour.vtt"), "the transcript is fetched for search"

    qtbot.keySequence(window, QKeySequence("Ctrl+Shift+F"))
    view = window.search_view
    qtbot.keyClicks(view.field, '"highlighted line"')
    qtbot.waitUntil(lambda: view.status.text() not in ("", SEARCHING))
    heading = view.model.index(0, 0)
    assert heading.data().startswith("The spoken tour\nLoopback Tour")
    assert view.model.index(0, 0, heading).data(LABEL_ROLE) == "0:41"
    qtbot.keyClick(view.field, Qt.Key.Key_Return)

    controller = real_rig.services.controller
    qtbot.waitUntil(lambda: controller.state() is PlaybackState.PLAYING, timeout=10_000)
    qtbot.wait(300)
    first = real_rig.engine.time_ms()
    qtbot.wait(1_000)
    later = real_rig.engine.time_ms()
    # Playing (time moves on) from 2 s before the words, not from the start of the episode.
    assert later - first >= 500, f"stuck at {first} ms"
    assert HIT_MS - 2_000 <= first <= HIT_MS, f"started at {first} ms"
