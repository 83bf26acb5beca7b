"""A real library file with one podcast and a few episodes, a fake engine and a manual clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytestqt.qtbot import QtBot

from podplayer.core.models import Episode, Podcast
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from podplayer.engine.fake import FakeEngine
from podplayer.playback.controller import PlaybackController
from tests.manual_clock import ManualClock

EPISODE_MS = 60_000


@dataclass
class Rig:
    library: Library
    engine: FakeEngine
    clock: ManualClock
    controller: PlaybackController
    podcast: Podcast
    episodes: list[int]

    def run(self, wall_ms: int, step_ms: int = 50) -> None:
        """Let wall time pass: the engine plays on and the ticker ticks."""
        for _ in range(wall_ms // step_ms):
            self.clock.advance(step_ms)
            self.engine.advance(step_ms)
            self.controller.ticker.tick()


def add_episodes(library: Library, podcast: Podcast, count: int) -> list[int]:
    assert podcast.id is not None
    ids = []
    for number in range(count):
        episode = library.episodes.add(
            Episode(
                podcast_id=podcast.id,
                guid=f"ep-{podcast.id}-{number}",
                title=f"Episode {number}",
                enclosure_url=f"http://127.0.0.1/{podcast.id}/{number}.mp3",
                enclosure_type="audio/mpeg",
                duration_s=EPISODE_MS // 1000,
            )
        )
        assert episode.id is not None
        ids.append(episode.id)
    return ids


@pytest.fixture
def rig(app_paths: AppPaths, qtbot: QtBot) -> Iterator[Rig]:
    library = Library.open(app_paths.database)
    podcast = library.podcasts.add(Podcast(url="http://127.0.0.1/feed.xml", title="Show"))
    episodes = add_episodes(library, podcast, 4)
    engine = FakeEngine(default_duration_ms=EPISODE_MS)
    clock = ManualClock()
    controller = PlaybackController(engine, library, clock=clock)
    yield Rig(library, engine, clock, controller, podcast, episodes)
    library.close()
