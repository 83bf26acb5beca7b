"""Hostile feeds refreshed from the window: the GUI thread keeps running and nothing is lost."""

from __future__ import annotations

import gzip
import itertools
import time
from http.server import BaseHTTPRequestHandler

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from podplayer.app import build_services
from podplayer.core.models import RefreshStatus
from podplayer.core.paths import AppPaths
from podplayer.engine.fake import FakeEngine
from podplayer.gui.views.main_window import MainWindow
from tests.core.feeds.test_service import feed_body as remote_feed_body
from tests.http_server import TestHttpServer

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE rss ['
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n else "lol"}">' for n in range(10))
    + "]><rss><channel><title>&lol9;</title></channel></rss>"
).encode()


def feed_body(title: str, guids: tuple[str, ...] = ("a", "b")) -> bytes:
    """A feed whose artwork address leads nowhere (the window may fetch artwork; no DNS asked)."""
    return remote_feed_body(title, guids).replace(
        b"https://img.example.com/", b"http://127.0.0.1:9/"
    )


AUTHOR_BOMB = feed_body("Author bomb").replace(
    b"<title>Author bomb</title>",
    b"<title>Author bomb</title><description>a<br>b</description><author>"
    + b"a" * 65536
    + b"@</author>",
)


def _gzip_bomb(handler: BaseHTTPRequestHandler) -> None:
    data = gzip.compress(b"\0" * 80_000_000)
    handler.send_response(200)
    handler.send_header("Content-Encoding", "gzip")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def test_refreshing_hostile_feeds_never_freezes_the_window(
    app_paths: AppPaths, qtbot: QtBot, http_server: TestHttpServer
) -> None:
    services = build_services(app_paths, FakeEngine())
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    names = ["laughs", "author", "bomb", "fine"]
    for name in names:
        http_server.route(f"/{name}.xml", body=feed_body(name))
        services.feeds.subscribe(http_server.url(f"/{name}.xml"))
    http_server.route("/laughs.xml", body=BILLION_LAUGHS)
    http_server.route("/author.xml", body=AUTHOR_BOMB)
    http_server.route("/bomb.xml", handler=_gzip_bomb)
    http_server.route("/fine.xml", body=feed_body("fine", ("a", "b", "c")))

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    try:
        with qtbot.waitSignal(window.subscriptions.refresh_finished, timeout=60_000) as finished:
            window.subscriptions.refresh_all()
    finally:
        timer.stop()
        results = {r.title: r for r in finished.args[0]} if finished.args else {}
        window.close()
        services.close()

    longest_gap = max(later - earlier for earlier, later in itertools.pairwise(ticks))
    print(f"longest pause of the GUI thread during the refresh: {longest_gap * 1000:.0f} ms")
    assert longest_gap < 0.5
    assert results["laughs"].status is RefreshStatus.FAILED
    assert "entities" in results["laughs"].message
    assert results["Author bomb"].status is RefreshStatus.OK
    assert results["bomb"].status is RefreshStatus.FAILED
    assert "larger than" in results["bomb"].message
    assert results["fine"].status is RefreshStatus.OK
    for failed in ("laughs", "bomb"):
        assert "episodes were kept" in results[failed].message
