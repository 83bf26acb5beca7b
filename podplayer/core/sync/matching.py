"""Which local episode a server's action means: by guid first, then by enclosure URL.

Enclosure URLs differ between apps for the same file: one feed fetch went through a tracking
redirect (podtrac, chartable, op3 ...), another app escaped ``:`` as ``%3A``, a third used http
instead of https. ``enclosure_key`` reduces a URL to what identifies the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

# Prefixes of measurement services that put the real address at the end of their own.
_TRACKING_PREFIXES = re.compile(
    r"^(?:"
    r"(?:www\.|dts\.)?podtrac\.com/(?:pts/)?redirect\.[a-z0-9]+/"
    r"|(?:chtbl\.com|chrt\.fm)/track/[^/]+/"
    r"|pdst\.fm/e/"
    r"|op3\.dev/e(?:,[^/]*)?/"
    r"|pfx\.vpixl\.com/[^/]+/"
    r"|mgln\.ai/e/[^/]+/"
    r"|tracking\.swap\.fm/track/[^/]+/"
    r"|arttrk\.com/p/[^/]+/"
    r"|verifi\.podscribe\.com/rss/p/"
    r"|claritaspod\.com/measure/"
    r"|prfx\.byspotify\.com/e/"
    r"|pscrb\.fm/rss/p/"
    r")",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:/+", re.IGNORECASE)
_TRACKING_QUERY_KEYS = frozenset({"utm_source", "utm_medium", "utm_campaign", "utm_content"})


def enclosure_key(url: str) -> str:
    """``url`` without scheme, tracking prefixes, escapes, ``www.`` or tracking parameters."""
    rest = _SCHEME.sub("", unquote(url.strip()), count=1)
    while True:
        stripped = _TRACKING_PREFIXES.sub("", rest, count=1)
        if stripped == rest:
            break
        rest = _SCHEME.sub("", stripped, count=1)
    parts = urlsplit(f"//{rest}")
    host = (parts.hostname or "").removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in _TRACKING_QUERY_KEYS]
    key = f"{host}{port}{parts.path}"
    return f"{key}?{urlencode(query)}" if query else key


@dataclass(frozen=True, slots=True)
class EpisodeRef:
    """What matching needs of a local episode."""

    episode_id: int
    podcast_url: str
    guid: str
    enclosure_url: str


class EpisodeIndex:
    """Finds local episodes for remote actions; built once per sync."""

    def __init__(self, episodes: Iterable[EpisodeRef]) -> None:
        self._by_guid: dict[str, list[EpisodeRef]] = {}
        self._by_key: dict[str, EpisodeRef] = {}
        for ref in episodes:
            if ref.guid:
                self._by_guid.setdefault(ref.guid, []).append(ref)
            if ref.enclosure_url:
                self._by_key.setdefault(enclosure_key(ref.enclosure_url), ref)

    def find(self, podcast_url: str, episode_url: str, guid: str | None) -> EpisodeRef | None:
        """The episode by guid (the same podcast's when guids repeat), else by enclosure URL."""
        if guid:
            candidates = self._by_guid.get(guid, [])
            for ref in candidates:
                if ref.podcast_url == podcast_url:
                    return ref
            if len(candidates) == 1:
                return candidates[0]
        return self._by_key.get(enclosure_key(episode_url)) if episode_url else None
