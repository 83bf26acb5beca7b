"""fyyd (fyyd.de): an open podcast directory, no key needed."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from podplayer.core.directories.json_fetch import (
    MAX_RESULTS,
    directory_answer,
    fetch_json,
)
from podplayer.core.directories.results import DirectoryAnswer, DirectoryResult, plain_text, web_url
from podplayer.core.feeds.normalize import parse_date
from podplayer.core.http import HttpClient

NAME = "fyyd"


class FyydDirectory:
    name = NAME

    def __init__(self, http: HttpClient, base_url: str) -> None:
        self._http = http
        self.base_url = base_url.rstrip("/")

    def search(self, term: str) -> DirectoryAnswer:
        query = urlencode({"title": term, "count": MAX_RESULTS})
        data = fetch_json(self._http, NAME, f"{self.base_url}/0.2/search/podcast?{query}")
        return directory_answer(NAME, data, ("data",), _result)


def _result(entry: Any) -> DirectoryResult | None:
    if not isinstance(entry, dict):
        return None
    feed_url = web_url(entry.get("xmlURL"))
    if not feed_url:
        return None
    count = entry.get("episode_count")
    last = entry.get("lastpub")
    return DirectoryResult(
        title=plain_text(entry.get("title")),
        feed_url=feed_url,
        author=plain_text(entry.get("author")),
        artwork_url=web_url(entry.get("imgURL")),
        episode_count=count if isinstance(count, int) and count >= 0 else None,
        last_published=parse_date(last) if isinstance(last, str) else None,
        sources=(NAME,),
        directory_id=str(entry.get("id", "")),
    )
