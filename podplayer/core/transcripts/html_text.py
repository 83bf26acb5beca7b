"""HTML to readable text and to PC2.0 transcript parts, with the standard library's parser."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from podplayer.core.transcripts.text_cleaning import fold_whitespace

_BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
        "blockquote", "section", "article", "header", "footer", "pre", "hr", "dt", "dd",
    }
)  # fmt: skip
_EXTRA_BLANK_LINES = re.compile(r"\n{3,}")
_HIDDEN_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript", "svg"})


@dataclass(slots=True)
class HtmlPart:
    """A piece of a PC2.0 HTML transcript: ``cite`` (speaker), ``time`` (start), ``p`` (text)."""

    kind: str
    text: str


class _TranscriptHtmlReader(HTMLParser):
    """Collects cite/time/p parts in order, and the whole text with paragraph breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[HtmlPart] = []
        self.lines: list[str] = []
        self._open_part: str | None = None
        self._buffer: list[str] = []
        self._hidden_depth = 0
        self._line: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden_depth += 1
            return
        if tag in _BLOCK_TAGS:
            self._end_line()
        if tag in ("cite", "time", "p"):
            self._close_part()
            self._open_part = tag
            if tag == "time":
                datetime_value = dict(attrs).get("datetime")
                if datetime_value:
                    self._buffer.append(datetime_value)
                    self._open_part = "time-attribute"

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden_depth = max(0, self._hidden_depth - 1)
            return
        if tag in ("cite", "time", "p"):
            self._close_part()
        if tag in _BLOCK_TAGS:
            self._end_line()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if self._hidden_depth:
            return
        if self._open_part is not None and self._open_part != "time-attribute":
            self._buffer.append(data)
        self._line.append(data)

    def close(self) -> None:
        super().close()
        self._close_part()
        self._end_line()

    def _close_part(self) -> None:
        if self._open_part is not None:
            text = fold_whitespace("".join(self._buffer))
            kind = "time" if self._open_part == "time-attribute" else self._open_part
            if text:
                self.parts.append(HtmlPart(kind, text))
        self._open_part = None
        self._buffer = []

    def _end_line(self) -> None:
        text = "".join(self._line)
        self._line = []
        for line in text.split("\n"):
            self.lines.append(fold_whitespace(line))
        self.lines.append("")


def read_html(markup: str) -> tuple[list[HtmlPart], str]:
    """(cite/time/p parts in order, readable text with a blank line between blocks)."""
    reader = _TranscriptHtmlReader()
    try:
        reader.feed(markup)
        reader.close()
    except (AssertionError, ValueError):  # the stdlib parser's rare complaints on broken markup
        pass
    text = _EXTRA_BLANK_LINES.sub("\n\n", "\n".join(reader.lines))
    return reader.parts, text.strip()


def looks_like_html(text: str) -> bool:
    """True when the text has HTML tags that structure it (not just a stray ``<``)."""
    lowered = text[:5000].lower()
    return any(tag in lowered for tag in ("<p>", "<p ", "<br", "<div", "<html", "<cite", "<time"))
