"""The HTTP client against a real server on 127.0.0.1: redirects, limits, credentials, streaming."""

from __future__ import annotations

import gzip
import socket
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from podplayer.core.http import (
    Credentials,
    DeadlineError,
    HttpClient,
    HttpError,
    TooLargeError,
    redact,
    split_credentials,
)
from tests.http_server import TestHttpServer, self_signed_certificate, trickle_headers


@pytest.fixture
def client() -> HttpClient:
    return HttpClient(connect_timeout=2, read_timeout=2, deadline=5)


def test_plain_get_and_gzip(http_server: TestHttpServer, client: HttpClient) -> None:
    http_server.route("/plain", body=b"hello", content_type="text/plain")
    http_server.route("/zipped", body=b"x" * 10_000, gzip=True)
    assert client.get(http_server.url("/plain")).body == b"hello"
    assert client.get(http_server.url("/zipped")).body == b"x" * 10_000


def test_conditional_get_gets_304(http_server: TestHttpServer, client: HttpClient) -> None:
    http_server.route(
        "/feed", body=b"<rss/>", etag='"v1"', last_modified="Tue, 01 Jan 2030 00:00:00 GMT"
    )
    first = client.get(http_server.url("/feed"))
    assert first.status == 200 and first.headers["ETag"] == '"v1"'
    again = client.get(http_server.url("/feed"), headers={"If-None-Match": '"v1"'})
    assert again.status == 304 and again.body == b""


def test_permanent_and_temporary_redirects(http_server: TestHttpServer, client: HttpClient) -> None:
    http_server.route("/a", status=301, location="/b")
    http_server.route("/b", status=308, location=http_server.url("/c"))
    http_server.route("/c", status=302, location="/d")
    http_server.route("/d", body=b"final")
    response = client.get(http_server.url("/a"))
    assert response.body == b"final" and response.url == http_server.url("/d")
    assert [hop.status for hop in response.hops] == [301, 308, 302]
    assert response.permanent_url == http_server.url("/c")
    http_server.route("/t", status=307, location="/d")
    assert client.get(http_server.url("/t")).permanent_url is None


def test_redirect_loop_and_bad_scheme_stop(http_server: TestHttpServer, client: HttpClient) -> None:
    http_server.route("/loop1", status=301, location="/loop2")
    http_server.route("/loop2", status=302, location="/loop1")
    with pytest.raises(HttpError, match="loop"):
        client.get(http_server.url("/loop1"))
    http_server.route("/evil", status=302, location="file:///etc/passwd")
    with pytest.raises(HttpError, match="Only http and https"):
        client.get(http_server.url("/evil"))
    with pytest.raises(HttpError, match="Only http and https"):
        client.get("javascript:alert(1)")


def test_credentials_stay_with_their_host(http_server: TestHttpServer, client: HttpClient) -> None:
    other = TestHttpServer().start()
    try:
        other.route("/feed", body=b"ok")
        http_server.route(
            "/feed", status=302, location=other.url("/feed").replace("127.0.0.1", "localhost")
        )
        url = http_server.url("/feed").replace("http://", "http://alice:s3cret@")
        assert client.get(url).body == b"ok"
        assert "Authorization" in http_server.requests_for("/feed")[0].headers
        assert "Authorization" not in other.requests_for("/feed")[0].headers
    finally:
        other.stop()
    assert redact(url) == http_server.url("/feed")
    assert split_credentials(url)[1] == Credentials("alice", "s3cret")


def test_credentials_never_follow_a_downgrade_to_plain_http(
    http_server: TestHttpServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    certificate = self_signed_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    secure = TestHttpServer(tls_certificate=certificate).start()
    client = HttpClient()
    try:
        http_server.route("/feed", body=b"plain")
        secure.route("/feed", status=302, location=http_server.url("/feed"))
        secure.route("/same", body=b"secure")
        url = secure.url("/feed").replace("https://", "https://alice:s3cret@")
        assert client.get(url).body == b"plain"
        assert "Authorization" in secure.requests_for("/feed")[0].headers
        assert "Authorization" not in http_server.requests_for("/feed")[0].headers
        # Without the downgrade the same host still gets them.
        assert client.get(secure.url("/same"), credentials=Credentials("a", "b")).body == b"secure"
        assert "Authorization" in secure.requests_for("/same")[0].headers
    finally:
        client.close()
        secure.stop()


def test_size_cap_and_gzip_bomb(http_server: TestHttpServer, client: HttpClient) -> None:
    http_server.route("/big", body=b"a" * 300_000)
    with pytest.raises(TooLargeError):
        client.get(http_server.url("/big"), max_bytes=100_000)
    bomb = gzip.compress(b"\0" * 50_000_000)
    assert len(bomb) < 100_000
    http_server.route("/bomb", handler=lambda h: _send_raw_gzip(h, bomb))
    with pytest.raises(TooLargeError):
        client.get(http_server.url("/bomb"), max_bytes=1_000_000)


def _send_raw_gzip(handler, data: bytes) -> None:
    handler.send_response(200)
    handler.send_header("Content-Encoding", "gzip")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def test_trickling_server_hits_the_deadline(http_server: TestHttpServer) -> None:
    http_server.route("/slow", body=b"x" * 1000, trickle_interval=0.2)
    client = HttpClient(read_timeout=5, deadline=1.0)
    started = time.monotonic()
    with pytest.raises(DeadlineError):
        client.get(http_server.url("/slow"))
    assert time.monotonic() - started < 3


def test_stream_with_range_and_dropped_connection(
    http_server: TestHttpServer, client: HttpClient
) -> None:
    body = bytes(range(256)) * 100
    http_server.route("/audio", body=body, etag='"e"')
    with client.stream(http_server.url("/audio"), headers={"Range": "bytes=1000-"}) as response:
        assert response.status == 206
        assert response.headers["Content-Range"] == f"bytes 1000-{len(body) - 1}/{len(body)}"
        assert b"".join(response.chunks()) == body[1000:]
    http_server.route("/drop", body=body, drop_after=5000)
    with pytest.raises(HttpError), client.stream(http_server.url("/drop")) as response:
        b"".join(response.chunks())


def test_connection_refused_is_a_sentence(client: HttpClient) -> None:
    with pytest.raises(HttpError, match=r"Could not connect to 127\.0\.0\.1") as caught:
        client.get("http://127.0.0.1:9/feed")
    assert caught.value.transient
    assert "(connection refused)" in str(caught.value)
    assert "Errno" not in str(caught.value)


def test_unknown_host_is_a_sentence(client: HttpClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # no DNS query leaves the machine
    with pytest.raises(HttpError, match=r"^Could not find the server no-such-host\.invalid\. "):
        client.get("http://no-such-host.invalid/feed.xml")


def test_headers_trickling_in_still_hit_the_deadline(http_server: TestHttpServer) -> None:
    http_server.route("/slowloris", handler=trickle_headers)
    client = HttpClient(connect_timeout=2, read_timeout=2, deadline=1.5)
    started = time.monotonic()
    with pytest.raises(DeadlineError, match="answering too slowly"):
        client.get(http_server.url("/slowloris"))
    assert time.monotonic() - started < 2.5


REMOTE_NAMES = ("podcasts.example", "rebind.example")


@pytest.fixture
def remote_name(monkeypatch: pytest.MonkeyPatch) -> str:
    """Made-up remote host names that resolve to the test server's 127.0.0.1 (no DNS asked)."""
    real = socket.getaddrinfo

    def resolve(host: object, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host in REMOTE_NAMES else host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return REMOTE_NAMES[0]


@pytest.mark.parametrize(
    "local_host",
    [
        "127.0.0.1",
        "localhost",
        "LOCALHOST.",
        "127.0.0.2",
        "0.0.0.0",
        "127.1",
        "2130706433",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "admin.localhost",
        "rebind.example",  # a remote name whose address is this computer
    ],
)
def test_a_remote_host_may_not_redirect_to_this_computer(
    http_server: TestHttpServer, client: HttpClient, remote_name: str, local_host: str
) -> None:
    port = urlsplit(http_server.base_url).port
    http_server.route("/feed", status=302, location=f"http://{local_host}:{port}/admin")
    http_server.route("/admin", body=b"router admin page")
    remote_url = http_server.url("/feed").replace("127.0.0.1", remote_name)
    with pytest.raises(HttpError, match="redirected to this computer") as caught:
        client.get(remote_url)
    assert not caught.value.transient
    assert http_server.requests_for("/admin") == []
    assert len(http_server.requests_for("/feed")) == 1  # the remote host was asked, nothing else


def test_this_computer_may_redirect_to_itself(
    http_server: TestHttpServer, client: HttpClient
) -> None:
    http_server.route(
        "/feed",
        status=302,
        location=f"http://localhost:{urlsplit(http_server.base_url).port}/real",
    )
    http_server.route("/real", body=b"ok")
    assert client.get(http_server.url("/feed")).body == b"ok"


TLS_DIR = Path(__file__).resolve().parents[1] / "data" / "tls"


@pytest.fixture
def tls_server() -> Iterator[TestHttpServer]:
    """The test server behind TLS with a self-signed certificate for 127.0.0.1 (not trusted)."""
    server = TestHttpServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS_DIR / "localhost-cert.pem", TLS_DIR / "localhost-key.pem")
    server._server.socket = context.wrap_socket(server._server.socket, server_side=True)
    server.start()
    yield server
    server.stop()


def test_an_untrusted_certificate_is_refused_without_falling_back(
    tls_server: TestHttpServer, client: HttpClient
) -> None:
    tls_server.route("/feed", body=b"<rss/>")
    secure_url = tls_server.url("/feed").replace("http://", "https://")
    with pytest.raises(HttpError, match="could not be verified") as caught:
        client.get(secure_url)
    message = str(caught.value)
    assert "did not fall back to an insecure one" in message and message.endswith(".")
    assert tls_server.requests == []  # no request was ever sent, over TLS or in the clear


def test_https_to_a_server_that_does_not_speak_tls_is_an_error(
    http_server: TestHttpServer, client: HttpClient
) -> None:
    http_server.route("/feed", body=b"<rss/>")
    with pytest.raises(HttpError) as caught:
        client.get(http_server.url("/feed").replace("http://", "https://"))
    assert str(caught.value).endswith(".") and "127.0.0.1" in str(caught.value)
    assert http_server.requests == []


def test_a_remote_host_may_redirect_within_itself(
    http_server: TestHttpServer, client: HttpClient, remote_name: str
) -> None:
    http_server.route("/old", status=301, location="/new")
    http_server.route("/new", body=b"moved")
    response = client.get(http_server.url("/old").replace("127.0.0.1", remote_name))
    assert response.body == b"moved"
