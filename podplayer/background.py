"""Runs long work off the GUI thread and hands each result back on the main thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]
HeldWork = tuple[Callable[..., Any], tuple[Any, ...], Callback | None, ErrorCallback | None]


class BackgroundWork(QObject):
    """Submit a function; its result (or exception) reaches a callback on the main thread.

    ``synchronous=True`` runs everything inline, for tests that want deterministic order.
    Between ``hold`` and ``release`` work waits, so it cannot slow the window's first paint.
    """

    _finished = Signal(object, object, object)  # callback, value, future

    def __init__(self, max_workers: int = 4, synchronous: bool = False) -> None:
        super().__init__()
        self._synchronous = synchronous
        self._pool = None if synchronous else ThreadPoolExecutor(max_workers, "podplayer-work")
        self._pending: set[Future[Any]] = set()
        self._held: list[HeldWork] | None = None
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def submit(
        self,
        work: Callable[..., Any],
        *args: Any,
        on_done: Callback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        if self._held is not None:
            self._held.append((work, args, on_done, on_error))
            return
        if self._pool is None:
            try:
                value = work(*args)
            except Exception as exc:
                self._report(on_error, exc)
                return
            if on_done is not None:
                on_done(value)
            return
        future = self._pool.submit(work, *args)
        self._pending.add(future)

        def relay(done: Future[Any]) -> None:
            exc = done.exception()
            if exc is not None:
                self._finished.emit(lambda e: self._report(on_error, e), exc, done)
            else:
                self._finished.emit(on_done, done.result(), done)

        future.add_done_callback(relay)

    def hold(self) -> None:
        """Queue new work instead of starting it, until ``release``."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Start the work queued since ``hold``, in the order it was submitted."""
        held, self._held = self._held or [], None
        for work, args, on_done, on_error in held:
            self.submit(work, *args, on_done=on_done, on_error=on_error)

    @Slot(object, object, object)
    def _deliver(self, callback: Callback | None, value: Any, future: Future[Any]) -> None:
        self._pending.discard(future)
        if callback is not None:
            callback(value)

    @staticmethod
    def _report(on_error: ErrorCallback | None, exc: BaseException) -> None:
        if on_error is not None:
            on_error(exc)
        else:
            log.error("Background work failed", exc_info=exc)

    @property
    def busy(self) -> bool:
        return bool(self._pending or self._held)

    def shutdown(self) -> None:
        self._held = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
