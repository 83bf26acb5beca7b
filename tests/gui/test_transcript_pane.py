"""The transcript pane follows playback, seeks on click and Enter, pauses when the user scrolls,
finds, copies with times, and shows untimed or missing transcripts honestly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QWheelEvent
from PySide6.QtWidgets import QAbstractSlider, QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from podplayer.core.models import Cue
from podplayer.core.transcripts.parsing import parse_transcript
from podplayer.core.transcripts.timeline import Transcript
from podplayer.engine.base import PlaybackState
from podplayer.engine.vlc import VlcEngine
from podplayer.gui.views.transcript_pane import NOT_SYNCED_TEXT, TranscriptPane
from tests.engine.audio_tap import AudioTap

DATA = Path(__file__).resolve().parents[1] / "data" / "transcripts"
AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"


@pytest.fixture
def srt() -> Transcript:
    return parse_transcript((DATA / "transcript.srt").read_bytes(), "application/srt")


@pytest.fixture
def pane(qtbot: QtBot) -> TranscriptPane:
    widget = TranscriptPane()
    qtbot.addWidget(widget)
    widget.resize(500, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def synthetic(count: int) -> Transcript:
    cues = [
        Cue(i * 2000, i * 2000 + 2000, f"Line number {i} of the talk", "Ann") for i in range(count)
    ]
    return Transcript.build(cues, timed=True, format_name="test")


def row_top_fraction(pane: TranscriptPane, row: int) -> float:
    rect = pane.view.visualRect(pane.model.index(row))
    return rect.top() / pane.view.viewport().height()


def click_row(qtbot: QtBot, pane: TranscriptPane, row: int) -> None:
    rect = pane.view.visualRect(pane.model.index(row))
    assert pane.view.viewport().rect().contains(rect.center())
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def wheel(pane: TranscriptPane, notches: int) -> None:
    viewport = pane.view.viewport()
    center = QPointF(viewport.rect().center())
    event = QWheelEvent(
        center,
        QPointF(viewport.mapToGlobal(center.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, event)


def test_following_highlights_the_cue_at_each_position(
    pane: TranscriptPane, srt: Transcript
) -> None:
    pane.set_transcript(srt)
    assert pane.current_row is None
    pane.set_position(100)  # before the first cue (179 ms)
    assert pane.current_row is None
    for position in (179, 2_500, 53_030, 60_000, 300_000):
        pane.set_position(position)
        assert pane.current_row == srt.index_at(position)
    assert (srt.cues[pane.current_row or 0].start_ms or 0) <= 300_000


def test_current_cue_is_kept_a_third_from_the_top(pane: TranscriptPane) -> None:
    transcript = synthetic(400)
    pane.set_transcript(transcript)
    for row in (50, 51, 120, 200):
        pane.set_position(row * 2000 + 10)
        assert pane.current_row == row
        assert 0.25 < row_top_fraction(pane, row) < 0.40
    assert pane.view.currentIndex().row() == 200  # Enter would play the current line


def test_no_jitter_near_the_end(pane: TranscriptPane) -> None:
    pane.set_transcript(synthetic(300))
    bar = pane.view.verticalScrollBar()
    values = []
    for row in range(280, 300):
        pane.set_position(row * 2000 + 500)
        values.append(bar.value())
        rect = pane.view.visualRect(pane.model.index(row))
        assert pane.view.viewport().rect().contains(rect)
    assert values == sorted(values)  # never moves back up
    assert values[-1] == bar.maximum()
    assert values[-5:] == [bar.maximum()] * 5  # clamped: the last lines no longer move the list


def test_clicking_a_line_seeks_to_its_start(
    qtbot: QtBot, pane: TranscriptPane, srt: Transcript
) -> None:
    pane.set_transcript(srt)
    with qtbot.waitSignal(pane.seek_requested, timeout=1000) as signal:
        click_row(qtbot, pane, 3)
    assert signal.args == [srt.cues[3].start_ms]


def test_enter_on_the_focused_line_seeks(
    qtbot: QtBot, pane: TranscriptPane, srt: Transcript
) -> None:
    pane.set_transcript(srt)
    pane.set_position(srt.cues[10].start_ms or 0)
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_Down)
    seeks: list[int] = []
    pane.seek_requested.connect(seeks.append)
    qtbot.keyClick(pane.view, Qt.Key.Key_Return)
    assert seeks == [srt.cues[11].start_ms]


def test_scrolling_pauses_following_and_back_to_current_resumes(pane: TranscriptPane) -> None:
    pane.set_transcript(synthetic(400))
    pane.set_position(100 * 2000)
    assert pane.is_following() and not pane.back_button.isVisible()
    wheel(pane, 10)
    assert not pane.is_following()
    assert pane.back_button.isVisible()
    scrolled_to = pane.view.verticalScrollBar().value()
    pane.set_position(101 * 2000)
    assert pane.current_row == 101  # still highlighted...
    assert pane.view.verticalScrollBar().value() == scrolled_to  # ...but the list stays put
    pane.back_button.click()
    assert pane.is_following() and not pane.back_button.isVisible()
    assert 0.25 < row_top_fraction(pane, 101) < 0.40


def test_following_resumes_by_itself_after_scrolling_stops(
    qtbot: QtBot, pane: TranscriptPane
) -> None:
    pane.resume_delay_ms = 300
    pane.set_transcript(synthetic(400))
    pane.set_position(200 * 2000)
    pane.view.verticalScrollBar().triggerAction(QAbstractSlider.SliderAction.SliderPageStepSub)
    assert not pane.is_following()
    qtbot.waitUntil(pane.is_following, timeout=3000)
    assert 0.25 < row_top_fraction(pane, 200) < 0.40


def test_find_highlights_counts_and_steps_through_matches(
    qtbot: QtBot, pane: TranscriptPane, srt: Transcript
) -> None:
    pane.set_transcript(srt)
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert pane.find_bar.isVisible()
    qtbot.keyClicks(pane.find_bar.field, "Podcast")
    expected = sum(len(re.findall("podcast", cue.text, re.IGNORECASE)) for cue in srt.cues)
    assert expected > 10
    assert pane.match_count == expected
    assert pane.find_bar.count_label.text() == f"1 of {expected}"
    qtbot.keyClick(pane.find_bar.field, Qt.Key.Key_Return)
    assert pane.find_bar.count_label.text() == f"2 of {expected}"
    qtbot.keyClick(pane.find_bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(pane.find_bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert pane.find_bar.count_label.text() == f"{expected} of {expected}"  # wraps around
    last_row = max(i for i, cue in enumerate(srt.cues) if "podcast" in cue.text.lower())
    assert pane.view.viewport().rect().contains(pane.view.visualRect(pane.model.index(last_row)))
    qtbot.keyClick(pane.find_bar.field, Qt.Key.Key_Escape)
    assert not pane.find_bar.isVisible()
    assert pane.match_count == 0


def test_find_without_matches_says_so(pane: TranscriptPane, srt: Transcript) -> None:
    pane.set_transcript(srt)
    assert pane.find_text("xylophone") == 0
    assert pane.find_bar.count_label.text() == "No matches"


def test_selected_lines_copy_as_text_with_times(
    qtbot: QtBot, pane: TranscriptPane, srt: Transcript
) -> None:
    pane.set_transcript(srt)
    click_row(qtbot, pane, 0)
    qtbot.mouseClick(
        pane.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ShiftModifier,
        pane.view.visualRect(pane.model.index(1)).center(),
    )
    qtbot.keyClick(pane.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == (
        "[0:00] Travis: When you first get started in podcasting, it's\n"
        "[0:02] Travis: almost guaranteed that you're going to make a handful of rookie"
    )


def test_untimed_transcript_is_marked_and_clicks_do_not_seek(
    qtbot: QtBot, pane: TranscriptPane
) -> None:
    untimed = parse_transcript(b"<p>Ann: Hello there.</p><p>Bob: Hi Ann.</p>", "text/html")
    pane.set_transcript(untimed)
    assert pane.status_label.text() == NOT_SYNCED_TEXT
    assert pane.view.isVisible()
    seeks: list[int] = []
    pane.seek_requested.connect(seeks.append)
    click_row(qtbot, pane, 1)
    qtbot.keyClick(pane.view, Qt.Key.Key_Return)
    pane.set_position(5000)
    assert seeks == []
    assert pane.current_row is None
    wheel(pane, 3)
    assert not pane.back_button.isVisible()
    assert pane.copy_selection() == "Bob: Hi Ann."


def test_missing_or_unreadable_transcripts_show_a_sentence(pane: TranscriptPane) -> None:
    pane.set_transcript(None)
    assert pane.message_label.isVisible()
    assert pane.message_label.text() == "No transcript for this episode."
    broken = parse_transcript(b'{"segments": [', "application/json")
    pane.set_transcript(broken)
    assert pane.message_label.text().startswith("The transcript could not be read")
    assert not pane.view.isVisible()
    pane.set_position(1000)  # nothing to follow, nothing breaks
    pane.show_message("Loading the transcript…")
    assert pane.message_label.text() == "Loading the transcript…"


def test_load_file_button_asks_for_a_file(
    qtbot: QtBot, pane: TranscriptPane, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = str(DATA / "transcript.vtt")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (chosen, ""))
    with qtbot.waitSignal(pane.file_chosen, timeout=1000) as signal:
        pane.open_button.click()
    assert signal.args == [chosen]


def test_a_new_transcript_replaces_the_old_state(pane: TranscriptPane, srt: Transcript) -> None:
    pane.set_transcript(synthetic(100))
    pane.set_position(50 * 2000)
    wheel(pane, 5)
    pane.set_transcript(srt)
    assert pane.is_following() and pane.current_row is None
    pane.set_position(2_500)
    assert pane.current_row == 1


def test_long_words_and_long_cues_wrap_inside_the_row(pane: TranscriptPane) -> None:
    long_word = "https://example.org/" + "x" * 400
    cue_text = "word " * 200 + long_word
    pane.set_transcript(
        Transcript.build([Cue(0, 1000, cue_text, "Ann")], timed=True, format_name="t")
    )
    rect = pane.view.visualRect(pane.model.index(0))
    line_height = pane.view.fontMetrics().lineSpacing()
    assert rect.height() > 10 * line_height  # wrapped over many lines, not one endless line
    assert rect.width() <= pane.view.viewport().width()
    image = pane.view.viewport().grab()
    assert not image.isNull()


def test_following_does_not_relayout_the_list(pane: TranscriptPane) -> None:
    """Moving the highlight repaints two rows; it must not re-measure every row."""
    pane.set_transcript(synthetic(2000))
    pane.set_position(500 * 2000)
    QApplication.processEvents()
    measured: list[int] = []
    delegate = pane.view.itemDelegate()
    original = delegate.sizeHint

    def counting(option, index):
        measured.append(index.row())
        return original(option, index)

    delegate.sizeHint = counting  # type: ignore[method-assign]
    for row in range(501, 531):
        pane.set_position(row * 2000)
        QApplication.processEvents()
    assert len(measured) < 30 * 40  # visible rows at most, never 2,000 per move


def test_clicking_a_line_seeks_the_real_vlc_engine(qtbot: QtBot, pane: TranscriptPane) -> None:
    """Real libvlc playing a real file: after the click, the audio heard starts at the cue.

    The file beeps at every whole second with a pitch naming that second, so what the audio
    output receives (not what get_time() claims) shows where playback went.
    """
    engine = VlcEngine(["--aout=adummy"])
    assert engine.available, engine.unavailable_reason
    tap = AudioTap(engine.media_player)
    cues = [
        Cue(s * 1000 + 500, s * 1000 + 1500, f"Second {s} and a half", "Beeper") for s in range(19)
    ]
    pane.set_transcript(Transcript.build(cues, timed=True, format_name="test"))
    engine.time_changed.connect(pane.set_position)
    pane.seek_requested.connect(engine.seek)
    try:
        engine.load(str(AUDIO / "beeps.mp3"))
        engine.play()
        qtbot.waitUntil(lambda: engine.state() is PlaybackState.PLAYING, timeout=5000)
        qtbot.waitUntil(lambda: len(tap.beeps()) >= 1, timeout=5000)  # audio is flowing
        flushes = tap.flushes
        tap.clear()
        click_row(qtbot, pane, 12)
        qtbot.waitUntil(lambda: tap.flushes > flushes, timeout=3000)  # the seek reached the output
        qtbot.waitUntil(lambda: len(tap.beeps()) >= 1, timeout=3000)
        landed = tap.landed_ms()
        assert landed is not None
        assert abs(landed - 12_500) <= 300, landed
        qtbot.waitUntil(lambda: pane.current_row == 12, timeout=3000)  # and the highlight follows
    finally:
        engine.close()
