"""The strict (expat) and the forgiving (feedparser) reading map the same fields (issue 12, 4)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from podplayer.core.feeds import parse as parse_module
from podplayer.core.feeds.parse import FeedParseError, parse_feed
from podplayer.core.feeds.parsed import ParsedFeed

DATA = Path(__file__).resolve().parents[2] / "data" / "feeds"
FEEDS = sorted(path for path in DATA.rglob("*") if path.suffix in (".rss", ".xml"))
# What a loose (non-namespace-aware) parser cannot read the same way, and why.
DIFFERENT = {
    "itunes_xmlns.rss": "a default namespace declared on one element (<duration xmlns=itunes>) "
    "needs namespace processing, which a loose parser does not do",
}


def read_strictly(body: bytes, url: str) -> ParsedFeed | str:
    try:
        return parse_feed(body, url)
    except FeedParseError as error:
        return str(error)


def read_leniently(body: bytes, url: str) -> ParsedFeed | str:
    """What a malformed feed gets: feedparser's loose parser, then the same cleaning."""
    try:
        return parse_module._finish(parse_module._parse_leniently(body, url, {}), url)
    except FeedParseError as error:
        return str(error)


def fields(result: ParsedFeed | str) -> object:
    if isinstance(result, str):
        return result
    values = dataclasses.asdict(result)
    del values["warnings"]
    return values


@pytest.mark.parametrize("path", FEEDS, ids=[str(p.relative_to(DATA)) for p in FEEDS])
def test_every_corpus_feed_reads_the_same_through_both_parsers(path: Path) -> None:
    if path.name in DIFFERENT:
        pytest.skip(DIFFERENT[path.name])
    body = path.read_bytes()
    url = f"http://tests/data/{path.name}"
    strict = read_strictly(body, url)
    assert fields(read_leniently(body, url)) == fields(strict)


MALFORMED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:podcast="https://podcastindex.org/namespace/1.0"
     xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Show</title><itunes:author>Host Name</itunes:author>
<item><title>Episode 7</title><guid isPermaLink="false">ep-7</guid>
<description>First line<br>second line</description>
<media:content url="https://cdn.example.com/ep7.mp3" type="audio/mpeg" fileSize="4321"/>
<podcast:season name="Spring">2</podcast:season>
<podcast:episode display="Seven">7</podcast:episode>
</item></channel></rss>"""


def test_a_malformed_feed_using_media_content_keeps_media_season_and_episode() -> None:
    url = "https://example.com/feed.xml"
    feed = parse_feed(MALFORMED, url)
    assert "read it leniently" in " ".join(feed.warnings)  # one unclosed <br> is enough
    [episode] = feed.episodes
    assert (episode.enclosure_url, episode.enclosure_type, episode.enclosure_length) == (
        "https://cdn.example.com/ep7.mp3",
        "audio/mpeg",
        4321,
    )
    assert (episode.season, episode.episode_number) == (2, 7)
    assert feed.author == "Host Name"
    well_formed = parse_feed(MALFORMED.replace(b"<br>", b"<br/>"), url)
    assert not well_formed.warnings
    well_formed.episodes[0].notes_html = episode.notes_html  # "<br>" as written, or "<br/>"
    assert fields(feed) == fields(well_formed)
