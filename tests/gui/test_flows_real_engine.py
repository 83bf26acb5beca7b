"""The four things users do, through the real VlcEngine (dummy audio output) and a feed on
127.0.0.1: subscribe, play and change speed, sleep timer, click a transcript line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from podplayer.app import build_services
from podplayer.core.paths import AppPaths
from podplayer.core.sleep_timer import FADE_MS, SleepChoice
from podplayer.engine.base import PlaybackState
from podplayer.engine.vlc import VlcEngine
from podplayer.gui.views.main_window import MainWindow
from podplayer.services import Services
from tests.core.directories.directory_server import (
    fyyd_body,
    fyyd_entry,
    itunes_body,
    itunes_entry,
    point_at,
    serve,
)
from tests.http_server import TestHttpServer
from tests.manual_clock import ManualClock

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>
<title>Loopback Tour</title>
<item><guid>tour-1</guid><title>The spoken tour</title>
<pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>
<enclosure url="{base}/tour.mp3" type="audio/mpeg" length="{length}"/>
<podcast:transcript url="{base}/tour.vtt" type="text/vtt"/></item>
</channel></rss>"""


@dataclass
class RealRig:
    services: Services
    engine: VlcEngine
    window: MainWindow
    clock: ManualClock
    server: TestHttpServer


@pytest.fixture
def real_rig(app_paths: AppPaths, qtbot: QtBot, http_server: TestHttpServer) -> Iterator[RealRig]:
    audio = (DEMO / "welcome.mp3").read_bytes()
    http_server.route("/tour.mp3", body=audio, content_type="audio/mpeg")
    http_server.route(
        "/tour.vtt", body=(DEMO / "welcome.vtt").read_bytes(), content_type="text/vtt"
    )
    http_server.route(
        "/feed.xml",
        body=FEED.format(base=http_server.base_url, length=len(audio)).encode(),
        content_type="application/rss+xml",
    )
    engine = VlcEngine(instance_args=["--aout=adummy"])
    assert engine.available, engine.unavailable_reason
    clock = ManualClock()
    services = build_services(app_paths, engine, clock=clock, synchronous_work=True)
    services.library.settings.set("demo.offered", True)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield RealRig(services, engine, window, clock, http_server)
    window.close()
    services.close()


def subscribe_and_play(rig: RealRig, qtbot: QtBot) -> int:
    window = rig.window
    dialog = window.subscriptions.open_add_dialog(window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.url_field, rig.server.url("/feed.xml"))
    qtbot.keyClick(dialog.url_field, Qt.Key.Key_Return)
    assert dialog.preview_title.text() == "Loopback Tour"
    qtbot.keyClick(dialog.url_field, Qt.Key.Key_Return)
    assert [p.title for p in window.podcast_model.podcasts()] == ["Loopback Tour"]
    assert window.episode_model.rowCount() == 1
    episode_id = window.episode_model.episode_id(0)
    assert episode_id is not None
    window.episodes.select_episode(episode_id)
    window.episodes.table.doubleClicked.emit(window.episode_model.index(0, 1))
    controller = rig.services.controller
    qtbot.waitUntil(lambda: controller.state() is PlaybackState.PLAYING, timeout=10_000)
    return episode_id


def engine_ms(rig: RealRig) -> int:
    return rig.engine.time_ms()


def test_subscribe_play_and_speed(real_rig: RealRig, qtbot: QtBot) -> None:
    subscribe_and_play(real_rig, qtbot)
    bar = real_rig.window.player_bar
    assert bar.title.text() == "The spoken tour"
    qtbot.waitUntil(lambda: engine_ms(real_rig) >= 500, timeout=10_000)
    bar.speed_control.preset_action(2.0).trigger()
    assert bar.speed_control.text() == "2.0x"
    qtbot.wait(300)
    start = engine_ms(real_rig)
    qtbot.wait(2_000)
    advanced = engine_ms(real_rig) - start
    assert 3_000 <= advanced <= 5_200, f"2 s at 2.0x moved {advanced} ms"


def test_sleep_timer_pauses_real_playback(real_rig: RealRig, qtbot: QtBot) -> None:
    subscribe_and_play(real_rig, qtbot)
    controller = real_rig.services.controller
    real_rig.window.player_bar.sleep_button.action_for(SleepChoice.MINUTES_5).trigger()
    assert real_rig.window.player_bar.sleep_button.text() == "☾ 5:00"
    real_rig.clock.advance(5 * 60_000 - FADE_MS // 2)
    qtbot.waitUntil(lambda: controller.sleep_timer_status().fading, timeout=3_000)
    assert controller.state() is PlaybackState.PLAYING
    real_rig.clock.advance(FADE_MS)
    qtbot.waitUntil(lambda: controller.state() is PlaybackState.PAUSED, timeout=5_000)
    assert real_rig.window.player_bar.sleep_button.text() == "☾"


def test_transcript_click_moves_playback(real_rig: RealRig, qtbot: QtBot) -> None:
    subscribe_and_play(real_rig, qtbot)
    pane = real_rig.window.transcript
    qtbot.waitUntil(lambda: pane.transcript is not None and len(pane.transcript.cues) == 12)
    assert pane.transcript is not None
    row = 9
    target = pane.transcript.cues[row].start_ms
    assert target is not None
    rect = pane.view.visualRect(pane.model.index(row, 0))
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: abs(engine_ms(real_rig) - target) < 1_500, timeout=5_000)
    qtbot.waitUntil(lambda: pane.current_row == row, timeout=3_000)
    qtbot.wait(500)
    assert target <= engine_ms(real_rig) <= target + 2_000


def test_find_by_name_subscribe_and_play(real_rig: RealRig, qtbot: QtBot) -> None:
    """Add podcast by name: two directories on 127.0.0.1 answer, the merged row is chosen,
    previewed, subscribed through the real feed path, and its episode plays through libvlc."""
    server = real_rig.server
    feed = server.url("/feed.xml")
    serve(server, "itunes", itunes_body([itunes_entry("Loopback Tour", feed, artwork="")]))
    serve(server, "fyyd", fyyd_body([fyyd_entry("Loopback Tour", feed + "/", artwork="")]))
    point_at(real_rig.services.settings, server, ("itunes", "fyyd"))
    window = real_rig.window
    dialog = window.subscriptions.open_add_dialog(window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.url_field, "loopback tour")
    qtbot.waitUntil(lambda: dialog.results_model.rowCount() == 1)
    [found] = dialog.results_model.results()
    assert found.sources == ("iTunes", "fyyd")
    dialog.results.activated.emit(dialog.results_model.index(0))
    assert dialog.preview_title.text() == "Loopback Tour"
    dialog.subscribe_button.click()
    assert [p.title for p in window.podcast_model.podcasts()] == ["Loopback Tour"]
    episode_id = window.episode_model.episode_id(0)
    assert episode_id is not None
    window.episodes.table.doubleClicked.emit(window.episode_model.index(0, 1))
    controller = real_rig.services.controller
    qtbot.waitUntil(lambda: controller.state() is PlaybackState.PLAYING, timeout=10_000)
    qtbot.waitUntil(lambda: engine_ms(real_rig) >= 500, timeout=10_000)
