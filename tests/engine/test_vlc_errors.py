"""Bad files and bad streams give an error sentence, never a silent end; no libvlc: unavailable."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from podplayer.engine import vlc as vlc_module
from podplayer.engine.base import PlaybackState
from podplayer.engine.vlc import INSTALL_HINT, VlcEngine
from tests.engine.drivers import AUDIO_DIR, EngineRecorder
from tests.http_server import TestHttpServer


def play_and_wait_for_error(qtbot: QtBot, engine: VlcEngine, source: str) -> EngineRecorder:
    recorder = EngineRecorder()
    recorder.attach(engine, lambda: 0.0)
    engine.load(source)
    engine.play()
    qtbot.waitUntil(lambda: bool(recorder.errors) or recorder.ended > 0, timeout=10_000)
    qtbot.wait(200)
    return recorder


def assert_sentence(message: str) -> None:
    assert message[0].isupper() and message.endswith(".")
    assert "Traceback" not in message and "libvlc" not in message


@pytest.fixture
def engine(qtbot: QtBot):
    engine = VlcEngine(["--aout=adummy"])
    yield engine
    engine.close()


def write_random(path: Path, size: int) -> None:
    path.write_bytes(random.Random(4).randbytes(size))


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("missing.mp3", None, "does not exist"),
        ("empty.mp3", lambda p: p.write_bytes(b""), "is empty"),
        (
            "page.mp3",
            lambda p: p.write_text("<!DOCTYPE html><html><body>Moved</body></html>"),
            "web page",
        ),
        ("noise.mp3", lambda p: write_random(p, 40_000), "damaged or is not audio"),
        ("noise.ogg", lambda p: write_random(p, 40_000), "damaged or is not audio"),
        (
            "cut.m4a",
            lambda p: p.write_bytes((AUDIO_DIR / "beeps.m4a").read_bytes()[:300]),
            "damaged",
        ),
    ],
)
def test_bad_local_files_are_errors(
    qtbot: QtBot, engine: VlcEngine, tmp_path: Path, name, make, words
) -> None:
    path = tmp_path / name
    if make is not None:
        make(path)
    before = sorted(os.listdir(tmp_path))
    recorder = play_and_wait_for_error(qtbot, engine, str(path))
    assert recorder.ended == 0
    assert len(recorder.errors) == 1
    assert words in recorder.errors[0]
    assert_sentence(recorder.errors[0])
    assert engine.state() is PlaybackState.ERROR
    assert sorted(os.listdir(tmp_path)) == before  # nothing deleted or written


def test_unreachable_stream_is_an_error(
    qtbot: QtBot, engine: VlcEngine, audio_server: TestHttpServer
) -> None:
    recorder = play_and_wait_for_error(qtbot, engine, audio_server.url("/absent.mp3"))
    assert recorder.ended == 0
    assert "127.0.0.1" in recorder.errors[0]
    assert_sentence(recorder.errors[0])


def test_stream_that_cannot_be_played_says_what_to_do(
    qtbot: QtBot, engine: VlcEngine, audio_server: TestHttpServer
) -> None:
    # An M4A served as audio/ogg by a server without Range support: libvlc gives up at once.
    url = audio_server.url("/liar/whole/beeps.m4a")
    recorder = play_and_wait_for_error(qtbot, engine, url)
    assert recorder.ended == 0
    assert "127.0.0.1" in recorder.errors[0] and "Download the episode" in recorder.errors[0]
    assert_sentence(recorder.errors[0])


def test_web_page_instead_of_audio_over_http_is_an_error(
    qtbot: QtBot, engine: VlcEngine, audio_server: TestHttpServer
) -> None:
    page = b"<!DOCTYPE html><html><body>Please log in to the Wi-Fi</body></html>" * 50
    audio_server.route("/portal/episode.mp3", body=page, content_type="text/html")
    recorder = play_and_wait_for_error(qtbot, engine, audio_server.url("/portal/episode.mp3"))
    assert recorder.ended == 0
    assert "127.0.0.1" in recorder.errors[0]
    assert_sentence(recorder.errors[0])


def test_stalled_stream_is_an_error(qtbot: QtBot, audio_server: TestHttpServer) -> None:
    engine = VlcEngine(["--aout=adummy"], stall_timeout_ms=2_500)
    try:
        recorder = play_and_wait_for_error(qtbot, engine, audio_server.url("/stall/beeps.mp3"))
        assert recorder.ended == 0
        assert "stopped sending audio" in recorder.errors[0]
        assert_sentence(recorder.errors[0])
    finally:
        engine.close()


def test_missing_libvlc_makes_the_engine_unavailable(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vlc_module, "libvlc_problem", lambda: INSTALL_HINT)
    engine = VlcEngine()
    assert not engine.available
    assert "libvlc" in engine.unavailable_reason
    errors: list[str] = []
    engine.error.connect(errors.append)
    engine.load(str(AUDIO_DIR / "beeps.mp3"))
    engine.play()
    engine.seek(1000)
    engine.set_rate(2.0)
    assert errors == [INSTALL_HINT]
    assert engine.state() is PlaybackState.ERROR
