"""Playback rates: the presets, clamping to 0.5x-3.0x in 0.05 steps, and real-time conversions."""

from __future__ import annotations

import math

from podplayer.engine.base import MAX_RATE, MIN_RATE

SPEED_PRESETS = (0.5, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0)
RATE_STEP = 0.05
DEFAULT_RATE = 1.0


def clamp_rate(rate: float) -> float:
    """The nearest valid rate: within 0.5..3.0 and on the 0.05 grid (NaN gives 1.0)."""
    if math.isnan(rate):
        return DEFAULT_RATE
    bounded = min(MAX_RATE, max(MIN_RATE, rate))
    return round(round(bounded / RATE_STEP) * RATE_STEP, 2)


def step_rate(rate: float, direction: int) -> float:
    """One 0.05 step faster (+1) or slower (-1), clamped."""
    step = 1 if direction > 0 else -1
    return clamp_rate(clamp_rate(rate) + step * RATE_STEP)


def real_time_ms(media_ms: int, rate: float) -> int:
    """How long ``media_ms`` of audio takes to hear at ``rate``."""
    return round(media_ms / clamp_rate(rate))


def format_rate(rate: float) -> str:
    """A rate as people read it: "1×", "1.25×"."""
    return f"{clamp_rate(rate):g}×"
