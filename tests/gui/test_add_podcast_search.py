"""Add podcast: words search two directories on 127.0.0.1, merged; choose, preview, subscribe."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from podplayer.core.directories.results import DirectoryResult
from podplayer.core.settings import PODCASTINDEX_SECRET
from podplayer.gui.models.directory_results_model import RESULT_ROLE, SUBSCRIBED_ROLE
from podplayer.gui.views.add_podcast_dialog import AddPodcastDialog
from tests.core.directories.directory_server import (
    ITUNES,
    SEARCH_PATHS,
    fyyd_body,
    fyyd_entry,
    itunes_body,
    itunes_entry,
    point_at,
    serve,
)
from tests.gui.conftest import WindowRig
from tests.gui.test_subscribe_flow import ARTWORK_PNG, feed_body
from tests.http_server import TestHttpServer


def serve_two_directories(server: TestHttpServer) -> None:
    feed = server.url("/loopback.xml")
    serve(
        server,
        "itunes",
        itunes_body(
            [
                itunes_entry("Loopback Show", feed, artwork=server.url("/art.png")),
                itunes_entry("Apple Only", server.url("/apple.xml"), artwork=""),
            ]
        ),
    )
    serve(
        server,
        "fyyd",
        fyyd_body(
            [
                fyyd_entry("Loopback Show", feed + "/", artwork=server.url("/fyyd-art.png")),
                fyyd_entry("fyyd Only", server.url("/fyyd.xml"), artwork=""),
            ]
        ),
    )
    server.route("/loopback.xml", body=feed_body(server, "Loopback Show", 4))
    server.route("/art.png", body=ARTWORK_PNG, content_type="image/png")


def rows(dialog: AddPodcastDialog) -> list[DirectoryResult]:
    return dialog.results_model.results()


def test_type_words_merge_choose_preview_subscribe(
    window_rig: WindowRig, http_server: TestHttpServer, qtbot: QtBot
) -> None:
    serve_two_directories(http_server)
    point_at(window_rig.services.settings, http_server, ("itunes", "fyyd"))
    window = window_rig.window
    dialog = window.subscriptions.open_add_dialog(window)
    qtbot.addWidget(dialog)
    assert http_server.requests == []  # nothing is sent before the user searches

    qtbot.keyClicks(dialog.url_field, "loopback")
    qtbot.waitUntil(lambda: len(rows(dialog)) == 3)  # after the typing pause
    assert len(http_server.requests_for(SEARCH_PATHS["itunes"])) == 1  # once, not per key
    qtbot.keyClick(dialog.url_field, Qt.Key.Key_Return)  # Enter now asks nothing again
    assert len(http_server.requests_for(SEARCH_PATHS["itunes"])) == 1
    assert "term=loopback" in http_server.requests_for(SEARCH_PATHS["itunes"])[0].path
    assert [r.title for r in rows(dialog)] == ["Loopback Show", "Apple Only", "fyyd Only"]
    assert rows(dialog)[0].sources == ("iTunes", "fyyd")
    assert dialog.status.text() == (
        "3 podcasts from iTunes and fyyd. Choose one to see its episodes."
    )
    first = dialog.results_model.index(0)
    assert "Loopback Show\nApple Artist · 120 episodes · latest" in first.data()
    assert first.data().endswith("iTunes, fyyd")
    qtbot.waitUntil(lambda: len(http_server.requests_for("/art.png")) == 1)  # off the GUI thread
    assert not dialog.notes.isVisible()

    qtbot.keyClick(dialog.url_field, Qt.Key.Key_Down)
    assert dialog.results.currentIndex().row() == 0
    dialog.results.activated.emit(dialog.results.currentIndex())  # Enter on the row
    assert dialog.preview_title.text() == "Loopback Show"
    assert dialog.preview_latest.text().splitlines()[0] == "• Loopback Show episode 3"
    assert dialog.status.text() == "Found 4 episodes. Press Subscribe to add it."
    qtbot.keyClick(dialog.url_field, Qt.Key.Key_Return)  # Return now subscribes
    assert not dialog.isVisible()
    assert window.statusBar().currentMessage().startswith("Subscribed to Loopback Show")
    assert "Loopback Show" in [p.title for p in window.podcast_model.podcasts()]

    again = window.subscriptions.open_add_dialog(window)
    qtbot.addWidget(again)
    again.url_field.setText("loopback")
    again.look_up()
    marked = [again.results_model.index(row).data(SUBSCRIBED_ROLE) for row in range(3)]
    assert marked == [True, False, False]
    assert "✓ subscribed" in again.results_model.index(0).data()


def test_a_failing_directory_is_a_note_and_the_other_still_shows(
    window_rig: WindowRig, http_server: TestHttpServer, qtbot: QtBot
) -> None:
    serve_two_directories(http_server)
    http_server.route(SEARCH_PATHS["fyyd"], body=b"<html>down</html>", content_type="text/html")
    point_at(window_rig.services.settings, http_server, ("itunes", "fyyd", "podcastindex"))
    window_rig.services.settings.unset(PODCASTINDEX_SECRET)
    dialog = window_rig.window.subscriptions.open_add_dialog(window_rig.window)
    qtbot.addWidget(dialog)
    dialog.url_field.setText("loopback")
    dialog.look_up()
    assert [r.title for r in rows(dialog)] == ["Loopback Show", "Apple Only"]
    assert dialog.status.text() == "2 podcasts from iTunes. Choose one to see its episodes."
    assert dialog.notes.isVisibleTo(dialog)
    assert dialog.notes.text().splitlines() == [
        "Podcast Index is searched once you enter your API key and secret "
        "(Settings > Preferences > Directories).",
        "fyyd sent a web page instead of search results.",
    ]


def test_an_apple_link_is_resolved_then_previewed(
    window_rig: WindowRig, http_server: TestHttpServer, qtbot: QtBot
) -> None:
    serve_two_directories(http_server)
    http_server.route(
        f"{ITUNES}/lookup",
        body=itunes_body(
            [itunes_entry("Loopback Show", http_server.url("/loopback.xml"), artwork="")]
        ),
        content_type="application/json",
    )
    point_at(window_rig.services.settings, http_server, ("itunes", "fyyd"))
    dialog = window_rig.window.subscriptions.open_add_dialog(window_rig.window)
    qtbot.addWidget(dialog)
    dialog.url_field.insert("https://podcasts.apple.com/us/podcast/loopback/id42")  # pasted
    qtbot.waitUntil(lambda: dialog.preview_title.text() == "Loopback Show")  # no Enter needed
    assert dialog.subscribe_button.isEnabled()
    assert http_server.requests_for(SEARCH_PATHS["itunes"]) == []  # a link is not a search

    dialog.url_field.clear()
    qtbot.keyClicks(dialog.url_field, "https://podcasts.apple.com/us/podcast/loopback/id4")
    qtbot.wait(600)  # typed, not pasted: nothing is fetched until Enter
    assert len(http_server.requests_for(f"{ITUNES}/lookup")) == 1
    assert dialog.status.text() == "Press Enter to fetch this address."
    qtbot.keyClick(dialog.url_field, Qt.Key.Key_2)
    qtbot.keyClick(dialog.url_field, Qt.Key.Key_Return)
    assert "id=42" in http_server.requests_for(f"{ITUNES}/lookup")[1].path


def test_the_empty_field_offers_apples_top_podcasts(
    window_rig: WindowRig, http_server: TestHttpServer, qtbot: QtBot
) -> None:
    serve_two_directories(http_server)
    http_server.route(
        f"{ITUNES}/us/rss/toppodcasts/limit=25/json",
        body=b'{"feed": {"entry": [{"id": {"attributes": {"im:id": "1000"}}}]}}',
        content_type="application/json",
    )
    http_server.route(
        f"{ITUNES}/lookup",
        body=itunes_body([itunes_entry("Chart Topper", http_server.url("/top.xml"), artwork="")]),
        content_type="application/json",
    )
    point_at(window_rig.services.settings, http_server, ("itunes",))
    window_rig.services.directories._country = lambda: "us"
    dialog = window_rig.window.subscriptions.open_add_dialog(window_rig.window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.top_button.isVisible()
    assert http_server.requests == []
    dialog.top_button.click()
    assert [r.title for r in rows(dialog)] == ["Chart Topper"]
    assert dialog.status.text().startswith("Top podcasts on Apple Podcasts.")
    qtbot.keyClicks(dialog.url_field, "x")
    dialog.url_field.clear()
    dialog.url_field.textEdited.emit("")
    assert [r.title for r in rows(dialog)] == ["Chart Topper"]  # kept, not fetched again
    assert len(http_server.requests_for(f"{ITUNES}/lookup")) == 1
    assert isinstance(dialog.results_model.index(0).data(RESULT_ROLE), DirectoryResult)
