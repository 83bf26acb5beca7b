"""Hostile show notes in the real view: nothing runs, nothing is fetched without consent."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from pytestqt.qtbot import QtBot

from podplayer.background import BackgroundWork
from podplayer.core.http import HttpClient
from podplayer.core.models import Episode, Podcast
from podplayer.core.resource_fetch import ResourceFetcher
from podplayer.gui.image_decoding import decoded_image
from podplayer.gui.views.show_notes_view import ShowNotesView
from tests.gui.png_images import claiming_size, png_bytes
from tests.gui.test_subscribe_flow import ARTWORK_PNG
from tests.http_server import TestHttpServer

IMAGE = QTextDocument.ResourceType.ImageResource.value


def hostile_notes(server: TestHttpServer) -> str:
    return (
        '<p onclick="steal()">Hello <script>fetch("{x}")</script><b>world</b></p>'
        '<iframe src="{iframe}"></iframe><svg onload="x()"><image href="{svg}"/></svg>'
        '<meta http-equiv="refresh" content="0;url={meta}">'
        '<link rel="stylesheet" href="{css}">'
        '<style>@import "{css}"; p{{background:url({bg})}}</style>'
        '<object data="{object}"></object><embed src="{object}">'
        '<table background="{bg}"><tr><td>cell</td></tr></table>'
        '<img src="{pixel}"> <img src="file:///etc/hostname">'
        '<img src="data:image/png;base64,AAAA">'
        '<a href="javascript:alert(1)">js</a> <a href="file:///etc/passwd">file</a>'
        '<a href="smb://host/share">smb</a> <a href="https://example.org/ok">web</a>'
    ).format(
        x=server.url("/script"),
        iframe=server.url("/iframe"),
        svg=server.url("/svg.png"),
        meta=server.url("/meta"),
        css=server.url("/style.css"),
        bg=server.url("/bg.png"),
        object=server.url("/object.swf"),
        pixel=server.url("/pixel.png"),
    )


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[ShowNotesView]:
    client = HttpClient(connect_timeout=2, read_timeout=2, deadline=5)
    fetcher = ResourceFetcher(client, [])
    made = ShowNotesView(BackgroundWork(synchronous=True), fetcher.get_bytes)
    qtbot.addWidget(made)
    made.show()
    yield made
    client.close()


def show(view: ShowNotesView, server: TestHttpServer, allow_images: bool) -> None:
    podcast = Podcast(url=server.url("/feed.xml"), title="Show", allow_remote_images=allow_images)
    podcast.id = 1
    episode = Episode(podcast_id=1, guid="g", title="Ep", notes_html=hostile_notes(server))
    view.show_episode(episode, podcast)


def test_hostile_notes_fetch_nothing_and_keep_the_text(
    view: ShowNotesView, http_server: TestHttpServer, qtbot: QtBot
) -> None:
    http_server.route("/pixel.png", body=ARTWORK_PNG, content_type="image/png")
    show(view, http_server, allow_images=False)
    qtbot.wait(300)
    view.browser.repaint()
    assert http_server.requests == []
    text = view.browser.toPlainText()
    assert "Hello" in text and "world" in text and "cell" in text
    assert "fetch(" not in text and "steal" not in view.html()
    assert view.images_button.isVisible() and "images not loaded" in view.images_button.text()


def test_the_browser_loads_no_resource_by_itself(
    view: ShowNotesView, http_server: TestHttpServer
) -> None:
    browser = view.browser
    for url in (http_server.url("/pixel.png"), "file:///etc/hostname", "data:image/png,AA"):
        assert browser.loadResource(IMAGE, QUrl(url)) is None
    style = QTextDocument.ResourceType.StyleSheetResource.value
    browser.remote_images_allowed = True
    assert browser.loadResource(style, QUrl(http_server.url("/style.css"))) is None
    assert browser.loadResource(IMAGE, QUrl("file:///etc/hostname")) is None
    assert browser.loadResource(IMAGE, QUrl("/etc/hostname")) is None
    assert http_server.requests == []


def test_images_load_after_opt_in_and_nothing_else_does(
    view: ShowNotesView, http_server: TestHttpServer, qtbot: QtBot
) -> None:
    http_server.route("/pixel.png", body=ARTWORK_PNG, content_type="image/png")
    show(view, http_server, allow_images=True)
    qtbot.wait(300)
    assert [r.path for r in http_server.requests] == ["/pixel.png"]
    assert http_server.url("/pixel.png") in view.browser.images
    assert not view.images_button.isVisible()


@pytest.mark.parametrize(
    ("link", "opened"),
    [
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("smb://host/share", False),
        ("vbscript:msgbox", False),
        ("https://example.org/ok", True),
    ],
)
def test_only_web_links_are_opened(
    view: ShowNotesView, monkeypatch: pytest.MonkeyPatch, link: str, opened: bool
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: asked.append(url.toString()))
    messages: list[str] = []
    view.message.connect(messages.append)
    view.browser.anchorClicked.emit(QUrl(link))
    assert asked == ([link] if opened else [])
    assert bool(messages) is not opened
    if messages:
        assert messages[0].startswith("podplayer does not open") and messages[0].endswith(".")


def test_images_are_decoded_small_and_bombs_are_left_out(qtbot: QtBot) -> None:
    wide = decoded_image(png_bytes(1200, 600), 480)
    assert wide is not None and (wide.width(), wide.height()) == (480, 240)
    small = decoded_image(png_bytes(100, 50), 480)
    assert small is not None and small.width() == 100
    bomb = claiming_size(png_bytes(100, 100), 60_000, 60_000)
    assert decoded_image(bomb, 480) is None
    assert decoded_image(b"<html>not an image</html>", 480) is None
    assert decoded_image(b"", 480) is None


def test_a_big_image_is_decoded_off_the_gui_thread(
    qtbot: QtBot, http_server: TestHttpServer
) -> None:
    http_server.route("/big.png", body=png_bytes(5000, 5000), content_type="image/png")
    client = HttpClient(connect_timeout=2, read_timeout=2, deadline=5)
    background = BackgroundWork()
    view = ShowNotesView(background, ResourceFetcher(client, []).get_bytes)
    qtbot.addWidget(view)
    view.show()
    podcast = Podcast(url=http_server.url("/feed.xml"), title="Show", allow_remote_images=True)
    podcast.id = 1
    notes = f'<p>Art</p><img src="{http_server.url("/big.png")}">'
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    try:
        view.show_episode(Episode(podcast_id=1, guid="g", title="Ep", notes_html=notes), podcast)
        qtbot.waitUntil(lambda: bool(view.browser.images), timeout=15_000)
    finally:
        timer.stop()
        background.shutdown()
        client.close()
    [image] = view.browser.images.values()
    assert image.width() == 480
    longest_gap = max(later - earlier for earlier, later in itertools.pairwise(ticks))
    print(
        f"longest pause of the GUI thread while a 5000x5000 PNG loads: {longest_gap * 1e3:.0f} ms"
    )
    assert longest_gap < 0.15  # decoding it on the GUI thread took 200-300 ms


def test_deeply_nested_notes_show_at_once(view: ShowNotesView, http_server: TestHttpServer) -> None:
    nested = "<table><tr><td>" * 18 + "deep inside" + "</td></tr></table>" * 18
    nested += "<div>" * 5000 + "divs" + "</div>" * 5000
    podcast = Podcast(url=http_server.url("/feed.xml"), title="Show")
    podcast.id = 1
    started = time.monotonic()
    view.show_episode(Episode(podcast_id=1, guid="g", title="Ep", notes_html=nested), podcast)
    view.browser.repaint()
    elapsed = time.monotonic() - started
    assert "deep inside" in view.browser.toPlainText() and "divs" in view.browser.toPlainText()
    assert elapsed < 1.0, f"{elapsed:.1f} s on the GUI thread"  # 18 nested tables took ~3 s


def test_heavy_notes_are_sanitized_off_the_gui_thread(
    qtbot: QtBot, http_server: TestHttpServer
) -> None:
    background = BackgroundWork()
    view = ShowNotesView(background)
    qtbot.addWidget(view)
    view.show()
    podcast = Podcast(url=http_server.url("/feed.xml"), title="Show")
    podcast.id = 1
    heavy = "<div>" * 9000 + "nine thousand divs" + "</div>" * 9000
    assert len(heavy) < 100_000
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    try:
        qtbot.waitUntil(lambda: len(ticks) >= 2)
        view.show_episode(Episode(podcast_id=1, guid="g", title="Ep", notes_html=heavy), podcast)
        qtbot.waitUntil(lambda: "nine thousand divs" in view.browser.toPlainText(), timeout=15_000)
        qtbot.wait(50)
    finally:
        timer.stop()
        background.shutdown()
    longest_gap = max(later - earlier for earlier, later in itertools.pairwise(ticks))
    print(
        f"longest pause of the GUI thread while 9,000 nested divs show: {longest_gap * 1e3:.0f} ms"
    )
    assert longest_gap < 0.15  # sanitizing them on the GUI thread took ~650 ms


def test_notes_of_an_episode_no_longer_selected_are_not_shown(
    qtbot: QtBot, http_server: TestHttpServer
) -> None:
    background = BackgroundWork()
    view = ShowNotesView(background)
    qtbot.addWidget(view)
    podcast = Podcast(url=http_server.url("/feed.xml"), title="Show")
    podcast.id = 1
    heavy = "<div>" * 9000 + "first episode" + "</div>" * 9000
    try:
        view.show_episode(Episode(podcast_id=1, guid="a", title="A", notes_html=heavy), podcast)
        view.show_episode(Episode(podcast_id=1, guid="b", title="B", notes_html="second"), podcast)
        qtbot.waitUntil(lambda: "second" in view.browser.toPlainText(), timeout=15_000)
        qtbot.waitUntil(lambda: not background.busy, timeout=15_000)
        qtbot.wait(50)
    finally:
        background.shutdown()
    assert view.browser.toPlainText().strip() == "second"
    assert view.heading.text() == "B"
