"""The opened library: the database and one repository per table group."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from podplayer.core.storage.chapters import ChapterPreferencesRepository
from podplayer.core.storage.database import BUSY_TIMEOUT_MS, Database
from podplayer.core.storage.downloads import DownloadRepository
from podplayer.core.storage.episodes import EpisodeRepository
from podplayer.core.storage.lifecycle import close_database, open_database
from podplayer.core.storage.migrate import MigrationContext
from podplayer.core.storage.podcasts import PodcastRepository
from podplayer.core.storage.queue import QueueRepository
from podplayer.core.storage.settings import SettingsRepository

if TYPE_CHECKING:
    from podplayer.core.credentials import SecretStore


@dataclass
class Library:
    """The opened library: its repositories and anything the user must be told about opening it."""

    db: Database
    podcasts: PodcastRepository
    episodes: EpisodeRepository
    settings: SettingsRepository
    queue: QueueRepository
    downloads: DownloadRepository
    chapter_preferences: ChapterPreferencesRepository
    notices: list[str]

    @classmethod
    def open(
        cls,
        path: Path,
        secrets: SecretStore | None = None,
        *,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> Library:
        """Open (creating or upgrading) the library at ``path`` (see storage.lifecycle).

        ``secrets`` keeps feed passwords; without it a password cannot be stored.
        ``busy_timeout_ms``: how long to wait for another program's lock.
        """
        db, notices = open_database(path, MigrationContext(secrets=secrets), busy_timeout_ms)
        return cls(
            db=db,
            podcasts=PodcastRepository(db, secrets),
            episodes=EpisodeRepository(db),
            settings=SettingsRepository(db),
            queue=QueueRepository(db),
            downloads=DownloadRepository(db),
            chapter_preferences=ChapterPreferencesRepository(db),
            notices=notices,
        )

    def transaction(self) -> Any:
        return self.db.transaction()

    def close(self) -> None:
        close_database(self.db)
