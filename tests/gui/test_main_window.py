"""The main window with the fake engine: browsing, playing, speed, sleep timer, notes, state."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QScrollBar,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from podplayer.core.models import (
    Cue,
    Episode,
    EpisodeQuery,
    EpisodeSort,
    EpisodeView,
    Podcast,
    TranscriptRef,
)
from podplayer.core.paths import AppPaths
from podplayer.core.sleep_timer import SleepChoice
from podplayer.core.transcripts.timeline import Transcript
from podplayer.engine.base import PlaybackState
from podplayer.engine.fake import FakeEngine
from podplayer.engine.vlc import INSTALL_HINT
from podplayer.gui import subscriptions
from podplayer.gui.models.episode_table_model import TITLE_COLUMN
from tests.gui.conftest import EPISODE_MS, WindowRig, open_window
from tests.http_server import TestHttpServer


def test_missing_libvlc_is_explained(qtbot: QtBot, app_paths: AppPaths) -> None:
    services, window = open_window(app_paths, qtbot, FakeEngine())
    services.playback_unavailable = INSTALL_HINT
    window = type(window)(services)
    qtbot.addWidget(window)
    window.show()
    assert "libvlc" in window.banner.text()
    services.close()


def test_podcast_selection_lists_its_episodes(window_rig: WindowRig, qtbot: QtBot) -> None:
    window = window_rig.window
    model = window.episode_model
    assert model.rowCount() == 6
    window.podcasts.select_podcast(window_rig.podcast_ids[1])
    assert model.rowCount() == 3
    titles = {model.index(row, TITLE_COLUMN).data() for row in range(3)}
    assert titles == {"Deep Dives #1", "Deep Dives #2", "Deep Dives #3"}
    assert window.episodes.table.isColumnHidden(2)


def test_play_speed_and_remaining_time(window_rig: WindowRig, qtbot: QtBot) -> None:
    window, controller = window_rig.window, window_rig.services.controller
    episode_id = window_rig.episode_ids[0]
    window.episodes.select_episode(episode_id)
    row = window.episode_model.row_of(episode_id)
    assert row is not None
    window.episodes.play_requested.emit(episode_id)
    assert controller.state() is PlaybackState.PLAYING
    assert window.player_bar.title.text() == "Morning News #1"
    window_rig.run(10_000)
    assert 9_500 <= controller.position_ms() <= 10_500
    window.player_bar.speed_control.preset_action(2.0).trigger()
    assert controller.rate() == 2.0
    assert window.player_bar.speed_control.text() == "2.0x"
    before = controller.position_ms()
    window_rig.run(5_000)
    assert 9_000 <= controller.position_ms() - before <= 11_000
    remaining = window.player_bar.seek_bar.remaining_text()
    assert "at 2.0x" in remaining
    qtbot.waitActive(window)
    qtbot.keyClick(window.episodes.table, Qt.Key.Key_BracketRight)
    assert controller.rate() == 2.05
    qtbot.keyClick(window.episodes.table, Qt.Key.Key_Space)
    assert controller.state() is PlaybackState.PAUSED


def test_sleep_timer_pauses_playback(window_rig: WindowRig) -> None:
    window, controller = window_rig.window, window_rig.services.controller
    window_rig.engine.set_duration("http://127.0.0.1/0/0.mp3", 20 * 60_000)
    window.player.play_episode(window_rig.episode_ids[0])
    window.player_bar.sleep_button.action_for(SleepChoice.MINUTES_5).trigger()
    window_rig.run(60_000)
    assert window.player_bar.sleep_button.text().startswith("☾ 4:")
    assert controller.state() is PlaybackState.PLAYING
    window_rig.run(4 * 60_000 + 1_000)
    assert controller.state() is PlaybackState.PAUSED
    assert window.player_bar.sleep_button.text() == "☾"


def test_show_notes_are_safe_and_times_seek(window_rig: WindowRig) -> None:
    window, controller = window_rig.window, window_rig.services.controller
    episode_id = window_rig.episode_ids[1]
    window.episodes.select_episode(episode_id)
    html = window.notes.html()
    assert "alert" not in html and "<img" not in html
    assert window.notes.images_button.isVisible()
    window.notes.browser.anchorClicked.emit(
        window.notes.browser.source().fromUserInput("seek:70000")
    )
    current = controller.current_episode()
    assert current is not None and current.id == episode_id
    assert controller.position_ms() == 70_000
    window.notes.browser.anchorClicked.emit(
        window.notes.browser.source().fromUserInput("file:///etc/passwd")
    )
    assert "does not open file links" in window.statusBar().currentMessage()


def test_mark_played_and_unsubscribe(
    window_rig: WindowRig, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    window, library = window_rig.window, window_rig.services.library
    window.mark_played(window_rig.episode_ids[:2], True)
    assert library.podcasts.unplayed_counts()[window_rig.podcast_ids[0]] == 1
    monkeypatch.setattr(subscriptions, "confirm", lambda *args: False)
    window.unsubscribe(window_rig.podcast_ids[0])
    assert library.podcasts.get(window_rig.podcast_ids[0]) is not None
    monkeypatch.setattr(subscriptions, "confirm", lambda *args: True)
    window.podcasts.select_podcast(window_rig.podcast_ids[0])
    window.podcasts.setFocus()
    qtbot.keyClick(window.podcasts, Qt.Key.Key_Delete)
    assert library.podcasts.get(window_rig.podcast_ids[0]) is None
    assert window.podcast_model.rowCount() == 2
    assert window.episode_model.rowCount() == 3


def test_reopening_shows_last_episode_paused_there(qtbot: QtBot, app_paths: AppPaths) -> None:
    from tests.gui.conftest import stock_library

    engine = FakeEngine(default_duration_ms=EPISODE_MS)
    services, window = open_window(app_paths, qtbot, engine)
    _, episode_ids = stock_library(services)
    window.player.play_episode(episode_ids[5])
    services.controller.set_rate(1.5)
    services.controller.set_volume(40)
    for _ in range(200):
        engine.advance(50)
        services.controller.ticker.tick()
    services.controller.pause()
    position = services.controller.position_ms()
    window.main_splitter.setSizes([200, 700, 300])
    sizes = window.main_splitter.sizes()
    deep_dives = window.podcast_model.podcasts()[0]
    window.podcasts.select_podcast(deep_dives.id)
    window.episodes.view_selector.setCurrentIndex(
        window.episodes.view_selector.findData(EpisodeView.NEW)
    )
    window.episodes.table.sortByColumn(TITLE_COLUMN, Qt.SortOrder.AscendingOrder)
    window.close()
    services.close()

    engine = FakeEngine(default_duration_ms=EPISODE_MS)
    services, window = open_window(app_paths, qtbot, engine)
    bar = window.player_bar
    assert bar.title.text() == "Deep Dives #3"
    assert bar.seek_bar.slider.value() == position
    assert bar.speed_control.text() == "1.5x"
    assert bar.volume.slider.value() == 40
    assert window.main_splitter.sizes() == sizes
    assert window.podcasts.selected_podcast_id() == deep_dives.id
    assert window.episode_model.query() == EpisodeQuery(
        deep_dives.id, EpisodeView.NEW, "", EpisodeSort.TITLE, descending=False
    )
    assert window.episodes.view_selector.currentData() == EpisodeView.NEW
    assert window.episode_model.index(0, TITLE_COLUMN).data() == "Deep Dives #1"
    assert engine.source is None  # nothing loaded until the user presses Play
    bar.play_button.click()
    assert services.controller.state() is PlaybackState.PLAYING
    assert abs(services.controller.position_ms() - position) < 100
    services.close()


def test_keys_type_into_fields_and_ctrl_f_finds_where_focus_is(
    window_rig: WindowRig, qtbot: QtBot
) -> None:
    window, controller = window_rig.window, window_rig.services.controller
    window.player.play_episode(window_rig.episode_ids[0])
    qtbot.waitActive(window)
    window.episodes.filter_box.setFocus()
    qtbot.keyClicks(window.episodes.filter_box, "a b[]")
    qtbot.keyClick(window.episodes.filter_box, Qt.Key.Key_Left)
    assert window.episodes.filter_box.text() == "a b[]"
    assert controller.state() is PlaybackState.PLAYING
    assert controller.rate() == 1.0
    assert controller.position_ms() == 0

    mute = window.player_bar.volume.mute_button
    mute.setFocus()
    qtbot.keyClick(mute, Qt.Key.Key_Space)
    qtbot.waitUntil(controller.is_muted)
    assert controller.state() is PlaybackState.PLAYING

    window.episodes.table.setFocus()
    qtbot.keyClick(window.episodes.table, Qt.Key.Key_Right)
    assert controller.position_ms() == 30_000
    qtbot.keyClick(window.episodes.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.episodes.filter_box.hasFocus()

    window.transcript.set_transcript(
        Transcript.build([Cue(0, 1000, "Hello there.")], timed=True, format_name="WebVTT")
    )
    window.transcript.view.setFocus()
    assert window.transcript.view.hasFocus()
    qtbot.keyClick(window.transcript.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.transcript.find_bar.isVisible()


def test_unsubscribe_question_shows_feed_title_literally(window_rig: WindowRig) -> None:
    library = window_rig.services.library
    podcast = library.podcasts.get(window_rig.podcast_ids[1])
    assert podcast is not None
    podcast.title = "<b>Bold</b> <img src='file:///etc/x.png'>"
    library.podcasts.update(podcast)
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        assert box.textFormat() is Qt.TextFormat.PlainText
        seen.append(box.text())
        [accept] = [b for b in box.buttons() if b.text() == "Unsubscribe"]
        accept.click()

    QTimer.singleShot(0, answer)
    window_rig.window.unsubscribe(window_rig.podcast_ids[1])
    assert seen and "<b>Bold</b> <img src='file:///etc/x.png'>" in seen[0]
    assert library.podcasts.get(window_rig.podcast_ids[1]) is None


def test_every_control_of_the_window_has_a_name_and_a_tooltip(window_rig: WindowRig) -> None:
    """Every view in the main window: side tabs, episodes, notes, transcript (its find bar too),
    downloads and the player bar."""
    window = window_rig.window
    window.transcript.open_find()
    controls = [
        c
        for kind in (QAbstractButton, QAbstractSlider, QLineEdit, QComboBox, QAbstractItemView)
        for c in window.findChildren(kind)
        if not _qt_internal(c, window)
    ]
    missing = [
        f"{type(c).__name__} {c.objectName()!r} in {type(c.parent()).__name__}"
        for c in controls
        if not c.accessibleName() or not c.toolTip()
    ]
    for view in (
        window.podcasts,
        window.queue,
        window.episodes,
        window.notes,
        window.transcript,
        window.chapters,
        window.downloads,
        window.player_bar,
    ):
        assert any(view.isAncestorOf(c) for c in controls), type(view).__name__
    assert len(controls) > 30
    assert missing == [], "\n".join(missing)


def _qt_internal(widget: QWidget, window: QWidget) -> bool:
    """Scroll bars, table headers, the table corner, tab bars' scroll arrows, popups and line
    edits' clear buttons come from Qt itself."""
    return (
        widget.window() is not window
        or isinstance(widget, (QScrollBar, QHeaderView))
        or isinstance(widget.parent(), (QLineEdit, QTabBar))
        or (widget.objectName().startswith("qt_"))
    )


def test_selection_and_notes_survive_a_reload(window_rig: WindowRig) -> None:
    window = window_rig.window
    window.episodes.select_episode(window_rig.episode_ids[4])
    assert window.notes.heading.text() == "Deep Dives #2"
    window.episode_model.reload()
    assert window.episodes.selected_episode_ids() == [window_rig.episode_ids[4]]
    assert window.notes.heading.text() == "Deep Dives #2"
    window.podcasts.select_podcast(window_rig.podcast_ids[0])
    assert window.episodes.selected_episode_ids() == []
    assert window.notes.heading.text() == "No episode selected"


def test_transcript_in_the_podcasts_language_is_chosen(
    qtbot: QtBot, app_paths: AppPaths, http_server: TestHttpServer
) -> None:
    for language, words in (("en", "Good morning"), ("de", "Guten Morgen")):
        http_server.route(
            f"/{language}.vtt",
            body=f"WEBVTT\n\n00:00.000 --> 00:02.000\n{words}\n".encode(),
            content_type="text/vtt",
        )
    services, window = open_window(app_paths, qtbot, FakeEngine(default_duration_ms=EPISODE_MS))
    try:
        podcast = services.library.podcasts.add(
            Podcast(url="http://127.0.0.1/de.xml", title="Morgenradio", language="de-DE")
        )
        assert podcast.id is not None
        episode = services.library.episodes.add(
            Episode(
                podcast_id=podcast.id,
                guid="m1",
                title="Folge 1",
                enclosure_url="http://127.0.0.1/m1.mp3",
                transcripts=[
                    TranscriptRef(http_server.url(f"/{language}.vtt"), "text/vtt", language)
                    for language in ("en", "de")
                ],
            )
        )
        assert episode.id is not None
        window.player.play_episode(episode.id)
        transcript = window.transcript.transcript
        assert transcript is not None
        assert [cue.text for cue in transcript.cues] == ["Guten Morgen"]
        assert http_server.requests_for("/en.vtt") == []
    finally:
        window.close()
        services.close()
