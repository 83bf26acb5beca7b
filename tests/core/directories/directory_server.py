"""The three directories' documented answers, served by the test HTTP server on 127.0.0.1.

Shapes from the APIs' documentation: iTunes Search API (``resultCount``, ``results``), fyyd API
0.2 (``status``, ``data``), Podcast Index 1.0 ``search/byterm`` (``status``, ``feeds``, ``count``).
"""

from __future__ import annotations

import json
from typing import Any

from podplayer.core.settings import (
    ENABLED_DIRECTORIES,
    FYYD_URL,
    ITUNES_URL,
    PODCASTINDEX_KEY,
    PODCASTINDEX_SECRET,
    PODCASTINDEX_URL,
    UserSettings,
)
from tests.http_server import TestHttpServer

ITUNES = "/itunes"
FYYD = "/fyyd"
PODCASTINDEX = "/pi"
SEARCH_PATHS = {
    "itunes": f"{ITUNES}/search",
    "fyyd": f"{FYYD}/0.2/search/podcast",
    "podcastindex": f"{PODCASTINDEX}/api/1.0/search/byterm",
}


class DictValues:
    """The library's settings table, or the secret store, in memory (the clients' tests)."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value

    def delete(self, key: str) -> None:
        self.values.pop(key, None)


def directory_settings(
    server: TestHttpServer, enabled: tuple[str, ...] = ("itunes", "fyyd", "podcastindex")
) -> UserSettings:
    settings = UserSettings(DictValues(), DictValues())
    point_at(settings, server, enabled)
    return settings


def point_at(
    settings: UserSettings,
    server: TestHttpServer,
    enabled: tuple[str, ...] = ("itunes", "fyyd", "podcastindex"),
) -> None:
    settings.set(ITUNES_URL, server.url(ITUNES))
    settings.set(FYYD_URL, server.url(FYYD))
    settings.set(PODCASTINDEX_URL, server.url(PODCASTINDEX))
    settings.set(PODCASTINDEX_KEY, "UXKCGDSYGUUEVQJSYDZH")
    settings.set(PODCASTINDEX_SECRET, "yzJe2eE7XV-3eY576dyRZ6wXyAbndh6LUrCZ8KN|")
    settings.set(ENABLED_DIRECTORIES, list(enabled))


def itunes_entry(title: str, feed_url: str | None, **extra: Any) -> dict[str, Any]:
    artwork = extra.pop("artwork", "https://is1-ssl.mzstatic.com/image/600x600bb.jpg")
    entry: dict[str, Any] = {
        "wrapperType": "track",
        "kind": "podcast",
        "collectionId": extra.pop("collection_id", 1000),
        "artistName": extra.pop("author", "Apple Artist"),
        "collectionName": title,
        "trackName": title,
        "artworkUrl100": artwork.replace("600x600", "100x100"),
        "artworkUrl600": artwork,
        "trackCount": extra.pop("count", 120),
        "releaseDate": "2024-05-03T10:00:00Z",
        "primaryGenreName": "News",
        "genres": ["News", "Podcasts"],
        **extra,
    }
    if feed_url is not None:
        entry["feedUrl"] = feed_url
    return entry


def itunes_body(entries: list[dict[str, Any]]) -> bytes:
    return json.dumps({"resultCount": len(entries), "results": entries}).encode()


def fyyd_entry(title: str, feed_url: str | None, **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "title": title,
        "id": extra.pop("fyyd_id", 42),
        "htmlURL": "https://example.org/",
        "imgURL": extra.pop("artwork", "https://img.fyyd.de/pd/layout/42.jpg"),
        "status": 200,
        "slug": "show",
        "layoutImageURL": "https://img.fyyd.de/pd/layout/42.jpg",
        "thumbImageURL": "https://img.fyyd.de/pd/thumbs/42.jpg",
        "smallImageURL": "https://img.fyyd.de/pd/small/42.jpg",
        "microImageURL": "https://img.fyyd.de/pd/micro/42.jpg",
        "language": "en",
        "lastpoll": "2024-05-04 10:00:00",
        "generator": "",
        "categories": [],
        "lastpub": "2024-05-04T06:00:00+02:00",
        "rank": 1,
        "url_fyyd": "https://fyyd.de/podcast/show/0",
        "description": "<p>About the <b>show</b></p>",
        "subtitle": "",
        "author": extra.pop("author", "fyyd Author"),
        "episode_count": extra.pop("count", 118),
        **extra,
    }
    if feed_url is not None:
        entry["xmlURL"] = feed_url
    return entry


def fyyd_body(entries: list[dict[str, Any]]) -> bytes:
    return json.dumps(
        {
            "status": 1,
            "msg": "ok",
            "meta": {"paging": {"count": 10, "page": 0, "first_page": 0, "last_page": 0}},
            "data": entries,
        }
    ).encode()


def podcastindex_entry(title: str, feed_url: str | None, **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": extra.pop("pi_id", 920666),
        "podcastGuid": extra.pop("guid", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
        "title": title,
        "originalUrl": feed_url,
        "link": "https://example.org/",
        "description": "About the show",
        "author": extra.pop("author", "Index Author"),
        "ownerName": "Owner",
        "image": "https://example.org/image.jpg",
        "artwork": extra.pop("artwork", "https://example.org/artwork.jpg"),
        "lastUpdateTime": 1714800000,
        "lastCrawlTime": 1714800000,
        "lastParseTime": 1714800000,
        "lastGoodHttpStatusTime": 1714800000,
        "lastHttpStatus": 200,
        "contentType": "application/rss+xml",
        "itunesId": 1000,
        "language": "en",
        "explicit": False,
        "type": 0,
        "medium": "podcast",
        "dead": 0,
        "episodeCount": extra.pop("count", 121),
        "crawlErrors": 0,
        "parseErrors": 0,
        "categories": {"55": "News"},
        "locked": 0,
        "imageUrlHash": 1,
        "newestItemPubdate": 1714900000,
        **extra,
    }
    if feed_url is not None:
        entry["url"] = feed_url
    else:
        entry.pop("originalUrl")
    return entry


def podcastindex_body(entries: list[dict[str, Any]]) -> bytes:
    return json.dumps(
        {
            "status": "true",
            "feeds": entries,
            "count": len(entries),
            "query": "news",
            "description": "Found matching feeds",
        }
    ).encode()


def serve(server: TestHttpServer, directory: str, body: bytes, **route: Any) -> None:
    server.route(SEARCH_PATHS[directory], body=body, content_type="application/json", **route)
