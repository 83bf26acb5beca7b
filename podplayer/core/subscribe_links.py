"""Turns what a desktop hands the app (feed://, podcast:// links, feed URLs) into a feed URL."""

from __future__ import annotations

from urllib.parse import urlsplit

# Link schemes that browsers and podcast directories use for "subscribe in your podcast app".
SUBSCRIBE_SCHEMES = ("feed", "podcast", "itpc", "pcast")
_WEB_SCHEMES = ("http", "https")
MAX_LINK_LENGTH = 4096


def feed_url_from_link(text: str) -> str | None:
    """The http(s) feed URL a link or URL names, or None when it names no web feed.

    ``feed://host/x`` and ``podcast://host/x`` become ``https://host/x`` (as FeedService reads
    ``feed://``); ``feed:https://host/x`` and ``feed:http://host/x`` keep their inner URL.
    """
    text = text.strip()
    if not text or len(text) > MAX_LINK_LENGTH or any(ord(char) < 32 for char in text):
        return None
    scheme, _, rest = text.partition(":")
    scheme = scheme.lower()
    if scheme in SUBSCRIBE_SCHEMES:
        inner_scheme = rest.partition(":")[0].lower()
        candidate = rest if inner_scheme in _WEB_SCHEMES else f"https:{rest}"
    elif scheme in _WEB_SCHEMES:
        candidate = text
    else:
        return None
    try:
        parts = urlsplit(candidate)
        hostname = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in _WEB_SCHEMES or not hostname:
        return None
    return candidate


def is_subscribe_link(text: str) -> bool:
    """True for a feed://, podcast:// (and similar) link or an http(s) URL."""
    return feed_url_from_link(text) is not None


def split_subscribe_links(
    arguments: list[str], options_with_value: tuple[str, ...] = ("--data-dir",)
) -> tuple[list[str], list[str]]:
    """Split ``podplayer [options] LINK...`` into (options, links); a command line whose first
    positional argument is no link (a subcommand) comes back whole with no links."""
    options: list[str] = []
    expecting_value = False
    for index, token in enumerate(arguments):
        if expecting_value or token in options_with_value or token.startswith("-"):
            options.append(token)
            expecting_value = not expecting_value and token in options_with_value
            continue
        if not is_subscribe_link(token):
            return list(arguments), []
        remaining = arguments[index:]
        links = [item for item in remaining if is_subscribe_link(item)]
        return options + [item for item in remaining if not is_subscribe_link(item)], links
    return options, []
