"""Runs long work off the GUI thread and hands each result back on the main thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]


class BackgroundWork(QObject):
    """Submit a function; its result (or exception) reaches a callback on the main thread.

    ``synchronous=True`` runs everything inline, for tests that want deterministic order.
    """

    _finished = Signal(object, object, object)  # callback, value, future

    def __init__(self, max_workers: int = 4, synchronous: bool = False) -> None:
        super().__init__()
        self._synchronous = synchronous
        self._pool = None if synchronous else ThreadPoolExecutor(max_workers, "podplayer-work")
        self._pending: set[Future[Any]] = set()
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def submit(
        self,
        work: Callable[..., Any],
        *args: Any,
        on_done: Callback | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
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

    @Slot(object, object, object)
    def _deliver(self, callback: Callback | None, value: Any, future: Future[Any]) -> None:
        self._pending.discard(future)
        if callback is not None:
            callback(value)

    @staticmethod
    def _report(on_error: Callable[[BaseException], None] | None, exc: BaseException) -> None:
        if on_error is not None:
            on_error(exc)
        else:
            log.error("Background work failed", exc_info=exc)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
