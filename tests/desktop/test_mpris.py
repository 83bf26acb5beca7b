"""MPRIS2 seen from real clients (playerctl, gdbus, dbus-monitor) on a private session bus."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtDBus import QDBusConnection
from pytestqt.qtbot import QtBot

from podplayer.core.chapters.chapter_list import ChapterList
from podplayer.core.models import Chapter, Episode, Podcast
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from podplayer.desktop.mpris import BUS_NAME, PLAYER_INTERFACE, MprisPlayer, track_path
from podplayer.engine.base import PlaybackState
from podplayer.engine.fake import FakeEngine
from podplayer.playback.controller import PlaybackController
from tests.desktop.dbus_clients import (
    FollowingClient,
    call_method,
    get_property,
    playerctl,
    run_client,
)
from tests.manual_clock import ManualClock


@dataclass
class Player:
    mpris: MprisPlayer
    controller: PlaybackController
    engine: FakeEngine
    library: Library
    episode_id: int
    address: str


@pytest.fixture
def player(app_paths: AppPaths, bus: QDBusConnection, dbus_address: str) -> Iterator[Player]:
    library = Library.open(app_paths.database)
    podcast = library.podcasts.add(
        Podcast(
            url="http://127.0.0.1:1/feed.xml",
            title="Night \x00Radio",
            author="Ada",
            image_url="https://127.0.0.1/art.png",
        )
    )
    assert podcast.id is not None
    episode = library.episodes.add(
        Episode(
            podcast_id=podcast.id,
            guid="e1",
            title="Episode One",
            duration_s=3600,
            enclosure_url="http://127.0.0.1:1/one.mp3",
        )
    )
    assert episode.id is not None
    engine = FakeEngine(default_duration_ms=3_600_000)
    controller = PlaybackController(engine, library, clock=ManualClock())
    mpris = MprisPlayer(controller, library.podcasts, bus)
    assert mpris.start() == ""
    yield Player(mpris, controller, engine, library, episode.id, dbus_address)
    mpris.stop()
    library.close()


def test_bus_name_and_identity(qtbot: QtBot, player: Player) -> None:
    assert player.mpris.bus_name == BUS_NAME
    assert "podplayer" in run_client(qtbot, player.address, "playerctl", "--list-all")
    identity = get_property(qtbot, player.address, BUS_NAME, "org.mpris.MediaPlayer2", "Identity")
    assert identity == "(<'podplayer'>,)"


def test_play_pause_from_playerctl_reaches_the_controller(qtbot: QtBot, player: Player) -> None:
    assert playerctl(qtbot, player.address, "status") == "Stopped"
    player.controller.play_episode(player.episode_id)
    assert playerctl(qtbot, player.address, "status") == "Playing"
    playerctl(qtbot, player.address, "play-pause")
    assert player.controller.state() is PlaybackState.PAUSED
    assert playerctl(qtbot, player.address, "status") == "Paused"
    playerctl(qtbot, player.address, "play")
    assert player.controller.state() is PlaybackState.PLAYING
    playerctl(qtbot, player.address, "stop")
    assert player.controller.state() is PlaybackState.STOPPED


def test_status_changes_are_signalled(qtbot: QtBot, player: Player) -> None:
    player.controller.play_episode(player.episode_id)
    follower = FollowingClient(
        qtbot, player.address, "playerctl", "--player=podplayer", "--follow", "status"
    )
    try:
        follower.wait_for("Playing")
        player.controller.pause()
        follower.wait_for("Paused")
    finally:
        follower.close()


def test_position_both_ways(qtbot: QtBot, player: Player) -> None:
    player.controller.play_episode(player.episode_id, start_ms=0)
    player.controller.seek(42_000)
    assert float(playerctl(qtbot, player.address, "position")) == pytest.approx(42.0)
    playerctl(qtbot, player.address, "position", "100")
    assert player.controller.position_ms() == 100_000
    playerctl(qtbot, player.address, "position", "10-")
    assert player.controller.position_ms() == 90_000
    raw = get_property(qtbot, player.address, BUS_NAME, PLAYER_INTERFACE, "Position")
    assert raw == "(<int64 90000000>,)"


def test_set_position_needs_the_current_track(qtbot: QtBot, player: Player) -> None:
    player.controller.play_episode(player.episode_id, start_ms=0)

    def set_position(track: str, position_us: int) -> None:
        call_method(
            qtbot,
            player.address,
            BUS_NAME,
            f"{PLAYER_INTERFACE}.SetPosition",
            track,
            str(position_us),
        )

    set_position(track_path(player.episode_id), 5_000_000)
    assert player.controller.position_ms() == 5_000
    set_position(track_path(player.episode_id + 1), 9_000_000)  # a stale track id: ignored
    assert player.controller.position_ms() == 5_000


def test_seeks_send_seeked_as_int64(qtbot: QtBot, player: Player) -> None:
    player.controller.play_episode(player.episode_id, start_ms=0)
    monitor = FollowingClient(qtbot, player.address, "dbus-monitor", "--session", "member=Seeked")
    try:
        qtbot.wait(300)  # let the monitor install its match rule
        player.controller.seek(600_000)
        monitor.wait_for("int64 600000000")
    finally:
        monitor.close()


def test_metadata_seen_by_playerctl(qtbot: QtBot, player: Player) -> None:
    nothing = get_property(qtbot, player.address, BUS_NAME, PLAYER_INTERFACE, "Metadata")
    assert (
        nothing
        == "(<{'mpris:trackid': <objectpath '/org/mpris/MediaPlayer2/TrackList/NoTrack'>}>,)"
    )
    player.controller.play_episode(player.episode_id)
    fields = "{{xesam:title}}|{{xesam:album}}|{{xesam:artist}}|{{mpris:artUrl}}|{{mpris:length}}"
    shown = playerctl(qtbot, player.address, "metadata", "--format", fields)
    assert shown == "Episode One|Night Radio|Ada|https://127.0.0.1/art.png|3600000000"
    shown_track = playerctl(qtbot, player.address, "metadata", "mpris:trackid")
    assert shown_track == f"'{track_path(player.episode_id)}'"


def test_the_chapter_playing_is_in_the_metadata(qtbot: QtBot, player: Player) -> None:
    c = player.controller
    c.play_episode(player.episode_id, start_ms=0)
    chapters = (Chapter(0, "Cold open"), Chapter(60_000, "Interview"), Chapter(120_000, "Outro"))
    c.set_chapters(ChapterList(None, chapters))
    fields = "{{xesam:title}}|{{xesam:comment}}|{{podplayer:chapter}}"
    shown = playerctl(qtbot, player.address, "metadata", "--format", fields)
    assert shown == "Episode One|Chapter: Cold open|Cold open"
    c.next_chapter()
    shown = playerctl(qtbot, player.address, "metadata", "--format", fields)
    assert shown == "Episode One|Chapter: Interview|Interview"
    call_method(qtbot, player.address, BUS_NAME, f"{PLAYER_INTERFACE}.Next")  # episode-level
    assert c.position_ms() == 60_000


def test_new_episode_is_announced_with_its_metadata(qtbot: QtBot, player: Player) -> None:
    follower = FollowingClient(
        qtbot, player.address, "playerctl", "--player=podplayer", "--follow", "metadata", "title"
    )
    try:
        qtbot.wait(300)
        player.controller.play_episode(player.episode_id)
        follower.wait_for("Episode One")
    finally:
        follower.close()


def test_rate_both_ways_and_clamped(qtbot: QtBot, player: Player) -> None:
    player.controller.play_episode(player.episode_id)

    def set_rate(value: str) -> None:
        call_method(
            qtbot,
            player.address,
            BUS_NAME,
            "org.freedesktop.DBus.Properties.Set",
            PLAYER_INTERFACE,
            "Rate",
            f"<{value}>",
        )

    set_rate("1.5")
    assert player.controller.rate() == 1.5
    set_rate("7.0")
    assert player.controller.rate() == 3.0
    set_rate("0.1")
    assert player.controller.rate() == 0.5
    player.controller.set_rate(2.0)
    assert get_property(qtbot, player.address, BUS_NAME, PLAYER_INTERFACE, "Rate") == "(<2.0>,)"
    limits = [
        get_property(qtbot, player.address, BUS_NAME, PLAYER_INTERFACE, name)
        for name in ("MinimumRate", "MaximumRate")
    ]
    assert limits == ["(<0.5>,)", "(<3.0>,)"]
    set_rate("0.0")  # the spec: rate 0 pauses
    assert player.controller.state() is PlaybackState.PAUSED


def test_rate_change_is_signalled(qtbot: QtBot, player: Player) -> None:
    player.controller.play_episode(player.episode_id)
    monitor = FollowingClient(
        qtbot, player.address, "dbus-monitor", "--session", "member=PropertiesChanged"
    )
    try:
        qtbot.wait(300)
        player.controller.set_rate(1.25)
        monitor.wait_for("double 1.25")
    finally:
        monitor.close()


def test_volume_both_ways(qtbot: QtBot, player: Player) -> None:
    playerctl(qtbot, player.address, "volume", "0.4")
    assert player.controller.volume() == 40
    player.controller.set_volume(70)
    assert float(playerctl(qtbot, player.address, "volume")) == pytest.approx(0.7)


def test_next_plays_the_queue_and_previous_restarts(qtbot: QtBot, player: Player) -> None:
    second = player.library.episodes.add(
        Episode(
            podcast_id=1,
            guid="e2",
            title="Episode Two",
            duration_s=60,
            enclosure_url="http://127.0.0.1:1/two.mp3",
        )
    )
    assert second.id is not None
    player.controller.play_episode(player.episode_id, start_ms=30_000)
    playerctl(qtbot, player.address, "previous")
    assert player.controller.position_ms() == 0
    can_go_next = get_property(qtbot, player.address, BUS_NAME, PLAYER_INTERFACE, "CanGoNext")
    assert can_go_next == "(<false>,)"  # an empty queue: playerctl refuses "next"
    player.controller.enqueue(second.id)
    playerctl(qtbot, player.address, "next")
    current = player.controller.current_episode()
    assert current is not None and current.id == second.id


def test_open_uri_and_raise_are_forwarded(qtbot: QtBot, player: Player) -> None:
    with qtbot.waitSignal(player.mpris.open_uri_requested, timeout=10000) as opened:
        playerctl(qtbot, player.address, "open", "https://127.0.0.1/episode.mp3")
    assert opened.args == ["https://127.0.0.1/episode.mp3"]
    with qtbot.waitSignal(player.mpris.raise_requested, timeout=10000):
        call_method(qtbot, player.address, BUS_NAME, "org.mpris.MediaPlayer2.Raise")


def test_second_player_takes_a_unique_name(
    player: Player, dbus_address: str, app_paths: AppPaths
) -> None:
    other_connection = QDBusConnection.connectToBus(dbus_address, "podplayer-test-second")
    try:
        other = MprisPlayer(player.controller, player.library.podcasts, other_connection)
        assert other.start() == ""
        assert other.bus_name.startswith(f"{BUS_NAME}.instance")
        other.stop()
    finally:
        QDBusConnection.disconnectFromBus("podplayer-test-second")


def test_no_bus_is_explained(player: Player) -> None:
    disconnected = QDBusConnection.connectToBus("unix:path=/nonexistent/bus", "podplayer-no-bus")
    try:
        message = MprisPlayer(player.controller, player.library.podcasts, disconnected).start()
        assert "no D-Bus session bus" in message
    finally:
        QDBusConnection.disconnectFromBus("podplayer-no-bus")


def test_play_with_nothing_loaded_starts_the_queue(qtbot: QtBot, player: Player) -> None:
    can_play = get_property(qtbot, player.address, BUS_NAME, PLAYER_INTERFACE, "CanPlay")
    assert can_play == "(<false>,)"
    player.controller.enqueue(player.episode_id)
    playerctl(qtbot, player.address, "play")
    current = player.controller.current_episode()
    assert current is not None and current.id == player.episode_id


def test_short_episode_length_still_reaches_playerctl(qtbot: QtBot, player: Player) -> None:
    """Under ~35 minutes PySide6 sends mpris:length as int32 (see mpris.py); playerctl copes."""
    short = player.library.episodes.add(
        Episode(
            podcast_id=1,
            guid="short",
            title="Short",
            duration_s=60,
            enclosure_url="http://127.0.0.1:1/short.mp3",
        )
    )
    assert short.id is not None
    player.engine.set_duration("http://127.0.0.1:1/short.mp3", 60_000)
    player.controller.play_episode(short.id)
    assert playerctl(qtbot, player.address, "metadata", "mpris:length") == "60000000"
