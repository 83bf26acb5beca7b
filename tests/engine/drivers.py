"""One behaviour suite, two engines: a driver lets time pass and says where playback is heard."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pytestqt.exceptions import TimeoutError
from pytestqt.qtbot import QtBot

from podplayer.engine.base import AudioEngine, PlaybackState
from podplayer.engine.fake import FakeEngine
from podplayer.engine.vlc import VlcEngine
from tests.engine.audio_tap import AudioTap

AUDIO_DIR = Path(__file__).resolve().parents[1] / "data" / "audio"
FORMATS = ("mp3", "m4a", "ogg", "opus", "wav")
DURATION_MS = 20_000


@dataclass
class EngineRecorder:
    """Everything an engine said, with the wall time each time report arrived."""

    states: list[PlaybackState] = field(default_factory=list)
    times: list[tuple[float, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ended: int = 0

    def attach(self, engine: AudioEngine, wall: Callable[[], float]) -> None:
        engine.state_changed.connect(self.states.append)
        engine.time_changed.connect(lambda ms: self.times.append((wall(), ms)))
        engine.error.connect(self.errors.append)
        engine.ended.connect(self._on_ended)

    def _on_ended(self) -> None:
        self.ended += 1


class Driver:
    """Drives an engine through wall time; ``heard_ms`` is where playback is since the last seek."""

    engine: AudioEngine
    recorder: EngineRecorder
    source: str

    def wait(self, ms: int) -> None:
        raise NotImplementedError

    def wall_ms(self) -> float:
        raise NotImplementedError

    def wait_until(self, predicate: Callable[[], bool], timeout_ms: int = 5_000) -> None:
        deadline = self.wall_ms() + timeout_ms
        while not predicate():
            assert self.wall_ms() < deadline, "timed out waiting"
            self.wait(20)

    def heard_ms(self) -> float | None:
        raise NotImplementedError

    def heard_spacing_ms(self) -> float | None:
        """The output time between consecutive beeps (1000 ms of media), or None if not audible."""
        raise NotImplementedError

    def forget_heard(self, seek: bool = True) -> None:
        """Judge only what is heard from now on (after the seek that follows, if ``seek``)."""
        raise NotImplementedError

    def output_samples(self) -> int:
        raise NotImplementedError


class FakeDriver(Driver):
    def __init__(self) -> None:
        self.engine = self.fake = FakeEngine(default_duration_ms=DURATION_MS)
        self.now_ms = 0.0
        self.recorder = EngineRecorder()
        self.recorder.attach(self.engine, lambda: self.now_ms)
        self.source = "beeps.fake"
        self.heard_from = 0
        self.heard_mark = 0.0

    def wait(self, ms: int) -> None:
        for _ in range(max(1, ms // 10)):
            self.now_ms += 10
            self.fake.advance(10)

    def wall_ms(self) -> float:
        return self.now_ms

    def heard_ms(self) -> float | None:
        return float(self.engine.time_ms())

    def heard_spacing_ms(self) -> float | None:
        return None

    def forget_heard(self, seek: bool = True) -> None:
        return

    def output_samples(self) -> int:
        return self.engine.time_ms()


class VlcDriver(Driver):
    def __init__(self, qtbot: QtBot, audio_format: str) -> None:
        self.qtbot = qtbot
        self.vlc = VlcEngine(["--aout=adummy"])
        self.engine = self.vlc
        self.tap = AudioTap(self.vlc.media_player)
        self.recorder = EngineRecorder()
        self.recorder.attach(self.engine, self.wall_ms)
        self.source = str(AUDIO_DIR / f"beeps.{audio_format}")
        self.flushes_before_seek: int | None = None

    def wait(self, ms: int) -> None:
        self.qtbot.wait(ms)

    def wall_ms(self) -> float:
        return time.monotonic() * 1000

    def wait_until(self, predicate: Callable[[], bool], timeout_ms: int = 5_000) -> None:
        self.qtbot.waitUntil(predicate, timeout=timeout_ms)

    def heard_ms(self) -> float | None:
        if self.flushes_before_seek is not None:  # a seek: what was heard before it flushes out
            mark = self.flushes_before_seek
            # A seek that reopens the media (MP3) flushes before seek() returns, or not at all
            # when made while paused: the media then starts afresh.
            with contextlib.suppress(TimeoutError):
                self.qtbot.waitUntil(lambda: self.tap.flushes > mark, timeout=1_500)
        self.qtbot.waitUntil(lambda: self.tap.landed_ms() is not None, timeout=3_000)
        return self.tap.landed_ms()

    def heard_spacing_ms(self) -> float | None:
        self.qtbot.waitUntil(lambda: len(self.tap.beeps()) >= 3, timeout=8_000)
        beeps = self.tap.beeps()
        assert [b.second - beeps[0].second for b in beeps] == list(range(len(beeps)))
        return (beeps[-1].offset_ms - beeps[0].offset_ms) / (len(beeps) - 1)

    def forget_heard(self, seek: bool = True) -> None:
        self.flushes_before_seek = self.tap.flushes if seek else None
        self.tap.clear()

    def output_samples(self) -> int:
        return self.tap.total_samples

    def close(self) -> None:
        self.vlc.close()
