"""What a directory says about a podcast, and merging several directories' answers into one list."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from podplayer.core.feeds.normalize import clean_text

MAX_TEXT = 300
# C1 controls (a terminal may read U+009B as an escape) and bidirectional overrides.
_UNSHOWN = re.compile("[\x80-\x9f\u202a-\u202e\u2066-\u2069]")

# Redirect services that wrap a feed or media URL for statistics: the real URL follows them.
_TRACKING_PREFIXES = re.compile(
    r"^(?:"
    r"(?:www\.)?podtrac\.com/pts/redirect\.[a-z0-9]+/"
    r"|dts\.podtrac\.com/redirect\.[a-z0-9]+/"
    r"|chrt\.fm/track/[^/]+/"
    r"|chtbl\.com/track/[^/]+/"
    r"|pdst\.fm/e/"
    r"|pfx\.vpixl\.com/[^/]+/"
    r"|op3\.dev/e/"
    r"|arttrk\.com/p/[^/]+/"
    r"|verifi\.podscribe\.com/rss/p/"
    r"|pscrb\.fm/rss/p/"
    r"|mgln\.ai/e/[^/]+/"
    r"|claritaspod\.com/measure/"
    r"|prfx\.byspotify\.com/e/"
    r")",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DirectoryResult:
    """One podcast as a directory lists it; text is plain, ``feed_url`` is http(s)."""

    title: str
    feed_url: str
    author: str = ""
    artwork_url: str = ""
    episode_count: int | None = None
    last_published: float | None = None  # Unix seconds
    podcast_guid: str = ""
    sources: tuple[str, ...] = ()  # directory labels, e.g. ("iTunes", "fyyd")
    directory_id: str = ""  # the first directory's own id (Apple's collectionId ...)


@dataclass(slots=True)
class DirectoryAnswer:
    """One directory's answer: its results and short notes on what it left out or why it failed."""

    directory: str
    results: list[DirectoryResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failed: bool = False


def plain_text(value: object, limit: int = MAX_TEXT) -> str:
    """A directory's string as one clean line of plain text (markup stays literal)."""
    if not isinstance(value, str):
        return ""
    text = " ".join(_UNSHOWN.sub("", clean_text(value)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def web_url(value: object) -> str:
    """``value`` if it is an http(s) URL with a host, else ""."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if len(text) > 2048 or any(ord(char) < 33 for char in text):
        return ""
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return ""
    return text if parts.scheme.lower() in ("http", "https") and host else ""


def names_this_computer(url: str) -> bool:
    """The URL's host is this computer (localhost, 127/8, ::1, 0.0.0.0) written out."""
    import ipaddress

    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


def from_afar(answer: DirectoryAnswer) -> DirectoryAnswer:
    """A remote directory's answer without feeds or artwork on this computer: a directory must
    not make podplayer fetch from local services. (A directory on this computer may.)"""
    kept = [r for r in answer.results if not names_this_computer(r.feed_url)]
    if len(kept) < len(answer.results):
        left = len(answer.results) - len(kept)
        answer.notes.append(
            f"{answer.directory}: {left} {'entries' if left != 1 else 'entry'} pointing at "
            "this computer left out."
        )
    answer.results = [
        replace(r, artwork_url="") if names_this_computer(r.artwork_url) else r for r in kept
    ]
    return answer


def feed_key(url: str) -> str:
    """The same feed whatever the spelling: no scheme, lower-case host, no tracking prefix,
    no default port, no trailing slash."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    rest = f"{parts.netloc}{parts.path}"
    while True:
        match = _TRACKING_PREFIXES.match(rest)
        if match is None:
            break
        rest = rest[match.end() :]
        if rest.lower().startswith(("http://", "https://")):
            rest = rest.split("://", 1)[1]
    host, _, path = rest.partition("/")
    host = host.lower().rsplit("@", 1)[-1]
    host = re.sub(r":(80|443)$", "", host).removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}/{path.rstrip('/')}{query}"


def merge_results(
    merged: list[DirectoryResult], arriving: Iterable[DirectoryResult]
) -> list[DirectoryResult]:
    """``merged`` with ``arriving`` added: the same feed (URL key or podcast:guid) becomes one
    entry that lists every directory knowing it and fills in what the first one lacked."""
    out = list(merged)
    by_key = {feed_key(result.feed_url): index for index, result in enumerate(out)}
    by_guid = {result.podcast_guid: i for i, result in enumerate(out) if result.podcast_guid}
    for result in arriving:
        key = feed_key(result.feed_url)
        index = by_key.get(key)
        if index is None and result.podcast_guid:
            index = by_guid.get(result.podcast_guid)
        if index is None:
            by_key[key] = len(out)
            if result.podcast_guid:
                by_guid[result.podcast_guid] = len(out)
            out.append(result)
            continue
        out[index] = _combined(out[index], result)
        by_key.setdefault(key, index)
        if result.podcast_guid:
            by_guid.setdefault(result.podcast_guid, index)
    return out


def _combined(first: DirectoryResult, other: DirectoryResult) -> DirectoryResult:
    sources = first.sources + tuple(s for s in other.sources if s not in first.sources)
    return replace(
        first,
        author=first.author or other.author,
        artwork_url=first.artwork_url or other.artwork_url,
        episode_count=first.episode_count
        if first.episode_count is not None
        else other.episode_count,
        last_published=max(
            (t for t in (first.last_published, other.last_published) if t is not None),
            default=None,
        ),
        podcast_guid=first.podcast_guid or other.podcast_guid,
        sources=sources,
    )
