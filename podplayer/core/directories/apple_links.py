"""Apple Podcasts links (podcasts.apple.com/.../id123456): the Apple id they name."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

APPLE_HOSTS = ("podcasts.apple.com", "itunes.apple.com")
_ID = re.compile(r"/id(\d{1,15})(?:$|[/?#])")


def apple_podcast_id(text: str) -> str | None:
    """The podcast's Apple id when ``text`` is an Apple Podcasts link, else None."""
    text = text.strip()
    if "://" not in text:
        text = f"https://{text}"
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https", "itms", "itms-podcasts", "itpc"):
        return None
    if host not in APPLE_HOSTS:
        return None
    match = _ID.search(parts.path)
    if match is None:
        match = re.search(r"(?:^|&)id=(\d{1,15})(?:&|$)", parts.query)
    return match.group(1) if match else None
