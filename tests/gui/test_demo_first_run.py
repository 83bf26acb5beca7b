"""First run: the demo podcast appears, plays, and its transcript and chapters work."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from podplayer.core.paths import AppPaths
from podplayer.core.sleep_timer import SleepChoice
from podplayer.engine.base import PlaybackState
from podplayer.engine.fake import FakeEngine
from podplayer.gui import subscriptions
from tests.gui.conftest import open_window
from tests.manual_clock import ManualClock


def test_demo_podcast_plays_with_transcript_and_chapters(
    qtbot: QtBot, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = FakeEngine(default_duration_ms=50_400)
    clock = ManualClock()
    services, window = open_window(app_paths, qtbot, engine, clock)
    window.show()
    podcasts = window.podcast_model.podcasts()
    assert [p.title for p in podcasts] == ["podplayer demo"]
    assert window.episode_model.rowCount() == 1
    demo_episode = window.episode_model.episode_id(0)
    assert demo_episode is not None

    window.episodes.play_requested.emit(demo_episode)
    assert engine.source is not None and engine.source.endswith("resources/demo/welcome.mp3")
    pane = window.transcript
    assert pane.transcript is not None and len(pane.transcript.cues) == 12
    assert window.player_bar.sleep_button.action_for(SleepChoice.END_OF_CHAPTER).isVisible()

    row = 5
    rect = pane.view.visualRect(pane.model.index(row, 0))
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    cue_start = pane.transcript.cues[row].start_ms
    assert cue_start is not None and cue_start > 15_000
    assert abs(services.controller.position_ms() - cue_start) < 60
    assert pane.current_row == row
    assert services.controller.state() is PlaybackState.PLAYING

    monkeypatch.setattr(subscriptions, "confirm", lambda *args: True)
    window.unsubscribe(podcasts[0].id or 0)
    assert window.podcast_model.podcasts() == []
    window.close()
    services.close()

    services, window = open_window(app_paths, qtbot, FakeEngine())
    assert window.podcast_model.podcasts() == []  # removed for good: not offered again
    services.close()
