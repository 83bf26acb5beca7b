"""What parsing a feed yields: plain data, already cleaned, before it meets the library."""

from __future__ import annotations

from dataclasses import dataclass, field

from podplayer.core.models import EPISODE_FEED_COLUMNS, Episode, EpisodeFeedFields


@dataclass(slots=True, kw_only=True)
class ParsedEpisode(EpisodeFeedFields):
    """One item of a feed. ``guid`` is its identity: the feed's guid or a stable fallback."""

    def to_episode(self, podcast_id: int) -> Episode:
        """A new library episode (no play state yet) from this item."""
        episode = Episode(podcast_id=podcast_id, guid=self.guid)
        copy_feed_fields(self, episode)
        return episode


def copy_feed_fields(source: EpisodeFeedFields, target: EpisodeFeedFields) -> None:
    """Copy every feed field (the lists as new lists); the target's play state stays."""
    for name in EPISODE_FEED_COLUMNS:
        setattr(target, name, getattr(source, name))
    target.transcripts = list(source.transcripts)
    target.chapters = list(source.chapters)
    target.podlove_chapters = list(source.podlove_chapters)


@dataclass(slots=True)
class ParsedFeed:
    """A whole feed; ``warnings`` are sentences about what was dropped or repaired."""

    title: str = ""
    link: str = ""
    description: str = ""
    author: str = ""
    image_url: str = ""
    language: str = ""
    podcast_guid: str = ""
    new_feed_url: str = ""
    episodes: list[ParsedEpisode] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
