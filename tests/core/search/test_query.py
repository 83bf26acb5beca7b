"""Whatever the user types becomes a safe FTS5 expression or a sentence, never SQLite syntax."""

from __future__ import annotations

import pytest

from podplayer.core.search.query import QueryError, parse_query


@pytest.mark.parametrize(
    ("typed", "expression"),
    [
        ("cafe", '"cafe"'),
        ("Café crème", '"Café" AND "crème"'),
        ('"down the street"', '"down the street"'),
        ('"unclosed phrase', '"unclosed phrase"'),
        ("quant*", '"quant"*'),
        ("cats OR dogs", '("cats" OR "dogs")'),
        ("cats -dogs", '"cats" NOT "dogs"'),
        ("NEAR(a b)", '"NEAR a" AND "b"'),
        ("body:secret", '"body secret"'),
        ("^start", '"start"'),
        ("it's", '"it s"'),
        ("'; DROP TABLE episodes; --", '"DROP" AND "TABLE" AND "episodes"'),
        ('say "hi', '"say" AND "hi"'),
        ("AND", '"AND"'),
        ("OR", '"OR"'),
        ("x OR", '"x"'),
        ("😀 party", '"party"'),
    ],
)
def test_typed_text_becomes_quoted_terms(typed: str, expression: str) -> None:
    assert parse_query(typed).match_expression == expression


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("", "Type a word"),
        ("   ", "Type a word"),
        ("*", "Type a word"),
        ("😀🎉", "emoji"),
        ('""', "Type a word"),
        ("-alone", "cannot only leave words out"),
        ("a*", "at least 2 letters"),
        ("x" * 10_000, "too long"),
        (" ".join(["word"] * 40), "too many words"),
    ],
)
def test_nothing_to_find_is_a_sentence(typed: str, sentence: str) -> None:
    with pytest.raises(QueryError, match=sentence):
        parse_query(typed)
