"""Feed bytes in, ParsedFeed out: no I/O, safe against entity tricks, fast on big feeds.

Well-formed RSS 2.0, RSS 1.0 and Atom go through one streaming expat pass that keeps what a podcast
player needs (every ``<podcast:transcript>``, ``<podcast:chapters>``, ``podcast:guid``, whatever
prefix the feed binds). Documents expat rejects as malformed (an unescaped ``&``, a stray byte of
another encoding) get a second chance with feedparser's forgiving parser, extended to keep the
same podcast-namespace tags. Entity declarations are refused outright: no billion laughs, no XXE.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urljoin
from xml.parsers import expat

from podplayer.core.chapters.podlove import PODLOVE_NAMESPACE, podlove_chapters
from podplayer.core.feeds.namespaces import PODCAST_NAMESPACES
from podplayer.core.feeds.normalize import (
    WEB_SCHEMES,
    clean_text,
    media_schemes,
    parse_date,
    parse_duration,
    parse_length,
    parse_small_number,
    resolve_url,
)
from podplayer.core.feeds.parsed import ParsedEpisode, ParsedFeed
from podplayer.core.models import ChapterRef, TranscriptRef

_PREFIX_BY_NAMESPACE = {
    "http://purl.org/rss/1.0/": "",
    "http://backend.userland.com/rss2": "",
    "http://blogs.law.harvard.edu/tech/rss": "",
    "http://www.w3.org/2005/atom": "atom:",
    "http://purl.org/atom/ns#": "atom:",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes:",
    "http://purl.org/rss/1.0/modules/content/": "content:",
    "http://search.yahoo.com/mrss/": "media:",
    "http://search.yahoo.com/mrss": "media:",
    "http://purl.org/dc/elements/1.1/": "dc:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.google.com/schemas/play-podcasts/1.0": "googleplay:",
    **{namespace.lower(): "podcast:" for namespace in PODCAST_NAMESPACES},
    PODLOVE_NAMESPACE: "psc:",
}
_XML_BASE = "http://www.w3.org/XML/1998/namespace base"
_FEED_ROOTS = frozenset({"rss", "atom:feed", "rdf:rdf"})
_CHANNELS = frozenset({"channel", "atom:feed"})
_ITEM_PARENTS = frozenset({"channel", "atom:feed", "rdf:rdf"})
_ITEMS = frozenset({"item", "atom:entry"})
_ITEM_TEXT = frozenset(
    {
        "title",
        "guid",
        "link",
        "pubdate",
        "dc:date",
        "description",
        "content:encoded",
        "itunes:summary",
        "itunes:duration",
        "itunes:episode",
        "itunes:season",
        "podcast:episode",
        "podcast:season",
        "atom:title",
        "atom:id",
        "atom:published",
        "atom:updated",
        "atom:summary",
        "atom:content",
    }
)
_CHANNEL_TEXT = frozenset(
    {
        "title",
        "link",
        "description",
        "language",
        "itunes:author",
        "itunes:summary",
        "itunes:new-feed-url",
        "podcast:guid",
        "managingeditor",
        "atom:title",
        "atom:subtitle",
        "atom:logo",
        "atom:icon",
    }
)
_AUDIO_VIDEO_EXTENSIONS = frozenset(
    {
        "mp3",
        "m4a",
        "m4b",
        "mp4",
        "aac",
        "ogg",
        "oga",
        "opus",
        "flac",
        "wav",
        "webm",
        "mkv",
        "mov",
        "m4v",
        "mpga",
        "3gp",
    }
)
_TRUNCATION_ERRORS = frozenset(
    {
        expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
        expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
        expat.errors.codes[expat.errors.XML_ERROR_PARTIAL_CHAR],
        expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION],
    }
)
_CLOSING_ROOT = re.compile(
    rb"</(?:[\w.-]+:)?(?:rss|feed|rdf)\s*>\s*(?:<!--.*?-->\s*)*\Z", re.I | re.S
)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_DECLARED_ENCODING = re.compile(rb"<\?xml[^>]*encoding\s*=", re.I)
_MENDABLE = re.compile(
    rb"(<!\[CDATA\[.*?\]\]>)|&((?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|([A-Za-z][A-Za-z0-9]{0,31}));)?",
    re.S,
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_LENIENT_WARNING = "The feed is not well-formed XML; podplayer read it leniently."
_FEED_START = re.compile(rb"<(?:[\w.-]+:)?(?:rss|feed|rdf)[\s>]", re.I)
_HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<!doctype\s+html|<html[\s>]", re.I | re.S
)


class FeedParseError(Exception):
    """The bytes are not a usable feed; the message is a sentence for the user."""


class NotAFeedError(FeedParseError):
    """The document is a web page (or other markup), not a feed; it may link feeds."""


class _UnsafeDocumentError(Exception):
    """Raised from expat handlers when the document declares entities."""


def parse_feed(body: bytes, url: str, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """Parse a fetched feed. ``url`` is the final URL (relative links resolve against it).

    Raises FeedParseError (NotAFeedError for a web page) when there is nothing to keep: an empty,
    truncated or unsafe document, or one without a single episode.
    """
    if not body.strip():
        raise FeedParseError("The feed is empty: the server sent no content.")
    builder = _FeedBuilder(url)
    try:
        builder.run(body, _header_charset(body, headers or {}))
    except _UnsafeDocumentError:
        raise FeedParseError(
            "The feed declares XML entities, which podplayer refuses to expand for safety."
        ) from None
    except expat.ExpatError as error:
        raw = _parse_rejected(body, url, headers or {}, error.code in _TRUNCATION_ERRORS)
    except (LookupError, ValueError):  # a charset expat cannot decode: let feedparser try
        raw = _parse_rejected(body, url, headers or {}, truncated=False)
    else:
        if builder.root not in _FEED_ROOTS:
            if builder.root.endswith("html") or _looks_like_html(body):
                raise NotAFeedError("This address leads to a web page, not a podcast feed.")
            raise FeedParseError(
                f"This document is XML but not a podcast feed (it starts with <{builder.root}>)."
            )
        raw = builder.result()
    return _finish(raw, url)


def _header_charset(body: bytes, headers: Mapping[str, str]) -> str | None:
    """The HTTP charset, used only when the document declares no encoding and has no BOM."""
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    match = _CHARSET.search(content_type)
    if match is None or body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None
    if _DECLARED_ENCODING.match(body) is not None:
        return None
    charset = match.group(1).lower()
    return None if charset in ("utf-8", "utf8") else charset


def _parse_rejected(body: bytes, url: str, headers: Mapping[str, str], truncated: bool) -> _RawFeed:
    """A document expat refused: a web page, a cut-off feed, or a feed to read leniently."""
    if _looks_like_html(body):
        raise NotAFeedError("This address leads to a web page, not a podcast feed.")
    if _FEED_START.search(body[:65536]) is None:
        raise FeedParseError("This document is not a podcast feed.")
    if truncated or _CLOSING_ROOT.search(body[-4096:]) is None:
        raise FeedParseError(
            "The feed ended early (the document is cut off), so nothing was changed."
        )
    repaired = _repair_markup(body)
    if repaired is not None:
        builder = _FeedBuilder(url)
        try:
            builder.run(repaired, _header_charset(repaired, headers))
        except (expat.ExpatError, LookupError, ValueError):
            pass
        else:
            if builder.root in _FEED_ROOTS:
                raw = builder.result()
                raw.warnings.append(_LENIENT_WARNING)
                return raw
    return _parse_leniently(body, url, headers)


def _repair_markup(body: bytes) -> bytes | None:
    """The usual breakage mended: bare ``&``, HTML entity names, control bytes; else None.

    Only for ASCII-compatible encodings; CDATA sections are left exactly as they are.
    """
    if body.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00", b"<\x00")):
        return None

    def mend(match: re.Match[bytes]) -> bytes:
        if match.group(1) is not None:  # a CDATA section
            return match.group(0)
        name = match.group(3)
        if match.group(2) is not None and name is None:
            return match.group(0)  # a character reference
        if name is not None:
            text = name.decode("ascii")
            if text in ("amp", "lt", "gt", "quot", "apos"):
                return match.group(0)
            if text in html.entities.name2codepoint:
                return f"&#{html.entities.name2codepoint[text]};".encode("ascii")
        return b"&amp;" + (match.group(2) or b"")

    mended = _MENDABLE.sub(mend, body.translate(None, _CONTROL_BYTES))
    return mended if mended != body else None


def _looks_like_html(body: bytes) -> bool:
    """True when an HTML start comes before any feed root element."""
    head = body[:4096]
    html = _HTML_START.search(head)
    if html is None:
        return False
    feed = _FEED_START.search(head)
    return feed is None or html.start() < feed.start()


class _RawFeed:
    """Strings as found in the document, before cleaning."""

    __slots__ = ("base", "channel", "items", "warnings")

    def __init__(self) -> None:
        self.base = ""
        self.channel: dict[str, str] = {}
        self.items: list[dict[str, Any]] = []
        self.warnings: list[str] = []


class _FeedBuilder:
    """expat handlers that collect channel and item fields in one pass."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.root = ""
        self._raw = _RawFeed()
        self._names: dict[str, str] = {}
        self._stack: list[str] = []
        self._item: dict[str, Any] | None = None
        self._text: list[str] | None = None
        self._text_target: dict[str, Any] | None = None
        self._text_key = ""
        self._text_depth = 0
        self._markup_depth = 0
        self._in_channel_image = False
        self._in_author = False
        self._item_depth = 0

    def run(self, body: bytes, encoding: str | None) -> None:
        parser = expat.ParserCreate(encoding, namespace_separator=" ")
        parser.buffer_text = True
        parser.buffer_size = 1 << 16
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.EntityDeclHandler = self._refuse
        parser.UnparsedEntityDeclHandler = self._refuse
        parser.ExternalEntityRefHandler = self._refuse
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._data
        parser.SkippedEntityHandler = self._skipped_entity
        parser.Parse(body, True)

    def result(self) -> _RawFeed:
        return self._raw

    @staticmethod
    def _refuse(*_args: Any) -> int:
        raise _UnsafeDocumentError

    def _name(self, raw: str) -> str:
        name = self._names.get(raw)
        if name is None:
            namespace, _, local = raw.rpartition(" ")
            prefix = _PREFIX_BY_NAMESPACE.get(namespace.lower(), "") if namespace else ""
            if namespace and not prefix and namespace.lower() not in _PREFIX_BY_NAMESPACE:
                prefix = "other:"
            name = prefix + local.lower()
            self._names[raw] = name
        return name

    def _start(self, raw_name: str, attrs: dict[str, str]) -> None:
        if self._markup_depth:
            self._markup_depth += 1
            self._open_markup(raw_name, attrs)
            return
        name = self._names.get(raw_name) or self._name(raw_name)
        stack = self._stack
        parent = stack[-1] if stack else ""
        stack.append(name)
        if len(stack) <= 2 and _XML_BASE in attrs:
            self._raw.base = urljoin(self._raw.base or self.url, attrs[_XML_BASE].strip())
        if not parent:
            self.root = name
            return
        item = self._item
        if item is not None and len(stack) == self._item_depth + 1:
            self._item_child(item, name, attrs)
        elif item is not None and name == "psc:chapter" and parent == "psc:chapters":
            item["psc"].append(
                (attrs.get("start"), attrs.get("title"), attrs.get("href"), attrs.get("image"))
            )
        elif name in _ITEMS and parent in _ITEM_PARENTS:
            self._item = {"enclosures": [], "transcripts": [], "chapters": [], "psc": []}
            self._item_depth = len(stack)
        elif item is None:
            self._channel_child(name, parent, attrs)

    def _item_child(self, item: dict[str, Any], name: str, attrs: dict[str, str]) -> None:
        if name in _ITEM_TEXT:
            if name == "guid":
                item["guid_is_link"] = attrs.get("isPermaLink", "true").strip().lower() == "true"
            elif name in ("atom:content", "atom:summary") and attrs.get("type") == "xhtml":
                self._markup_depth = 1
            self._capture(item, name)
        elif name == "enclosure":
            item["enclosures"].append((attrs.get("url"), attrs.get("type"), attrs.get("length")))
        elif name == "media:content":
            item.setdefault("media", []).append(
                (attrs.get("url"), attrs.get("type"), attrs.get("fileSize"))
            )
        elif name == "atom:link":
            rel = attrs.get("rel", "alternate")
            if rel == "enclosure":
                item["enclosures"].append(
                    (attrs.get("href"), attrs.get("type"), attrs.get("length"))
                )
            elif rel == "alternate" and "atom:link" not in item:
                item["atom:link"] = attrs.get("href")
        elif name == "itunes:image":
            item["itunes:image"] = attrs.get("href")
        elif name == "podcast:transcript":
            item["transcripts"].append(
                (attrs.get("url"), attrs.get("type"), attrs.get("language"), attrs.get("rel"))
            )
        elif name == "podcast:chapters":
            item["chapters"].append((attrs.get("url"), attrs.get("type")))

    def _channel_child(self, name: str, parent: str, attrs: dict[str, str]) -> None:
        channel = self._raw.channel
        if parent in _CHANNELS:
            if name in _CHANNEL_TEXT:
                self._capture(channel, name)
            elif name == "itunes:image":
                channel.setdefault("itunes:image", attrs.get("href") or "")
            elif name == "image":
                self._in_channel_image = True
            elif name == "atom:author":
                self._in_author = True
            elif name == "atom:link" and attrs.get("rel", "alternate") == "alternate":
                channel.setdefault("atom:link", attrs.get("href") or "")
        elif parent == "image" and self._in_channel_image and name == "url":
            self._capture(channel, "image:url")
        elif parent == "atom:author" and self._in_author and name == "atom:name":
            self._capture(channel, "atom:author")

    def _capture(self, target: dict[str, Any], key: str) -> None:
        self._text = []
        self._text_target = target
        self._text_key = key
        self._text_depth = len(self._stack)

    def _open_markup(self, raw_name: str, attrs: dict[str, str]) -> None:
        if self._text is not None:
            local = raw_name.rpartition(" ")[2]
            rendered = "".join(
                f' {key.rpartition(" ")[2]}="{_escape_attribute(value)}"'
                for key, value in attrs.items()
            )
            self._text.append(f"<{local}{rendered}>")

    def _end(self, raw_name: str) -> None:
        if self._markup_depth > 1:
            self._markup_depth -= 1
            if self._text is not None:
                self._text.append(f"</{raw_name.rpartition(' ')[2]}>")
            return
        self._markup_depth = 0
        stack = self._stack
        depth = len(stack)
        name = stack.pop()
        if self._text is not None and depth == self._text_depth:
            target = self._text_target
            if target is not None and self._text_key not in target:
                target[self._text_key] = "".join(self._text)
            self._text = None
            self._text_target = None
        if self._item is not None and depth == self._item_depth:
            self._raw.items.append(self._item)
            self._item = None
        elif name == "image":
            self._in_channel_image = False
        elif name == "atom:author":
            self._in_author = False

    def _skipped_entity(self, name: str, is_parameter_entity: bool) -> None:
        """An entity of an external DTD expat did not read (RSS 0.91's &nbsp;): map HTML names."""
        codepoint = html.entities.name2codepoint.get(name)
        if codepoint is not None and not is_parameter_entity:
            self._data(chr(codepoint))

    def _data(self, text: str) -> None:
        if self._text is not None:
            self._text.append(_escape_text(text) if self._markup_depth else text)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(text: str) -> str:
    return _escape_text(text).replace('"', "&quot;")


def _parse_leniently(body: bytes, url: str, headers: Mapping[str, str]) -> _RawFeed:
    """feedparser's forgiving parser for malformed documents, mapped to the same raw fields."""
    # Imported here: feedparser costs ~20 ms and ~2 MB, and well-formed feeds never need it.
    from podplayer.core.feeds.lenient import parse_with_feedparser

    feed, entries = parse_with_feedparser(body, url, headers)
    if not feed.get("version") and not entries:
        if _looks_like_html(body):
            raise NotAFeedError("This address leads to a web page, not a podcast feed.")
        raise FeedParseError("This document is not a podcast feed podplayer can read.")
    raw = _RawFeed()
    raw.warnings.append(_LENIENT_WARNING)
    channel = raw.channel
    for key, source in (
        ("title", "title"),
        ("link", "link"),
        ("description", "subtitle"),
        ("language", "language"),
        ("itunes:author", "author"),
        ("itunes:new-feed-url", "itunes_new-feed-url"),
        ("podcast:guid", "podcast_guid"),
    ):
        value = feed.get(source)
        if isinstance(value, str):
            channel[key] = value
    image = feed.get("image")
    if isinstance(image, Mapping) and isinstance(image.get("href"), str):
        channel["itunes:image"] = image["href"]
    for entry in entries:
        raw.items.append(_raw_item_from_entry(entry))
    return raw


def _raw_item_from_entry(entry: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "enclosures": [],
        "transcripts": [
            (t.get("url"), t.get("type"), t.get("language"), t.get("rel"))
            for t in entry.get("podcast_transcripts", [])
        ],
        "chapters": [(c.get("url"), c.get("type")) for c in entry.get("podcast_chapters", [])],
        "psc": [
            (c.get("start"), c.get("title"), c.get("href"), c.get("image"))
            for c in entry.get("psc_chapters", {}).get("chapters", [])
        ],
    }
    for key, source in (
        ("title", "title"),
        ("guid", "id"),
        ("link", "link"),
        ("pubdate", "published"),
        ("atom:updated", "updated"),
        ("description", "summary"),
        ("itunes:duration", "itunes_duration"),
        ("itunes:episode", "itunes_episode"),
        ("itunes:season", "itunes_season"),
    ):
        value = dict.get(entry, source)  # FeedParserDict.get maps keys, with warnings
        if isinstance(value, str):
            item[key] = value
    item["guid_is_link"] = bool(entry.get("guidislink"))
    contents = entry.get("content") or []
    if contents and isinstance(contents[0].get("value"), str):
        item["content:encoded"] = contents[0]["value"]
    image = entry.get("image")
    if isinstance(image, Mapping) and isinstance(image.get("href"), str):
        item["itunes:image"] = image["href"]
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure":
            item["enclosures"].append((link.get("href"), link.get("type"), link.get("length")))
    return item


def _finish(raw: _RawFeed, url: str) -> ParsedFeed:
    """Clean every field, choose each item's media and identity, drop duplicate identities."""
    schemes = media_schemes(url)
    url = raw.base or url
    channel = raw.channel
    feed = ParsedFeed(warnings=raw.warnings)
    feed.title = clean_text(channel.get("title") or channel.get("atom:title") or "")
    feed.description = clean_text(
        channel.get("description")
        or channel.get("itunes:summary")
        or channel.get("atom:subtitle")
        or ""
    )
    feed.author = clean_text(
        channel.get("itunes:author")
        or channel.get("atom:author")
        or channel.get("managingeditor")
        or ""
    )
    feed.language = clean_text(channel.get("language") or "")[:35]
    feed.podcast_guid = clean_text(channel.get("podcast:guid") or "")[:200]
    feed.link = resolve_url(channel.get("link") or channel.get("atom:link"), url, WEB_SCHEMES) or ""
    feed.image_url = (
        resolve_url(
            channel.get("itunes:image")
            or channel.get("image:url")
            or channel.get("atom:logo")
            or channel.get("atom:icon"),
            url,
            schemes,
        )
        or ""
    )
    feed.new_feed_url = resolve_url(channel.get("itunes:new-feed-url"), url, WEB_SCHEMES) or ""
    seen: dict[str, int] = {}
    duplicates = 0
    for position, item in enumerate(raw.items, start=1):
        episode = _episode(
            item,
            url,
            explicit_base=bool(raw.base),
            schemes=schemes,
            warnings=feed.warnings,
            position=position,
        )
        if episode is None:
            continue
        if episode.guid in seen:
            duplicates += 1
            continue
        seen[episode.guid] = position
        feed.episodes.append(episode)
    if duplicates:
        feed.warnings.append(
            f"{duplicates} item(s) repeat the identity of an earlier item; only the first was kept."
        )
    if not feed.episodes:
        raise FeedParseError("The feed has no episodes, so nothing was changed.")
    return feed


def _episode(
    item: dict[str, Any],
    url: str,
    *,
    explicit_base: bool,
    schemes: frozenset[str],
    warnings: list[str],
    position: int,
) -> ParsedEpisode | None:
    title = clean_text(item.get("title") or item.get("atom:title") or "")
    published = parse_date(
        item.get("pubdate")
        or item.get("dc:date")
        or item.get("atom:published")
        or item.get("atom:updated")
    )
    enclosure_url, enclosure_type, enclosure_length = _choose_enclosure(
        [*item["enclosures"], *item.get("media", ())], url, schemes, warnings, title or position
    )
    if not title and enclosure_url:
        title = unquote(enclosure_url.split("?", 1)[0].rstrip("/").rpartition("/")[2])
        title = clean_text(title.rpartition(".")[0] or title)
    link = resolve_url(item.get("link") or item.get("atom:link"), url, WEB_SCHEMES) or ""
    raw_guid = clean_text(item.get("guid") or item.get("atom:id") or "")
    if not link and raw_guid and item.get("guid_is_link"):
        # A permalink guid is a link only if absolute, or relative to an explicit xml:base.
        link = resolve_url(raw_guid, url if explicit_base else "", WEB_SCHEMES) or ""
    guid = raw_guid or enclosure_url or link
    if not guid and (title or published is not None):
        guid = f"{title}|{published or ''}"
    if not guid:
        warnings.append(f"Item {position} has no title, link, media or guid; it was skipped.")
        return None
    notes = (
        item.get("content:encoded")
        or item.get("atom:content")
        or item.get("description")
        or item.get("atom:summary")
        or item.get("itunes:summary")
        or ""
    )
    episode = ParsedEpisode(
        guid=guid[:2000],
        title=title,
        published=published,
        duration_s=parse_duration(item.get("itunes:duration") or ""),
        enclosure_url=enclosure_url,
        enclosure_type=enclosure_type,
        enclosure_length=enclosure_length,
        notes_html=clean_text(notes),
        link=link,
        image_url=resolve_url(item.get("itunes:image"), url, schemes) or "",
        episode_number=parse_small_number(
            item.get("itunes:episode") or item.get("podcast:episode")
        ),
        season=parse_small_number(item.get("itunes:season") or item.get("podcast:season")),
    )
    for t_url, t_type, language, rel in item["transcripts"]:
        resolved = resolve_url(t_url, url, schemes)
        if resolved:
            episode.transcripts.append(
                TranscriptRef(
                    resolved,
                    clean_text(t_type or "").lower(),
                    clean_text(language) or None if language else None,
                    clean_text(rel) or None if rel else None,
                )
            )
    for c_url, c_type in item["chapters"]:
        resolved = resolve_url(c_url, url, schemes)
        if resolved:
            episode.chapters.append(ChapterRef(resolved, clean_text(c_type or "").lower()))
    episode.podlove_chapters = podlove_chapters(item["psc"])
    return episode


def _choose_enclosure(
    candidates: list[tuple[str | None, str | None, str | None]],
    url: str,
    schemes: frozenset[str],
    warnings: list[str],
    label: str | int,
) -> tuple[str, str, int | None]:
    """The first audio/video enclosure with an allowed scheme: (url, type, length) or empty."""
    fallback: tuple[str, str, int | None] | None = None
    for raw_url, raw_type, raw_length in candidates:
        resolved = resolve_url(raw_url, url, schemes)
        if resolved is None:
            warnings.append(
                f"Episode {label!s}: a media link with a scheme podplayer does not fetch was "
                "dropped."
            )
            continue
        if not resolved:
            continue
        mime = clean_text(raw_type or "").lower()
        choice = (resolved, mime, parse_length(raw_length))
        if mime.startswith(("audio/", "video/")):
            return choice
        if mime in ("", "application/octet-stream", "binary/octet-stream") or _media_extension(
            resolved
        ):
            fallback = fallback or choice
    return fallback or ("", "", None)


def _media_extension(url: str) -> bool:
    path = url.split("?", 1)[0].split("#", 1)[0]
    return path.rpartition(".")[2].lower() in _AUDIO_VIDEO_EXTENSIONS
