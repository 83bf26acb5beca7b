"""Finds the feeds a web page links (``<link rel="alternate" type="application/rss+xml">``)."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from podplayer.core.feeds.normalize import clean_text

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/xml"})
MAX_CHOICES = 20
_SCANNED_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed a page offers: where it is and what the page calls it."""

    url: str
    title: str


class _FeedLinkCollector(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.links: list[FeedLink] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link" or len(self.links) >= MAX_CHOICES:
            return
        values = {name: (value or "") for name, value in attrs}
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        href = values.get("href", "").strip()
        if "alternate" not in rels or kind not in FEED_TYPES or not href:
            return
        url = urljoin(self.page_url, href)
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            return
        if all(link.url != url for link in self.links):
            self.links.append(FeedLink(url, clean_text(values.get("title", ""))[:200]))


def discover_feeds(page: bytes, page_url: str) -> list[FeedLink]:
    """The feeds a page links, in page order (web addresses only, duplicates removed)."""
    collector = _FeedLinkCollector(page_url)
    collector.feed(page[:_SCANNED_BYTES].decode("utf-8", "replace"))
    collector.close()
    return collector.links
