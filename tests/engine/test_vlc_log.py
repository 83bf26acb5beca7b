"""libvlc is quiet: its warnings reach podplayer's log, rate-limited, and never the terminal;
with no sound device the engine says so once and plays on."""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from podplayer.engine import vlc as vlc_engine
from podplayer.engine.base import PlaybackState
from podplayer.engine.vlc import VlcEngine
from podplayer.engine.vlc_log import NO_SOUND_DEVICE, RateLimiter, sound_output_problem
from tests.engine.shapes import SHAPES_DIR


def test_rate_limiter_lets_a_window_through_then_counts() -> None:
    limiter = RateLimiter(limit=3, window_s=10.0)
    assert [limiter.allow(0.0)[0] for _ in range(5)] == [True, True, True, False, False]
    assert limiter.allow(10.5) == (True, 2)  # a new window reports what the last one held back
    assert limiter.allow(11.0) == (True, 0)


def test_sound_device_is_looked_for(tmp_path: Path) -> None:
    devices = tmp_path / "snd"
    devices.mkdir()
    runtime = tmp_path / "run"
    runtime.mkdir()
    environ = {"XDG_RUNTIME_DIR": str(runtime)}
    assert sound_output_problem(environ, devices) == NO_SOUND_DEVICE
    (devices / "pcmC0D0c").touch()  # a capture device plays nothing
    assert sound_output_problem(environ, devices) == NO_SOUND_DEVICE
    (devices / "pcmC0D0p").touch()
    assert sound_output_problem(environ, devices) == ""
    assert sound_output_problem({"PULSE_SERVER": "unix:/x"}, tmp_path / "none") == ""
    (runtime / "pipewire-0").touch()
    assert sound_output_problem(environ, tmp_path / "none") == ""


def play_and_seek(qtbot: QtBot, engine: VlcEngine) -> None:
    engine.load(str(SHAPES_DIR / "mono-22k.mp3"))
    engine.play()
    qtbot.waitUntil(lambda: engine.state() is PlaybackState.PLAYING, timeout=5_000)
    for target in (6_000, 2_000, 8_000):
        engine.seek(target)
        qtbot.waitUntil(partial(played_past, engine, target), timeout=5_000)


def played_past(engine: VlcEngine, target_ms: int) -> bool:
    return engine.time_ms() > target_ms


def test_no_sound_device_is_said_once_and_nothing_reaches_the_terminal(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(vlc_engine, "sound_output_problem", lambda: NO_SOUND_DEVICE)
    engine = VlcEngine()  # no --aout: the engine chooses
    notices: list[str] = []
    engine.notice.connect(notices.append)
    try:
        with caplog.at_level(logging.WARNING, logger="podplayer.libvlc"):
            play_and_seek(qtbot, engine)
            engine.pause()
            engine.play()
            qtbot.wait(300)
    finally:
        engine.close()
    assert notices == [NO_SOUND_DEVICE]
    captured = capfd.readouterr()
    assert "ALSA" not in captured.err
    assert "libvlc" not in captured.err.lower()
    # The reopening seeks make libvlc warn; those warnings are podplayer's log's to keep.
    assert any(r.name == "podplayer.libvlc" for r in caplog.records)
    assert all(r.levelno >= logging.WARNING for r in caplog.records)


def test_a_machine_with_sound_hears_no_notice(qtbot: QtBot) -> None:
    engine = VlcEngine(["--aout=adummy"])
    notices: list[str] = []
    engine.notice.connect(notices.append)
    try:
        play_and_seek(qtbot, engine)
    finally:
        engine.close()
    assert notices == []
