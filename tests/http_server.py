"""A real HTTP server on 127.0.0.1 for tests: Range, ETag, Last-Modified, redirects, misbehaviour.

Register what a path serves with ``server.route(path, ...)``; every request is recorded.
"""

from __future__ import annotations

import datetime
import gzip
import ipaddress
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Route:
    """What one path answers. Fields left at their defaults give a plain, well-behaved 200."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None
    ranges: bool = True
    gzip: bool = False
    delay: float = 0.0
    trickle_interval: float | None = None
    drop_after: int | None = None
    wrong_content_range: bool = False
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]


def http_date(timestamp: float) -> str:
    return formatdate(timestamp, usegmt=True)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        path = self.path.split("?", 1)[0]
        self.server.owner.record(RecordedRequest(self.command, self.path, dict(self.headers)))
        route = self.server.owner.routes.get(self.path) or self.server.owner.routes.get(path)
        if route is None:
            self._simple(404, b"not found")
            return
        if route.delay:
            time.sleep(route.delay)
        if route.handler is not None:
            route.handler(self)
            return
        if route.location is not None:
            self.send_response(route.status)
            self.send_header("Location", route.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if route.status == 200 and self._not_modified(route):
            self.send_response(304)
            self._validators(route)
            self.end_headers()
            return
        self._send(route, send_body)

    def _not_modified(self, route: Route) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None and route.etag is not None:
            return if_none_match == route.etag
        if_modified_since = self.headers.get("If-Modified-Since")
        return (
            if_modified_since is not None
            and route.last_modified is not None
            and if_modified_since == route.last_modified
        )

    def _validators(self, route: Route) -> None:
        if route.etag is not None:
            self.send_header("ETag", route.etag)
        if route.last_modified is not None:
            self.send_header("Last-Modified", route.last_modified)

    def _range(self, route: Route, size: int) -> tuple[int, int] | str | None:
        """(start, end) to serve, None for the whole body, "unsatisfiable" for a 416."""
        header = self.headers.get("Range")
        if not route.ranges or not header or not header.startswith("bytes="):
            return None
        if_range = self.headers.get("If-Range")
        if if_range is not None and if_range not in (route.etag, route.last_modified):
            return None
        first, _, last = header[len("bytes=") :].split(",")[0].strip().partition("-")
        try:
            if first:
                start = int(first)
                end = int(last) if last else size - 1
            else:
                start, end = max(0, size - int(last)), size - 1
        except ValueError:
            return None
        if start >= size or start > end:
            return "unsatisfiable"
        return start, min(end, size - 1)

    def _send(self, route: Route, send_body: bool) -> None:
        body = route.body
        status = route.status
        extra: dict[str, str] = {}
        if route.gzip:
            body = gzip.compress(body)
            extra["Content-Encoding"] = "gzip"
        wanted = self._range(route, len(body)) if status == 200 else None
        if wanted == "unsatisfiable":
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(body)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if isinstance(wanted, tuple):
            start, end = wanted
            status = 206
            shown_start = start + 1 if route.wrong_content_range else start
            extra["Content-Range"] = f"bytes {shown_start}-{end}/{len(body)}"
            body = body[start : end + 1]
        self.send_response(status)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Length", str(len(body)))
        if route.ranges:
            self.send_header("Accept-Ranges", "bytes")
        self._validators(route)
        for name, value in {**extra, **route.headers}.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self._write_body(route, body)

    def _write_body(self, route: Route, body: bytes) -> None:
        limit = len(body) if route.drop_after is None else min(route.drop_after, len(body))
        try:
            if route.trickle_interval is not None:
                for index in range(limit):
                    self.wfile.write(body[index : index + 1])
                    self.wfile.flush()
                    time.sleep(route.trickle_interval)
            else:
                self.wfile.write(body[:limit])
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
        if limit < len(body):
            self.close_connection = True
            self.connection.close()

    def _simple(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def trickle_headers(handler: BaseHTTPRequestHandler) -> None:
    """Slowloris: a status line, then one header byte every quarter second (for 10 s at most)."""
    handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
    for _ in range(40):
        try:
            handler.wfile.write(b"X")
            handler.wfile.flush()
        except OSError:
            return
        time.sleep(0.25)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: TestHttpServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up early are part of the tests, not errors to print."""


class TestHttpServer:
    """Serves registered routes on 127.0.0.1 from a background thread."""

    __test__ = False  # not a pytest test class

    def __init__(self, tls_certificate: Path | None = None) -> None:
        """``tls_certificate``: a PEM file with certificate and key, to serve https instead."""
        self.routes: dict[str, Route] = {}
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._scheme = "http"
        if tls_certificate is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_certificate)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            self._scheme = "https"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self._scheme}://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, **fields: Any) -> Route:
        """Serve ``path`` as Route's fields describe; the route is returned for later changes."""
        self.routes[path] = Route(**fields)
        return self.routes[path]

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.split("?", 1)[0] == path]

    def start(self) -> TestHttpServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def self_signed_certificate(folder: Path) -> Path:
    """A PEM (certificate and key) for https://127.0.0.1; trust it with SSL_CERT_FILE=<it>."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path = folder / "localhost.pem"
    path.write_bytes(
        certificate.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return path
