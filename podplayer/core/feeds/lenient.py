"""feedparser's forgiving parser for malformed feeds, taught to keep every podcast-namespace tag.

feedparser keeps only the last ``<podcast:transcript>`` of an item and runs an author regex that
is quadratic on long input; this subclass records every transcript and chapters tag under any
prefix and bounds the author text. It never fetches: it is handed bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import feedparser.api
import feedparser.encodings
import feedparser.sanitizer
from feedparser.util import FeedParserDict

from podplayer.core.feeds.namespaces import PODCAST_NAMESPACES

MAX_AUTHOR_CHARACTERS = 512


class _PodcastLooseParser(feedparser.api.LooseFeedParser):  # type: ignore[misc]
    """LooseFeedParser plus list-valued podcast:transcript and podcast:chapters."""

    namespaces: ClassVar[dict[str, str]] = {
        **feedparser.api.LooseFeedParser.namespaces,
        **{namespace: "podcast" for namespace in PODCAST_NAMESPACES},
    }
    _matchnamespaces: ClassVar[dict[str, str]] = {}
    # A guid is an identity, kept as written (as the strict parser does), never made absolute.
    can_be_relative_uri: ClassVar[set[str]] = feedparser.api.LooseFeedParser.can_be_relative_uri - {
        "id"
    }

    def unknown_starttag(self, tag: str, attrs: list[tuple[str, str]]) -> None:
        """Keep the document's first xml:base outside items, as the strict parser does."""
        if not self.inentry and "podplayer_base" not in self.feeddata:
            base = dict(attrs).get("xml:base")
            if base:
                self.feeddata["podplayer_base"] = base.strip()
        super().unknown_starttag(tag, attrs)

    def _start_podcast_liveitem(self, attrs_d: dict[str, str]) -> None:
        """A live item is no episode and its fields are not the channel's: read it, drop it."""
        self._start_item(attrs_d)

    def _end_podcast_liveitem(self) -> None:
        self._end_item()
        self.entries.pop()

    def _start_podcast_transcript(self, attrs_d: dict[str, str]) -> None:
        context = self._get_context()
        context.setdefault("podcast_transcripts", []).append(dict(attrs_d))

    def _start_podcast_chapters(self, attrs_d: dict[str, str]) -> None:
        context = self._get_context()
        context.setdefault("podcast_chapters", []).append(dict(attrs_d))

    def handle_charref(self, ref: str) -> None:
        """Drop references to no character (surrogates, past U+10FFFF): feedparser raises."""
        try:
            code = int(ref[1:], 16) if ref[:1] in ("x", "X") else int(ref)
        except ValueError:
            return
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return
        super().handle_charref(ref)

    def _sync_author_detail(self, key: str = "author") -> None:
        """Keep an author element's text as written (feedparser rewrites it), and bound it
        before feedparser's email regex (quadratic) sees it."""
        context = self._get_context()
        author = context.get(key)
        if isinstance(author, str):
            author = author[:MAX_AUTHOR_CHARACTERS]
            context[key] = author
            details = context.get(f"{key}s") or [{}]
            if key == "author" and author.strip() and not details[-1]:
                context["podplayer_author"] = author
        super()._sync_author_detail(key)

    def _start_podcast_season(self, attrs_d: dict[str, str]) -> None:
        """The number is the text; feedparser would keep only the attributes (name=...)."""
        self.push("podcast_season", 1)

    def _end_podcast_season(self) -> None:
        self.pop("podcast_season")

    def _start_podcast_episode(self, attrs_d: dict[str, str]) -> None:
        self.push("podcast_episode", 1)

    def _end_podcast_episode(self) -> None:
        self.pop("podcast_episode")


def parse_with_feedparser(
    body: bytes, url: str, headers: Mapping[str, str]
) -> tuple[FeedParserDict, list[FeedParserDict]]:
    """(feed, entries) from feedparser's loose parser; HTML is neither sanitized nor rewritten."""
    result = FeedParserDict(bozo=False, entries=[], feed=FeedParserDict(), headers={})
    result["headers"].update({name.lower(): value for name, value in headers.items()})
    data = feedparser.encodings.convert_to_utf8(result["headers"], body, result)
    version, data, entities = feedparser.sanitizer.replace_doctype(data)
    parser: Any = _PodcastLooseParser(url, None, "utf-8", entities)
    parser.resolve_relative_uris = False
    parser.sanitize_html = False
    parser.feed(data.decode("utf-8", "replace"))
    feed = parser.feeddata
    feed["version"] = version or parser.version
    return feed, list(parser.entries)
