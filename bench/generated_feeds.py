"""Deterministic podcast feeds of any size for the benchmarks: real-world shaped, notes-heavy."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

_WORDS = (
    "podcast episode audio interview story history science music news guest host chapter "
    "listener question answer season update special bonus review culture technology design "
    "community memory garden river mountain city language theory practice example"
)

_WORD_LIST = _WORDS.split(" ")


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORD_LIST) for _ in range(words)).capitalize() + "."


def _notes_html(rng: random.Random, paragraphs: int) -> str:
    parts = []
    for number in range(paragraphs):
        parts.append(
            f'<p>{_sentence(rng, 28)} <a href="https://example.org/ref/{number}">'
            f"{_sentence(rng, 3)}</a> {_sentence(rng, 14)}</p>"
        )
    parts.append("<ul>" + "".join(f"<li>{_sentence(rng, 6)}</li>" for _ in range(4)) + "</ul>")
    return "".join(parts)


def feed_xml(
    feed_number: int, items: int, base_url: str, revision: int = 0, paragraphs: int = 4
) -> bytes:
    """One RSS feed with ``items`` episodes; a new ``revision`` changes every title (a re-parse)."""
    rng = random.Random(feed_number * 7919 + revision)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:podcast="https://podcastindex.org/namespace/1.0" '
        'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        f"<title>Generated Show {feed_number} (r{revision})</title>\n"
        f"<link>{base_url}/show/{feed_number}</link>\n"
        f"<description>{escape(_sentence(rng, 30))}</description>\n"
        "<language>en</language>\n"
        f"<itunes:author>Host {feed_number}</itunes:author>\n"
        f'<itunes:image href="{base_url}/art/{feed_number}.jpg"/>\n'
        f"<podcast:guid>00000000-0000-4000-8000-{feed_number:012d}</podcast:guid>\n"
    ]
    for number in range(items, 0, -1):
        published = start + timedelta(days=number, hours=feed_number % 24)
        media = f"{base_url}/media/{feed_number}/{number}.mp3"
        out.append(
            "<item>\n"
            f"<title>Episode {number}: {escape(_sentence(rng, 6))} r{revision}</title>\n"
            f'<guid isPermaLink="false">feed{feed_number}-ep{number}</guid>\n'
            f"<link>{base_url}/show/{feed_number}/{number}</link>\n"
            f"<pubDate>{format_datetime(published)}</pubDate>\n"
            f"<description>{escape(_sentence(rng, 40))}</description>\n"
            f"<content:encoded><![CDATA[{_notes_html(rng, paragraphs)}]]></content:encoded>\n"
            f'<enclosure url="{media}" type="audio/mpeg" length="{rng.randint(10**6, 10**8)}"/>\n'
            f"<itunes:duration>{rng.randint(0, 2)}:{rng.randint(0, 59):02d}:"
            f"{rng.randint(0, 59):02d}</itunes:duration>\n"
            f"<itunes:episode>{number}</itunes:episode>\n"
            f'<podcast:transcript url="{base_url}/tx/{feed_number}/{number}.vtt" '
            'type="text/vtt" rel="captions"/>\n'
            f'<podcast:transcript url="{base_url}/tx/{feed_number}/{number}.json" '
            'type="application/json" language="en"/>\n'
            f'<podcast:chapters url="{base_url}/ch/{feed_number}/{number}.json" '
            'type="application/json+chapters"/>\n'
            "</item>\n"
        )
    out.append("</channel>\n</rss>\n")
    return "".join(out).encode("utf-8")
