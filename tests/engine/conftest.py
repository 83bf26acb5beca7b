"""Engine fixtures: a driver per engine and format, and the test audio served on 127.0.0.1."""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from pytestqt.qtbot import QtBot

from tests.engine.drivers import AUDIO_DIR, FORMATS, Driver, FakeDriver, VlcDriver
from tests.http_server import TestHttpServer

STALL_AFTER_BYTES = 6_000
STALL_SECONDS = 15


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
def audio_server(http_server: TestHttpServer) -> Iterator[TestHttpServer]:
    """The test audio on 127.0.0.1: /beeps.EXT with Range; under /whole/ without Range, under
    /liar/ as audio/ogg whatever it is, and /stall/beeps.mp3 stops after 6,000 bytes."""
    release = threading.Event()
    for path in sorted(AUDIO_DIR.glob("beeps.*")):
        body = path.read_bytes()
        true_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        for prefix, ranges, content_type in (
            ("", True, true_type),
            ("/whole", False, true_type),
            ("/liar", True, "audio/ogg"),
            ("/liar/whole", False, "audio/ogg"),
        ):
            http_server.route(
                f"{prefix}/{path.name}", body=body, ranges=ranges, content_type=content_type
            )

    def stall(request: BaseHTTPRequestHandler) -> None:
        body = (AUDIO_DIR / "beeps.mp3").read_bytes()
        request.send_response(200)
        request.send_header("Content-Type", "audio/mpeg")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body[:STALL_AFTER_BYTES])
        request.wfile.flush()
        release.wait(STALL_SECONDS)

    http_server.route("/stall/beeps.mp3", handler=stall)
    yield http_server
    release.set()
