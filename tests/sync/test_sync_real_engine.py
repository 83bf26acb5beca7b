"""Sync through the real VlcEngine: subscribe and listen in the window, pause, and the phone sees
the subscription and where listening stopped."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from podplayer.core.sync.client import ServerKind
from podplayer.engine.base import PlaybackState
from podplayer.gui import sync_session
from tests.gui import test_flows_real_engine as real_flows
from tests.sync.conftest import PASSWORD, SyncServer
from tests.sync.phone import phone

real_rig = real_flows.real_rig  # the window over VlcEngine, with a feed on 127.0.0.1


@pytest.fixture(autouse=True)
def quick_debounce(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_session, "DEBOUNCE_MS", 50)


def test_listen_pause_and_the_phone_sees_where(
    real_rig: real_flows.RealRig, qtbot: QtBot, router_server: SyncServer
) -> None:
    user = router_server.new_user()
    the_phone = phone(router_server.url, user)
    the_phone.update_device_settings("phone", "Phone", "mobile")
    window = real_rig.window
    window.sync.login(router_server.url, user, PASSWORD, ServerKind.GPODDER, "desk")
    assert real_rig.services.sync.status().configured

    episode_id = real_flows.subscribe_and_play(real_rig, qtbot)
    qtbot.waitUntil(lambda: real_flows.engine_ms(real_rig) >= 3_000, timeout=10_000)
    window.player.toggle_play_pause()
    controller = real_rig.services.controller
    qtbot.waitUntil(lambda: controller.state() is PlaybackState.PAUSED, timeout=5_000)
    episode = real_rig.services.library.episodes.get(episode_id)
    assert episode is not None and episode.position_ms >= 3_000
    heard_s = episode.position_ms // 1000

    def phone_sees_it() -> bool:
        actions = the_phone.download_episode_actions(since=0).actions
        return any(a.episode == episode.enclosure_url and a.position == heard_s for a in actions)

    qtbot.waitUntil(phone_sees_it, timeout=10_000)
    feeds = the_phone.pull_subscriptions("phone", 0).add
    assert feeds == [real_rig.server.url("/feed.xml")]
