"""What parsing a feed yields: plain data, already cleaned, before it meets the library."""

from __future__ import annotations

from dataclasses import dataclass, field

from podplayer.core.models import Chapter, ChapterRef, Episode, TranscriptRef


@dataclass(slots=True)
class ParsedEpisode:
    """One item of a feed. ``guid`` is its identity: the feed's guid or a stable fallback."""

    guid: str
    title: str = ""
    published: float | None = None
    duration_s: int | None = None
    enclosure_url: str = ""
    enclosure_type: str = ""
    enclosure_length: int | None = None
    notes_html: str = ""
    link: str = ""
    image_url: str = ""
    episode_number: int | None = None
    season: int | None = None
    transcripts: list[TranscriptRef] = field(default_factory=list)
    chapters: list[ChapterRef] = field(default_factory=list)
    podlove_chapters: list[Chapter] = field(default_factory=list)

    def to_episode(self, podcast_id: int) -> Episode:
        """A new library episode (no play state yet) from this item."""
        return Episode(
            podcast_id=podcast_id,
            guid=self.guid,
            title=self.title,
            published=self.published,
            duration_s=self.duration_s,
            enclosure_url=self.enclosure_url,
            enclosure_type=self.enclosure_type,
            enclosure_length=self.enclosure_length,
            notes_html=self.notes_html,
            link=self.link,
            image_url=self.image_url,
            episode_number=self.episode_number,
            season=self.season,
            transcripts=list(self.transcripts),
            chapters=list(self.chapters),
            podlove_chapters=list(self.podlove_chapters),
        )


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
