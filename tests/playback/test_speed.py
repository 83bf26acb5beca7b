"""Rates stay within 0.5x..3.0x on the 0.05 grid."""

from __future__ import annotations

import pytest

from podplayer.playback.speed import (
    SPEED_PRESETS,
    clamp_rate,
    format_rate,
    real_time_ms,
    step_rate,
)


def test_presets() -> None:
    assert SPEED_PRESETS == (0.5, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0)
    assert all(clamp_rate(p) == p for p in SPEED_PRESETS)


@pytest.mark.parametrize(
    ("given", "expected"),
    [(0.1, 0.5), (4.0, 3.0), (1.26, 1.25), (1.274, 1.25), (1.276, 1.3), (float("nan"), 1.0)],
)
def test_clamp(given: float, expected: float) -> None:
    assert clamp_rate(given) == expected


def test_steps() -> None:
    assert step_rate(1.0, +1) == 1.05
    assert step_rate(1.0, -1) == 0.95
    assert step_rate(3.0, +1) == 3.0
    assert step_rate(0.5, -1) == 0.5
    rate = 0.5
    for _ in range(50):
        rate = step_rate(rate, +1)
    assert rate == 3.0


def test_real_time_and_label() -> None:
    assert real_time_ms(60_000, 2.0) == 30_000
    assert real_time_ms(60_000, 0.5) == 120_000
    assert format_rate(1.25) == "1.25×"
    assert format_rate(1.0) == "1×"
