"""urllib3's connection pool with request deadlines; imported with the first request.

Kept apart from ``http.py`` so that opening the window does not import urllib3 and ssl (~12 MB,
40-60 ms): the app's HTTP clients are built at startup but used only later.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.response import BaseHTTPResponse, HTTPResponse

from podplayer.core.cancellation import Cancellation

request_deadline = threading.local()
"""``until``: the monotonic time the current request on this thread must finish by;
``cancellation``: a Cancellation that cuts the request when cancelled, or None."""


def _response_within_deadline(
    connection: HTTPConnection, read_response: Callable[[], BaseHTTPResponse]
) -> BaseHTTPResponse:
    """Cut the socket when the overall deadline passes (or the request is cancelled) while the
    status and headers trickle in.

    A read timeout bounds each wait, not the whole exchange: a server sending one header byte
    every second (slowloris) would otherwise hold a refresh for minutes.
    """
    until: float | None = getattr(request_deadline, "until", None)
    cancellation: Cancellation | None = getattr(request_deadline, "cancellation", None)

    def cut() -> None:
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    with contextlib.ExitStack() as stack:
        if cancellation is not None:
            stack.enter_context(cancellation.aborting(cut))
        if until is not None:
            timer = threading.Timer(max(0.0, until - time.monotonic()), cut)
            timer.daemon = True
            timer.start()
            stack.callback(timer.cancel)
        return read_response()


class _DeadlineHTTPConnection(HTTPConnection):
    """An HTTP connection whose response headers obey the request's deadline."""

    def getresponse(self) -> HTTPResponse:  # type: ignore[override]
        return _response_within_deadline(self, super().getresponse)  # type: ignore[return-value]


class _DeadlineHTTPSConnection(HTTPSConnection):
    """An HTTPS connection whose response headers obey the request's deadline."""

    def getresponse(self) -> HTTPResponse:  # type: ignore[override]
        return _response_within_deadline(self, super().getresponse)  # type: ignore[return-value]


class _DeadlineHTTPPool(HTTPConnectionPool):
    ConnectionCls = _DeadlineHTTPConnection


class _DeadlineHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _DeadlineHTTPSConnection


def new_pool_manager(connections_per_host: int) -> urllib3.PoolManager:
    """A pool that never retries on its own and whose response headers obey the deadline."""
    pool = urllib3.PoolManager(
        num_pools=64, maxsize=connections_per_host, block=True, retries=False
    )
    pool.pool_classes_by_scheme = {"http": _DeadlineHTTPPool, "https": _DeadlineHTTPSPool}
    return pool
