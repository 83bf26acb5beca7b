"""Directory clients against a 127.0.0.1 server answering the documented shapes, and faults."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from podplayer.core.directories import json_fetch
from podplayer.core.directories.json_fetch import MAX_RESULTS
from podplayer.core.directories.podcastindex import auth_headers
from podplayer.core.directories.results import DirectoryResult
from podplayer.core.directories.search import DirectorySearch
from podplayer.core.http import USER_AGENT, HttpClient
from podplayer.core.settings import ENABLED_DIRECTORIES, PODCASTINDEX_SECRET
from tests.core.directories.directory_server import (
    ITUNES,
    SEARCH_PATHS,
    directory_settings,
    fyyd_body,
    fyyd_entry,
    itunes_body,
    itunes_entry,
    podcastindex_body,
    podcastindex_entry,
    serve,
)
from tests.http_server import TestHttpServer


@pytest.fixture
def http() -> Iterator[HttpClient]:
    client = HttpClient()
    yield client
    client.close()


def serve_all(server: TestHttpServer) -> None:
    serve(
        server,
        "itunes",
        itunes_body(
            [
                itunes_entry("The Daily", "https://feeds.example.com/daily/", collection_id=1),
                itunes_entry("Only Apple", "https://apple.example.com/only.xml", collection_id=2),
            ]
        ),
    )
    serve(
        server,
        "fyyd",
        fyyd_body(
            [
                fyyd_entry("The Daily", "http://FEEDS.example.com/daily"),
                fyyd_entry("Only fyyd", "https://fyyd.example.com/feed"),
            ]
        ),
    )
    serve(
        server,
        "podcastindex",
        podcastindex_body(
            [
                podcastindex_entry(
                    "The Daily", "https://dts.podtrac.com/redirect.mp3/feeds.example.com/daily"
                )
            ]
        ),
    )


def test_three_directories_merge_into_one_list(
    http_server: TestHttpServer, http: HttpClient
) -> None:
    serve_all(http_server)
    search = DirectorySearch(http, directory_settings(http_server))
    results, notes = search.search("daily news")
    assert notes == []
    assert [r.title for r in results] == ["The Daily", "Only Apple", "Only fyyd"]
    daily = results[0]
    assert daily.sources == ("iTunes", "fyyd", "Podcast Index")
    assert daily.feed_url == "https://feeds.example.com/daily/"
    assert daily.author == "Apple Artist"
    assert daily.episode_count == 120
    assert daily.podcast_guid == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    assert daily.last_published == 1714900000.0  # the newest any directory knows
    itunes_query = http_server.requests_for(SEARCH_PATHS["itunes"])[0].path
    assert "media=podcast" in itunes_query and "entity=podcast" in itunes_query
    assert "term=daily+news" in itunes_query
    assert "title=daily+news" in http_server.requests_for(SEARCH_PATHS["fyyd"])[0].path
    assert "q=daily+news" in http_server.requests_for(SEARCH_PATHS["podcastindex"])[0].path


def test_podcastindex_headers_follow_the_documented_formula(
    http_server: TestHttpServer, http: HttpClient
) -> None:
    serve_all(http_server)
    settings = directory_settings(http_server)
    before = int(time.time())
    DirectorySearch(http, settings).search("daily")
    after = int(time.time())
    headers = http_server.requests_for(SEARCH_PATHS["podcastindex"])[0].headers
    date = headers["X-Auth-Date"]
    assert date.isdigit() and before <= int(date) <= after  # Unix seconds
    assert headers["X-Auth-Key"] == "UXKCGDSYGUUEVQJSYDZH"
    expected = hashlib.sha1(
        ("UXKCGDSYGUUEVQJSYDZH" + "yzJe2eE7XV-3eY576dyRZ6wXyAbndh6LUrCZ8KN|" + date).encode()
    ).hexdigest()
    assert headers["Authorization"] == expected
    assert headers["Authorization"] == headers["Authorization"].lower()
    assert headers["User-Agent"] == USER_AGENT
    assert auth_headers("k", "s", 1_700_000_000.9)["Authorization"] == (
        hashlib.sha1(b"ks1700000000").hexdigest()
    )


def test_podcastindex_is_asked_only_with_key_and_secret(
    http_server: TestHttpServer, http: HttpClient
) -> None:
    serve_all(http_server)
    settings = directory_settings(http_server)
    settings.unset(PODCASTINDEX_SECRET)
    search = DirectorySearch(http, settings)
    results, notes = search.search("daily")
    assert http_server.requests_for(SEARCH_PATHS["podcastindex"]) == []
    assert results[0].sources == ("iTunes", "fyyd")
    assert any("API key and secret" in note for note in notes)


def test_nothing_is_sent_until_a_search(http_server: TestHttpServer, http: HttpClient) -> None:
    serve_all(http_server)
    search = DirectorySearch(http, directory_settings(http_server))
    assert [directory.name for directory in search.plan()[0]] == [
        "iTunes",
        "fyyd",
        "Podcast Index",
    ]
    assert http_server.requests == []


def test_only_enabled_directories_are_asked(http_server: TestHttpServer, http: HttpClient) -> None:
    serve_all(http_server)
    settings = directory_settings(http_server)
    settings.set(ENABLED_DIRECTORIES, ["fyyd"])
    results, _ = DirectorySearch(http, settings).search("daily")
    assert {source for r in results for source in r.sources} == {"fyyd"}
    assert http_server.requests_for(SEARCH_PATHS["itunes"]) == []


FAULTS: dict[str, tuple[dict[str, Any], str]] = {
    "server error": ({"status": 500, "body": b"oops"}, "answered with an error (500)"),
    "rate limited": ({"status": 429, "body": b"slow down"}, "busy"),
    "malformed json": ({"body": b'{"results": [{"feedUrl": '}, "instead of search results"),
    "html": (
        {"body": b"<html><body>Maintenance</body></html>", "content_type": "text/html"},
        "a web page instead of search results",
    ),
    "wrong shape": ({"body": b'{"results": "none"}'}, "does not understand"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_failing_directory_is_left_out_with_a_note(
    fault: str, http_server: TestHttpServer, http: HttpClient
) -> None:
    serve_all(http_server)
    route, sentence = FAULTS[fault]
    http_server.route(SEARCH_PATHS["itunes"], **{"content_type": "application/json", **route})
    results, notes = DirectorySearch(http, directory_settings(http_server)).search("daily")
    assert [r.title for r in results] == ["The Daily", "Only fyyd"]
    assert "iTunes" not in results[0].sources
    assert len(notes) == 1 and notes[0].startswith("iTunes") and sentence in notes[0]


def test_a_slow_directory_is_left_out_after_its_deadline(
    http_server: TestHttpServer, http: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert json_fetch.DEADLINE_S == 5.0
    monkeypatch.setattr(json_fetch, "DEADLINE_S", 0.5)
    serve_all(http_server)
    http_server.routes[SEARCH_PATHS["fyyd"]].delay = 3.0
    started = time.monotonic()
    results, notes = DirectorySearch(http, directory_settings(http_server)).search("daily")
    assert time.monotonic() - started < 2.5
    assert [r.title for r in results] == ["The Daily", "Only Apple"]
    assert notes == ["fyyd did not answer within 0.5 seconds."]


def test_a_trickling_directory_is_cut_at_the_deadline(
    http_server: TestHttpServer, http: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_fetch, "DEADLINE_S", 0.5)
    serve_all(http_server)
    http_server.routes[SEARCH_PATHS["fyyd"]].trickle_interval = 0.05
    started = time.monotonic()
    _, notes = DirectorySearch(http, directory_settings(http_server)).search("daily")
    assert time.monotonic() - started < 3
    assert len(notes) == 1 and notes[0].startswith("fyyd")


def test_entries_without_feed_url_or_with_other_schemes_are_left_out(
    http_server: TestHttpServer, http: HttpClient
) -> None:
    serve(
        http_server,
        "itunes",
        itunes_body(
            [
                itunes_entry("No feed", None),
                itunes_entry("Script", "javascript:alert(1)"),
                itunes_entry("File", "file:///etc/passwd"),
                {"collectionName": "Bare minimum", "feedUrl": "https://bare.example.com/f"},
                "not an object",  # type: ignore[list-item]
                itunes_entry("Fine", "https://fine.example.com/feed"),
            ]
        ),
    )
    settings = directory_settings(http_server, enabled=("itunes",))
    results, notes = DirectorySearch(http, settings).search("x")
    assert [r.title for r in results] == ["Bare minimum", "Fine"]
    bare = results[0]
    assert (bare.author, bare.episode_count, bare.artwork_url) == ("", None, "")
    assert notes == ["iTunes: 4 entries without a feed address left out."]


def test_result_text_is_plain(http_server: TestHttpServer, http: HttpClient) -> None:
    hostile = "<b>Bold</b>\x1b[31m red\x00\u202e \x9b2J\n  news"
    serve(
        http_server,
        "fyyd",
        fyyd_body([fyyd_entry(hostile, "https://x.example.com/f", author="A\tB\x07")]),
    )
    results, _ = DirectorySearch(http, directory_settings(http_server, enabled=("fyyd",))).search(
        "x"
    )
    assert results[0].title == "<b>Bold</b>[31m red 2J news"
    assert results[0].author == "A B"


def test_ten_thousand_results_are_cut_to_a_page(
    http_server: TestHttpServer, http: HttpClient
) -> None:
    entries = [
        itunes_entry(f"Show {n}", f"https://many.example.com/{n}.xml", collection_id=n)
        for n in range(10_000)
    ]
    body = itunes_body(entries)
    assert len(body) > 2_000_000
    serve(http_server, "itunes", body)
    settings = directory_settings(http_server, enabled=("itunes",))
    results, notes = DirectorySearch(http, settings).search("show")
    assert len(results) == MAX_RESULTS
    assert notes == []


def test_an_answer_over_the_size_cap_is_left_out(
    http_server: TestHttpServer, http: HttpClient
) -> None:
    padding = "x" * (json_fetch.MAX_ANSWER_BYTES + 10)
    serve(http_server, "itunes", json.dumps({"results": [], "padding": padding}).encode())
    settings = directory_settings(http_server, enabled=("itunes",))
    results, notes = DirectorySearch(http, settings).search("show")
    assert results == []
    assert notes == ["iTunes sent an answer too large to read."]


def test_an_apple_link_resolves_to_its_feed(http_server: TestHttpServer, http: HttpClient) -> None:
    http_server.route(
        f"{ITUNES}/lookup",
        body=itunes_body([itunes_entry("The Daily", "https://feeds.example.com/daily")]),
        content_type="application/json",
    )
    search = DirectorySearch(http, directory_settings(http_server))
    assert search.resolve_apple_link("1200361736") == "https://feeds.example.com/daily"
    assert "id=1200361736" in http_server.requests_for(f"{ITUNES}/lookup")[0].path


def test_the_top_chart_keeps_apples_order(http_server: TestHttpServer, http: HttpClient) -> None:
    chart = {
        "feed": {
            "entry": [
                {"im:name": {"label": name}, "id": {"attributes": {"im:id": str(apple_id)}}}
                for name, apple_id in (("Second", 2), ("First", 1), ("Third", 3))
            ]
        }
    }
    http_server.route(
        f"{ITUNES}/de/rss/toppodcasts/limit=25/json",
        body=json.dumps(chart).encode(),
        content_type="application/json",
    )
    lookup = [
        itunes_entry(name, f"https://top.example.com/{apple_id}", collection_id=apple_id)
        for name, apple_id in (("First", 1), ("Second", 2), ("Third", 3))
    ]
    http_server.route(f"{ITUNES}/lookup", body=itunes_body(lookup), content_type="application/json")
    search = DirectorySearch(http, directory_settings(http_server), country=lambda: "de")
    answer = search.top()
    assert [r.title for r in answer.results] == ["Second", "First", "Third"]
    assert "id=2%2C1%2C3" in http_server.requests_for(f"{ITUNES}/lookup")[0].path


def test_a_remote_directory_cannot_point_podplayer_at_this_computer(
    http_server: TestHttpServer, http: HttpClient
) -> None:
    """Answers of a directory elsewhere lose local feeds and artwork (the tests' directories,
    on 127.0.0.1 themselves, may list local feeds)."""
    from podplayer.core.directories.results import DirectoryAnswer, from_afar

    answer = DirectoryAnswer(
        "fyyd",
        results=[
            _result("Local", "http://127.0.0.1:631/admin", "https://img.example.com/a.png"),
            _result("Mapped", "http://[::ffff:127.0.0.1]/feed", ""),
            _result("Named", "http://localhost./feed", ""),
            _result("Art only", "https://ok.example.com/feed", "http://0.0.0.0:8080/x.png"),
        ],
    )
    kept = from_afar(answer)
    assert [(r.title, r.artwork_url) for r in kept.results] == [("Art only", "")]
    assert kept.notes == ["fyyd: 3 entries pointing at this computer left out."]
    # A directory that is itself on this computer (tests, a local mirror) may list local feeds.
    serve_all(http_server)
    results, _ = DirectorySearch(http, directory_settings(http_server)).search("daily")
    assert results


def _result(title: str, feed_url: str, artwork: str) -> DirectoryResult:
    return DirectoryResult(title=title, feed_url=feed_url, artwork_url=artwork, sources=("fyyd",))
