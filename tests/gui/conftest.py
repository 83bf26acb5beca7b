"""A main window over a real library file, with the fake engine and a manual clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytestqt.qtbot import QtBot

from podplayer.app import build_services
from podplayer.core.models import Episode, Podcast
from podplayer.core.paths import AppPaths
from podplayer.engine.fake import FakeEngine
from podplayer.gui.views.main_window import MainWindow
from podplayer.services import Services
from tests.manual_clock import ManualClock

EPISODE_MS = 120_000
NOTES = (
    "<p>Topics: intro at 0:05, the main story at 1:10.</p>"
    '<p><a href="https://example.org/">Website</a> <img src="http://127.0.0.1:9/pixel.gif"></p>'
    "<script>alert(1)</script>"
)


@dataclass
class WindowRig:
    services: Services
    engine: FakeEngine
    clock: ManualClock
    window: MainWindow
    podcast_ids: list[int]
    episode_ids: list[int]

    def run(self, wall_ms: int, step_ms: int = 50) -> None:
        """Let playback run for wall_ms (fake engine time and the controller's ticker)."""
        for _ in range(wall_ms // step_ms):
            self.clock.advance(step_ms)
            self.engine.advance(step_ms)
            self.services.controller.ticker.tick()


def stock_library(services: Services) -> tuple[list[int], list[int]]:
    library = services.library
    podcast_ids, episode_ids = [], []
    for number, title in enumerate(("Morning News", "Deep Dives")):
        podcast = library.podcasts.add(Podcast(url=f"http://127.0.0.1/{number}.xml", title=title))
        assert podcast.id is not None
        podcast_ids.append(podcast.id)
        for e in range(3):
            episode = library.episodes.add(
                Episode(
                    podcast_id=podcast.id,
                    guid=f"{number}-{e}",
                    title=f"{title} #{e + 1}",
                    published=1_700_000_000.0 + e * 86400 + number,
                    duration_s=EPISODE_MS // 1000,
                    enclosure_url=f"http://127.0.0.1/{number}/{e}.mp3",
                    enclosure_type="audio/mpeg",
                    notes_html=NOTES,
                )
            )
            assert episode.id is not None
            episode_ids.append(episode.id)
    return podcast_ids, episode_ids


def open_window(
    app_paths: AppPaths, qtbot: QtBot, engine: FakeEngine, clock: ManualClock | None = None
) -> tuple[Services, MainWindow]:
    services = build_services(
        app_paths, engine, clock=clock or ManualClock(), synchronous_work=True
    )
    window = MainWindow(services)
    qtbot.addWidget(window)
    return services, window


@pytest.fixture
def window_rig(app_paths: AppPaths, qtbot: QtBot) -> Iterator[WindowRig]:
    engine = FakeEngine(default_duration_ms=EPISODE_MS)
    clock = ManualClock()
    services = build_services(app_paths, engine, clock=clock, synchronous_work=True)
    podcast_ids, episode_ids = stock_library(services)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    yield WindowRig(services, engine, clock, window, podcast_ids, episode_ids)
    window.close()
    services.close()
