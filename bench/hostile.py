"""What hostile inputs cost: seconds until podplayer gives up, and GUI-thread time for images.

Prints figures only (the tests in tests/ assert the outcomes). Everything runs on 127.0.0.1.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.hostile
"""

from __future__ import annotations

import gzip
import time
from http.server import BaseHTTPRequestHandler

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QGuiApplication, QImage

from podplayer.core.feeds.parse import FeedParseError, parse_feed
from podplayer.core.http import HttpClient, HttpError
from podplayer.gui.image_decoding import decoded_image
from tests.http_server import TestHttpServer, trickle_headers

DEADLINE_S = 2.0


GZIP_BOMB = gzip.compress(b"\0" * 200_000_000)  # 200 MB of zeros in about 200 KB


def gzip_bomb(handler: BaseHTTPRequestHandler) -> None:
    data = GZIP_BOMB
    handler.send_response(200)
    handler.send_header("Content-Encoding", "gzip")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def seconds_until_refused(client: HttpClient, url: str) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        client.get(url)
    except HttpError as exc:
        return time.perf_counter() - started, type(exc).__name__
    return time.perf_counter() - started, "accepted"


def seconds_to_parse(body: bytes) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        feed = parse_feed(body, "https://example.com/feed")
    except FeedParseError as exc:
        return time.perf_counter() - started, f"refused: {exc}"
    return time.perf_counter() - started, f"{len(feed.episodes)} episode(s)"


def png(side: int) -> bytes:
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return bytes(data.data())


def main() -> None:
    server = TestHttpServer().start()
    server.route("/slowloris", handler=trickle_headers)
    server.route("/bomb", handler=gzip_bomb)
    client = HttpClient(deadline=DEADLINE_S)
    try:
        print(f"HTTP (deadline {DEADLINE_S:.0f} s, cap {client.max_bytes // 2**20} MB)")
        for name in ("slowloris", "bomb"):
            seconds, outcome = seconds_until_refused(client, server.url(f"/{name}"))
            print(f"  {name:<10} {seconds:6.2f} s  {outcome}")
    finally:
        client.close()
        server.stop()

    item = '<item><guid>g</guid><enclosure url="https://a/e.mp3" type="audio/mpeg"/></item>'
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10 if n else "lol"}">' for n in range(10))
    bombs = {
        "billion laughs": f"<!DOCTYPE rss [{laughs}]><rss><channel><title>&l9;</title>{item}",
        "author 64 KB": "<rss><channel><title>S</title><description>a<br>b</description>"
        f"<author>{'a' * 65536}@</author>{item}",
    }
    print("Parse")
    for name, text in bombs.items():
        seconds, outcome = seconds_to_parse(f"{text}</channel></rss>".encode())
        print(f"  {name:<15} {seconds * 1000:7.1f} ms  {outcome}")

    QGuiApplication([])
    print("Images (decode time on the calling thread)")
    for side in (2000, 5000, 7900):
        data = png(side)
        started = time.perf_counter()
        QImage.fromData(data)
        full = time.perf_counter() - started
        started = time.perf_counter()
        small = decoded_image(data, 480)
        worker = time.perf_counter() - started
        kept = f"{small.width()} px wide" if small is not None else "left out"
        print(
            f"  {side}x{side} PNG ({len(data) // 1024} KB): full decode {full * 1000:5.0f} ms,"
            f" decoded_image {worker * 1000:5.0f} ms ({kept})"
        )


if __name__ == "__main__":
    main()
