"""Which chapters playback skips: the listener's choice per chapter, else the podcast's rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from podplayer.core.models import Chapter

MAX_RULES = 50
MAX_RULE_CHARS = 100


class SkipPreferences(Protocol):
    """Where skip choices and rules are kept (podplayer.core.storage has the SQLite one)."""

    def choices(self, episode_id: int) -> dict[int, bool]:
        """Chapter start (ms) -> True to skip, False to play even if a rule says skip."""
        ...

    def set_choice(self, episode_id: int, start_ms: int, skip: bool) -> None: ...

    def rules(self, podcast_id: int) -> list[str]: ...

    def set_rules(self, podcast_id: int, rules: Sequence[str]) -> None: ...


def parse_rules(text: str) -> list[str]:
    """Comma-separated words ("Sponsor, Ad") as rules; blanks and repeats dropped."""
    rules: list[str] = []
    for part in text.split(","):
        rule = " ".join(part.split())[:MAX_RULE_CHARS]
        if rule and rule.casefold() not in (r.casefold() for r in rules):
            rules.append(rule)
    return rules[:MAX_RULES]


def rule_matches(rules: Sequence[str], title: str) -> bool:
    """True when the title contains one of the rules, ignoring case."""
    folded = title.casefold()
    return any(rule.casefold() in folded for rule in rules)


def skipped_indexes(
    listed: Sequence[Chapter], choices: Mapping[int, bool], rules: Sequence[str]
) -> set[int]:
    """Indexes of listed chapters to skip; a choice for a chapter overrides the rules."""
    skipped = set()
    for index, chapter in enumerate(listed):
        choice = choices.get(chapter.start_ms)
        if choice if choice is not None else rule_matches(rules, chapter.title):
            skipped.add(index)
    return skipped
