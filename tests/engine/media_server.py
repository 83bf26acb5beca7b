"""A real HTTP server on 127.0.0.1 for audio: Range or none (/whole/), a lying type, a stall."""

from __future__ import annotations

import mimetypes
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

STALL_AFTER_BYTES = 6_000
STALL_SECONDS = 15


class MediaServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, folder: Path) -> None:
        super().__init__(("127.0.0.1", 0), MediaHandler)
        self.folder = folder
        self.ranges: list[str] = []
        self.stop_event = threading.Event()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{name}"


class MediaHandler(BaseHTTPRequestHandler):
    server: MediaServer

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        stall = self.path.startswith("/stall/")
        no_ranges = stall or "/whole/" in self.path
        liar = "/liar/" in self.path  # a Content-Type that lies
        name = self.path.rsplit("/", 1)[-1]
        path = self.server.folder / name
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        start, end = 0, len(body) - 1
        header = self.headers.get("Range")
        if header and header.startswith("bytes=") and not no_ranges:
            self.server.ranges.append(header)
            first, _, last = header[6:].partition("-")
            start = int(first or 0)
            end = min(int(last), end) if last else end
            if start >= len(body):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(body)}")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(body)}")
        else:
            self.send_response(200)
        true_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        self.send_header("Content-Type", "audio/ogg" if liar else true_type)
        self.send_header("Accept-Ranges", "none" if no_ranges else "bytes")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        payload = body[start : end + 1]
        try:
            if stall:
                self.wfile.write(payload[:STALL_AFTER_BYTES])
                self.wfile.flush()
                self.server.stop_event.wait(STALL_SECONDS)
                return
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            return


def serve(folder: Path) -> Iterator[MediaServer]:
    server = MediaServer(folder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop_event.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        time.sleep(0)
