"""The one HTTP client of the app: timeouts, an overall deadline, size caps and careful redirects.

Built on urllib3 (connection reuse, at most two connections per host). Redirects are followed by
hand so callers see each hop's status (a 301 moves a subscription, a 302 does not), credentials
never travel to another host nor over a downgrade from https to http, and nothing but http(s) is
ever fetched.
"""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

if TYPE_CHECKING:
    import urllib3

from podplayer import __version__

USER_AGENT = f"podplayer/{__version__} (desktop podcast player)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
MAX_REDIRECTS = 10
CHUNK_SIZE = 64 * 1024
ALLOWED_SCHEMES = ("http", "https")


class HttpError(Exception):
    """A fetch that failed, with a sentence for the user. ``transient`` means: try again later."""

    def __init__(self, message: str, *, transient: bool = True, status: int | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.status = status


class TooLargeError(HttpError):
    """The body (after decompression) is bigger than the caller allows."""


class DeadlineError(HttpError):
    """The whole exchange took longer than its deadline (a slow or trickling server)."""


@dataclass(frozen=True, slots=True)
class Credentials:
    username: str
    password: str

    def header(self) -> str:
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode("ascii")
        return f"Basic {token}"


@dataclass(frozen=True, slots=True)
class Hop:
    """One redirect: ``status`` sent us from ``url`` to ``location``."""

    status: int
    url: str
    location: str


@dataclass(slots=True)
class HttpResponse:
    """A completed GET: final URL, status, headers (case-insensitive) and the decoded body."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes = b""
    hops: list[Hop] = field(default_factory=list)

    @property
    def permanent_url(self) -> str | None:
        """Where the resource now lives for good: the end of a chain of 301/308 hops, if any."""
        permanent: str | None = None
        for hop in self.hops:
            if hop.status not in PERMANENT_REDIRECTS:
                break
            permanent = hop.location
        return permanent


@dataclass(slots=True)
class StreamingResponse:
    """A response whose body is read chunk by chunk (downloads)."""

    url: str
    status: int
    headers: Mapping[str, str]
    hops: list[Hop]
    _raw: urllib3.BaseHTTPResponse
    _deadline: float | None
    complete: bool = False
    _aborted: bool = False

    def chunks(self, size: int = CHUNK_SIZE) -> Iterator[bytes]:
        """The body as it arrives; HttpError when the connection drops or the deadline passes."""
        from urllib3.exceptions import ProtocolError, ReadTimeoutError
        from urllib3.exceptions import TimeoutError as Urllib3Timeout

        while True:
            _check_deadline(self._deadline, self.url)
            try:
                chunk = self._raw.read1(size)
            except (ProtocolError, ReadTimeoutError, Urllib3Timeout, OSError) as exc:
                _check_deadline(self._deadline, self.url)
                raise HttpError(f"The connection to {_host(self.url)} dropped: {exc}.") from exc
            if self._aborted:
                raise HttpError(f"The transfer from {_host(self.url)} was stopped.")
            if not chunk:
                self.complete = True
                return
            yield chunk

    def abort(self) -> None:
        """From another thread: end a read that waits on a stalled server (pause, quit)."""
        self._aborted = True
        # Already released or closed, or an urllib3 older than 2.3 (no shutdown): nothing to do.
        with contextlib.suppress(AttributeError, ValueError, RuntimeError, OSError):
            self._raw.shutdown()


def split_credentials(url: str) -> tuple[str, Credentials | None]:
    """Remove ``user:pass@`` from a URL, returning the clean URL and the credentials apart."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, Credentials(parts.username or "", parts.password or "")


def redact(url: str) -> str:
    """The URL with any password removed, for logs and messages."""
    return split_credentials(url)[0]


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def _may_send_credentials(origin: str, current: str) -> bool:
    """Credentials go to the host they were given for, never over a downgrade to plain http."""
    if _host(current) != _host(origin):
        return False
    return not (urlsplit(origin).scheme == "https" and urlsplit(current).scheme != "https")


def _is_loopback(host: str) -> bool:
    """This computer by any spelling: localhost, 127/8, 0.0.0.0, ::1, ::ffff:127.0.0.1, 127.1."""
    host = host.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(host)
    except ValueError:
        try:  # the short and numeric forms the resolver also accepts ("127.1", "2130706433")
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


def _resolves_to_this_computer(host: str) -> bool:
    """A redirect target that is, or whose name resolves to, this computer (DNS pointing home)."""
    if _is_loopback(host):
        return True
    try:
        addresses = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False  # unresolvable: connecting fails on its own, with a sentence
    return any(_is_loopback(str(address[4][0]).split("%")[0]) for address in addresses)


def _check_deadline(deadline: float | None, url: str) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise DeadlineError(
            f"{_host(url)} is answering too slowly; podplayer gave up and will try again later."
        )


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise HttpError(
            f"Only http and https addresses can be fetched, not {scheme or 'this'!r}: "
            f"{redact(url)}",
            transient=False,
        )


class HttpClient:
    """Thread-safe; share one per app. Limits are per call unless given here as defaults."""

    def __init__(
        self,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 20.0,
        deadline: float = 60.0,
        max_bytes: int = 50 * 1024 * 1024,
        connections_per_host: int = 2,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self._connections_per_host = connections_per_host
        self._pool_manager: urllib3.PoolManager | None = None
        self._pool_lock = threading.Lock()

    def _pool(self) -> urllib3.PoolManager:
        """The connection pool, made (and urllib3 imported) on the first request."""
        with self._pool_lock:
            if self._pool_manager is None:
                from podplayer.core.http_pool import new_pool_manager

                self._pool_manager = new_pool_manager(self._connections_per_host)
            return self._pool_manager

    def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        credentials: Credentials | None = None,
        max_bytes: int | None = None,
        deadline: float | None = None,
    ) -> HttpResponse:
        """GET with redirects followed; any status comes back (the caller judges 304, 404...)."""
        limit = self.max_bytes if max_bytes is None else max_bytes
        with self.stream(url, headers=headers, credentials=credentials, deadline=deadline) as resp:
            length = _content_length(resp.headers)
            if length is not None and length > limit:
                raise TooLargeError(_too_large(resp.url, limit), transient=False)
            body = bytearray()
            for chunk in resp.chunks():
                body += chunk
                if len(body) > limit:
                    raise TooLargeError(_too_large(resp.url, limit), transient=False)
            return HttpResponse(resp.url, resp.status, resp.headers, bytes(body), resp.hops)

    @contextmanager
    def stream(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        credentials: Credentials | None = None,
        deadline: float | None = None,
    ) -> Iterator[StreamingResponse]:
        """Open a GET (redirects followed) whose body the caller reads with ``chunks()``."""
        url, url_credentials = split_credentials(url.strip())
        credentials = credentials or url_credentials
        seconds = self.deadline if deadline is None else deadline
        until = time.monotonic() + seconds if seconds > 0 else None
        hops: list[Hop] = []
        seen = {url}
        current = url
        while True:
            _check_scheme(current)
            request_headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
            request_headers.update(headers or {})
            if credentials is not None and _may_send_credentials(url, current):
                request_headers["Authorization"] = credentials.header()
            raw = self._open(current, request_headers, until)
            if raw.status not in REDIRECT_STATUSES or not raw.headers.get("Location"):
                break
            location = urljoin(current, raw.headers["Location"].strip())
            raw.drain_conn()
            raw.release_conn()
            hops.append(Hop(raw.status, current, location))
            _check_scheme(location)
            if (
                _host(location) != _host(current)
                and not _is_loopback(_host(current))
                and _resolves_to_this_computer(_host(location))
            ):
                raise HttpError(
                    f"{_host(current)} redirected to this computer ({redact(location)}); "
                    "podplayer refused to follow.",
                    transient=False,
                )
            if location in seen or len(hops) > MAX_REDIRECTS:
                raise HttpError(
                    f"{redact(url)} redirects in a loop; the address does not lead to a feed.",
                    transient=False,
                )
            seen.add(location)
            current = location
        response = StreamingResponse(current, raw.status, raw.headers, hops, raw, until)
        try:
            yield response
        finally:
            if not response.complete:
                raw.close()
            raw.release_conn()

    def _open(
        self, url: str, headers: dict[str, str], until: float | None
    ) -> urllib3.BaseHTTPResponse:
        import urllib3
        from urllib3.exceptions import HTTPError as Urllib3Error
        from urllib3.exceptions import (
            MaxRetryError,
            NewConnectionError,
            ProtocolError,
            ReadTimeoutError,
            SSLError,
        )
        from urllib3.exceptions import TimeoutError as Urllib3Timeout

        from podplayer.core.http_pool import request_deadline

        _check_deadline(until, url)
        read = self.read_timeout
        if until is not None:
            read = max(0.1, min(read, until - time.monotonic()))
        timeout = urllib3.Timeout(connect=min(self.connect_timeout, read), read=read)
        pool = self._pool()
        request_deadline.until = until
        try:
            return pool.request(
                "GET",
                url,
                headers=headers,
                timeout=timeout,
                redirect=False,
                preload_content=False,
                decode_content=True,
            )
        except SSLError as exc:
            raise HttpError(
                f"The secure connection to {_host(url)} could not be verified ({exc}); "
                "podplayer did not fall back to an insecure one.",
                transient=True,
            ) from exc
        except NewConnectionError as exc:
            raise HttpError(_unreachable(url, exc)) from exc
        except (ReadTimeoutError, Urllib3Timeout) as exc:
            raise DeadlineError(f"{_host(url)} did not answer in time.") from exc
        except (MaxRetryError, ProtocolError, Urllib3Error, OSError) as exc:
            _check_deadline(until, url)
            raise HttpError(_unreachable(url, exc)) from exc
        finally:
            request_deadline.until = None

    def close(self) -> None:
        with self._pool_lock:
            if self._pool_manager is not None:
                self._pool_manager.clear()


def _content_length(headers: Mapping[str, str]) -> int | None:
    if headers.get("Content-Encoding"):
        return None
    try:
        return int(headers.get("Content-Length", ""))
    except ValueError:
        return None


def _too_large(url: str, limit: int) -> str:
    return (
        f"{redact(url)} is larger than {limit // (1024 * 1024)} MB; podplayer stopped reading it."
    )


def _unreachable(url: str, exc: BaseException) -> str:
    from urllib3.exceptions import NameResolutionError

    if isinstance(exc, NameResolutionError):
        return (
            f"Could not find the server {_host(url)}. Check the address and the internet "
            "connection, then try again."
        )
    return (
        f"Could not connect to {_host(url)} ({_reason(exc)}). Check the address and the internet "
        "connection, then try again."
    )


def _reason(exc: BaseException) -> str:
    """The last part of urllib3's chain of messages, without the errno number."""
    reason = getattr(exc, "reason", None)
    text = str(reason or exc).split(": ")[-1]
    return re.sub(r"^\[Errno -?\d+\]\s*", "", text).rstrip(".").lower()
