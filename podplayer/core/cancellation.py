"""Stopping long work from another thread: what has not started is skipped, and whatever is
waiting on the network has its connection cut, so a quit or Ctrl+C never waits for a server."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Cancellation:
    """Set once (from any thread, or a signal handler); work checks it and registers aborts."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.RLock()  # cancel() may run in a signal handler on any thread
        self._aborts: list[Callable[[], None]] = []

    def cancel(self) -> None:
        """Mark the work cancelled and run every registered abort (each cuts a connection)."""
        self._event.set()
        with self._lock:
            aborts = list(self._aborts)
        for abort in aborts:
            abort()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    @contextmanager
    def aborting(self, abort: Callable[[], None]) -> Iterator[None]:
        """While the block runs, ``cancel()`` calls ``abort`` (at once if already cancelled)."""
        with self._lock:
            self._aborts.append(abort)
        try:
            if self._event.is_set():
                abort()
            yield
        finally:
            with self._lock:
                self._aborts.remove(abort)
