"""Skip rules per podcast and choices per chapter."""

from __future__ import annotations

from podplayer.core.chapters.skipping import parse_rules, skipped_indexes
from podplayer.core.models import Chapter

LISTED = [Chapter(0, "Intro"), Chapter(10, "Sponsor: Acme"), Chapter(20, "Main"), Chapter(30, "AD")]


def test_rules_are_words_separated_by_commas() -> None:
    assert parse_rules(" Sponsor ,, ad,  AD , Ad  break ") == ["Sponsor", "ad", "Ad break"]
    assert parse_rules("") == []


def test_rules_match_titles_ignoring_case_and_choices_override_them() -> None:
    rules = parse_rules("sponsor, ad")
    assert skipped_indexes(LISTED, {}, rules) == {1, 3}
    assert skipped_indexes(LISTED, {30: False, 0: True}, rules) == {0, 1}
    assert skipped_indexes(LISTED, {20: True}, []) == {2}
