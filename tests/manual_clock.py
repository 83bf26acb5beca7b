"""A clock that moves only when a test moves it (monotonic milliseconds)."""

from __future__ import annotations


class ManualClock:
    def __init__(self, start_ms: int = 1_000_000) -> None:
        self.now_ms = start_ms

    def __call__(self) -> int:
        return self.now_ms

    def advance(self, ms: int) -> None:
        self.now_ms += ms
