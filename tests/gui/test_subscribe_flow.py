"""Subscribing and refreshing through the window, against a feed served on 127.0.0.1."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from podplayer.gui.models.episode_table_model import TITLE_COLUMN
from podplayer.gui.models.podcast_list_model import PROBLEM_ROLE
from tests.gui.conftest import WindowRig
from tests.gui.png_images import claiming_size
from tests.http_server import TestHttpServer

ARTWORK_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def feed_body(server: TestHttpServer, title: str, episodes: int) -> bytes:
    items = "".join(
        f"<item><guid>{title}-{n}</guid><title>{title} episode {n}</title>"
        f"<pubDate>Mon, 0{n + 1} Jan 2024 10:00:00 +0000</pubDate>"
        f'<enclosure url="{server.url(f"/audio/{n}.mp3")}" type="audio/mpeg" length="1000"/>'
        "</item>"
        for n in range(episodes)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
        f"<title>{title}</title><itunes:author>Loopback Radio</itunes:author>"
        f'<itunes:image href="{server.url("/art.png")}"/>{items}</channel></rss>'
    ).encode()


def test_subscribe_shows_preview_then_episodes(
    window_rig: WindowRig, http_server: TestHttpServer, qtbot: QtBot
) -> None:
    http_server.route("/feed.xml", body=feed_body(http_server, "Loopback Show", 4))
    http_server.route("/art.png", body=ARTWORK_PNG, content_type="image/png")
    window = window_rig.window
    dialog = window.subscriptions.open_add_dialog(window)
    qtbot.addWidget(dialog)
    assert not dialog.subscribe_button.isEnabled()
    qtbot.keyClicks(dialog.url_field, http_server.url("/feed.xml"))
    qtbot.keyClick(dialog.url_field, Qt.Key.Key_Return)
    assert dialog.preview_title.text() == "Loopback Show"
    assert "Loopback Radio" in dialog.preview_details.text()
    assert dialog.artwork.isVisibleTo(dialog)
    assert dialog.status.text() == "Found 4 episodes. Press Subscribe to add it."
    dialog.subscribe_button.click()
    assert not dialog.isVisible()
    assert window.statusBar().currentMessage().startswith("Subscribed to Loopback Show")
    titles = [window.podcast_model.index(row, 0).data() for row in range(4)]
    assert "Loopback Show" in titles
    window.podcasts.select_podcast(
        window.podcast_model.podcasts()[titles.index("Loopback Show") - 1].id
    )
    model = window.episode_model
    assert model.rowCount() == 4
    assert model.index(0, TITLE_COLUMN).data() == "Loopback Show episode 3"


def test_bad_address_is_a_sentence(
    window_rig: WindowRig, http_server: TestHttpServer, qtbot: QtBot
) -> None:
    http_server.route(
        "/page.html", body=b"<html><body>No feed here</body></html>", content_type="text/html"
    )
    dialog = window_rig.window.subscriptions.open_add_dialog(window_rig.window)
    qtbot.addWidget(dialog)
    dialog.url_field.setText(http_server.url("/page.html"))
    dialog.look_up_button.click()
    assert "links no podcast feed" in dialog.status.text()
    assert dialog.status.text().endswith(".")
    assert not dialog.subscribe_button.isEnabled()


def test_refresh_all_reports_each_feed(window_rig: WindowRig, http_server: TestHttpServer) -> None:
    http_server.route("/feed.xml", body=feed_body(http_server, "Loopback Show", 2))
    window = window_rig.window
    services = window_rig.services
    services.feeds.subscribe(http_server.url("/feed.xml"))
    http_server.route("/feed.xml", body=feed_body(http_server, "Loopback Show", 3))
    window.subscriptions.refresh_all()
    status = window.refresh_status
    assert "1 new episode in 1" in status.label.text()
    assert "2 failed" in status.label.text()  # the stock podcasts point at nothing
    assert status.details_button.isVisible()
    assert status.report.list.count() == 3
    problems = [
        window.podcast_model.index(row, 0).data(PROBLEM_ROLE)
        for row in range(1, window.podcast_model.rowCount())
    ]
    assert sum(bool(problem) for problem in problems) == 2


def test_artwork_claiming_a_huge_size_is_left_out(
    window_rig: WindowRig, http_server: TestHttpServer, qtbot: QtBot
) -> None:
    http_server.route("/feed.xml", body=feed_body(http_server, "Bomb Art", 1))
    bomb = claiming_size(ARTWORK_PNG, 60_000, 60_000)
    http_server.route("/art.png", body=bomb, content_type="image/png")
    window = window_rig.window
    dialog = window.subscriptions.open_add_dialog(window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.url_field, http_server.url("/feed.xml"))
    qtbot.keyClick(dialog.url_field, Qt.Key.Key_Return)
    assert dialog.preview_title.text() == "Bomb Art"
    assert not dialog.artwork.isVisibleTo(dialog)
    assert dialog.subscribe_button.isEnabled()
