"""The word being spoken is marked for every transcript with word times, cheaply: a new word
repaints one row and lays out nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from podplayer.core.models import Cue, Word
from podplayer.core.transcription.generated import generated_transcript
from podplayer.core.transcription.jobs import JobState, TranscriptionJob
from podplayer.core.transcripts.parsing import parse_transcript
from podplayer.gui.views.transcript_pane import CueDelegate, TranscriptPane
from podplayer.gui.views.transcription_jobs_view import job_status

DATA = Path(__file__).resolve().parents[1] / "data" / "transcripts"


def spoken(words: str, start_ms: int, step_ms: int = 400) -> Cue:
    timed = tuple(
        Word(start_ms + i * step_ms, start_ms + (i + 1) * step_ms - 50, text)
        for i, text in enumerate(words.split())
    )
    return Cue(start_ms, timed[-1].end_ms, words, None, timed)


def show(qtbot: QtBot, pane: TranscriptPane) -> None:
    qtbot.addWidget(pane)
    pane.resize(420, 500)
    pane.show()
    qtbot.waitExposed(pane)


def test_the_current_word_moves_with_playback_without_any_layout(
    qtbot: QtBot, monkeypatch: object
) -> None:
    pane = TranscriptPane()
    show(qtbot, pane)
    pane.set_transcript(
        generated_transcript(
            [spoken("Welcome to the show, everyone.", 0), spoken("Today we talk about bees.", 3000)]
        )
    )
    qtbot.wait(50)
    layouts: list[int] = []
    original = CueDelegate.sizeHint

    def counting(self: CueDelegate, option: object, index: object) -> object:
        layouts.append(1)
        return original(self, option, index)  # type: ignore[arg-type]

    monkeypatch.setattr(CueDelegate, "sizeHint", counting)  # type: ignore[attr-defined]
    seen = []
    for ms in (10, 450, 850, 1250, 1650, 3100, 3500):
        pane.set_position(ms)
        seen.append((pane.current_row, pane.current_word))
    assert seen == [(0, 0), (0, 1), (0, 2), (0, 3), (0, 4), (1, 0), (1, 1)]
    qtbot.wait(50)  # the repaints happen
    assert layouts == []  # not one row measured again

    rect = pane.word_rect(1, 1)  # "we"
    assert rect is not None
    image = pane.view.viewport().grab().toImage()
    tint = QColor(image.pixel(rect.left() + 1, rect.bottom() - 1))
    plain = QColor(image.pixel(rect.left() + 1, rect.bottom() + 4))  # below the line
    assert tint != plain
    pane.set_position(3900)
    assert pane.current_word == 2


def test_json_transcripts_with_words_are_marked_too(qtbot: QtBot) -> None:
    pane = TranscriptPane()
    show(qtbot, pane)
    pane.set_transcript(
        parse_transcript((DATA / "transcript.json").read_bytes(), "application/json")
    )
    pane.set_position(1600)
    assert (pane.current_row, pane.current_word) == (0, 2)  # "your"


def test_transcripts_without_words_mark_no_word(qtbot: QtBot) -> None:
    pane = TranscriptPane()
    show(qtbot, pane)
    pane.set_transcript(parse_transcript((DATA / "transcript.vtt").read_bytes(), "text/vtt"))
    pane.set_position(20_000)
    assert pane.current_row is not None and pane.current_word is None


def test_lines_being_made_are_appended_keeping_the_place(qtbot: QtBot) -> None:
    pane = TranscriptPane()
    show(qtbot, pane)
    cues = [spoken("First line here.", 0)]
    pane.grow_transcript(generated_transcript(cues), "Being made on this computer: 10%")
    pane.set_position(500)
    cues.append(spoken("Second line now.", 2000))
    resets: list[int] = []
    pane.model.modelReset.connect(lambda: resets.append(1))
    pane.grow_transcript(generated_transcript(cues), "Being made on this computer: 40%")
    assert resets == [] and pane.model.rowCount() == 2
    assert pane.status_label.text() == "Transcript (2 lines). Being made on this computer: 40%"
    assert pane.made_here_button.isVisible()
    pane.set_position(2500)
    assert (pane.current_row, pane.current_word) == (1, 1)


def test_job_status_sentences() -> None:
    job = TranscriptionJob(1, 2, "base", JobState.QUEUED, duration_ms=600_000)
    assert job_status(job, 0.1) == "Queued"
    job.state = JobState.RUNNING
    job.progress_ms, job.work_seconds = 300_000, 30.0
    assert job_status(job, 0.1) == "50% · about 30 seconds left"
    job.state = JobState.PAUSED
    assert job_status(job, 0.1) == "Paused at 50%"
    job.state, job.error = JobState.FAILED, "The transcriber stopped unexpectedly."
    assert job_status(job, 0.1) == "Failed: The transcriber stopped unexpectedly."
