"""Podcast Index (podcastindex.org): searched with the user's own API key and secret."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from podplayer.core.directories.json_fetch import (
    MAX_RESULTS,
    directory_answer,
    fetch_json,
)
from podplayer.core.directories.results import DirectoryAnswer, DirectoryResult, plain_text, web_url
from podplayer.core.http import USER_AGENT, HttpClient

NAME = "Podcast Index"


def auth_headers(key: str, secret: str, now: float, user_agent: str = USER_AGENT) -> dict[str, str]:
    """The documented headers: Authorization is the hex SHA-1 of key + secret + date."""
    date = str(int(now))
    digest = hashlib.sha1(f"{key}{secret}{date}".encode(), usedforsecurity=False).hexdigest()
    return {
        "User-Agent": user_agent,
        "X-Auth-Key": key,
        "X-Auth-Date": date,
        "Authorization": digest,
    }


class PodcastIndexDirectory:
    name = NAME

    def __init__(
        self,
        http: HttpClient,
        base_url: str,
        key: str,
        secret: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self.base_url = base_url.rstrip("/")
        self._key = key
        self._secret = secret
        self._clock = clock

    def search(self, term: str) -> DirectoryAnswer:
        query = urlencode({"q": term, "max": MAX_RESULTS})
        headers = auth_headers(self._key, self._secret, self._clock(), self._http.user_agent)
        data = fetch_json(
            self._http, NAME, f"{self.base_url}/api/1.0/search/byterm?{query}", headers
        )
        return directory_answer(NAME, data, ("feeds",), _result)


def _result(entry: Any) -> DirectoryResult | None:
    if not isinstance(entry, dict):
        return None
    feed_url = web_url(entry.get("url")) or web_url(entry.get("originalUrl"))
    if not feed_url:
        return None
    count = entry.get("episodeCount")
    newest = entry.get("newestItemPubdate") or entry.get("lastUpdateTime")
    guid = entry.get("podcastGuid")
    return DirectoryResult(
        title=plain_text(entry.get("title")),
        feed_url=feed_url,
        author=plain_text(entry.get("author")) or plain_text(entry.get("ownerName")),
        artwork_url=web_url(entry.get("artwork")) or web_url(entry.get("image")),
        episode_count=count if isinstance(count, int) and count >= 0 else None,
        last_published=float(newest)
        if isinstance(newest, int) and not isinstance(newest, bool) and newest > 0
        else None,
        podcast_guid=plain_text(guid, 64) if isinstance(guid, str) else "",
        sources=(NAME,),
        directory_id=str(entry.get("id", "")),
    )
