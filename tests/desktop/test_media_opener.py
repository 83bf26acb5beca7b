"""OpenUri: audio plays at once through the real controller; a feed link asks to subscribe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from podplayer.desktop.media_opener import MediaOpener
from podplayer.engine.fake import FakeEngine
from podplayer.playback.controller import PlaybackController
from tests.manual_clock import ManualClock


@pytest.fixture
def opener(app_paths: AppPaths) -> Iterator[tuple[MediaOpener, PlaybackController, FakeEngine]]:
    library = Library.open(app_paths.database)
    engine = FakeEngine(default_duration_ms=60_000)
    controller = PlaybackController(engine, library, clock=ManualClock())
    yield MediaOpener(library, controller), controller, engine
    library.close()


def test_a_local_file_plays_at_once(
    opener: tuple[MediaOpener, PlaybackController, FakeEngine], tmp_path: Path
) -> None:
    media_opener, controller, engine = opener
    audio = tmp_path / "talk.ogg"
    audio.write_bytes(b"OggS")
    media_opener.open(audio.as_uri())
    episode = controller.current_episode()
    assert episode is not None and episode.title == "talk.ogg"
    assert engine.source == str(audio)


def test_an_episode_url_plays_at_once(
    opener: tuple[MediaOpener, PlaybackController, FakeEngine],
) -> None:
    media_opener, controller, engine = opener
    media_opener.open("https://127.0.0.1/episodes/42.mp3")
    assert engine.source == "https://127.0.0.1/episodes/42.mp3"
    assert controller.current_episode() is not None


@pytest.mark.parametrize(
    ("uri", "feed"),
    [
        ("feed://127.0.0.1/feed.xml", "https://127.0.0.1/feed.xml"),
        ("podcast://127.0.0.1/show", "https://127.0.0.1/show"),
        ("https://127.0.0.1/rss", "https://127.0.0.1/rss"),
    ],
)
def test_a_feed_asks_to_subscribe(
    qtbot: QtBot, opener: tuple[MediaOpener, PlaybackController, FakeEngine], uri: str, feed: str
) -> None:
    media_opener, controller, _ = opener
    with qtbot.waitSignal(media_opener.subscribe_requested, timeout=1000) as asked:
        media_opener.open(uri)
    assert asked.args == [feed]
    assert controller.current_episode() is None


def test_anything_else_is_explained(
    qtbot: QtBot, opener: tuple[MediaOpener, PlaybackController, FakeEngine]
) -> None:
    media_opener, controller, _ = opener
    with qtbot.waitSignal(media_opener.error, timeout=1000) as failed:
        media_opener.open("javascript:alert(1)")
    assert "cannot open" in failed.args[0]
    assert controller.current_episode() is None
