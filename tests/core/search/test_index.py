"""Search over a real library: published transcripts fetched from 127.0.0.1, notes, generated."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler

import pytest

from podplayer.core.models import Cue
from podplayer.core.search import index as search_index
from podplayer.core.search.index import EpisodeResult
from podplayer.core.search.query import QueryError
from podplayer.core.settings import TRANSCRIPTS_FOR_SEARCH
from podplayer.core.storage import search as storage_search
from podplayer.core.storage.search import SearchCancelledError, SearchOrder
from tests.core.search import library_feed
from tests.core.search.conftest import SearchWorld
from tests.http_server import TestHttpServer


def found(results: list[EpisodeResult]) -> list[tuple[str, str, int | None]]:
    """(episode title, kind, start ms) of every hit."""
    return [(r.episode.title, h.kind.label, h.start_ms) for r in results for h in r.hits]


def index_is_sound(world: SearchWorld) -> None:
    world.library.db.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")


@pytest.fixture
def fetched(world: SearchWorld) -> SearchWorld:
    report = world.prefetcher.run()
    assert (report.indexed, report.unavailable) == (3, 0)
    return world


@pytest.mark.parametrize(
    ("query", "title", "start_ms"),
    [
        ("remarkable", "Coffee in Paris", 130_000),  # VTT
        ("microphone levels", "Rookie mistakes", 200_250),  # SRT
        ("algebraic", "Engines", 95_500),  # JSON
    ],
)
def test_published_transcripts_are_found_at_their_cue(
    fetched: SearchWorld, query: str, title: str, start_ms: int
) -> None:
    assert found(fetched.index.search(query)) == [(title, "transcript", start_ms)]


def test_notes_with_times_are_found_at_that_time_and_plain_notes_without(
    world: SearchWorld,
) -> None:
    assert found(world.index.search("sourdough")) == [("Bread", "notes", 754_000)]
    assert found(world.index.search("rye")) == [("Bread", "notes", 3_723_000)]
    assert found(world.index.search("lighthouses")) == [("Coastlines", "notes", None)]
    assert found(world.index.search("coastlines")) == [("Coastlines", "title", None)]


def test_a_generated_transcript_is_searchable_once_indexed(world: SearchWorld) -> None:
    episode_id = world.episode_id("plain-notes")
    assert world.index.search("foghorn") == []
    cues = [Cue(3_000, 6_000, "Hello."), Cue(42_000, 45_000, "Then the foghorn sounded.")]
    assert world.index.index_transcript(episode_id, cues)
    assert found(world.index.search("foghorn")) == [("Coastlines", "transcript", 42_000)]
    assert world.index.indexed_transcript(episode_id).source == "generated"  # type: ignore[union-attr]


def test_case_and_accents_are_ignored(fetched: SearchWorld) -> None:
    for query in ("cafe", "CAFÉ", "Cafè", "flore"):
        assert found(fetched.index.search(query)) == [("Coffee in Paris", "transcript", 65_500)]
    (hit,) = fetched.index.search("cafe")[0].hits
    assert [hit.snippet[start : start + length] for start, length in hit.highlights] == ["Café"]


def test_phrases_and_prefixes(fetched: SearchWorld) -> None:
    assert found(fetched.index.search('"the espresso there"')) == [
        ("Coffee in Paris", "transcript", 130_000)
    ]
    assert fetched.index.search('"espresso the"') == []
    assert found(fetched.index.search("espres*")) == [("Coffee in Paris", "transcript", 130_000)]
    (hit,) = fetched.index.search("remark*")[0].hits
    assert [hit.snippet[s : s + n] for s, n in hit.highlights] == ["remarkable"]


def test_best_or_newest_first_and_the_podcast_filter(fetched: SearchWorld) -> None:
    newest = fetched.index.search("the", order=SearchOrder.NEWEST)
    published = [result.episode.published or 0 for result in newest]
    assert published == sorted(published, reverse=True) and len(published) >= 3
    assert fetched.index.search("the", podcast_id=fetched.podcast_id + 1) == []
    assert fetched.index.search("the", podcast_id=fetched.podcast_id, limit=2)[1:] != []
    assert len(fetched.index.search("the", limit=2)) == 2


HOSTILE = [
    '"unbalanced',
    'a "b" "c',
    "NEAR(coffee espresso, 2)",
    "coffee AND OR NOT espresso",
    "body:coffee",
    "search_fts:coffee",
    "^coffee",
    "*",
    "coffee*",
    "'; DROP TABLE episodes; --",
    "' OR 1=1 --",
    "(coffee",
    "coffee)",
    "-",
    "- -",
    "x" * 10_000,
    "coffee " * 2_000,
    "☕ coffee",
    "☕",
    "\x00coffee",
    "\u202ecoffee",
    "\udcffcoffee",  # undecodable bytes on the command line (surrogateescape)
    '"\ud800"',
    "{col1 col2}: x",
    "+coffee",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_give_results_or_a_sentence(fetched: SearchWorld, query: str) -> None:
    try:
        results = fetched.index.search(query)
    except QueryError as exc:
        assert str(exc).endswith(".") and "fts5" not in str(exc).lower()
    except sqlite3.Error as exc:  # pragma: no cover - the failure this test exists for
        pytest.fail(f"{query!r} reached SQLite as syntax: {exc}")
    else:
        assert isinstance(results, list)
    assert fetched.library.db.execute("SELECT count(*) FROM episodes").fetchone()[0] == 5


def test_unsubscribe_removes_every_hit_and_a_new_subscription_starts_clean(
    fetched: SearchWorld,
) -> None:
    fetched.feeds.unsubscribe(fetched.podcast_id)
    for query in ("remarkable", "sourdough", "coastlines"):  # before the index is cleaned too
        assert fetched.index.search(query, index_pending=False) == []
    again = fetched.feeds.subscribe(fetched.feed_url)  # episode ids are reused
    assert fetched.index.search("remarkable", index_pending=False) == []
    fetched.feeds.unsubscribe(again.podcast.id)  # type: ignore[arg-type]
    for query in ("remarkable", "sourdough", "coastlines"):
        assert fetched.index.search(query) == []
    assert fetched.library.db.execute("SELECT count(*) FROM search_docs").fetchone()[0] == 0
    index_is_sound(fetched)
    # Episode ids may be reused by the next subscription: the old words must not come back.
    again = fetched.feeds.subscribe(fetched.feed_url)
    assert fetched.index.search("remarkable") == []
    assert found(fetched.index.search("coastlines")) == [("Coastlines", "title", None)]
    assert fetched.prefetcher.run().indexed == 3
    assert [r.episode.podcast_id for r in fetched.index.search("remarkable")] == [again.podcast.id]
    index_is_sound(fetched)


def test_indexed_transcripts_outlive_the_cache_and_are_not_fetched_again(
    fetched: SearchWorld, http_server: TestHttpServer
) -> None:
    shutil.rmtree(fetched.store.cache_dir)
    assert found(fetched.index.search("remarkable")) == [("Coffee in Paris", "transcript", 130_000)]
    before = len(http_server.requests)
    assert fetched.prefetcher.run().indexed == 0
    assert len(http_server.requests) == before


def test_rebuild_keeps_everything_findable(fetched: SearchWorld) -> None:
    assert fetched.index.rebuild() == 3
    assert found(fetched.index.search("remarkable")) == [("Coffee in Paris", "transcript", 130_000)]
    assert found(fetched.index.search("sourdough")) == [("Bread", "notes", 754_000)]
    index_is_sound(fetched)


def test_only_the_newest_per_podcast_are_fetched(
    world: SearchWorld, http_server: TestHttpServer
) -> None:
    world.settings.set(TRANSCRIPTS_FOR_SEARCH, 1)
    assert world.prefetcher.run().indexed == 1
    fetched_paths = [r.path for r in http_server.requests if r.path.startswith("/t/")]
    assert fetched_paths == ["/t/coffee.vtt"]


def test_at_most_two_requests_to_one_host_at_a_time(
    world: SearchWorld, http_server: TestHttpServer
) -> None:
    lock = threading.Lock()
    running = [0]
    most = [0]

    def slow(handler: BaseHTTPRequestHandler) -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.5)  # long enough for the second request to start meanwhile
        with lock:
            running[0] -= 1
        handler.send_response(404)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    for path in ("/t/coffee.vtt", "/t/rookie.srt", "/t/engines.json"):
        http_server.route(path, handler=slow)
    report = world.prefetcher.run()
    assert (report.indexed, report.unavailable, most[0]) == (0, 3, 2)
    # Not available now: not asked again until tomorrow.
    before = len(http_server.requests)
    assert world.prefetcher.run().unavailable == 0
    assert len(http_server.requests) == before


def test_a_week_later_transcripts_are_checked_with_a_conditional_get(
    fetched: SearchWorld, http_server: TestHttpServer
) -> None:
    def a_week_passes() -> None:
        fetched.library.db.execute("UPDATE search_transcripts SET indexed_at = indexed_at - 8e5")

    assert fetched.prefetcher.run().indexed == 0  # checked today: nothing is asked
    a_week_passes()
    report = fetched.prefetcher.run()
    (asked,) = http_server.requests_for("/t/coffee.vtt")[1:]
    assert asked.headers.get("If-None-Match") == '"v1"'
    assert (report.unchanged, report.indexed) == (1, 2)  # the SRT and JSON have no validators

    changed = library_feed.VTT.replace("remarkable", "unforgettable")
    http_server.route("/t/coffee.vtt", body=changed.encode(), content_type="text/vtt", etag='"v2"')
    a_week_passes()
    assert fetched.prefetcher.run().indexed == 3
    assert fetched.index.search("remarkable") == []
    assert found(fetched.index.search("unforgettable")) == [
        ("Coffee in Paris", "transcript", 130_000)
    ]


def test_a_newer_query_cancels_the_running_one(
    fetched: SearchWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_search, "PROGRESS_STEPS", 1)
    with pytest.raises(SearchCancelledError):
        fetched.index.search("the", cancelled=lambda: True)
    assert len(fetched.index.search("the", cancelled=lambda: False)) == 3


def test_very_common_words_are_counted_in_the_latest_added_episodes(
    fetched: SearchWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    def episode_ids(podcast_id: int | None = None) -> list[int]:
        results = fetched.index.search("the", podcast_id=podcast_id)
        return sorted(result.episode.episode_id for result in results)

    everywhere = episode_ids()
    monkeypatch.setattr(search_index, "MAX_COUNTED", 2)
    latest = episode_ids()
    assert latest == everywhere[-len(latest) :] and len(latest) < len(everywhere)
    assert episode_ids(fetched.podcast_id) == everywhere  # one podcast is counted in full
