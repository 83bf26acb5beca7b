"""Engine fixtures: a driver per engine and format, and an HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from tests.engine.drivers import AUDIO_DIR, FORMATS, Driver, FakeDriver, VlcDriver
from tests.engine.media_server import MediaServer, serve


@pytest.fixture(params=("fake", *FORMATS))
def driver(request: pytest.FixtureRequest, qtbot: QtBot) -> Iterator[Driver]:
    if request.param == "fake":
        yield FakeDriver()
        return
    vlc_driver = VlcDriver(qtbot, request.param)
    yield vlc_driver
    vlc_driver.close()


@pytest.fixture
def media_server() -> Iterator[MediaServer]:
    yield from serve(AUDIO_DIR)
