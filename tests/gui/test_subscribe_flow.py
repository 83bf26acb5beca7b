"""Subscribing and refreshing through the window, against a feed served on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

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
    show = next(p for p in window.podcast_model.podcasts() if p.title == "Loopback Show")
    assert show.id is not None
    cached = window.artwork.cached_file(show.id, show.image_url)
    qtbot.waitUntil(cached.is_file)  # the list paints the row, which asks for the artwork
    assert cached.read_bytes().startswith(b"\x89PNG")
    fetches = len(http_server.requests_for("/art.png"))  # the preview's and the list's
    window.podcast_model.reload()
    window.podcast_model.index(window.podcast_model.row_of(show.id), 0).data(
        Qt.ItemDataRole.DecorationRole
    )
    assert len(http_server.requests_for("/art.png")) == fetches == 2


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


def test_opml_export_then_import(
    window_rig: WindowRig, http_server: TestHttpServer, tmp_path: Path
) -> None:
    window = window_rig.window
    exported = tmp_path / "mine.opml"
    window.subscriptions.export_opml_file(exported)
    assert window.statusBar().currentMessage() == f"Exported 2 podcasts to {exported}."
    assert b"http://127.0.0.1/0.xml" in exported.read_bytes()

    http_server.route("/feed.xml", body=feed_body(http_server, "Imported Show", 2))
    listing = tmp_path / "new.opml"
    listing.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        f'<outline type="rss" text="Imported" xmlUrl="{http_server.url("/feed.xml")}"/>'
        '<outline type="rss" text="Again" xmlUrl="http://127.0.0.1/0.xml"/>'
        "</body></opml>"
    )
    window.subscriptions.import_opml_file(listing)
    titles = [p.title for p in window.podcast_model.podcasts()]
    assert "Imported Show" in titles  # imported, then refreshed: the feed's own title
    assert len(titles) == 3
    imported = next(p for p in window.podcast_model.podcasts() if p.title == "Imported Show")
    window.podcasts.select_podcast(imported.id)
    assert window.episode_model.rowCount() == 2


def test_unreadable_opml_is_a_sentence(window_rig: WindowRig, tmp_path: Path) -> None:
    broken = tmp_path / "broken.opml"
    broken.write_bytes(b"this is not OPML <<<")
    window_rig.window.subscriptions.import_opml_file(broken)
    message = window_rig.window.banner.text()
    assert message.startswith("Nothing was imported from broken.opml.")
    assert message.endswith(".")
    assert len(window_rig.window.podcast_model.podcasts()) == 2


def test_show_notes_images_load_only_after_opt_in(
    window_rig: WindowRig, http_server: TestHttpServer
) -> None:
    http_server.route("/pixel.png", body=ARTWORK_PNG, content_type="image/png")
    library = window_rig.services.library
    episode = library.episodes.get(window_rig.episode_ids[0])
    assert episode is not None
    episode.notes_html = f'<p>Look: <img src="{http_server.url("/pixel.png")}"></p>'
    library.episodes.update(episode)
    notes = window_rig.window.notes
    window_rig.window.episodes.select_episode(window_rig.episode_ids[0])
    assert notes.images_button.isVisible()
    assert http_server.requests_for("/pixel.png") == []
    notes.images_button.click()
    assert library.podcasts.get(episode.podcast_id).allow_remote_images  # type: ignore[union-attr]
    assert len(http_server.requests_for("/pixel.png")) == 1
    assert not notes.images_button.isVisible()
    assert http_server.url("/pixel.png") in notes.browser.images


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
