"""Volume and mute are the engine's own state and reach libvlc's audio output, media after media."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from podplayer.engine.base import PlaybackState
from podplayer.engine.vlc import VlcEngine
from tests.engine.audio_tap import AudioTap
from tests.engine.drivers import AUDIO_DIR


def test_volume_and_mute_reach_the_output_and_survive_a_new_media(qtbot: QtBot) -> None:
    engine = VlcEngine(["--aout=adummy"])
    tap = AudioTap(engine.media_player)
    try:
        engine.set_volume(40)  # before anything plays
        engine.load(str(AUDIO_DIR / "beeps.wav"))
        engine.play()
        qtbot.waitUntil(lambda: engine.state() is PlaybackState.PLAYING, timeout=5_000)
        # libvlc creates the output at full volume; the engine applies its own level on Playing.
        qtbot.waitUntil(lambda: bool(tap.volumes) and tap.volumes[-1][0] < 0.5, timeout=2_000)
        assert tap.volumes[-1][0] == pytest.approx(0.4, abs=0.01)

        engine.set_muted(True)
        qtbot.waitUntil(lambda: tap.volumes[-1][0] == 0.0, timeout=2_000)
        assert engine.is_muted() and engine.volume() == 40

        engine.load(str(AUDIO_DIR / "beeps.opus"))  # a new media gets a new audio output
        engine.play()
        qtbot.waitUntil(lambda: engine.state() is PlaybackState.PLAYING, timeout=5_000)
        qtbot.wait(300)
        assert tap.volumes[-1][0] == 0.0  # still muted
        engine.set_muted(False)
        qtbot.waitUntil(lambda: tap.volumes[-1][0] > 0.0, timeout=2_000)
        assert tap.volumes[-1][0] == pytest.approx(0.4, abs=0.01)
    finally:
        engine.close()
