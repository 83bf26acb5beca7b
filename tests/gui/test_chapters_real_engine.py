"""The chapter flow through the window and the real VlcEngine, judged by ear: subscribe to a feed
on 127.0.0.1 whose item has Podlove chapters and streams an MP3 with its own chapters; the audio
file's win; untick one in the Chapters tab and it is not heard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from podplayer.app import build_services
from podplayer.core.chapters.reading import ChapterSource
from podplayer.core.paths import AppPaths
from podplayer.engine.base import PlaybackState
from podplayer.engine.vlc import VlcEngine
from podplayer.gui.views.chapters_pane import PLAY_COLUMN
from podplayer.gui.views.main_window import MainWindow
from tests.core.chapters.tagged_audio import mp3_with_chapters
from tests.http_server import TestHttpServer
from tests.playback.test_chapters_vlc import CHAPTERS, Ear

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:psc="http://podlove.org/simple-chapters"><channel>
<title>Chaptered Show</title>
<item><guid>ep-1</guid><title>Beeps with chapters</title>
<enclosure url="{base}/ep.mp3" type="audio/mpeg" length="{length}"/>
<psc:chapters version="1.2"><psc:chapter start="00:00:00" title="Podlove one"/>
<psc:chapter start="00:00:10" title="Podlove two"/></psc:chapters></item>
</channel></rss>"""


def test_a_chapter_unticked_in_the_tab_is_not_heard(
    app_paths: AppPaths, qtbot: QtBot, http_server: TestHttpServer, tmp_path: Path
) -> None:
    audio = mp3_with_chapters(tmp_path / "ep.mp3", CHAPTERS).read_bytes()
    http_server.route("/ep.mp3", body=audio, content_type="audio/mpeg")
    feed = FEED.format(base=http_server.base_url, length=len(audio)).encode()
    http_server.route("/feed.xml", body=feed, content_type="application/rss+xml")
    engine = VlcEngine(instance_args=["--aout=adummy"])
    assert engine.available, engine.unavailable_reason
    services = build_services(app_paths, engine, synchronous_work=True)
    services.library.settings.set("demo.offered", True)
    window = MainWindow(services)
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitExposed(window)
        services.feeds.subscribe(http_server.url("/feed.xml"))
        podcast = services.library.podcasts.find_by_url(http_server.url("/feed.xml"))
        assert podcast is not None and podcast.id is not None
        [episode] = services.library.episodes.list_for_podcast(podcast.id)
        assert [c.title for c in episode.podlove_chapters] == ["Podlove one", "Podlove two"]
        assert episode.id is not None
        ear = Ear(engine.media_player)
        controller = services.controller
        window.player.play_episode(episode.id, 2_000)
        pane = window.chapters
        assert controller.chapters().source is ChapterSource.EMBEDDED  # the file beats Podlove
        assert pane.summary.text() == "3 chapters, from the audio file."
        sponsor = pane.tree.topLevelItem(1)
        assert sponsor is not None and sponsor.text(1) == "Sponsor"
        sponsor.setCheckState(PLAY_COLUMN, Qt.CheckState.Unchecked)
        qtbot.waitUntil(lambda: controller.state() is PlaybackState.PLAYING, timeout=5_000)
        qtbot.waitUntil(lambda: {10, 11} <= ear.seconds(), timeout=12_000)
        heard = ear.seconds()
        assert not heard & set(range(4, 9)), f"heard {sorted(heard)}"
        assert "Skipped: Sponsor" in window.player_bar.skip_notice.toolTip()
        assert controller.current_chapter() == 2
    finally:
        window.close()
        services.close()
