"""Hears what libvlc plays: audio callbacks capture the samples, and beeps tell the media time.

The test files (tests/data/audio/make_audio.sh) have a 100 ms beep at every whole second k with a
pitch of 400 + 100*k Hz, so a beep heard ``offset`` ms after a seek proves where the seek landed.
"""

from __future__ import annotations

import array
import ctypes
import itertools
import math
import threading
import time
from dataclasses import dataclass
from typing import Any

import vlc

SAMPLE_RATE = 22_050
THRESHOLD = 8_000
WINDOW_S = 0.05
SETTLE_MS = 120
MAX_DRAIN_S = 3.0


@dataclass(frozen=True)
class Beep:
    """A beep heard ``offset_ms`` into the captured audio; ``second`` is the second it marks."""

    offset_ms: float
    second: int


@dataclass(frozen=True)
class Block:
    """Samples libvlc handed over, to be heard at ``pts_us`` on libvlc's clock (libvlc_clock()).

    libvlc hands audio to the output up to ~1.2 s before it is due: the wall time of a callback
    says nothing about when it is heard, its presentation time does.
    """

    pts_us: int
    samples: array.array[int]

    @property
    def end_us(self) -> float:
        return self.pts_us + len(self.samples) * 1_000_000 / SAMPLE_RATE


class AudioTap:
    """Captures S16 mono samples from a libvlc player; a flush (seek) starts a new capture.

    What a flush throws away was never heard: blocks due after it are dropped, the rest are kept
    in ``heard_before_flushes`` with the time of each flush in ``flush_times_us``.
    """

    def __init__(self, player: Any) -> None:
        self._lock = threading.Lock()
        self._blocks: list[Block] = []
        self.heard_before_flushes: list[Block] = []
        self.flush_times_us: list[int] = []
        self.flushes = 0
        self.drains = 0
        self.total_samples = 0
        self.volumes: list[tuple[float, bool]] = []  # what libvlc asked the output: level, muted

        @vlc.CallbackDecorators.AudioPlayCb  # type: ignore[untyped-decorator]
        def on_play(_opaque: Any, samples: Any, count: int, pts: int) -> None:
            data = array.array("h", ctypes.string_at(samples, count * 2))
            with self._lock:
                self._blocks.append(Block(pts, data))
                self.total_samples += count

        @vlc.CallbackDecorators.AudioFlushCb  # type: ignore[untyped-decorator]
        def on_flush(_opaque: Any, _pts: int) -> None:
            now = vlc.libvlc_clock()
            with self._lock:
                self.heard_before_flushes += [b for b in self._blocks if b.pts_us < now]
                self.flush_times_us.append(now)
                self._blocks = []
                self.flushes += 1

        @vlc.CallbackDecorators.AudioDrainCb  # type: ignore[untyped-decorator]
        def on_drain(_opaque: Any) -> None:
            # A sound card plays what it holds before a drain returns: so does the tap.
            with self._lock:
                self.drains += 1
                due_us = self._blocks[-1].end_us if self._blocks else 0
            time.sleep(min(MAX_DRAIN_S, max(0.0, (due_us - vlc.libvlc_clock()) / 1e6)))

        @vlc.CallbackDecorators.AudioSetVolumeCb  # type: ignore[untyped-decorator]
        def on_volume(_opaque: Any, volume: float, muted: bool) -> None:
            with self._lock:
                self.volumes.append((volume, bool(muted)))

        self._callbacks = (
            on_play,
            on_flush,
            on_drain,
            on_volume,
        )  # libvlc keeps raw pointers to them
        player.audio_set_callbacks(on_play, None, None, on_flush, on_drain, None)
        player.audio_set_volume_callback(on_volume)
        player.audio_set_format("S16N", SAMPLE_RATE, 1)

    def clear(self) -> None:
        with self._lock:
            self._blocks = []

    def blocks(self) -> list[Block]:
        """The blocks captured since the last flush or clear."""
        with self._lock:
            return list(self._blocks)

    def captured_ms(self) -> float:
        with self._lock:
            return sum(len(b.samples) for b in self._blocks) * 1000 / SAMPLE_RATE

    def first_pts_us(self) -> int | None:
        """When the first sample captured since the last flush or clear is heard."""
        with self._lock:
            return self._blocks[0].pts_us if self._blocks else None

    def beeps(self) -> list[Beep]:
        """Every clean beep in the audio captured since the last flush or clear."""
        return find_beeps(self.blocks())

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


def find_beeps(blocks: list[Block]) -> list[Beep]:
    """Every clean beep in ``blocks``, at its offset into their samples."""
    samples = array.array("h")
    for block in blocks:
        samples.extend(block.samples)
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


def longest_gap_ms(blocks: list[Block]) -> float:
    """The longest silence libvlc left between blocks that should follow each other at once."""
    gaps = [(b.pts_us - a.end_us) / 1000 for a, b in itertools.pairwise(blocks)]
    return max(gaps, default=0.0)


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
