"""What a screen reader reads from the window (through Qt's accessibility interfaces), keyboard
navigation between areas, and large fonts; tests/a11y drives the real app through AT-SPI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor, QFontMetrics, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QTabBar,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from podplayer.core.directories.results import DirectoryResult
from podplayer.core.paths import AppPaths
from podplayer.core.settings import FYYD_URL
from podplayer.core.sleep_timer import SleepChoice
from podplayer.engine.base import PlaybackState
from podplayer.engine.fake import FakeEngine
from podplayer.gui import player_session
from podplayer.gui.models.directory_results_model import DirectoryResultsModel, SubscribedFeeds
from podplayer.gui.views import player_bar, settings_dialog
from podplayer.gui.views.chapters_pane import LINK_COLUMN, PLAY_COLUMN, TITLE_COLUMN
from podplayer.gui.views.library_search_view import HitDelegate, label_font
from podplayer.gui.views.settings_pages.directories import DirectoriesPage
from podplayer.gui.views.shortcuts_dialog import ShortcutsDialog, menu_shortcuts
from tests.gui.conftest import WindowRig, open_window, stock_library
from tests.gui.test_chapters_tab import serve_chaptered_episode
from tests.http_server import TestHttpServer
from tests.manual_clock import ManualClock


def spoken(widget: QWidget, part: QAccessible.Text = QAccessible.Text.Name) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(part)


def test_the_player_bar_reads_as_it_shows(window_rig: WindowRig, qtbot: QtBot) -> None:
    window = window_rig.window
    window.player.play_episode(window_rig.episode_ids[0], 61_000)
    bar = window.player_bar
    qtbot.waitUntil(lambda: bar.title.text() != "Nothing playing")
    window.services.controller.set_rate(1.25)
    qtbot.waitUntil(lambda: "at 1.25x" in spoken(bar.seek_bar.remaining_label))
    assert spoken(bar.title) == bar.title.text()
    assert spoken(bar.podcast) == bar.podcast.text()
    assert re.fullmatch(r"1:0\d elapsed", spoken(bar.seek_bar.elapsed_label))
    assert re.fullmatch(r"\d+:\d\d left, \d+:\d\d at 1\.25x", spoken(bar.seek_bar.remaining_label))
    speed = QAccessible.queryAccessibleInterface(bar.speed_control.spin)
    assert speed is not None
    assert speed.role() == QAccessible.Role.SpinBox
    assert spoken(bar.speed_control.spin) == "Playback speed"
    assert spoken(bar.speed_control.spin, QAccessible.Text.Value) == "1.25"


def test_no_description_carries_markup(window_rig: WindowRig, qtbot: QtBot) -> None:
    """Tooltips of feed text are rich text to show tags literally; screen readers get plain text."""
    window = window_rig.window
    window.player.play_episode(window_rig.episode_ids[0])
    qtbot.waitUntil(lambda: window.player_bar.title.text() != "Nothing playing")
    marked = [
        f"{type(widget).__name__}: {spoken(widget, QAccessible.Text.Description)!r}"
        for widget in window.findChildren(QWidget)
        if QAccessible.queryAccessibleInterface(widget) is not None
        and re.search(r"</?\w+>", spoken(widget, QAccessible.Text.Description))
    ]
    assert marked == []


def test_f6_moves_between_the_main_areas(window_rig: WindowRig, qtbot: QtBot) -> None:
    window = window_rig.window
    window.player.play_episode(window_rig.episode_ids[0])
    window.podcasts.setFocus()
    visited = []
    for _ in range(5):
        target = window.focus_areas.move(+1)
        assert target is not None
        visited.append(target)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is visited[-1])
    assert visited[0] is window.episodes.table
    assert window.notes.isAncestorOf(visited[1])
    assert visited[2] is window.transcript.open_button  # no transcript: its only control
    assert visited[3] is window.player_bar.seek_bar.slider
    assert visited[4] is window.podcasts
    assert window.focus_areas.move(-1) is window.player_bar.seek_bar.slider


def test_the_shortcuts_list_has_every_menu_key(window_rig: WindowRig, qtbot: QtBot) -> None:
    window = window_rig.window
    dialog = ShortcutsDialog(window.menuBar(), window)
    qtbot.addWidget(dialog)
    rows = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
    keys = {row.text(0) for row in rows if row is not None}
    every_menu_key = {
        action.shortcut().toString()
        for menu in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))
        for action in menu.actions()
        if not action.shortcut().isEmpty()
    }
    assert {key.split(", ")[0] for key in keys} >= every_menu_key
    assert {"Ctrl+L", "F6", "Shift+F6", "Ctrl+T", "Space", "Ctrl+?, F1"} <= keys
    assert len(menu_shortcuts(window.menuBar())) >= 15


def test_twice_the_font_size_clips_no_control(app_paths: AppPaths, qtbot: QtBot) -> None:
    """A desktop at 200% text: every button, list box and spin box still gets its minimum size."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    normal = app.font()
    large = app.font()
    large.setPointSizeF(normal.pointSizeF() * 2)
    app.setFont(large)
    try:
        services, window = open_window(app_paths, qtbot, FakeEngine())
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        clipped = [
            f"{spoken(c)!r}: {c.size().toTuple()} < {c.minimumSizeHint().toTuple()}"
            for kind in (QAbstractButton, QComboBox, QAbstractSpinBox)
            for c in window.findChildren(kind)
            if c.isVisible()
            and not isinstance(c.parent(), QTabBar)  # Qt's own tab scroll arrows
            and (
                c.width() < c.minimumSizeHint().width() or c.height() < c.minimumSizeHint().height()
            )
        ]
        assert clipped == []
        window.close()
        services.close()
    finally:
        app.setFont(normal)


def test_speed_and_sleep_timer_changes_are_announced(
    window_rig: WindowRig, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What is said, and when: the speed after a change, the sleep timer when set and once a
    minute before it pauses (tests/a11y hears the real announcements over AT-SPI)."""
    said: list[str] = []
    monkeypatch.setattr(player_session, "announce", lambda _widget, text, **_: said.append(text))
    window = window_rig.window
    window.player.play_episode(window_rig.episode_ids[0])
    qtbot.waitUntil(lambda: window.player_bar.title.text() != "Nothing playing")
    window.player_bar.speed_control.preset_action(1.5).trigger()
    window.player_bar.sleep_button.action_for(SleepChoice.MINUTES_5).trigger()
    assert said == ["Speed 1.5x", "Sleep timer: 5:00 left"]
    controller = window_rig.services.controller
    for half_minute in range(9):  # the episodes are 2 minutes long: keep going back to the start
        if half_minute == 6:
            assert said[2:] == []
        controller.seek(0)
        window_rig.run(30_000, step_ms=1_000)
    assert said[2:] == ["Sleep timer: one minute left, then playback pauses"]


def test_a_skipped_chapter_and_its_undo_are_announced(
    window_rig: WindowRig,
    http_server: TestHttpServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    said: list[str] = []
    monkeypatch.setattr(player_bar, "announce", lambda _widget, text, **_: said.append(text))
    window, controller = window_rig.window, window_rig.services.controller
    episode_id = serve_chaptered_episode(window_rig, http_server, tmp_path, url="https://x.org/")
    window.player.play_episode(episode_id, 0)
    controller.set_skipped_chapters({1})
    window_rig.run(21_000)
    assert said == ["Skipped “Sponsor: Acme”. Undo is in the player bar."]
    assert spoken(window.player_bar.skip_notice) == "Skipped “Sponsor: Acme”"  # what it shows
    window.player_bar.undo_button.click()
    assert said[1:] == ["Playing the skipped chapter"]


def test_settings_problems_and_saving_are_announced(
    window_rig: WindowRig, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(settings_dialog, "announce", lambda _widget, text, **_: said.append(text))
    dialog = window_rig.window.open_settings()
    qtbot.addWidget(dialog)
    directories = dialog.pages[2]
    assert isinstance(directories, DirectoriesPage)
    field = directories.addresses.editors[FYYD_URL.key].widget
    assert isinstance(field, QLineEdit)
    field.setText("ftp://mirror.example.org")
    dialog.buttons.accepted.emit()
    assert said == [dialog.problem.text()]
    field.setText("")
    dialog.buttons.accepted.emit()
    assert said[1:] == ["Settings saved"]


def test_f6_reaches_the_search_tab_when_it_is_shown(window_rig: WindowRig, qtbot: QtBot) -> None:
    """Into the field while there are no results (an empty list says nothing), else the hits."""
    window = window_rig.window
    window.middle_tabs.setCurrentWidget(window.search_view)
    window.podcasts.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.podcasts)
    assert window.focus_areas.move(+1) is window.search_view.field
    window.search_view.field.setText("Dives")
    qtbot.waitUntil(lambda: window.search_view.model.rowCount() > 0)
    window.podcasts.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.podcasts)
    assert window.focus_areas.move(+1) is window.search_view.results


def test_the_shortcuts_list_has_the_search_chapter_and_settings_keys(
    window_rig: WindowRig, qtbot: QtBot
) -> None:
    dialog = ShortcutsDialog(window_rig.window.menuBar(), window_rig.window)
    qtbot.addWidget(dialog)
    rows = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
    areas = {row.text(2) for row in rows if row is not None}
    assert {"Search", "Chapters", "Settings", "Add podcast"} <= areas
    assert "Ctrl+Tab / Ctrl+Shift+Tab" in {row.text(0) for row in rows if row is not None}


def clipped_controls(root: QWidget) -> list[str]:
    """Controls shown smaller than they need to show their text."""
    return [
        f"{type(c).__name__} {spoken(c)!r}: {c.size().toTuple()} < {c.minimumSizeHint().toTuple()}"
        for kind in (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit)
        for c in root.findChildren(kind)
        if c.isVisible()
        and not isinstance(c.parent(), QTabBar | QAbstractSpinBox)  # Qt's own parts
        and (c.width() < c.minimumSizeHint().width() or c.height() < c.minimumSizeHint().height())
    ]


def test_twice_the_font_size_the_new_tabs_and_dialogs_stay_readable(
    app_paths: AppPaths, http_server: TestHttpServer, tmp_path: Path, qtbot: QtBot
) -> None:
    """Search, Chapters, Settings and Add podcast at 200% text: nothing clipped or squeezed."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    normal = app.font()
    large = app.font()
    large.setPointSizeF(normal.pointSizeF() * 2)
    app.setFont(large)
    try:
        engine = FakeEngine(default_duration_ms=120_000)
        services, window = open_window(app_paths, qtbot, engine)
        podcast_ids, episode_ids = stock_library(services)
        rig = WindowRig(services, engine, ManualClock(), window, podcast_ids, episode_ids)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        window.player.play_episode(serve_chaptered_episode(rig, http_server, tmp_path, url=""), 0)
        window.right_tabs.setCurrentWidget(window.chapters)
        window.middle_tabs.setCurrentWidget(window.search_view)
        qtbot.wait(50)
        assert clipped_controls(window) == []
        tree = window.chapters.tree
        title_room = tree.columnWidth(TITLE_COLUMN) - tree.iconSize().width()
        assert title_room >= 8 * tree.fontMetrics().averageCharWidth(), "chapter titles hidden"

        dialog = window.open_settings()
        qtbot.addWidget(dialog)
        dialog.show()
        for row, page in enumerate(dialog.pages):
            dialog.page_list.setCurrentRow(row)
            qtbot.wait(20)
            assert clipped_controls(dialog) == [], page.title
            item = dialog.page_list.item(row)
            room = dialog.page_list.visualItemRect(item).width()
            assert dialog.page_list.fontMetrics().horizontalAdvance(item.text()) <= room
            assert dialog.page_list.viewport().width() >= room, page.title
        dialog.reject()

        adding = window.subscriptions.open_add_dialog(window)
        qtbot.addWidget(adding)
        qtbot.waitExposed(adding)
        assert clipped_controls(adding) == []
        adding.reject()
        window.close()
        services.close()
    finally:
        app.setFont(normal)


def test_a_high_contrast_palette_recolours_the_chapter_list(
    window_rig: WindowRig, http_server: TestHttpServer, tmp_path: Path, qtbot: QtBot
) -> None:
    """Links and skipped chapters take the new palette's colours, not the ones at startup."""
    window = window_rig.window
    episode_id = serve_chaptered_episode(window_rig, http_server, tmp_path, url="https://x.org/")
    window.player.play_episode(episode_id, 0)
    window.chapters.set_skipped({1})
    contrast = QPalette(window.chapters.palette())
    contrast.setColor(QPalette.ColorRole.Link, QColor("yellow"))
    contrast.setColor(QPalette.ColorRole.PlaceholderText, QColor("white"))
    window.chapters.setPalette(contrast)
    skipped = window.chapters.tree.topLevelItem(1)
    assert skipped is not None
    assert skipped.foreground(LINK_COLUMN).color() == QColor("yellow")
    assert skipped.foreground(TITLE_COLUMN).color() == QColor("white")


def test_chapters_with_keys_only_enter_plays_and_space_skips(
    window_rig: WindowRig, http_server: TestHttpServer, tmp_path: Path, qtbot: QtBot
) -> None:
    window, controller = window_rig.window, window_rig.services.controller
    episode_id = serve_chaptered_episode(window_rig, http_server, tmp_path, url="https://x.org/")
    window.player.play_episode(episode_id, 0)
    window.right_tabs.setCurrentWidget(window.chapters)
    window.notes.setFocus()
    qtbot.waitUntil(lambda: window.notes.isAncestorOf(QApplication.focusWidget() or window))
    tree = window.focus_areas.move(+1)
    assert tree is window.chapters.tree
    qtbot.waitUntil(tree.hasFocus)
    for key in (Qt.Key.Key_Home, Qt.Key.Key_Down, Qt.Key.Key_Down):
        qtbot.keyClick(tree, key)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert controller.position_ms() == 40_000, "Enter plays from the chapter"
    qtbot.keyClick(tree, Qt.Key.Key_Up)
    qtbot.keySequence(window, QKeySequence("Space"))
    assert controller.skipped_chapters() == {1}, "Space unticks the chapter"
    assert window_rig.engine.state() is PlaybackState.PLAYING, "and does not pause"
    qtbot.keySequence(window, QKeySequence("Space"))
    assert controller.skipped_chapters() == set()


def test_a_chapter_tick_reads_as_its_chapter(
    window_rig: WindowRig, http_server: TestHttpServer, tmp_path: Path
) -> None:
    """The keyboard lands in the tick column: a screen reader says the chapter, not nothing."""
    window = window_rig.window
    episode_id = serve_chaptered_episode(window_rig, http_server, tmp_path, url="")
    window.player.play_episode(episode_id, 0)
    tree = window.chapters.tree
    names = [
        tree.model().index(row, PLAY_COLUMN).data(Qt.ItemDataRole.AccessibleTextRole)
        for row in range(tree.topLevelItemCount())
    ]
    assert names == ["Cold open, playing", "Sponsor: Acme", "Interview", "Outro"]


def test_a_search_hit_label_fits_its_column_at_twice_the_font_size() -> None:
    """'In the notes' or a time is never cut or wrapped into the snippet at 200% text."""
    font = QApplication.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    delegate = HitDelegate(QTreeView())
    metrics = QFontMetrics(label_font(font))
    for label in ("In the notes", "In the title", "1:23:45"):
        assert metrics.horizontalAdvance(label) < delegate.label_width(font), label


def test_the_search_filters_are_labelled(window_rig: WindowRig) -> None:
    """On Linux a combo box's name is its current text: what it is for comes from a label."""
    view = window_rig.window.search_view
    for combo, label in ((view.podcast_filter, "In:"), (view.order, "Order:")):
        interface = QAccessible.queryAccessibleInterface(combo)
        assert interface is not None
        labels = [
            other.text(QAccessible.Text.Name)
            for other, _ in interface.relations(QAccessible.RelationFlag.Label)
        ]
        assert labels == [label]


def test_tab_goes_through_the_dialogs_in_layout_order(window_rig: WindowRig, qtbot: QtBot) -> None:
    """No unnamed stop (a settings page's scroll area), and Subscribe before Cancel."""
    window = window_rig.window
    dialog = window.open_settings()
    qtbot.addWidget(dialog)
    dialog.show()
    stops: list[str] = []
    widget: QWidget | None = dialog.page_list.nextInFocusChain()
    while widget is not None and widget is not dialog.page_list and len(stops) < 40:
        if (
            widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.focusProxy() is None  # a spin box's own field
        ):
            stops.append(spoken(widget) or type(widget).__name__)
        widget = widget.nextInFocusChain()
    assert stops == [
        "Notify about new episodes",
        "Fetch transcripts for search (newest episodes per podcast)",
        "OK",
        "Cancel",
    ]
    adding = window.subscriptions.open_add_dialog(window)
    qtbot.addWidget(adding)
    cancel = adding.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert adding.subscribe_button.nextInFocusChain() is cancel


def test_a_directory_result_without_a_title_reads_as_its_address(qtbot: QtBot) -> None:
    model = DirectoryResultsModel(None, SubscribedFeeds([], []))
    model.add([DirectoryResult("", "https://feeds.example.org/x.xml", sources=("fyyd",))])
    index = model.index(0)
    shown = str(index.data()).split("\n")[0]
    assert str(index.data(Qt.ItemDataRole.AccessibleTextRole)).startswith(f"{shown}. ")


def test_a_settings_problem_is_not_told_by_a_pale_colour_alone(
    window_rig: WindowRig, qtbot: QtBot
) -> None:
    """The sentence is in the window's own text colour (readable in any palette), in bold."""
    dialog = window_rig.window.open_settings()
    qtbot.addWidget(dialog)
    assert "color" not in dialog.problem.styleSheet()
    assert dialog.problem.font().bold()
