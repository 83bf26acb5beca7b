"""The iTunes Search API: search, lookup by Apple id (Apple Podcasts links) and the top chart."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from podplayer.core.directories.json_fetch import (
    MAX_RESULTS,
    DirectoryError,
    directory_answer,
    entries,
    fetch_json,
)
from podplayer.core.directories.results import DirectoryAnswer, DirectoryResult, plain_text, web_url
from podplayer.core.feeds.normalize import parse_date
from podplayer.core.http import HttpClient

NAME = "iTunes"
TOP_COUNT = 25


class ItunesDirectory:
    """Apple's public podcast directory (no key needed)."""

    name = NAME

    def __init__(self, http: HttpClient, base_url: str) -> None:
        self._http = http
        self.base_url = base_url.rstrip("/")

    def search(self, term: str) -> DirectoryAnswer:
        query = urlencode(
            {"media": "podcast", "entity": "podcast", "term": term, "limit": MAX_RESULTS}
        )
        return self._answer(fetch_json(self._http, NAME, f"{self.base_url}/search?{query}"))

    def lookup(self, apple_ids: list[str]) -> DirectoryAnswer:
        """The podcasts with these Apple ids (the number after ``id`` in a link)."""
        query = urlencode({"id": ",".join(apple_ids), "entity": "podcast"})
        return self._answer(fetch_json(self._http, NAME, f"{self.base_url}/lookup?{query}"))

    def top(self, country: str) -> DirectoryAnswer:
        """Apple's top-podcasts chart for a country: the chart's ids, then one lookup for feeds."""
        chart = fetch_json(
            self._http, NAME, f"{self.base_url}/{country}/rss/toppodcasts/limit={TOP_COUNT}/json"
        )
        ids = [_chart_id(entry) for entry in entries(chart, NAME, "feed", "entry")]
        ids = [apple_id for apple_id in ids if apple_id]
        if not ids:
            raise DirectoryError(f"{NAME} sent an empty top chart.")
        answer = self.lookup(ids)
        order = {apple_id: index for index, apple_id in enumerate(ids)}
        answer.results.sort(key=lambda result: order.get(result.directory_id, len(order)))
        return answer

    def _answer(self, data: Any) -> DirectoryAnswer:
        return directory_answer(NAME, data, ("results",), _result)


def _result(entry: Any) -> DirectoryResult | None:
    if not isinstance(entry, dict):
        return None
    feed_url = web_url(entry.get("feedUrl"))
    if not feed_url:
        return None
    count = entry.get("trackCount")
    released = entry.get("releaseDate")
    return DirectoryResult(
        title=plain_text(entry.get("collectionName")) or plain_text(entry.get("trackName")),
        feed_url=feed_url,
        author=plain_text(entry.get("artistName")),
        artwork_url=web_url(entry.get("artworkUrl600")) or web_url(entry.get("artworkUrl100")),
        episode_count=count if isinstance(count, int) and count >= 0 else None,
        last_published=parse_date(released) if isinstance(released, str) else None,
        sources=(NAME,),
        directory_id=str(entry.get("collectionId", "")),
    )


def _chart_id(entry: Any) -> str:
    """``entry.id.attributes["im:id"]`` of Apple's chart JSON."""
    if not isinstance(entry, dict):
        return ""
    node = entry.get("id")
    attributes = node.get("attributes") if isinstance(node, dict) else None
    value = attributes.get("im:id") if isinstance(attributes, dict) else None
    return value if isinstance(value, str) and value.isdigit() else ""
