"""Serves generated feeds on 127.0.0.1 from its own process (so it never competes for our GIL).

``python -m bench.feed_server FEEDS ITEMS`` prints its base URL, then serves ``/feed/N.xml``
with ETag, Last-Modified and 304s. ``GET /revision/R`` regenerates every feed as revision R (all
titles change: a full re-parse for clients). It stops when its standard input closes.
"""

from __future__ import annotations

import sys
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.generated_feeds import feed_xml


class _FeedHandler(BaseHTTPRequestHandler):
    server: _FeedServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        owner = self.server
        if self.path.startswith("/revision/"):
            owner.set_revision(int(self.path.rsplit("/", 1)[1]))
            self._reply(200, b"ok", {})
            return
        body = owner.bodies.get(self.path)
        if body is None:
            self._reply(404, b"not found", {})
            return
        validators = {"ETag": owner.etag, "Last-Modified": owner.last_modified}
        if self.headers.get("If-None-Match") == owner.etag or (
            self.headers.get("If-None-Match") is None
            and self.headers.get("If-Modified-Since") == owner.last_modified
        ):
            self._reply(304, b"", validators)
            return
        self._reply(200, body, {**validators, "Content-Type": "application/rss+xml"})

    def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)


class _FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, feeds: int, items: int) -> None:
        super().__init__(("127.0.0.1", 0), _FeedHandler)
        self.feeds = feeds
        self.items = items
        self.bodies: dict[str, bytes] = {}
        self.etag = ""
        self.last_modified = ""
        self.set_revision(0)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def set_revision(self, revision: int) -> None:
        self.bodies = {
            f"/feed/{number}.xml": feed_xml(number, self.items, self.base_url, revision)
            for number in range(self.feeds)
        }
        self.etag = f'"rev-{revision}"'
        self.last_modified = formatdate(1_700_000_000 + revision * 3600, usegmt=True)


def main() -> None:
    feeds, items = int(sys.argv[1]), int(sys.argv[2])
    server = _FeedServer(feeds, items)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    ).start()
    print(server.base_url, flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
