"""Episode lists: views, filter text and sort orders, computed in SQL."""

from __future__ import annotations

import time

from podplayer.core.models import EpisodeQuery, EpisodeSort, EpisodeView
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from tests.library_factory import fill_library


def _titles(library: Library, query: EpisodeQuery) -> list[str]:
    return [row.title for row in library.episodes.summaries(library.episodes.ids_matching(query))]


def test_views_split_episodes_by_play_state(app_paths: AppPaths) -> None:
    library = Library.open(app_paths.database)
    [podcast_id] = fill_library(library, 1, 35)
    everything = library.episodes.ids_matching(EpisodeQuery())
    played = library.episodes.ids_matching(EpisodeQuery(view=EpisodeView.PLAYED))
    new = library.episodes.ids_matching(EpisodeQuery(view=EpisodeView.NEW))
    started = library.episodes.ids_matching(EpisodeQuery(view=EpisodeView.IN_PROGRESS))
    assert len(everything) == 35
    assert len(played) == 7  # every fifth
    assert len(started) == 4  # every seventh not also fifth: 7, 14, 21, 28
    assert sorted(played + new + started) == sorted(everything)
    assert len(library.episodes.ids_matching(EpisodeQuery(view=EpisodeView.DOWNLOADED))) == 0
    assert len(library.episodes.ids_matching(EpisodeQuery(podcast_id=podcast_id + 1))) == 0
    library.close()


def test_filter_text_is_literal_and_sorts_apply(app_paths: AppPaths) -> None:
    library = Library.open(app_paths.database)
    fill_library(library, 2, 12)
    assert _titles(library, EpisodeQuery(text="00011 of podcast 1")) == [
        "Episode 00011 of podcast 1"
    ]
    assert _titles(library, EpisodeQuery(text="%")) == []
    by_title = _titles(library, EpisodeQuery(sort=EpisodeSort.TITLE, descending=False))
    assert by_title == sorted(by_title, key=str.lower)
    newest = library.episodes.summaries(library.episodes.ids_matching(EpisodeQuery()))
    published = [r.published or 0.0 for r in newest]
    assert published == sorted(published, reverse=True)
    longest = library.episodes.summaries(
        library.episodes.ids_matching(EpisodeQuery(sort=EpisodeSort.DURATION))
    )
    durations = [r.duration_s or 0 for r in longest]
    assert durations == sorted(durations, reverse=True)
    assert {r.podcast_title for r in longest} == {"Podcast 0000", "Podcast 0001"}
    library.close()


def test_100000_episodes_list_quickly(app_paths: AppPaths) -> None:
    """Ids for the whole list and one page of rows stay well inside a frame budget x few."""
    library = Library.open(app_paths.database)
    fill_library(library, 100, 1000)
    started = time.perf_counter()
    ids = library.episodes.ids_matching(EpisodeQuery(sort=EpisodeSort.TITLE, text="Episode"))
    page = library.episodes.summaries(ids[50_000:50_100])
    elapsed = time.perf_counter() - started
    assert len(ids) == 100_000
    assert len(page) == 100
    assert elapsed < 2.0, f"listing 100,000 episodes took {elapsed:.2f} s"
    library.close()
