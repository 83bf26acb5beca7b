"""Engine fixtures: a driver per engine and format, and an HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from tests.engine.drivers import AUDIO_DIR, FORMATS, Driver, FakeDriver, VlcDriver
from tests.engine.media_server import MediaServer, serve


def make_driver(kind: str, qtbot: QtBot) -> Iterator[Driver]:
    if kind == "fake":
        yield FakeDriver()
        return
    vlc_driver = VlcDriver(qtbot, kind)
    yield vlc_driver
    vlc_driver.close()


@pytest.fixture(params=("fake", *FORMATS))
def driver(request: pytest.FixtureRequest, qtbot: QtBot) -> Iterator[Driver]:
    """The fake, and VlcEngine on each audio format."""
    yield from make_driver(request.param, qtbot)


@pytest.fixture(params=("fake", "mp3", "opus"))
def rate_driver(request: pytest.FixtureRequest, qtbot: QtBot) -> Iterator[Driver]:
    """Rates are libvlc's, not the demuxer's: the fake and two formats cover them."""
    yield from make_driver(request.param, qtbot)


@pytest.fixture
def media_server() -> Iterator[MediaServer]:
    yield from serve(AUDIO_DIR)
