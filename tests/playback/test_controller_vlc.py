"""The controller over real libvlc: resume after a restart, queue advance at speed, sleep timer."""

from __future__ import annotations

import itertools
import random
import statistics
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from podplayer.core.models import Episode, Podcast
from podplayer.core.paths import AppPaths
from podplayer.core.sleep_timer import SleepChoice, monotonic_ms
from podplayer.core.storage.library import Library
from podplayer.engine.base import PlaybackState
from podplayer.engine.vlc import VlcEngine
from podplayer.playback.controller import PlaybackController
from tests.engine.audio_tap import AudioTap
from tests.engine.drivers import AUDIO_DIR
from tests.http_server import TestHttpServer
from tests.manual_clock import ManualClock


class Player:
    """A library, a real engine with an ear on its output, and a controller over them."""

    def __init__(self, database: Path, clock: ManualClock | None = None) -> None:
        self.library = Library.open(database)
        self.engine = VlcEngine(["--aout=adummy"])
        self.tap = AudioTap(self.engine.media_player)
        self.files: dict[int, Path] = {}
        self.controller = PlaybackController(
            self.engine, self.library, clock=clock or monotonic_ms, local_file_for=self.local_file
        )

    def local_file(self, episode_id: int) -> Path | None:
        return self.files.get(episode_id)

    def add_episode(self, audio_format: str, number: int) -> int:
        podcast = self.library.podcasts.find_by_url("http://127.0.0.1/feed.xml")
        if podcast is None:
            podcast = self.library.podcasts.add(Podcast(url="http://127.0.0.1/feed.xml"))
        assert podcast.id is not None
        episode = self.library.episodes.add(
            Episode(
                podcast_id=podcast.id,
                guid=f"{audio_format}-{number}",
                title=f"Beeps {number}",
                enclosure_url=f"http://127.0.0.1:9/beeps-{number}.{audio_format}",
                duration_s=20,
            )
        )
        assert episode.id is not None
        self.files[episode.id] = AUDIO_DIR / f"beeps.{audio_format}"
        return episode.id

    def close(self) -> None:
        self.controller.shutdown()
        self.engine.close()
        self.library.close()


@pytest.fixture
def player(app_paths: AppPaths, qtbot: QtBot) -> Iterator[Player]:
    player = Player(app_paths.database)
    yield player
    player.close()


def test_resume_after_restart_lands_within_a_second(app_paths: AppPaths, qtbot: QtBot) -> None:
    first = Player(app_paths.database)
    episode_id = first.add_episode("mp3", 1)
    first.controller.play_episode(episode_id, start_ms=9_000)
    qtbot.waitUntil(lambda: first.controller.position_ms() > 10_200, timeout=5_000)
    first.close()  # quitting saves the position
    saved = Library.open(app_paths.database)
    episode = saved.episodes.get(episode_id)
    saved.close()
    assert episode is not None and 10_200 <= episode.position_ms <= 11_500

    second = Player(app_paths.database)
    second.files[episode_id] = AUDIO_DIR / "beeps.mp3"
    try:
        second.controller.play_episode(episode_id)
        qtbot.waitUntil(lambda: second.tap.landed_ms() is not None, timeout=5_000)
        heard = second.tap.landed_ms()
        assert heard is not None and abs(heard - episode.position_ms) <= 1_000
    finally:
        second.close()


def test_queue_advance_keeps_a_rate_chosen_while_paused(player: Player, qtbot: QtBot) -> None:
    c = player.controller
    first, second = player.add_episode("wav", 1), player.add_episode("opus", 2)
    c.enqueue(second)
    c.play_episode(first, start_ms=18_000)
    qtbot.waitUntil(lambda: c.state() is PlaybackState.PLAYING, timeout=5_000)
    c.pause()
    qtbot.waitUntil(lambda: c.state() is PlaybackState.PAUSED, timeout=5_000)
    c.set_rate(2.0)
    c.play()
    none = Episode(podcast_id=0, guid="")
    qtbot.waitUntil(lambda: (c.current_episode() or none).id == second, timeout=5_000)
    player.tap.clear()
    qtbot.waitUntil(lambda: len(player.tap.beeps()) >= 3, timeout=5_000)
    beeps = player.tap.beeps()
    spacing = (beeps[-1].offset_ms - beeps[0].offset_ms) / (len(beeps) - 1)
    assert spacing == pytest.approx(500, rel=0.1)  # 1 s of media every 0.5 s: still at 2x
    assert player.engine.rate() == 2.0 and c.rate() == 2.0
    played = player.library.episodes.get(first)
    assert played is not None and played.played


def test_end_of_episode_sleep_stops_at_the_boundary(player: Player, qtbot: QtBot) -> None:
    c = player.controller
    first, second = player.add_episode("ogg", 1), player.add_episode("mp3", 2)
    c.enqueue(second)
    c.play_episode(first, start_ms=17_500)
    c.set_sleep_timer(SleepChoice.END_OF_EPISODE)
    c.set_rate(3.0)
    qtbot.waitUntil(lambda: c.state() is PlaybackState.ENDED, timeout=5_000)
    qtbot.wait(500)
    current = c.current_episode()
    assert current is not None and current.id == first
    assert player.engine.state() is PlaybackState.ENDED
    assert c.queue() == [second]


def test_sleep_minutes_fade_then_pause_the_real_engine(app_paths: AppPaths, qtbot: QtBot) -> None:
    clock = ManualClock()
    player = Player(app_paths.database, clock)
    try:
        c = player.controller
        c.play_episode(player.add_episode("m4a", 1))
        c.set_sleep_timer(SleepChoice.MINUTES_15)
        qtbot.waitUntil(lambda: c.state() is PlaybackState.PLAYING, timeout=5_000)
        clock.advance(15 * 60_000 - 4_000)
        qtbot.waitUntil(lambda: player.engine.volume() < 50, timeout=2_000)
        assert c.sleep_timer_status().fading
        qtbot.waitUntil(lambda: player.tap.volumes[-1][0] < 0.5, timeout=2_000)  # the output fades
        clock.advance(4_000)
        qtbot.waitUntil(lambda: player.engine.state() is PlaybackState.PAUSED, timeout=2_000)
        assert player.engine.volume() == 100
        assert player.tap.volumes[-1][0] == pytest.approx(1.0)  # and is restored after
        assert c.sleep_timer_status().choice is SleepChoice.OFF
        heard = player.tap.total_samples
        qtbot.wait(600)
        assert player.tap.total_samples == heard
    finally:
        player.close()


def test_position_is_smooth_and_never_runs_back(player: Player, qtbot: QtBot) -> None:
    c = player.controller
    c.play_episode(player.add_episode("opus", 1), start_ms=2_000)
    qtbot.waitUntil(lambda: c.state() is PlaybackState.PLAYING, timeout=5_000)
    positions: list[int] = []
    c.position_changed.connect(positions.append)
    qtbot.wait(2_000)
    assert positions == sorted(positions)
    assert len(positions) >= 20  # libvlc reports ~4 times a second; the ticker ~20
    steps = [b - a for a, b in itertools.pairwise(positions)]
    assert statistics.median(steps) <= 80  # a tick every 50 ms
    assert max(steps) < 500  # even on a busy machine, no jump of half a second
    assert positions[-1] - positions[0] == pytest.approx(2_000, abs=300)


def bad_audio(kind: str) -> bytes:
    return {
        "empty": b"",
        "web page": b"<!DOCTYPE html><html><body>Episode moved</body></html>",
        "noise": random.Random(7).randbytes(40_000),
    }[kind]


@pytest.mark.parametrize("kind", ["empty", "web page", "noise"])
def test_a_bad_file_is_an_error_not_an_end(
    player: Player, qtbot: QtBot, tmp_path: Path, kind: str
) -> None:
    c = player.controller
    bad, after = player.add_episode("mp3", 1), player.add_episode("wav", 2)
    path = tmp_path / "episode.mp3"
    path.write_bytes(bad_audio(kind))
    player.files[bad] = path
    player.library.episodes.save_position(bad, 4_000)
    c.enqueue(after)
    errors: list[str] = []
    c.error.connect(errors.append)
    c.play_episode(bad)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    qtbot.wait(300)
    assert len(errors) == 1 and errors[0].startswith('Cannot play "Beeps 1". ')
    assert errors[0].endswith(".") and "Traceback" not in errors[0]
    assert c.state() is PlaybackState.ERROR
    current = c.current_episode()
    assert current is not None and current.id == bad  # the queue did not skip ahead
    assert c.queue() == [after]
    stored = player.library.episodes.get(bad)
    assert stored is not None and not stored.played and stored.position_ms == 4_000
    assert path.read_bytes() == bad_audio(kind)  # the file is left as it was


@pytest.fixture
def stalling_server(http_server: TestHttpServer) -> Iterator[TestHttpServer]:
    """/stall.mp3 sends the first 6,000 bytes of a real MP3, then nothing (for 30 s at most)."""
    release = threading.Event()

    def stall(request: BaseHTTPRequestHandler) -> None:
        body = (AUDIO_DIR / "beeps.mp3").read_bytes()
        request.send_response(200)
        request.send_header("Content-Type", "audio/mpeg")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body[:6_000])
        request.wfile.flush()
        release.wait(30)

    http_server.route("/stall.mp3", handler=stall)
    yield http_server
    release.set()


def test_a_stalled_stream_is_an_error_through_the_controller(
    app_paths: AppPaths, qtbot: QtBot, stalling_server: TestHttpServer
) -> None:
    library = Library.open(app_paths.database)
    engine = VlcEngine(["--aout=adummy"], stall_timeout_ms=2_500)
    controller = PlaybackController(engine, library)
    try:
        podcast = library.podcasts.add(Podcast(url=stalling_server.url("/feed.xml")))
        assert podcast.id is not None
        episode = library.episodes.add(
            Episode(
                podcast_id=podcast.id,
                guid="stalls",
                title="Stalls",
                enclosure_url=stalling_server.url("/stall.mp3"),
            )
        )
        assert episode.id is not None
        errors: list[str] = []
        controller.error.connect(errors.append)
        controller.play_episode(episode.id)
        qtbot.waitUntil(lambda: bool(errors), timeout=15_000)
        assert errors[0].startswith('Cannot play "Stalls". ') and "stopped sending" in errors[0]
        assert controller.state() is PlaybackState.ERROR
        stored = library.episodes.get(episode.id)
        assert stored is not None and not stored.played
    finally:
        controller.shutdown()
        engine.close()
        library.close()


@pytest.mark.parametrize(
    "address",
    ["javascript:alert(1)", "dshow://", "smb://host/share/a.mp3", "file:///etc/passwd", "data:,x"],
)
def test_addresses_that_are_not_web_or_files_never_play(
    player: Player, qtbot: QtBot, address: str
) -> None:
    c = player.controller
    podcast = player.library.podcasts.add(Podcast(url="http://127.0.0.1/other.xml"))
    assert podcast.id is not None
    episode = player.library.episodes.add(
        Episode(podcast_id=podcast.id, guid=address, title="Odd", enclosure_url=address)
    )
    assert episode.id is not None
    errors: list[str] = []
    c.error.connect(errors.append)
    c.play_episode(episode.id)
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert '"Odd"' in errors[0] and address in errors[0] and errors[0].endswith(".")
    assert "does not open" in errors[0]
    qtbot.wait(300)
    assert player.tap.total_samples == 0
    assert player.engine.state() is not PlaybackState.PLAYING


def test_an_episode_without_media_says_so(player: Player, qtbot: QtBot) -> None:
    podcast = player.library.podcasts.add(Podcast(url="http://127.0.0.1/nomedia.xml"))
    assert podcast.id is not None
    episode = player.library.episodes.add(
        Episode(podcast_id=podcast.id, guid="c", title="Cover only", enclosure_url="")
    )
    assert episode.id is not None
    errors: list[str] = []
    player.controller.error.connect(errors.append)
    player.controller.play_episode(episode.id)
    assert errors == [
        '"Cover only" has no audio file to play. '
        "The feed may have removed it; try refreshing the podcast."
    ]
    assert player.controller.current_episode() is None
