"""Hostile show notes in the real view: nothing runs, nothing is fetched without consent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from pytestqt.qtbot import QtBot

from podplayer.background import BackgroundWork
from podplayer.core.http import HttpClient
from podplayer.core.models import Episode, Podcast
from podplayer.core.resource_fetch import ResourceFetcher
from podplayer.gui.views.show_notes_view import ShowNotesView
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
