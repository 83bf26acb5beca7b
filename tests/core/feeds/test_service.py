"""FeedService against a real HTTP server on 127.0.0.1 and a real SQLite library."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from podplayer.core.credentials import SecretStore
from podplayer.core.feeds import parse as parse_module
from podplayer.core.feeds.parse import parse_feed
from podplayer.core.feeds.service import FeedService, RefreshResult, SubscribeError
from podplayer.core.http import HttpClient
from podplayer.core.models import Podcast, RefreshStatus
from podplayer.core.storage.library import Library
from tests.http_server import TestHttpServer, http_date, trickle_headers


def feed_body(
    title: str = "Show",
    guids: tuple[str, ...] = ("a", "b"),
    extra_channel: str = "",
    media_base: str = "https://cdn.example.com",
) -> bytes:
    items = "".join(
        f"<item><title>Episode {guid}</title><guid>{guid}</guid>"
        f"<pubDate>Wed, {10 + index:02d} Apr 2024 07:00:00 GMT</pubDate>"
        f'<enclosure url="{media_base}/{guid}.mp3" type="audio/mpeg" length="100"/></item>'
        for index, guid in enumerate(guids)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
        f"<title>{title}</title><itunes:image href='https://img.example.com/{title}.jpg'/>"
        f"{extra_channel}{items}</channel></rss>"
    ).encode()


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    opened = Library.open(tmp_path / "library.sqlite3", SecretStore(tmp_path / "config"))
    yield opened
    opened.close()


@pytest.fixture
def client() -> Iterator[HttpClient]:
    made = HttpClient(connect_timeout=2, read_timeout=2, deadline=3)
    yield made
    made.close()


@pytest.fixture
def feeds(library: Library, client: HttpClient) -> Iterator[FeedService]:
    service = FeedService(library, client, workers=4)
    yield service
    service.close()


@pytest.fixture
def parse_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count parses done by the service (a 304 or an identical body must cost none)."""
    calls: list[str] = []
    real = parse_feed

    def counting(body: bytes, url: str, headers: object = None) -> object:
        calls.append(url)
        return real(body, url, headers)  # type: ignore[arg-type]

    monkeypatch.setattr(parse_module, "parse_feed", counting)
    return calls


def stored(library: Library, podcast: Podcast) -> Podcast:
    assert podcast.id is not None
    again = library.podcasts.get(podcast.id)
    assert again is not None
    return again


def test_preview_then_subscribe(feeds: FeedService, library: Library, http_server: TestHttpServer):
    http_server.route("/feed.xml", body=feed_body("Alpha"), content_type="application/rss+xml")
    preview = feeds.preview(http_server.url("/feed.xml"))
    assert (preview.title, preview.image_url) == ("Alpha", "https://img.example.com/Alpha.jpg")
    assert preview.episode_count == 2
    assert library.podcasts.list() == []  # nothing stored before confirming
    result = feeds.subscribe(preview)
    assert result.counts.added == 2 and "Subscribed to Alpha" in result.message
    assert result.podcast.id is not None
    episodes = library.episodes.list_for_podcast(result.podcast.id)
    assert [e.title for e in episodes] == ["Episode b", "Episode a"]
    with pytest.raises(SubscribeError, match="already subscribed to Alpha"):
        feeds.subscribe(http_server.url("/feed.xml"))
    assert len(http_server.requests_for("/feed.xml")) == 1


def test_same_podcast_guid_at_another_address_is_refused(
    feeds: FeedService, http_server: TestHttpServer
) -> None:
    ns = '<podcast:guid xmlns:podcast="https://podcastindex.org/namespace/1.0">abc</podcast:guid>'
    http_server.route("/mp3.xml", body=feed_body("Show", extra_channel=ns))
    http_server.route("/opus.xml", body=feed_body("Show (Opus)", extra_channel=ns))
    feeds.subscribe(http_server.url("/mp3.xml"))
    with pytest.raises(SubscribeError, match="same podcast at another address"):
        feeds.preview(http_server.url("/opus.xml"))


def test_subscribe_through_a_web_page(feeds: FeedService, http_server: TestHttpServer) -> None:
    http_server.route("/feed.xml", body=feed_body("Found"))
    page = b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
    http_server.route("/show", body=page, content_type="text/html")
    result = feeds.subscribe(http_server.url("/show"))
    assert result.podcast.url == http_server.url("/feed.xml")
    assert result.podcast.title == "Found"


def test_page_with_several_feeds_offers_the_choice(
    feeds: FeedService, http_server: TestHttpServer
) -> None:
    page = (
        b"<html><head>"
        b'<link rel="alternate" type="application/rss+xml" title="MP3" href="/mp3.xml">'
        b'<link rel="alternate" type="application/atom+xml" title="Opus" href="/opus.xml">'
        b'<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
        b"</head></html>"
    )
    http_server.route("/show", body=page, content_type="text/html")
    with pytest.raises(SubscribeError, match="links 2 feeds") as caught:
        feeds.preview(http_server.url("/show"))
    assert [(c.url, c.title) for c in caught.value.choices] == [
        (http_server.url("/mp3.xml"), "MP3"),
        (http_server.url("/opus.xml"), "Opus"),
    ]


def test_page_without_feed_is_a_clear_error(feeds: FeedService, http_server: TestHttpServer):
    http_server.route("/shop", body=b"<!doctype html><html><body>Buy</body></html>")
    with pytest.raises(SubscribeError, match="links no podcast feed"):
        feeds.preview(http_server.url("/shop"))


def test_local_feed_file(feeds: FeedService, library: Library, tmp_path: Path) -> None:
    path = tmp_path / "my feed.xml"
    path.write_bytes(feed_body("Local", ("x",)))
    result = feeds.subscribe(str(path))
    assert result.podcast.url == path.as_uri()
    path.write_bytes(feed_body("Local", ("x", "y")))
    [refreshed] = feeds.refresh()
    assert refreshed.status is RefreshStatus.OK and refreshed.counts is not None
    assert refreshed.counts.added == 1
    with pytest.raises(SubscribeError, match="neither a web address nor an existing feed file"):
        feeds.preview(str(tmp_path / "missing.xml"))


def test_conditional_get_and_identical_body_cost_no_parse(
    feeds: FeedService, library: Library, http_server: TestHttpServer, parse_calls: list[str]
) -> None:
    stamp = http_date(1_700_000_000)
    http_server.route("/etag.xml", body=feed_body("E"), etag='"v1"')
    http_server.route("/lm.xml", body=feed_body("L"), last_modified=stamp)
    http_server.route("/plain.xml", body=feed_body("P"))
    for path in ("/etag.xml", "/lm.xml", "/plain.xml"):
        feeds.subscribe(http_server.url(path))
    assert len(parse_calls) == 3
    results = feeds.refresh()
    assert [r.status for r in results] == [RefreshStatus.NOT_MODIFIED] * 3
    assert len(parse_calls) == 3
    assert http_server.requests_for("/etag.xml")[-1].headers["If-None-Match"] == '"v1"'
    assert http_server.requests_for("/lm.xml")[-1].headers["If-Modified-Since"] == stamp
    podcast = library.podcasts.find_by_url(http_server.url("/etag.xml"))
    assert podcast is not None and podcast.etag == '"v1"' and podcast.last_modified is None


def test_new_and_vanished_episodes_keep_play_state(
    feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    route = http_server.route("/feed.xml", body=feed_body(guids=("a", "b")))
    podcast = feeds.subscribe(http_server.url("/feed.xml")).podcast
    assert podcast.id is not None
    episode_a = next(e for e in library.episodes.list_for_podcast(podcast.id) if e.guid == "a")
    assert episode_a.id is not None
    library.episodes.save_position(episode_a.id, 61_000)
    route.body = feed_body(title="Show Renamed", guids=("b", "c"))
    [result] = feeds.refresh()
    assert result.counts is not None
    assert (result.counts.added, result.counts.gone_from_feed) == (1, 1)
    episodes = {e.guid: e for e in library.episodes.list_for_podcast(podcast.id)}
    assert set(episodes) == {"a", "b", "c"}
    assert episodes["a"].in_feed is False and episodes["a"].position_ms == 61_000
    assert stored(library, podcast).title == "Show Renamed"
    route.body = feed_body(title="Show Renamed", guids=("a", "b", "c"))
    feeds.refresh()
    again = library.episodes.get(episode_a.id)
    assert again is not None and again.in_feed is True and again.position_ms == 61_000


def test_changing_guids_do_not_duplicate_episodes(
    feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    route = http_server.route("/feed.xml", body=feed_body(guids=("a",)))
    podcast = feeds.subscribe(http_server.url("/feed.xml")).podcast
    assert podcast.id is not None
    route.body = feed_body(guids=("a",)).replace(b"<guid>a</guid>", b"<guid>a-regenerated</guid>")
    feeds.refresh()
    [episode] = library.episodes.list_for_podcast(podcast.id)
    assert episode.guid == "a-regenerated" and episode.in_feed


def test_duplicate_guids_are_reported(feeds: FeedService, http_server: TestHttpServer) -> None:
    route = http_server.route("/feed.xml", body=feed_body(guids=("a",)))
    feeds.subscribe(http_server.url("/feed.xml"))
    route.body = feed_body(guids=("a", "a", "b"))
    [result] = feeds.refresh()
    assert result.counts is not None and result.counts.added == 1
    assert any("repeat" in warning for warning in result.warnings)


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_redirect_moves_the_subscription(
    status: int, feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    http_server.route("/old.xml", body=feed_body())
    podcast = feeds.subscribe(http_server.url("/old.xml")).podcast
    http_server.route("/old.xml", status=status, location=http_server.url("/new.xml"))
    http_server.route("/new.xml", body=feed_body(guids=("a", "b", "c")))
    [result] = feeds.refresh()
    assert result.status is RefreshStatus.OK and "moved" in result.message
    assert stored(library, podcast).url == http_server.url("/new.xml")


def test_temporary_redirect_and_broken_target_do_not_move(
    feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    http_server.route("/a.xml", body=feed_body("A"))
    http_server.route("/b.xml", body=feed_body("B"))
    a = feeds.subscribe(http_server.url("/a.xml")).podcast
    b = feeds.subscribe(http_server.url("/b.xml")).podcast
    http_server.route("/a.xml", status=302, location=http_server.url("/a2.xml"))
    http_server.route("/a2.xml", body=feed_body("A", ("a", "b", "z")))
    http_server.route("/b.xml", status=301, location=http_server.url("/page"))
    http_server.route("/page", body=b"<!doctype html><html>moved?</html>")
    results = {r.podcast_id: r for r in feeds.refresh()}
    assert a.id is not None and b.id is not None
    assert results[a.id].status is RefreshStatus.OK
    assert stored(library, a).url == http_server.url("/a.xml")
    assert results[b.id].status is RefreshStatus.FAILED
    assert stored(library, b).url == http_server.url("/b.xml")
    assert len(library.episodes.list_for_podcast(b.id)) == 2


def test_redirect_loop_fails(feeds: FeedService, http_server: TestHttpServer) -> None:
    http_server.route("/feed.xml", body=feed_body())
    feeds.subscribe(http_server.url("/feed.xml"))
    http_server.route("/feed.xml", status=301, location=http_server.url("/loop.xml"))
    http_server.route("/loop.xml", status=301, location=http_server.url("/feed.xml"))
    [result] = feeds.refresh()
    assert result.status is RefreshStatus.FAILED and "loop" in result.message


def test_new_feed_url_moves_only_when_it_serves_a_feed(
    feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    new = http_server.url("/new.xml")
    moving = f"<itunes:new-feed-url>{new}</itunes:new-feed-url>"
    route = http_server.route("/old.xml", body=feed_body())
    podcast = feeds.subscribe(http_server.url("/old.xml")).podcast
    route.body = feed_body(extra_channel=moving)
    http_server.route("/new.xml", status=404)
    [result] = feeds.refresh()
    assert stored(library, podcast).url == http_server.url("/old.xml")
    assert any("stays at the old address" in w for w in result.warnings)
    http_server.route("/new.xml", body=feed_body(guids=("a", "b", "n")))
    [result] = feeds.refresh()
    assert stored(library, podcast).url == new
    assert result.counts is not None and result.counts.added == 1


def test_gone_feed_stops_polling_and_keeps_episodes(
    feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    http_server.route("/feed.xml", body=feed_body())
    podcast = feeds.subscribe(http_server.url("/feed.xml")).podcast
    assert podcast.id is not None
    http_server.route("/feed.xml", status=410, body=b"gone")
    [result] = feeds.refresh()
    assert result.status is RefreshStatus.GONE
    assert stored(library, podcast).refresh_status is RefreshStatus.GONE
    assert feeds.refresh() == []
    assert len(http_server.requests_for("/feed.xml")) == 2
    assert len(library.episodes.list_for_podcast(podcast.id)) == 2


@pytest.mark.parametrize(
    ("status", "expected", "words"),
    [
        (404, RefreshStatus.FAILED, "not found"),
        (500, RefreshStatus.FAILED, "try again later"),
        (401, RefreshStatus.NEEDS_LOGIN, "user name and password"),
    ],
)
def test_failures_are_recorded_and_retried(
    status: int,
    expected: RefreshStatus,
    words: str,
    feeds: FeedService,
    library: Library,
    http_server: TestHttpServer,
) -> None:
    route = http_server.route("/feed.xml", body=feed_body())
    podcast = feeds.subscribe(http_server.url("/feed.xml")).podcast
    assert podcast.id is not None
    http_server.route("/feed.xml", status=status, body=b"nope")
    [result] = feeds.refresh()
    assert result.status is expected and words in result.message
    assert "episodes were kept" in result.message
    again = stored(library, podcast)
    assert again.refresh_status is expected and words in again.refresh_error
    assert len(library.episodes.list_for_podcast(podcast.id)) == 2
    http_server.routes["/feed.xml"] = route
    route.body = feed_body(guids=("a", "b", "c"))
    [result] = feeds.refresh([podcast.id])
    assert result.status is RefreshStatus.OK


def test_credentials_are_stored_apart_and_sent(
    feeds: FeedService, library: Library, http_server: TestHttpServer, tmp_path: Path
) -> None:
    http_server.route("/private.xml", body=feed_body("Private"))
    address = http_server.url("/private.xml").replace("http://", "http://me:s3cret@")
    podcast = feeds.subscribe(address).podcast
    assert podcast.url == http_server.url("/private.xml")
    assert (podcast.username, library.podcasts.password(podcast)) == ("me", "s3cret")
    assert podcast.password_key is not None
    assert SecretStore(tmp_path / "config").get(podcast.password_key) == "s3cret"
    feeds.refresh()
    requests = http_server.requests_for("/private.xml")
    assert all(r.headers.get("Authorization", "").startswith("Basic ") for r in requests)
    assert len(requests) == 2
    http_server.route("/private.xml", status=503)
    [result] = feeds.refresh()
    assert "s3cret" not in result.message and "s3cret" not in stored(library, podcast).refresh_error


def test_unsubscribing_during_a_refresh_stores_nothing(
    feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    route = http_server.route("/feed.xml", body=feed_body())
    podcast = feeds.subscribe(http_server.url("/feed.xml")).podcast
    assert podcast.id is not None
    route.body = feed_body(guids=("a", "b", "c"))
    library.podcasts.delete(podcast.id)
    result = feeds.refresh_one(podcast)
    assert "unsubscribed during the refresh" in result.message
    assert library.episodes.list_for_podcast(podcast.id) == []


def test_truncated_or_huge_bodies_fail_without_losing_episodes(
    library: Library, client: HttpClient, http_server: TestHttpServer
) -> None:
    feeds = FeedService(library, client, max_feed_bytes=64 * 1024)
    route = http_server.route("/feed.xml", body=feed_body())
    podcast = feeds.subscribe(http_server.url("/feed.xml")).podcast
    assert podcast.id is not None
    full = feed_body(guids=("c", "d"))
    route.body = full[: len(full) - 40]
    [result] = feeds.refresh()
    assert result.status is RefreshStatus.FAILED and "ended early" in result.message
    route.body = feed_body(guids=tuple(f"g{n}" for n in range(2000)))
    [result] = feeds.refresh()
    assert result.status is RefreshStatus.FAILED and "larger than" in result.message
    route.body = b"\0" * 10_000_000
    route.gzip = True
    [result] = feeds.refresh()
    assert result.status is RefreshStatus.FAILED
    episodes = library.episodes.list_for_podcast(podcast.id)
    assert {e.guid for e in episodes} == {"a", "b"} and all(e.in_feed for e in episodes)


def test_gzip_feed(feeds: FeedService, http_server: TestHttpServer) -> None:
    http_server.route("/feed.xml", body=feed_body("Zipped"), gzip=True)
    assert feeds.subscribe(http_server.url("/feed.xml")).podcast.title == "Zipped"


def test_one_slow_feed_does_not_hold_up_the_others(
    feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    for number in range(6):
        http_server.route(f"/f{number}.xml", body=feed_body(f"F{number}"))
        feeds.subscribe(http_server.url(f"/f{number}.xml"))
    http_server.route("/f0.xml", body=feed_body("F0", ("new",)), trickle_interval=0.5)
    http_server.route("/f1.xml", status=500)
    for number in range(2, 6):
        http_server.route(f"/f{number}.xml", body=feed_body(f"F{number}", ("a", "b", "c")))
    seen: list[tuple[RefreshResult, int, int]] = []
    started = time.monotonic()
    results = feeds.refresh(progress=lambda result, done, total: seen.append((result, done, total)))
    elapsed = time.monotonic() - started
    assert elapsed < 6  # the trickling feed costs its 3 s deadline, not more
    assert [done for _, done, _ in seen] == [1, 2, 3, 4, 5, 6]
    assert {total for _, _, total in seen} == {6}
    by_title = {r.title: r for r in results}
    assert by_title["F0"].status is RefreshStatus.FAILED and "slowly" in by_title["F0"].message
    assert by_title["F1"].status is RefreshStatus.FAILED
    assert all(by_title[f"F{n}"].status is RefreshStatus.OK for n in range(2, 6))
    assert seen[-1][0].title == "F0"


def test_refresh_opens_at_most_two_connections_per_host(
    feeds: FeedService, http_server: TestHttpServer
) -> None:
    active: list[int] = []
    peak: list[int] = [0]
    lock = threading.Lock()

    def slow_feed(handler: BaseHTTPRequestHandler) -> None:
        with lock:
            active.append(1)
            peak[0] = max(peak[0], len(active))
        time.sleep(0.2)
        with lock:
            active.pop()
        body = feed_body(handler.path.strip("/"))
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    for number in range(6):
        http_server.route(f"/f{number}.xml", body=feed_body(f"f{number}.xml"))
        feeds.subscribe(http_server.url(f"/f{number}.xml"))
        http_server.route(f"/f{number}.xml", handler=slow_feed)
    results = feeds.refresh()
    assert [r.status for r in results] == [RefreshStatus.NOT_MODIFIED] * 6
    assert peak[0] == 2


def test_repeated_refreshes_reuse_their_workers(
    feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    for number in range(4):
        http_server.route(f"/f{number}.xml", body=feed_body(f"F{number}"))
        feeds.subscribe(http_server.url(f"/f{number}.xml"))
    for _ in range(5):
        feeds.refresh()
    assert len(library.db._connections) <= 5  # 4 workers and this thread, not one per run


def test_merge_is_all_or_nothing(
    feeds: FeedService,
    library: Library,
    http_server: TestHttpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    route = http_server.route("/feed.xml", body=feed_body(guids=("a", "b")))
    podcast = feeds.subscribe(http_server.url("/feed.xml")).podcast
    assert podcast.id is not None
    before = stored(library, podcast)
    route.body = feed_body(title="Changed", guids=("c", "d"))

    def crash(*args: object) -> None:
        raise RuntimeError("power cut mid-merge")

    monkeypatch.setattr(library.episodes, "mark_in_feed", crash)
    [result] = feeds.refresh()
    assert result.status is RefreshStatus.FAILED and "power cut" in result.message
    after = stored(library, podcast)
    assert (after.title, after.body_hash) == (before.title, before.body_hash)
    episodes = library.episodes.list_for_podcast(podcast.id)
    assert {e.guid for e in episodes} == {"a", "b"} and all(e.in_feed for e in episodes)


def test_unsubscribe_and_find(feeds: FeedService, library: Library, http_server: TestHttpServer):
    http_server.route("/one.xml", body=feed_body("Morning News"))
    http_server.route("/two.xml", body=feed_body("Evening News"))
    one = feeds.subscribe(http_server.url("/one.xml")).podcast
    feeds.subscribe(http_server.url("/two.xml"))
    assert feeds.find("morning").id == one.id
    assert feeds.find(str(one.id)).title == "Morning News"
    with pytest.raises(SubscribeError, match="several podcasts"):
        feeds.find("news")
    assert one.id is not None
    feeds.unsubscribe(one.id)
    assert [p.title for p in library.podcasts.list()] == ["Evening News"]
    with pytest.raises(SubscribeError, match="No podcast matches"):
        feeds.find("morning")


def _endless_feed(handler: BaseHTTPRequestHandler) -> None:
    """A 200 OK without a length whose items never end (stops by itself after 200 MB)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.close_connection = True
    chunk = b"<item><title>again</title><guid>same</guid></item>" * 1300  # about 64 KB
    try:
        handler.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>E</title>')
        for _ in range(200 * 1024 * 1024 // len(chunk)):
            handler.wfile.write(chunk)
    except OSError:
        return


def test_endless_body_stops_at_the_cap_and_keeps_episodes(
    feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    http_server.route("/feed.xml", body=feed_body())
    podcast = feeds.subscribe(http_server.url("/feed.xml")).podcast
    assert podcast.id is not None
    http_server.route("/feed.xml", handler=_endless_feed)
    started = time.monotonic()
    [result] = feeds.refresh()
    assert time.monotonic() - started < 10
    assert result.status is RefreshStatus.FAILED and "larger than 50 MB" in result.message
    assert "episodes were kept" in result.message
    episodes = library.episodes.list_for_podcast(podcast.id)
    assert {e.guid for e in episodes} == {"a", "b"} and all(e.in_feed for e in episodes)
    assert stored(library, podcast).title == "Show"


def test_slowloris_costs_one_deadline_and_keeps_episodes(
    feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    http_server.route("/slow.xml", body=feed_body("Slow"))
    http_server.route("/fast.xml", body=feed_body("Fast"))
    slow = feeds.subscribe(http_server.url("/slow.xml")).podcast
    feeds.subscribe(http_server.url("/fast.xml"))
    http_server.route("/slow.xml", handler=trickle_headers)
    http_server.route("/fast.xml", body=feed_body("Fast", ("a", "b", "c")))
    started = time.monotonic()
    results = {r.title: r for r in feeds.refresh()}
    assert time.monotonic() - started < 5  # the client's deadline is 3 s
    assert results["Slow"].status is RefreshStatus.FAILED
    assert "slowly" in results["Slow"].message and "episodes were kept" in results["Slow"].message
    assert results["Fast"].status is RefreshStatus.OK
    assert slow.id is not None and len(library.episodes.list_for_podcast(slow.id)) == 2


def test_redirect_from_a_remote_host_to_this_computer_is_refused(
    feeds: FeedService,
    library: Library,
    http_server: TestHttpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    remote = "feeds.example"
    real = socket.getaddrinfo

    def resolve(host: object, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host == remote else host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    http_server.route("/feed.xml", body=feed_body())
    remote_url = http_server.url("/feed.xml").replace("127.0.0.1", remote)
    podcast = feeds.subscribe(remote_url).podcast
    assert podcast.id is not None
    port = urlsplit(http_server.base_url).port
    http_server.route("/feed.xml", status=301, location=f"http://localhost:{port}/private.xml")
    http_server.route("/private.xml", body=feed_body("Private", ("x", "y", "z")))
    [result] = feeds.refresh()
    assert result.status is RefreshStatus.FAILED and "redirected to this computer" in result.message
    assert http_server.requests_for("/private.xml") == []
    assert stored(library, podcast).url == remote_url
    assert {e.guid for e in library.episodes.list_for_podcast(podcast.id)} == {"a", "b"}
    http_server.route("/other.xml", status=302, location=f"http://127.0.0.1:{port}/private.xml")
    with pytest.raises(SubscribeError, match="redirected to this computer"):
        feeds.preview(remote_url.replace("/feed.xml", "/other.xml"))
    assert http_server.requests_for("/private.xml") == []


@pytest.mark.parametrize("reference", ["&#xD800;", "&#57343;", "&#x110000;", "&#99999999999;"])
def test_impossible_character_references_are_dropped(
    reference: str, feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    route = http_server.route("/feed.xml", body=feed_body())
    http_server.route("/other.xml", body=feed_body("Other"))
    podcast = feeds.subscribe(http_server.url("/feed.xml")).podcast
    feeds.subscribe(http_server.url("/other.xml"))
    assert podcast.id is not None
    route.body = feed_body(guids=("a", "b", "c")).replace(
        b"<title>Episode c</title>", f"<title>Episode {reference}c</title>".encode()
    )
    http_server.route("/other.xml", body=feed_body("Other", ("a", "b", "c")))
    results = {r.title: r for r in feeds.refresh()}
    assert (
        results["Show"].status is RefreshStatus.OK and results["Other"].status is RefreshStatus.OK
    )
    titles = {e.guid: e.title for e in library.episodes.list_for_podcast(podcast.id)}
    assert set(titles) == {"a", "b", "c"}  # the lenient reading keeps the same identities
    assert titles["c"] in ("Episode c", f"Episode {reference}c")  # dropped, or shown as typed


def test_relative_media_resolves_against_the_address_the_feed_came_from(
    feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    relative = feed_body(media_base="media").replace(b'url="media/a.mp3"', b'url="  media/a.mp3 "')
    http_server.route("/start.xml", status=302, location=http_server.url("/shows/one/feed.xml"))
    http_server.route("/shows/one/feed.xml", body=relative)
    podcast = feeds.subscribe(http_server.url("/start.xml")).podcast
    assert podcast.id is not None and podcast.url == http_server.url("/start.xml")
    urls = {e.guid: e.enclosure_url for e in library.episodes.list_for_podcast(podcast.id)}
    assert urls == {
        "a": http_server.url("/shows/one/media/a.mp3"),
        "b": http_server.url("/shows/one/media/b.mp3"),
    }


def test_passwords_never_reach_logs_or_messages(
    feeds: FeedService,
    library: Library,
    http_server: TestHttpServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    http_server.route("/private.xml", body=feed_body("Private"))
    address = http_server.url("/private.xml").replace("http://", "http://me:s3cret@")
    podcast = feeds.subscribe(address).podcast
    assert podcast.id is not None
    caplog.set_level("DEBUG")
    messages: list[str] = []
    for answer in (
        {"status": 500},
        {"body": b"<rss><channel><item>cut off"},
        {"status": 301, "location": "file:///etc/passwd"},
        {"status": 302, "location": address},
    ):
        http_server.route("/private.xml", **answer)
        messages.extend(r.message for r in feeds.refresh())
        messages.append(stored(library, podcast).refresh_error)
    assert all(message for message in messages[::2])
    assert "s3cret" not in caplog.text and not any("s3cret" in m for m in messages)
    assert "s3cret" not in stored(library, podcast).url


def test_a_feed_that_lost_its_items_fails_and_purges_nothing(
    feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    route = http_server.route("/feed.xml", body=feed_body())
    podcast = feeds.subscribe(http_server.url("/feed.xml")).podcast
    assert podcast.id is not None
    route.body = feed_body(guids=())
    [result] = feeds.refresh()
    assert result.status is RefreshStatus.FAILED and "no episodes" in result.message
    episodes = library.episodes.list_for_podcast(podcast.id)
    assert {e.guid for e in episodes} == {"a", "b"} and all(e.in_feed for e in episodes)


def test_items_with_only_images_or_documents_are_kept_without_media(
    feeds: FeedService, library: Library, http_server: TestHttpServer
) -> None:
    no_media = (
        b"<item><title>Cover only</title><guid>c</guid>"
        b'<enclosure url="https://cdn.example.com/cover.jpg" type="image/jpeg" length="5"/>'
        b'<enclosure url="https://cdn.example.com/notes.pdf" type="application/pdf"/></item>'
    )
    http_server.route(
        "/feed.xml", body=feed_body().replace(b"</channel>", no_media + b"</channel>")
    )
    podcast = feeds.subscribe(http_server.url("/feed.xml")).podcast
    assert podcast.id is not None
    episodes = {e.guid: e for e in library.episodes.list_for_podcast(podcast.id)}
    assert episodes["c"].enclosure_url == "" and episodes["c"].title == "Cover only"
    assert episodes["a"].enclosure_url == "https://cdn.example.com/a.mp3"
