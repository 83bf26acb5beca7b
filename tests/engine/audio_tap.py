"""Hears what libvlc plays: audio callbacks capture the samples, and beeps tell the media time.

The test files (tests/data/audio/make_audio.sh) have a 100 ms beep at every whole second k with a
pitch of 400 + 100*k Hz, so a beep heard ``offset`` ms after a seek proves where the seek landed.
"""

from __future__ import annotations

import array
import ctypes
import math
import threading
from dataclasses import dataclass
from typing import Any

import vlc

SAMPLE_RATE = 22_050
THRESHOLD = 8_000
WINDOW_S = 0.05
SETTLE_MS = 120


@dataclass(frozen=True)
class Beep:
    """A beep heard ``offset_ms`` into the captured audio; ``second`` is the second it marks."""

    offset_ms: float
    second: int


class AudioTap:
    """Captures S16 mono samples from a libvlc player; a flush (seek) starts a new capture."""

    def __init__(self, player: Any) -> None:
        self._lock = threading.Lock()
        self._samples = array.array("h")
        self.flushes = 0
        self.total_samples = 0
        self.volumes: list[tuple[float, bool]] = []  # what libvlc asked the output: level, muted

        @vlc.CallbackDecorators.AudioPlayCb  # type: ignore[untyped-decorator]
        def on_play(_opaque: Any, samples: Any, count: int, _pts: int) -> None:
            data = array.array("h", ctypes.string_at(samples, count * 2))
            with self._lock:
                self._samples.extend(data)
                self.total_samples += count

        @vlc.CallbackDecorators.AudioFlushCb  # type: ignore[untyped-decorator]
        def on_flush(_opaque: Any, _pts: int) -> None:
            with self._lock:
                self._samples = array.array("h")
                self.flushes += 1

        @vlc.CallbackDecorators.AudioSetVolumeCb  # type: ignore[untyped-decorator]
        def on_volume(_opaque: Any, volume: float, muted: bool) -> None:
            with self._lock:
                self.volumes.append((volume, bool(muted)))

        self._callbacks = (on_play, on_flush, on_volume)  # libvlc keeps raw pointers to them
        player.audio_set_callbacks(on_play, None, None, on_flush, None, None)
        player.audio_set_volume_callback(on_volume)
        player.audio_set_format("S16N", SAMPLE_RATE, 1)

    def clear(self) -> None:
        with self._lock:
            self._samples = array.array("h")

    def captured_ms(self) -> float:
        with self._lock:
            return len(self._samples) * 1000 / SAMPLE_RATE

    def beeps(self) -> list[Beep]:
        """Every clean beep in the audio captured since the last flush or clear."""
        with self._lock:
            samples = self._samples[:]
        found: list[Beep] = []
        window = int(WINDOW_S * SAMPLE_RATE)
        index = 0
        while index < len(samples) - window - SAMPLE_RATE // 100:
            if abs(samples[index]) < THRESHOLD:
                index += 1
                continue
            start = index + SAMPLE_RATE // 100  # skip the onset
            second = _dominant_second(samples[start : start + window])
            if second is not None:
                found.append(Beep(index * 1000 / SAMPLE_RATE, second))
            index += SAMPLE_RATE // 4
        return found

    def landed_ms(self, rate: float = 1.0) -> float | None:
        """Where playback started since the last flush, judged by the first whole beep heard.

        Beeps in the first 120 ms are passed over: playback may land inside a beep, and a
        decoder may replay a few ms of what it held before the seek (AAC does).
        """
        beeps = [beep for beep in self.beeps() if beep.offset_ms >= SETTLE_MS]
        if not beeps:
            return None
        first = beeps[0]
        return first.second * 1000 - first.offset_ms * rate


def _goertzel_power(samples: array.array[int], frequency: float) -> float:
    """The power of one frequency in ``samples`` (a one-bin DFT)."""
    coefficient = 2 * math.cos(2 * math.pi * frequency / SAMPLE_RATE)
    previous = before = 0.0
    for sample in samples:
        previous, before = sample + coefficient * previous - before, previous
    return previous * previous + before * before - coefficient * previous * before


def _dominant_second(samples: array.array[int]) -> int | None:
    """Which beep (400 + 100*k Hz) this window holds, if one pitch clearly dominates."""
    powers = sorted(((_goertzel_power(samples, 400 + 100 * k), k) for k in range(20)), reverse=True)
    (best, second), (runner_up, _) = powers[0], powers[1]
    return second if best > 4 * runner_up else None
