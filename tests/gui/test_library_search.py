"""The window's library search: type, see hits grouped by episode, Enter plays or shows."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from podplayer.core.models import Cue
from podplayer.gui.views.library_search_view import (
    HIGHLIGHTS_ROLE,
    LABEL_ROLE,
    SEARCHING,
    START_ROLE,
)
from tests.gui.conftest import WindowRig


def type_query(rig: WindowRig, qtbot: QtBot, text: str) -> None:
    view = rig.window.search_view
    view.field.clear()
    if text.isascii():
        qtbot.keyClicks(view.field, text)
    else:  # QTest types Latin-1 only
        view.field.insert(text)
    qtbot.waitUntil(lambda: view.status.text() != SEARCHING)


def headings(rig: WindowRig) -> list[str]:
    model = rig.window.search_view.model
    return [model.index(row, 0).data().split("\n")[0] for row in range(model.rowCount())]


def first_hit(rig: WindowRig) -> QModelIndex:
    model = rig.window.search_view.model
    return model.index(0, 0, model.index(0, 0))


def test_type_then_enter_plays_from_two_seconds_before_the_words(
    window_rig: WindowRig, qtbot: QtBot
) -> None:
    rig, window = window_rig, window_rig.window
    episode_id = rig.episode_ids[4]
    cues = [Cue(1_000, 5_000, "Welcome back."), Cue(42_000, 46_000, "Quantum foam, explained.")]
    assert rig.services.search.index_transcript(episode_id, cues)
    qtbot.waitUntil(window.isActiveWindow)  # a window shortcut needs the active window
    qtbot.keySequence(window, QKeySequence("Ctrl+Shift+F"))
    assert window.middle_tabs.currentWidget() is window.search_view
    assert window.search_view.field.hasFocus()
    type_query(rig, qtbot, "quantum")
    assert headings(rig) == ["Deep Dives #2"]
    hit = first_hit(rig)
    assert (hit.data(LABEL_ROLE), hit.data(START_ROLE)) == ("0:42", 42_000)
    snippet = hit.data()
    assert [snippet[s : s + n] for s, n in hit.data(HIGHLIGHTS_ROLE)] == ["Quantum"]
    qtbot.keyClick(window.search_view.field, Qt.Key.Key_Return)
    current = rig.services.controller.current_episode()
    assert current is not None and current.id == episode_id
    assert rig.engine.time_ms() == 40_000
    assert window.episodes.filter_box.text() == ""  # the episode filter is its own


def test_a_notes_hit_shows_its_episode_and_filters_and_order_apply(
    window_rig: WindowRig, qtbot: QtBot
) -> None:
    rig, window = window_rig, window_rig.window
    view = window.search_view
    qtbot.waitUntil(window.isActiveWindow)  # a window shortcut needs the active window
    qtbot.keySequence(window, QKeySequence("Ctrl+Shift+F"))
    type_query(rig, qtbot, '"main story"')
    assert len(headings(rig)) == 6 and view.status.text() == "6 episodes"
    assert first_hit(rig).data(LABEL_ROLE) == "In the notes"
    view.podcast_filter.setCurrentIndex(view.podcast_filter.findText("Deep Dives"))
    view.order.setCurrentIndex(view.order.findData("newest"))
    qtbot.waitUntil(lambda: headings(rig) == ["Deep Dives #3", "Deep Dives #2", "Deep Dives #1"])
    assert view.results.currentIndex() == view.model.index(0, 0, view.model.index(0, 0))
    qtbot.keyClick(view.field, Qt.Key.Key_Down)  # to the second episode's heading
    qtbot.keyClick(view.field, Qt.Key.Key_Down)  # and its notes hit
    assert view.results.currentIndex() == view.model.index(0, 0, view.model.index(1, 0))
    qtbot.keyClick(view.field, Qt.Key.Key_Return)
    assert window.middle_tabs.currentWidget() is window.episodes
    qtbot.waitUntil(lambda: window.episodes.selected_episode_ids() == [rig.episode_ids[4]])
    assert rig.services.controller.current_episode() is None


def test_what_cannot_be_searched_gets_a_sentence(window_rig: WindowRig, qtbot: QtBot) -> None:
    rig, view = window_rig, window_rig.window.search_view
    type_query(rig, qtbot, "☕")
    assert "emoji" in view.status.text() and view.model.rowCount() == 0
    type_query(rig, qtbot, "'; DROP TABLE episodes; --")
    assert view.status.text() == "Nothing found."
    type_query(rig, qtbot, "morning")
    assert len(headings(rig)) == 3
    view.field.clear()
    qtbot.waitUntil(lambda: "Type to search" in view.status.text())
