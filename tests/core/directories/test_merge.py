"""Deduplicating directory results: one row per feed however the directories spell its URL."""

from __future__ import annotations

import pytest

from podplayer.core.directories.apple_links import apple_podcast_id
from podplayer.core.directories.results import DirectoryResult, feed_key, merge_results

SAME_FEED = [
    "https://feeds.example.com/daily",
    "http://feeds.example.com/daily",
    "https://FEEDS.Example.COM/daily",
    "https://feeds.example.com/daily/",
    "https://feeds.example.com:443/daily",
    "https://www.feeds.example.com/daily",
    "https://dts.podtrac.com/redirect.mp3/feeds.example.com/daily",
    "https://www.podtrac.com/pts/redirect.mp3/feeds.example.com/daily",
    "https://chrt.fm/track/ABC123/feeds.example.com/daily",
    "https://chtbl.com/track/ABC123/https://feeds.example.com/daily",
    "https://pdst.fm/e/feeds.example.com/daily",
    "https://pdst.fm/e/chtbl.com/track/X1/feeds.example.com/daily/",
    "https://op3.dev/e/feeds.example.com/daily",
]


@pytest.mark.parametrize("url", SAME_FEED)
def test_spellings_of_one_feed_share_a_key(url: str) -> None:
    assert feed_key(url) == feed_key(SAME_FEED[0])


@pytest.mark.parametrize(
    "other",
    [
        "https://feeds.example.com/daily2",
        "https://feeds.example.com/Daily",  # paths are case-sensitive
        "https://feeds.example.com/daily?format=mp3",
        "https://other.example.com/daily",
    ],
)
def test_different_feeds_keep_apart(other: str) -> None:
    assert feed_key(other) != feed_key(SAME_FEED[0])


def result(url: str, source: str, **fields: object) -> DirectoryResult:
    return DirectoryResult(title=f"From {source}", feed_url=url, sources=(source,), **fields)  # type: ignore[arg-type]


def test_merge_combines_sources_and_fills_gaps() -> None:
    merged = merge_results([], [result("https://a.example.com/f", "iTunes", episode_count=3)])
    merged = merge_results(
        merged,
        [
            result("http://A.example.com/f/", "fyyd", author="Someone", artwork_url="https://i"),
            result("https://b.example.com/f", "fyyd"),
        ],
    )
    assert len(merged) == 2
    first = merged[0]
    assert first.title == "From iTunes"
    assert first.sources == ("iTunes", "fyyd")
    assert (first.author, first.artwork_url, first.episode_count) == ("Someone", "https://i", 3)


def test_the_same_podcast_guid_at_another_address_is_one_row() -> None:
    guid = "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    merged = merge_results([], [result("https://host-a.example.com/feed", "fyyd")])
    merged = merge_results(
        merged, [result("https://moved.example.net/rss", "Podcast Index", podcast_guid=guid)]
    )
    assert len(merged) == 2  # no guid on the first: nothing says they are the same
    merged = merge_results(
        [result("https://host-a.example.com/feed", "Podcast Index", podcast_guid=guid)],
        [result("https://moved.example.net/rss", "fyyd", podcast_guid=guid)],
    )
    assert len(merged) == 1 and merged[0].sources == ("Podcast Index", "fyyd")


def test_one_directory_listing_a_feed_twice_gives_one_row() -> None:
    twice = [result("https://a.example.com/f", "iTunes"), result("https://a.example.com/f/", "x")]
    merged = merge_results([], twice)
    assert len(merged) == 1 and merged[0].sources == ("iTunes", "x")


@pytest.mark.parametrize(
    ("link", "apple_id"),
    [
        ("https://podcasts.apple.com/us/podcast/the-daily/id1200361736", "1200361736"),
        ("https://podcasts.apple.com/de/podcast/x/id1200361736?i=1000650000000", "1200361736"),
        ("podcasts.apple.com/us/podcast/id1200361736", "1200361736"),
        ("https://itunes.apple.com/us/podcast/the-daily/id1200361736?mt=2", "1200361736"),
        ("https://podcasts.apple.com/podcast/id1200361736", "1200361736"),
        ("https://example.com/podcast/id1200361736", None),
        ("https://podcasts.apple.com/us/browse", None),
        ("https://podcasts.apple.com.evil.example/us/podcast/id1", None),
        ("the daily", None),
    ],
)
def test_apple_podcasts_links(link: str, apple_id: str | None) -> None:
    assert apple_podcast_id(link) == apple_id
