"""What the user typed, turned into a safe FTS5 MATCH expression (or a sentence saying why not).

Every word and phrase is handed to FTS5 as a double-quoted string, so nothing typed is read as
FTS5 syntax (column filters, ``^``, ``NEAR``, parentheses, SQL quotes). Understood on purpose:
``"a phrase"`` (an unclosed quote runs to the end), ``word*`` (prefix), ``-word`` (without),
and ``OR`` between two terms. Every other term must appear (AND).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
MIN_PREFIX_CHARS = 2


class QueryError(ValueError):
    """The text cannot be searched for; the message is a sentence for the user."""


@dataclass(frozen=True, slots=True)
class Term:
    """One word or phrase: all of its words in this order, as the index tokenizes them."""

    words: tuple[str, ...]
    prefix: bool = False
    excluded: bool = False
    or_with_previous: bool = False

    def fts(self) -> str:
        quoted = '"' + " ".join(self.words).replace('"', '""') + '"'
        return quoted + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A parsed query: its terms and the FTS5 expression that finds them."""

    text: str
    terms: tuple[Term, ...]

    @property
    def match_expression(self) -> str:
        """Required terms (OR groups in parentheses) joined by AND, then NOT each excluded one."""
        groups: list[list[Term]] = []
        for term in self.terms:
            if term.excluded:
                continue
            if term.or_with_previous and groups:
                groups[-1].append(term)
            else:
                groups.append([term])
        parts = [
            group[0].fts() if len(group) == 1 else "(" + " OR ".join(t.fts() for t in group) + ")"
            for group in groups
        ]
        expression = " AND ".join(parts)
        for term in self.terms:
            if term.excluded:
                expression += f" NOT {term.fts()}"
        return expression

    @property
    def words(self) -> tuple[str, ...]:
        """The words a hit should show marked (excluded ones never appear in a hit)."""
        return tuple(word for term in self.terms if not term.excluded for word in term.words)


_WORD = re.compile(r"[^\W_]+|[\ue000-\uf8ff]+")
_PIECE = re.compile(r'(-?)"([^"]*)("?)|(\S+)')


def index_words(text: str) -> list[str]:
    """The words of ``text`` as the index sees them (letters and digits; case and accents kept)."""
    return [text[start:end] for start, end in word_spans(text)]


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each word: runs of letters and digits, as the tokenizer splits them."""
    for match in _WORD.finditer(text):
        yield match.start(), match.end()


def parse_query(text: str) -> SearchQuery:
    """Parse what the user typed; raises QueryError (a sentence) when there is nothing to find."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"The search is too long ({len(text):,} characters). Search for a few words "
            f"(at most {MAX_QUERY_CHARS:,} characters)."
        )
    terms: list[Term] = []
    pending_or = False
    for match in _PIECE.finditer(text):
        negated, phrase, _closing, bare = match.groups()
        if bare is not None:
            if bare == "OR" and terms and not terms[-1].excluded:
                pending_or = True
                continue
            excluded = bare.startswith("-") and len(bare) > 1
            body = bare[1:] if excluded else bare
            prefix = body.endswith("*")
            words = index_words(body)
            if prefix and words and len(words[-1]) < MIN_PREFIX_CHARS:
                raise QueryError(
                    f"Type at least {MIN_PREFIX_CHARS} letters before * to find words that "
                    "begin with them."
                )
        else:
            excluded = negated == "-"
            prefix = False
            words = index_words(phrase)
        if not words:
            continue
        terms.append(
            Term(tuple(words), prefix, excluded, or_with_previous=pending_or and not excluded)
        )
        pending_or = False
    if len(terms) > MAX_TERMS:
        raise QueryError(f"The search has too many words. Search for at most {MAX_TERMS} words.")
    if not any(not term.excluded for term in terms):
        if terms:
            raise QueryError("Add a word to find: a search cannot only leave words out.")
        raise QueryError(
            "Type a word to search for. Search finds words and numbers; symbols and emoji "
            "are not indexed."
        )
    return SearchQuery(text, tuple(terms))
