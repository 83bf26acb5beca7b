"""Where a query's words are in a passage (as the index compares them), and the snippet to show.

The index is contentless, so the matched words are found again here: each word of the passage
is folded like SQLite's unicode61 tokenizer with remove_diacritics 2 (case and accents dropped)
and compared with the query's words, prefixes and phrases.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from podplayer.core.search.query import SearchQuery, word_spans

SNIPPET_CHARS = 180
SNIPPET_LEAD_CHARS = 60


@dataclass(frozen=True, slots=True)
class Snippet:
    """A stretch of a passage, and (start, length) of each matched word in it."""

    text: str
    highlights: tuple[tuple[int, int], ...]


@lru_cache(maxsize=65_536)
def fold(word: str) -> str:
    """A word as the index compares it: no case, no accents."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def match_spans(text: str, query: SearchQuery) -> list[tuple[int, int]]:
    """(start, length) of every word of ``text`` that is part of a match of one of the terms."""
    spans = list(word_spans(text))
    folded = [fold(text[start:end]) for start, end in spans]
    marked: set[int] = set()
    for term in query.terms:
        if term.excluded:
            continue
        wanted = [fold(word) for word in term.words]
        size = len(wanted)
        for at in range(len(folded) - size + 1):
            body_ok = folded[at : at + size - 1] == wanted[:-1]
            last = folded[at + size - 1]
            last_ok = last.startswith(wanted[-1]) if term.prefix else last == wanted[-1]
            if body_ok and last_ok:
                marked.update(range(at, at + size))
    return [(spans[i][0], spans[i][1] - spans[i][0]) for i in sorted(marked)]


def snippet(text: str, spans: list[tuple[int, int]]) -> Snippet:
    """About ``SNIPPET_CHARS`` of ``text`` around its first match, cut at spaces, with ellipses."""
    first = spans[0][0] if spans else 0
    begin = 0 if first <= SNIPPET_LEAD_CHARS else text.find(" ", first - SNIPPET_LEAD_CHARS) + 1
    end = len(text)
    if end - begin > SNIPPET_CHARS:
        cut = text.rfind(" ", begin, begin + SNIPPET_CHARS)
        end = cut if cut > first else begin + SNIPPET_CHARS
    lead = "…" if begin > 0 else ""
    shown = lead + text[begin:end] + ("…" if end < len(text) else "")
    shift = len(lead) - begin
    return Snippet(
        shown,
        tuple(
            (start + shift, min(start + length, end) - start)
            for start, length in spans
            if begin <= start < end
        ),
    )
