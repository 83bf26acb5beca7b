"""Streaming from a real HTTP server on 127.0.0.1: heard where asked, with or without Range."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from podplayer.engine.base import PlaybackState
from podplayer.engine.vlc import VlcEngine
from tests.engine.audio_tap import AudioTap
from tests.http_server import TestHttpServer


@pytest.mark.parametrize(
    "name",
    [
        "/beeps.mp3",
        "/beeps.ogg",
        "/liar/beeps.m4a",
        pytest.param(
            "/whole/beeps.opus",
            marks=pytest.mark.skip(
                reason="an Ogg stream from a server without Range, opened at a position, "
                "sometimes ends at once (about 1 in 3): known, see SEEKS_LEFT_OUT in test_shapes"
            ),
        ),
        "/liar/whole/beeps.mp3",
    ],
)
def test_stream_starts_and_seeks_where_asked(
    qtbot: QtBot, audio_server: TestHttpServer, name: str
) -> None:
    engine = VlcEngine(["--aout=adummy"])
    tap = AudioTap(engine.media_player)
    try:
        engine.load(audio_server.url(name), 6_400)
        engine.play()
        qtbot.waitUntil(lambda: engine.state() is PlaybackState.PLAYING, timeout=5_000)
        qtbot.waitUntil(lambda: tap.landed_ms() is not None, timeout=5_000)
        assert tap.landed_ms() == pytest.approx(6_400, abs=100)

        flushes = tap.flushes
        tap.clear()
        engine.seek(15_200)
        qtbot.waitUntil(lambda: tap.flushes > flushes, timeout=5_000)
        qtbot.waitUntil(lambda: tap.landed_ms() is not None, timeout=5_000)
        assert tap.landed_ms() == pytest.approx(15_200, abs=100)
        if name == "/beeps.mp3":  # smaller files sit whole in libvlc's read-ahead
            ranges = [r.headers.get("Range", "") for r in audio_server.requests_for(name)]
            assert any(r.startswith("bytes=") and r != "bytes=0-" for r in ranges)
    finally:
        engine.close()
