"""A podcast feed on the test server whose episodes carry transcripts in every published format."""

from __future__ import annotations

import json

from tests.http_server import TestHttpServer

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Sarah>Welcome to the show about coffee.

00:01:05.500 --> 00:01:09.000
<v Sarah>Today we visit the Café de Flore in Paris.

00:02:10.000 --> 00:02:14.000
<v Tom>The espresso there was remarkable.
"""
SRT = """1
00:00:00,500 --> 00:00:03,000
Travis: Rookie mistakes in podcasting.

2
00:03:20,250 --> 00:03:24,000
Always check your microphone levels first.
"""
JSON_TRANSCRIPT = json.dumps(
    {
        "version": "1.0.0",
        "segments": [
            {"speaker": "Ada", "startTime": 2.0, "endTime": 4.0, "body": "Computing engines."},
            {
                "speaker": "Ada",
                "startTime": 95.5,
                "endTime": 99.0,
                "body": "The analytical engine weaves algebraic patterns.",
            },
        ],
    }
)
NOTES_WITH_TIMES = (
    "<p>Chapters of this episode:</p><p>00:00 Introduction</p><p>12:34 Why sourdough rises</p>"
    "<p>1:02:03 Listener questions about rye</p>"
)
PLAIN_NOTES = "<p>We talk about <b>lighthouses</b> and the keepers who ran them.</p>"


def feed_xml(server: TestHttpServer) -> bytes:
    def item(guid: str, title: str, day: int, notes: str = "", transcript: str = "") -> str:
        return (
            f"<item><guid>{guid}</guid><title>{title}</title>"
            f"<pubDate>{day:02d} Jan 2025 10:00:00 GMT</pubDate>"
            f"<enclosure url='{server.url('/audio/' + guid + '.mp3')}' type='audio/mpeg'"
            " length='1000'/>"
            f"<description><![CDATA[{notes}]]></description>{transcript}</item>"
        )

    def ref(path: str, mime: str) -> str:
        return f"<podcast:transcript url='{server.url(path)}' type='{mime}'/>"

    items = [
        item("vtt", "Coffee in Paris", 5, transcript=ref("/t/coffee.vtt", "text/vtt")),
        item("srt", "Rookie mistakes", 4, transcript=ref("/t/rookie.srt", "application/srt")),
        item("json", "Engines", 3, transcript=ref("/t/engines.json", "application/json")),
        item("notes-times", "Bread", 2, notes=NOTES_WITH_TIMES),
        item("plain-notes", "Coastlines", 1, notes=PLAIN_NOTES),
    ]
    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'"
        " xmlns:podcast='https://podcastindex.org/namespace/1.0'><channel>"
        "<title>Everything Show</title><link>http://127.0.0.1/</link>"
        f"<description>Tests</description>{''.join(items)}</channel></rss>"
    ).encode()


def serve_library_feed(server: TestHttpServer) -> str:
    """Route the feed and its transcripts; returns the feed's URL."""
    server.route("/t/coffee.vtt", body=VTT.encode(), content_type="text/vtt", etag='"v1"')
    server.route("/t/rookie.srt", body=SRT.encode(), content_type="application/srt")
    server.route("/t/engines.json", body=JSON_TRANSCRIPT.encode(), content_type="application/json")
    server.route("/feed.xml", body=feed_xml(server), content_type="application/rss+xml")
    return server.url("/feed.xml")
