"""Builds libraries of generated podcasts and episodes for tests and benchmarks."""

from __future__ import annotations

from podplayer.core.models import Episode, Podcast
from podplayer.core.storage.library import Library

EPOCH = 1_700_000_000.0


def fill_library(library: Library, podcasts: int, episodes_per_podcast: int) -> list[int]:
    """Add generated podcasts with episodes (one transaction); returns the podcast ids."""
    ids: list[int] = []
    with library.transaction():
        for p in range(podcasts):
            podcast = library.podcasts.add(
                Podcast(url=f"http://127.0.0.1/feed/{p}.xml", title=f"Podcast {p:04d}")
            )
            assert podcast.id is not None
            ids.append(podcast.id)
            for e in range(episodes_per_podcast):
                library.episodes.add(
                    Episode(
                        podcast_id=podcast.id,
                        guid=f"{p}-{e}",
                        title=f"Episode {e:05d} of podcast {p}",
                        published=EPOCH + e * 3600 + p,
                        duration_s=600 + (e * 37) % 3600,
                        enclosure_url=f"http://127.0.0.1/audio/{p}/{e}.mp3",
                        played=e % 5 == 0,
                        position_ms=1000 if e % 7 == 0 else 0,
                    )
                )
    return ids
