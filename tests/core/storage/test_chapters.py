"""Chapter data in the library: Podlove chapters through a feed merge, skip choices and rules."""

from __future__ import annotations

from pathlib import Path

from podplayer.core.feeds.merge import merge_feed
from podplayer.core.feeds.parse import parse_feed
from podplayer.core.models import Chapter, Podcast
from podplayer.core.storage.library import Library

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:psc="http://podlove.org/simple-chapters"><channel><title>Show</title>
<item><title>Ep</title><guid>g1</guid>
<enclosure url="https://cdn.example.com/a.mp3" type="audio/mpeg" length="1"/>
<psc:chapters version="1.2">{chapters}</psc:chapters></item></channel></rss>"""


def feed(*chapters: tuple[str, str]) -> bytes:
    tags = "".join(f'<psc:chapter start="{start}" title="{title}"/>' for start, title in chapters)
    return FEED.format(chapters=tags).encode()


def test_podlove_chapters_survive_storage_and_follow_the_feed(tmp_path: Path) -> None:
    library = Library.open(tmp_path / "lib.sqlite3")
    podcast = library.podcasts.add(Podcast(url="https://example.com/feed.xml"))
    merge_feed(library, podcast, parse_feed(feed(("00:00", "A"), ("01:00", "B")), podcast.url))
    [episode] = library.episodes.list_for_podcast(podcast.id or 0)
    assert episode.podlove_chapters == [Chapter(0, "A"), Chapter(60_000, "B")]
    merge_feed(library, podcast, parse_feed(feed(("00:00", "A2")), podcast.url))
    again = library.episodes.get(episode.id or 0)
    assert again is not None and again.podlove_chapters == [Chapter(0, "A2")]
    library.close()


def test_skip_choices_and_rules_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    library = Library.open(path)
    podcast = library.podcasts.add(Podcast(url="https://example.com/feed.xml"))
    merge_feed(library, podcast, parse_feed(feed(("00:00", "A")), podcast.url))
    [episode] = library.episodes.list_for_podcast(podcast.id or 0)
    assert episode.id is not None and podcast.id is not None
    prefs = library.chapter_preferences
    prefs.set_choice(episode.id, 60_000, True)
    prefs.set_choice(episode.id, 0, False)
    prefs.set_choice(episode.id, 60_000, False)
    prefs.set_rules(podcast.id, ["Sponsor", "Ad"])
    library.close()
    reopened = Library.open(path)
    prefs = reopened.chapter_preferences
    assert prefs.choices(episode.id) == {0: False, 60_000: False}
    assert prefs.rules(podcast.id) == ["Sponsor", "Ad"]
    prefs.set_rules(podcast.id, [])
    assert prefs.rules(podcast.id) == []
    reopened.podcasts.delete(podcast.id)
    assert prefs.choices(episode.id) == {}
    reopened.close()
