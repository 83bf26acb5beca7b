"""OPML subscription lists: read (nested outlines, problems reported by line) and write.

The written form matches gPodder's export (``title``, ``text``, ``type="rss"``, ``xmlUrl``), so
either program imports the other's file. Entity declarations are refused, like in feeds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from xml.parsers import expat

from podplayer.core.feeds.normalize import clean_text
from podplayer.core.http import split_credentials
from podplayer.core.models import Podcast

FEED_SCHEMES = frozenset({"http", "https"})


class OpmlError(Exception):
    """The file cannot be read as OPML; the message says where and why."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One subscription found in an OPML file."""

    url: str
    title: str
    line: int


@dataclass(slots=True)
class OpmlDocument:
    """The feeds of an OPML file, and sentences about entries that were skipped."""

    feeds: list[OpmlFeed] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    duplicates: int = 0


class _EntityDeclaredError(Exception):
    pass


def read_opml(data: bytes) -> OpmlDocument:
    """Every outline with a feed URL, at any depth; bad entries become problems, not errors."""
    document = OpmlDocument()
    seen: set[str] = set()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    root: list[str] = []

    def refuse(*_args: Any) -> int:
        raise _EntityDeclaredError

    def start(name: str, attrs: dict[str, str]) -> None:
        if not root:
            root.append(name)
        if name.lower() != "outline":
            return
        line = parser.CurrentLineNumber
        values = {key.lower(): value for key, value in attrs.items()}
        raw_url = clean_text(values.get("xmlurl") or values.get("url") or "")
        kind = values.get("type", "").strip().lower()
        if not raw_url:
            if kind in ("rss", "atom"):
                document.problems.append(f"Line {line}: the entry has no feed address (xmlUrl).")
            return
        url = raw_url
        scheme = urlsplit(url).scheme.lower()
        if scheme == "feed":
            rest = url[len("feed:") :]
            url = "https:" + rest if rest.startswith("//") else rest
            scheme = urlsplit(url).scheme.lower()
        if scheme not in FEED_SCHEMES:
            document.problems.append(
                f"Line {line}: {url[:200]!r} is not an http or https address; it was skipped."
            )
            return
        if url in seen:
            document.duplicates += 1
            return
        seen.add(url)
        title = clean_text(values.get("title") or values.get("text") or "")
        document.feeds.append(OpmlFeed(url=url, title=title[:500], line=line))

    parser.StartElementHandler = start
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(data, True)
    except _EntityDeclaredError:
        raise OpmlError(
            "The file declares XML entities, which podplayer refuses to read."
        ) from None
    except expat.ExpatError as exc:
        raise OpmlError(
            f"The file is not valid OPML: {expat.errors.messages[exc.code]} at line {exc.lineno}."
        ) from None
    if not root or root[0].lower() != "opml":
        raise OpmlError("The file is XML but not OPML (it has no <opml> element).")
    return document


def write_opml(podcasts: Iterable[Podcast], title: str = "podplayer subscriptions") -> bytes:
    """An OPML 2.0 document listing the podcasts (no credentials), as gPodder writes it."""
    # Imported here: xml.sax.saxutils imports urllib.request, http.client and ssl (~6 MB), and the
    # email package costs ~1.3 MB; the window does not need them at startup.
    from email.utils import formatdate
    from xml.sax.saxutils import quoteattr

    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{_escape(title)}</title>",
        f"    <dateCreated>{formatdate(usegmt=True)}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    for podcast in podcasts:
        lines.append(
            f"    <outline title={quoteattr(_attribute(podcast.title))}"
            f" text={quoteattr(_attribute(podcast.description or podcast.title))}"
            f' type="rss" xmlUrl={quoteattr(_attribute(split_credentials(podcast.url)[0]))}/>'
        )
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")


def _attribute(text: str) -> str:
    """Attribute-safe text: no control characters, newlines folded to spaces."""
    return " ".join(clean_text(text).split())


def _escape(text: str) -> str:
    from xml.sax.saxutils import quoteattr

    return quoteattr(_attribute(text))[1:-1]
