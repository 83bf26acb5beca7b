"""podplayer's side of the sync tests: a real library file, its secret store and a sync service."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from podplayer.core.credentials import SecretStore
from podplayer.core.http import HttpClient
from podplayer.core.models import Episode, Podcast
from podplayer.core.storage.library import Library
from podplayer.core.sync.client import ServerKind
from podplayer.core.sync.service import SyncService
from tests.sync.conftest import PASSWORD

FEED = "http://feeds.example.com/show.xml"


def episode_url(n: int) -> str:
    return f"http://media.example.com/show/{n}.mp3"


@dataclass
class Desk:
    library: Library
    secrets: SecretStore
    http: HttpClient
    service: SyncService

    def add_show(self, episodes: int = 3, url: str = FEED) -> list[int]:
        podcast = self.library.podcasts.add(Podcast(url=url, title="Show"))
        assert podcast.id is not None
        ids = []
        for n in range(episodes):
            episode = self.library.episodes.add(
                Episode(
                    podcast_id=podcast.id,
                    guid=f"{url}#{n}",
                    title=f"Episode {n}",
                    duration_s=1800,
                    enclosure_url=episode_url(n),
                )
            )
            assert episode.id is not None
            ids.append(episode.id)
        return ids

    def login(self, server_url: str, user: str, kind: str, password: str = PASSWORD) -> None:
        self.service.login(server_url, user, password, ServerKind(kind), "Desk top")

    def episode(self, episode_id: int) -> Episode:
        episode = self.library.episodes.get(episode_id)
        assert episode is not None
        return episode

    def close(self) -> None:
        self.library.close()
        self.http.close()


def open_desk(folder: Path) -> Desk:
    folder.mkdir(parents=True, exist_ok=True)
    library = Library.open(folder / "library.sqlite3")
    secrets = SecretStore(folder / "config")
    http = HttpClient()
    return Desk(library, secrets, http, SyncService(library, secrets, http))
