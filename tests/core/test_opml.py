"""OPML: nested outlines, duplicates, bad entries by line, entity refusal, gPodder round trip."""

from __future__ import annotations

from pathlib import Path
from xml.dom import minidom

import pytest

from podplayer.core.models import Podcast
from podplayer.core.opml import OpmlError, read_opml, write_opml

GPODDER_EXPORT = Path(__file__).resolve().parents[1] / "data" / "feeds" / "gpodder-export.opml"


def test_reads_gpodders_export() -> None:
    document = read_opml(GPODDER_EXPORT.read_bytes())
    assert [(f.title, f.url) for f in document.feeds] == [
        ("Linux Outlaws & Friends", "https://example.com/feeds/outlaws.xml"),
        ("Café Talk “Weekly”", "http://podcasts.example.org/cafe?format=mp3&quality=high"),
        ("Local Show", "https://localshow.example.net/rss"),
    ]
    assert document.problems == [] and document.duplicates == 0


def test_nested_duplicates_and_bad_entries() -> None:
    data = b"""<opml version="2.0"><body>
<outline text="News">
  <outline text="Deeper"><outline type="rss" text="A" xmlUrl="https://a.example/feed"/></outline>
  <outline type="rss" text="A twice" xmlUrl="https://a.example/feed"/>
  <outline type="rss" text="No url"/>
  <outline type="link" text="Feed scheme" url="feed://b.example/rss"/>
  <outline type="rss" text="JS" xmlUrl="javascript:alert(1)"/>
</outline></body></opml>"""
    document = read_opml(data)
    assert [(f.title, f.url, f.line) for f in document.feeds] == [
        ("A", "https://a.example/feed", 3),
        ("Feed scheme", "https://b.example/rss", 6),
    ]
    assert document.duplicates == 1
    assert document.problems == [
        "Line 5: the entry has no feed address (xmlUrl).",
        "Line 7: 'javascript:alert(1)' is not an http or https address; it was skipped.",
    ]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<opml><body><outline", "line 1"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml/>', "entities"),
        (b"<rss><channel/></rss>", "not OPML"),
        (b"", "not valid OPML"),
    ],
)
def test_unreadable_files(data: bytes, words: str) -> None:
    with pytest.raises(OpmlError, match=words):
        read_opml(data)


def test_written_file_is_what_gpodder_reads_and_round_trips() -> None:
    podcasts = [
        Podcast(url="https://a.example/feed?x=1&y=2", title='Tom & "Jerry"', description="Cats\n"),
        Podcast(url="https://user:pw@b.example/private", title="Private\x07"),
    ]
    data = write_opml(podcasts)
    outlines = minidom.parseString(data).getElementsByTagName("outline")
    # gPodder's importer takes outlines of type rss/link with xmlUrl, titled by title or text.
    assert [o.getAttribute("type") for o in outlines] == ["rss", "rss"]
    assert [o.getAttribute("xmlUrl") for o in outlines] == [
        "https://a.example/feed?x=1&y=2",
        "https://b.example/private",
    ]
    assert [o.getAttribute("title") for o in outlines] == ['Tom & "Jerry"', "Private"]
    assert outlines[0].getAttribute("text") == "Cats"
    again = read_opml(data)
    assert [f.url for f in again.feeds] == [o.getAttribute("xmlUrl") for o in outlines]
