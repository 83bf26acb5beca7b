"""feed://, podcast:// links and feed URLs from a desktop become feed URLs; nothing else does."""

from __future__ import annotations

import pytest

from podplayer.core.subscribe_links import feed_url_from_link, split_subscribe_links


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("feed://example.org/feed.xml", "https://example.org/feed.xml"),
        ("podcast://example.org/rss", "https://example.org/rss"),
        ("FEED://example.org/a", "https://example.org/a"),
        ("itpc://example.org/x.rss", "https://example.org/x.rss"),
        ("feed:https://example.org/feed.xml", "https://example.org/feed.xml"),
        ("feed:http://example.org/feed.xml", "http://example.org/feed.xml"),
        ("https://example.org/feed.xml", "https://example.org/feed.xml"),
        ("  http://127.0.0.1:8000/f  ", "http://127.0.0.1:8000/f"),
    ],
)
def test_links_become_feed_urls(link: str, expected: str) -> None:
    assert feed_url_from_link(link) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "feed.xml",
        "/home/me/feed.xml",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "feed:javascript:alert(1)",
        "feed:file:///etc/passwd",
        "smb://server/share",
        "http://",
        "http://[::1",
        "https://example.org/\x00feed",
        "https://example.org/" + "a" * 5000,
    ],
)
def test_anything_else_is_refused(text: str) -> None:
    assert feed_url_from_link(text) is None


def test_command_line_links_are_split_from_options() -> None:
    assert split_subscribe_links(["--data-dir", "/tmp/x", "feed://h/f", "podcast://h/g"]) == (
        ["--data-dir", "/tmp/x"],
        ["feed://h/f", "podcast://h/g"],
    )
    assert split_subscribe_links(["--data-dir=/tmp/x", "https://h/f"]) == (
        ["--data-dir=/tmp/x"],
        ["https://h/f"],
    )


def test_subcommands_are_left_alone() -> None:
    for argv in (["paths"], ["transcript", "https://h/t.vtt"], ["--data-dir", "feed://x", "paths"]):
        assert split_subscribe_links(argv) == (argv, [])


def test_a_stray_word_after_a_link_reaches_argparse() -> None:
    assert split_subscribe_links(["feed://h/f", "oops"]) == (["oops"], ["feed://h/f"])
