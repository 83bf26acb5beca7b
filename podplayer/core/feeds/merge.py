"""Merges a parsed feed into the library in one short transaction; never deletes an episode."""

from __future__ import annotations

from dataclasses import dataclass

from podplayer.core.feeds.parsed import ParsedEpisode, ParsedFeed, copy_feed_fields
from podplayer.core.models import EPISODE_FEED_COLUMNS, Episode, Podcast
from podplayer.core.storage.library import Library


class UnsubscribedError(Exception):
    """The podcast was removed while its feed was being fetched; nothing was stored."""


@dataclass(frozen=True, slots=True)
class MergeCounts:
    """What one merge changed."""

    added: int
    updated: int
    gone_from_feed: int

    def sentence(self) -> str:
        parts = [f"{self.added} new episode{'s' if self.added != 1 else ''}"]
        if self.updated:
            parts.append(f"{self.updated} updated")
        if self.gone_from_feed:
            parts.append(f"{self.gone_from_feed} no longer in the feed (kept)")
        return ", ".join(parts)


def apply_feed_metadata(podcast: Podcast, feed: ParsedFeed) -> None:
    """Copy the channel's fields onto the podcast; an empty field keeps the stored value."""
    for name in ("title", "author", "description", "link", "image_url", "language"):
        value = getattr(feed, name)
        if value:
            setattr(podcast, name, value)
    if feed.podcast_guid:
        podcast.podcast_guid = feed.podcast_guid


@dataclass(slots=True)
class _Plan:
    """What a merge will write, worked out from a read of the stored episodes."""

    new: list[Episode]
    changed: list[Episode]
    refs_changed: list[int]
    gone: list[int]


def merge_feed(library: Library, podcast: Podcast, feed: ParsedFeed) -> MergeCounts:
    """Store the podcast's new state and its episodes, all or nothing.

    The stored episodes are read and compared outside the write transaction, which then only
    writes (a few milliseconds), so the GUI thread's writes never wait behind a merge. Should
    another process have changed the podcast's episodes meanwhile, the plan is made again
    inside the transaction.

    Identity is the parsed guid; an item whose guid changed but whose media URL matches a stored
    episode the feed no longer lists is that episode (feeds that regenerate guids). Episodes that
    left the feed are marked, never deleted, so play state survives.
    """
    if podcast.id is None:
        raise ValueError("podcast has no id")
    podcast_id = podcast.id
    seen = library.episodes.fingerprint(podcast_id)
    plan = _plan(podcast_id, library.episodes.list_for_podcast(podcast_id), feed)
    apply_feed_metadata(podcast, feed)
    with library.transaction():
        if library.podcasts.get(podcast_id) is None:
            raise UnsubscribedError(f"podcast {podcast_id} no longer exists")
        if library.episodes.fingerprint(podcast_id) != seen:
            plan = _plan(podcast_id, library.episodes.list_for_podcast(podcast_id), feed)
        library.podcasts.save_feed_state(podcast)
        library.episodes.add_many(plan.new)
        library.episodes.update_from_feed(plan.changed, plan.refs_changed)
        library.episodes.mark_in_feed(plan.gone, False)
    return MergeCounts(
        added=len(plan.new), updated=len(plan.changed), gone_from_feed=len(plan.gone)
    )


def _plan(podcast_id: int, stored: list[Episode], feed: ParsedFeed) -> _Plan:
    by_guid = {episode.guid: episode for episode in stored}
    parsed_guids = {item.guid for item in feed.episodes}
    by_media = {
        episode.enclosure_url: episode
        for episode in stored
        if episode.enclosure_url and episode.guid not in parsed_guids
    }
    matched: set[int] = set()
    plan = _Plan([], [], [], [])
    for item in feed.episodes:
        existing = by_guid.get(item.guid)
        if existing is None and item.enclosure_url:
            candidate = by_media.get(item.enclosure_url)
            if candidate is not None and candidate.id not in matched:
                existing = candidate
        if existing is None or existing.id is None:
            plan.new.append(item.to_episode(podcast_id))
            continue
        matched.add(existing.id)
        refs_differ = (existing.transcripts, existing.chapters, existing.podlove_chapters) != (
            item.transcripts,
            item.chapters,
            item.podlove_chapters,
        )
        if refs_differ or not existing.in_feed or _fields_differ(existing, item):
            copy_feed_fields(item, existing)
            existing.in_feed = True
            plan.changed.append(existing)
            if refs_differ:
                plan.refs_changed.append(existing.id)
    plan.gone = [
        episode.id
        for episode in stored
        if episode.id is not None and episode.in_feed and episode.id not in matched
    ]
    return plan


def _fields_differ(episode: Episode, item: ParsedEpisode) -> bool:
    return any(getattr(episode, name) != getattr(item, name) for name in EPISODE_FEED_COLUMNS)
