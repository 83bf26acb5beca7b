"""The Chapters tab, seek-bar ticks, player-bar chapter controls and skipping, in the window."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from podplayer.core.chapters.reading import ChapterSource
from podplayer.core.models import ChapterRef
from podplayer.engine.base import PlaybackState
from podplayer.gui.image_decoding import decoded_image
from podplayer.gui.views.chapters_pane import LINK_COLUMN, PLAY_COLUMN, TITLE_COLUMN
from tests.core.chapters.tagged_audio import mp3_with_chapters
from tests.gui.conftest import WindowRig
from tests.http_server import TestHttpServer

ROOT = Path(__file__).resolve().parents[2]
PNG = (ROOT / "resources/demo/artwork.png").read_bytes()
CHAPTERS = [
    ("c1", 0, 20_000, "Cold open"),
    ("c2", 20_000, 40_000, "Sponsor: Acme"),
    ("c3", 40_000, 90_000, "Interview"),
    ("c4", 90_000, 120_000, "Outro"),
]


def serve_chaptered_episode(
    rig: WindowRig, server: TestHttpServer, tmp_path: Path, *, url: str, image: bytes = PNG
) -> int:
    """The first episode streams an MP3 whose tag has chapters (with a link and a picture)."""
    audio = mp3_with_chapters(tmp_path / "ep.mp3", CHAPTERS, url=url, image=image)
    server.route("/ep.mp3", body=audio.read_bytes(), content_type="audio/mpeg")
    library = rig.services.library
    episode = library.episodes.get(rig.episode_ids[0])
    assert episode is not None
    episode.enclosure_url = server.url("/ep.mp3")
    library.episodes.update(episode)
    rig.engine.set_duration(episode.enclosure_url, 120_000)
    return rig.episode_ids[0]


def test_chapters_are_listed_followed_and_clicked(
    window_rig: WindowRig, http_server: TestHttpServer, tmp_path: Path, qtbot: QtBot
) -> None:
    window, controller = window_rig.window, window_rig.services.controller
    episode_id = serve_chaptered_episode(
        window_rig, http_server, tmp_path, url="https://example.com/sponsor"
    )
    window.player.play_episode(episode_id, 0)
    pane, bar = window.chapters, window.player_bar
    assert controller.chapters().source is ChapterSource.EMBEDDED
    assert pane.summary.text() == "4 chapters, from the audio file."
    assert pane.tree.topLevelItemCount() == 4
    first = pane.tree.topLevelItem(0)
    assert first is not None and first.text(TITLE_COLUMN) == "Cold open"
    assert (first.text(2), first.text(3)) == ("0:00", "0:20")
    assert not first.icon(TITLE_COLUMN).isNull(), "the embedded picture is shown"
    assert bar.seek_bar.chapter_marks() == (20_000, 40_000, 90_000)
    assert bar.chapter.text() == "Cold open" and bar.next_chapter_button.isVisible()
    window_rig.run(21_000)
    assert pane.current() == 1 and bar.chapter.text() == "Sponsor: Acme"
    third = pane.tree.topLevelItem(2)
    assert third is not None
    rect = pane.tree.visualItemRect(third)
    qtbot.mouseClick(pane.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert controller.position_ms() == 40_000 and pane.current() == 2
    with qtbot.waitSignal(pane.link_requested) as opened:
        link = QPoint(pane.tree.header().sectionPosition(LINK_COLUMN) + 5, rect.center().y())
        qtbot.mouseClick(pane.tree.viewport(), Qt.MouseButton.LeftButton, pos=link)
    assert opened.args == ["https://example.com/sponsor"]
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert controller.position_ms() == 90_000
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert controller.position_ms() == 40_000
    ranges = [request.headers["Range"] for request in http_server.requests_for("/ep.mp3")]
    assert ranges[0] == "bytes=0-65535" and len(ranges) <= 2, "the tag alone is fetched"


def test_a_javascript_link_is_never_offered(
    window_rig: WindowRig, http_server: TestHttpServer, tmp_path: Path, qtbot: QtBot
) -> None:
    episode_id = serve_chaptered_episode(
        window_rig, http_server, tmp_path, url="javascript:alert(1)"
    )
    window_rig.window.player.play_episode(episode_id, 0)
    pane = window_rig.window.chapters
    first = pane.tree.topLevelItem(0)
    assert first is not None and first.text(LINK_COLUMN) == ""
    assert "not http(s) addresses left out" in pane.problems.text()
    with qtbot.assertNotEmitted(pane.link_requested):
        rect = pane.tree.visualItemRect(first)
        link = QPoint(pane.tree.header().sectionPosition(LINK_COLUMN) + 5, rect.center().y())
        qtbot.mouseClick(pane.tree.viewport(), Qt.MouseButton.LeftButton, pos=link)


def test_unticking_a_chapter_skips_it_with_an_undo_and_is_remembered(
    window_rig: WindowRig, http_server: TestHttpServer, tmp_path: Path
) -> None:
    window, controller = window_rig.window, window_rig.services.controller
    episode_id = serve_chaptered_episode(window_rig, http_server, tmp_path, url="https://x.org/")
    window.player.play_episode(episode_id, 0)
    sponsor = window.chapters.tree.topLevelItem(1)
    assert sponsor is not None
    sponsor.setCheckState(PLAY_COLUMN, Qt.CheckState.Unchecked)
    assert controller.skipped_chapters() == {1}
    window_rig.run(21_000)
    assert controller.position_ms() >= 40_000, "Sponsor was skipped"
    assert window.player_bar.skip_notice.isVisibleTo(window)
    assert "Sponsor: Acme" in window.player_bar.skip_notice.toolTip()
    window.player_bar.undo_button.click()
    assert 19_800 <= controller.position_ms() < 20_000
    window_rig.run(2_000)
    assert 21_000 <= controller.position_ms() < 23_000, "after Undo, Sponsor plays"
    window.player.play_episode(window_rig.episode_ids[1], 0)
    window.player.play_episode(episode_id, 0)
    again = window.chapters.tree.topLevelItem(1)
    assert again is not None and again.checkState(PLAY_COLUMN) == Qt.CheckState.Unchecked
    assert controller.skipped_chapters() == {1}


def test_podcast_rules_skip_matching_chapters(
    window_rig: WindowRig, http_server: TestHttpServer, tmp_path: Path
) -> None:
    window, controller = window_rig.window, window_rig.services.controller
    episode_id = serve_chaptered_episode(window_rig, http_server, tmp_path, url="https://x.org/")
    window.player.play_episode(episode_id, 0)
    window.chapter_session.set_rules(window_rig.podcast_ids[0], "sponsor, OUTRO")
    assert controller.skipped_chapters() == {1, 3}
    assert "“sponsor”, “OUTRO”" in window.chapters.rules_label.text()
    outro = window.chapters.tree.topLevelItem(3)
    assert outro is not None
    outro.setCheckState(PLAY_COLUMN, Qt.CheckState.Checked)  # this episode: play it anyway
    assert controller.skipped_chapters() == {1}
    assert controller.state() is PlaybackState.PLAYING


def huge_png(width: int, height: int) -> bytes:
    """A PNG header that claims a picture of width x height (its data is a few bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0"))


def test_a_100_megapixel_picture_is_left_out(
    window_rig: WindowRig, http_server: TestHttpServer, tmp_path: Path
) -> None:
    bomb = huge_png(10_000, 10_000)
    assert decoded_image(bomb, 80) is None
    episode_id = serve_chaptered_episode(
        window_rig, http_server, tmp_path, url="https://x.org/", image=bomb
    )
    window_rig.window.player.play_episode(episode_id, 0)
    first = window_rig.window.chapters.tree.topLevelItem(0)
    assert first is not None and first.icon(TITLE_COLUMN).isNull()
    assert first.text(TITLE_COLUMN) == "Cold open"


def test_chapters_past_the_measured_end_leave_the_list(
    window_rig: WindowRig, http_server: TestHttpServer, tmp_path: Path
) -> None:
    window, controller = window_rig.window, window_rig.services.controller
    episode_id = serve_chaptered_episode(window_rig, http_server, tmp_path, url="https://x.org/")
    window_rig.engine.set_duration(http_server.url("/ep.mp3"), 60_000)  # the feed said 120 s
    window.player.play_episode(episode_id, 0)
    window_rig.run(200)
    assert [c.title for c in controller.chapters().listed] == [
        "Cold open",
        "Sponsor: Acme",
        "Interview",
    ]
    assert window.chapters.tree.topLevelItemCount() == 3
    assert "after the end of the episode" in window.chapters.problems.text()


def test_f6_reaches_the_chapter_list_when_its_tab_is_shown(
    window_rig: WindowRig, http_server: TestHttpServer, tmp_path: Path, qtbot: QtBot
) -> None:
    window = window_rig.window
    episode_id = serve_chaptered_episode(window_rig, http_server, tmp_path, url="https://x.org/")
    window.player.play_episode(episode_id, 0)
    window.right_tabs.setCurrentWidget(window.chapters)
    window.notes.setFocus()
    qtbot.waitUntil(lambda: window.notes.isAncestorOf(QApplication.focusWidget() or window))
    assert window.focus_areas.move(+1) is window.chapters.tree


def test_the_playing_chapter_picture_replaces_the_artwork_silent_markers_too(
    window_rig: WindowRig, http_server: TestHttpServer, tmp_path: Path
) -> None:
    red, blue = solid_png("#c00000", tmp_path), solid_png("#0000c0", tmp_path)
    window, bar = window_rig.window, window_rig.window.player_bar
    library = window_rig.services.library
    episode = library.episodes.get(window_rig.episode_ids[0])
    assert episode is not None
    http_server.route(
        "/c.json",
        body=json.dumps(
            {
                "chapters": [
                    {"startTime": 0, "title": "Plain"},
                    {"startTime": 10, "title": "Red", "img": http_server.url("/red.png")},
                    {"startTime": 20, "toc": False, "img": http_server.url("/blue.png")},
                    {"startTime": 30, "title": "After"},
                ]
            }
        ).encode(),
    )
    http_server.route("/red.png", body=red, content_type="image/png")
    http_server.route("/blue.png", body=blue, content_type="image/png")
    episode.chapters = [ChapterRef(http_server.url("/c.json"), "application/json+chapters")]
    library.episodes.update(episode)
    library.podcasts.set_allow_remote_images(episode.podcast_id, True)
    window.player.play_episode(window_rig.episode_ids[0], 0)
    assert [c.title for c in window_rig.services.controller.chapters().listed] == [
        "Plain",
        "Red",
        "After",
    ]

    def shown_colour() -> str:
        pixmap = bar.artwork.pixmap()
        return pixmap.toImage().pixelColor(28, 28).name() if not pixmap.isNull() else ""

    artwork = shown_colour()
    window_rig.run(11_000)
    assert shown_colour() == "#c00000"
    window_rig.run(10_000)
    assert shown_colour() == "#0000c0", "a silent marker's picture shows from its time"
    assert bar.chapter.text() == "Red", "but it is no chapter of its own"
    window_rig.run(10_000)
    assert shown_colour() == artwork


def solid_png(colour: str, folder: Path) -> bytes:
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    path = folder / f"{colour[1:]}.png"
    assert image.save(str(path))
    return path.read_bytes()


def test_a_selected_episode_chapters_file_is_fetched_before_it_plays(
    window_rig: WindowRig, http_server: TestHttpServer
) -> None:
    window, library = window_rig.window, window_rig.services.library
    http_server.route("/c.json", body=b'{"chapters": [{"startTime": 0, "title": "Only"}]}')
    episode = library.episodes.get(window_rig.episode_ids[1])
    assert episode is not None and episode.id is not None
    episode.chapters = [ChapterRef(http_server.url("/c.json"), "application/json+chapters")]
    library.episodes.update(episode)
    window.episodes.set_podcast(episode.podcast_id)
    window.episodes.select_episode(episode.id)
    assert len(http_server.requests_for("/c.json")) == 1
    window.player.play_episode(episode.id, 0)
    assert [c.title for c in window_rig.services.controller.chapters().listed] == ["Only"]
    assert len(http_server.requests_for("/c.json")) == 1, "playback used the fetched file"
