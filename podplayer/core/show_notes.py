"""Show notes made safe to show: sanitized HTML, remote images only on request, seekable times."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

SEEK_SCHEME = "seek"
OPENABLE_SCHEMES = frozenset({"http", "https", "mailto"})
TEXT_TAGS = frozenset(
    {
        "p", "br", "b", "strong", "i", "em", "u", "a", "ul", "ol", "li", "blockquote", "code",
        "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "sub", "sup", "small", "span", "div",
        "table", "thead", "tbody", "tr", "td", "th", "dl", "dt", "dd",
    }
)  # fmt: skip
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "svg", "math"})
_TIMESTAMP = re.compile(r"(?<![\d:])(\d{1,3})(?::(\d{2}))?:(\d{2})(?![\d:])")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
VOID_TAGS = frozenset({"br", "hr", "img"})
TABLE_PARTS = frozenset({"thead", "tbody", "tr", "td", "th"})
# Qt's text layout takes time exponential in nested tables (16 deep: 0.8 s, 20: ~10 s) and
# quadratic in nested blocks (8,000 divs: 1.4 s); real notes nest a few levels at most.
MAX_NESTING = 20
MAX_TABLE_NESTING = 3


MAX_NOTES_CHARS = 100_000
SHORTENED_NOTE = (
    "<p><i>These show notes are very long; podplayer shows their first 100,000 characters.</i></p>"
)


@dataclass(frozen=True, slots=True)
class ShowNotes:
    """Sanitized HTML and how many remote images were held back."""

    html: str
    hidden_images: int


def render_show_notes(notes_html: str, *, allow_remote_images: bool) -> ShowNotes:
    """Keep text markup and http(s)/mailto links; images only when the user allowed them.

    Very long notes are cut (the sanitizer closes what the cut leaves open): rendering a
    megabyte of HTML would hold the window for seconds.
    """
    shortened = len(notes_html) > MAX_NOTES_CHARS
    notes_html = notes_html[:MAX_NOTES_CHARS]
    with_images = _clean(notes_html, with_images=True)
    image_count = with_images.count("<img")
    if allow_remote_images:
        html = with_images
        hidden = 0
    else:
        html = _clean(notes_html, with_images=False)
        hidden = image_count
    html = link_timestamps(limit_nesting(html))
    return ShowNotes(html=html + SHORTENED_NOTE if shortened else html, hidden_images=hidden)


def _clean(notes_html: str, *, with_images: bool) -> str:
    import nh3  # here, not at start (~1.5 MB): notes are rendered off the GUI thread when shown

    tags = TEXT_TAGS | {"img"} if with_images else TEXT_TAGS
    attributes = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}
    return nh3.clean(
        notes_html,
        tags=set(tags),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: attrs for tag, attrs in attributes.items() if tag in tags},
        url_schemes=set(OPENABLE_SCHEMES),
        link_rel=None,
    )


def limit_nesting(html: str) -> str:
    """Drop the tags (never the text) of sanitized HTML nested deeper than Qt lays out quickly."""
    pieces = _TAG_OR_TEXT.split(html)
    open_tags: list[tuple[str, bool]] = []  # (name, kept) of each element still open
    kept_depth = kept_tables = 0
    for number, piece in enumerate(pieces):
        if not piece.startswith("<"):
            continue
        name = _tag_name(piece)
        if name in VOID_TAGS:
            continue
        if piece.startswith("</"):
            kept = False
            if open_tags and open_tags[-1][0] == name:
                kept = open_tags.pop()[1]
                kept_depth -= kept
                kept_tables -= kept and name == "table"
            pieces[number] = piece if kept else ""
            continue
        kept = kept_depth < MAX_NESTING
        if name == "table":
            kept = kept and kept_tables < MAX_TABLE_NESTING
        elif name in TABLE_PARTS:
            table = next((k for n, k in reversed(open_tags) if n == "table"), False)
            kept = kept and table
        open_tags.append((name, kept))
        kept_depth += kept
        kept_tables += kept and name == "table"
        if not kept:
            pieces[number] = ""
    return "".join(pieces)


def _tag_name(tag: str) -> str:
    return re.split(r"[\s/>]", tag[1:].lstrip("/"), maxsplit=1)[0].lower()


def timestamp_ms(text: str) -> int | None:
    """ "1:02:03" -> 3723000; None when the text is not a time."""
    match = _TIMESTAMP.fullmatch(text.strip())
    if match is None:
        return None
    first, middle, seconds = match.groups()
    hours, minutes = (int(first), int(middle)) if middle else (0, int(first))
    if int(seconds) > 59 or (middle and minutes > 59):
        return None
    return ((hours * 60 + minutes) * 60 + int(seconds)) * 1000


def link_timestamps(html: str) -> str:
    """Turn times like 12:34 or 1:02:03 in the text (not inside links) into seek links."""
    pieces = _TAG_OR_TEXT.split(html)
    inside_link = 0
    for number, piece in enumerate(pieces):
        if piece.startswith("<"):
            name = piece[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if piece else ""
            if name == "a":
                inside_link += -1 if piece.startswith("</") else 1
            continue
        if inside_link <= 0:
            pieces[number] = _TIMESTAMP.sub(_seek_link, piece)
    return "".join(pieces)


def _seek_link(match: re.Match[str]) -> str:
    ms = timestamp_ms(match.group(0))
    if ms is None:
        return match.group(0)
    return f'<a href="{SEEK_SCHEME}:{ms}">{match.group(0)}</a>'


def seek_target_ms(url: str) -> int | None:
    """The position a seek link points at, or None for any other link."""
    parts = urlsplit(url)
    if parts.scheme != SEEK_SCHEME or not parts.path.isdigit():
        return None
    return int(parts.path)


def may_open_externally(url: str) -> bool:
    """Only web and mail links leave the app (never file:, javascript:, smb: ...)."""
    return urlsplit(url).scheme.lower() in OPENABLE_SCHEMES
