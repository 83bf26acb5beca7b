"""One running podplayer per module, a screen-reader client on its accessibility bus, and a feed
on 127.0.0.1 (the demo episode's audio, transcript and chapters under another name)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.a11y.screen_reader import Desktop, RunningApp, ScreenReader, missing_tools
from tests.http_server import TestHttpServer

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>
<title>Loopback Tour</title>
<item><guid>tour-1</guid><title>The spoken tour</title>
<pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>
<enclosure url="{base}/tour.mp3" type="audio/mpeg" length="{length}"/>
<podcast:transcript url="{base}/tour.vtt" type="text/vtt"/>
<podcast:chapters url="{base}/tour.json" type="application/json+chapters"/></item>
</channel></rss>"""


@dataclass
class Session:
    app: RunningApp
    reader: ScreenReader
    feed_url: str


def wait_for_active(reader: ScreenReader, timeout_s: float) -> bool:
    """Whether the window became the active one (has the keyboard) within timeout_s."""
    try:
        reader.one(role="frame", name="podplayer", state="active", timeout_s=timeout_s)
    except AssertionError:
        return False
    return True


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    reason = missing_tools()
    if reason is not None:
        pytest.skip(reason)
    server = TestHttpServer().start()
    audio = (DEMO / "welcome.mp3").read_bytes()
    server.route("/tour.mp3", body=audio, content_type="audio/mpeg")
    server.route("/tour.vtt", body=(DEMO / "welcome.vtt").read_bytes(), content_type="text/vtt")
    server.route(
        "/tour.json", body=(DEMO / "chapters.json").read_bytes(), content_type="application/json"
    )
    feed = FEED.format(base=server.base_url, length=len(audio)).encode()
    server.route("/feed.xml", body=feed, content_type="application/rss+xml")
    home = tmp_path_factory.mktemp("screen reader home")
    desktop = Desktop(home)
    app = RunningApp(desktop, home / "data")
    reader = ScreenReader(desktop)
    try:
        # Started: the window is up and the first run has added the demo podcast.
        reader.one(role="list item", name_contains="podplayer demo", timeout_s=60)
        for attempt in range(3):
            app.focus_window()
            if wait_for_active(reader, 10 if attempt < 2 else 30):
                break
        else:
            raise AssertionError("the window never became active, so keys would go nowhere")
        yield Session(app, reader, server.url("/feed.xml"))
    finally:
        reader.close()
        output = app.close()
        desktop.close()
        server.stop()
        print(output)
