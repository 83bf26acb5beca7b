"""A real library file, a real feed on 127.0.0.1, and the search services over them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from podplayer.core.feeds.service import FeedService
from podplayer.core.http import HttpClient
from podplayer.core.paths import AppPaths
from podplayer.core.search.fetching import TranscriptPrefetcher
from podplayer.core.search.index import SearchIndex
from podplayer.core.settings import UserSettings, open_user_settings
from podplayer.core.storage.library import Library
from podplayer.core.storage.search import SearchRepository
from podplayer.core.transcripts.store import TranscriptStore
from tests.core.search.library_feed import serve_library_feed
from tests.http_server import TestHttpServer


@dataclass
class SearchWorld:
    library: Library
    feeds: FeedService
    store: TranscriptStore
    index: SearchIndex
    prefetcher: TranscriptPrefetcher
    settings: UserSettings
    podcast_id: int
    feed_url: str

    def episode_id(self, guid: str) -> int:
        for episode in self.library.episodes.list_for_podcast(self.podcast_id):
            if episode.guid == guid:
                assert episode.id is not None
                return episode.id
        raise KeyError(guid)


@pytest.fixture
def world(
    tmp_path: Path, http_server: TestHttpServer, app_paths: AppPaths
) -> Iterator[SearchWorld]:
    library = Library.open(tmp_path / "library.db")
    client = HttpClient()
    feeds = FeedService(library, client)
    store = TranscriptStore(tmp_path / "transcripts", client)
    index = SearchIndex(SearchRepository(library.db))
    settings = open_user_settings(library, app_paths)
    prefetcher = TranscriptPrefetcher(library, store, index, settings)
    feed_url = serve_library_feed(http_server)
    result = feeds.subscribe(feed_url)
    assert result.podcast.id is not None
    try:
        yield SearchWorld(
            library, feeds, store, index, prefetcher, settings, result.podcast.id, feed_url
        )
    finally:
        feeds.close()
        client.close()
        library.close()
