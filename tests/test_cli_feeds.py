"""The feed subcommands, run as a user would: a real process, a real server on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.core.feeds.test_service import feed_body
from tests.http_server import TestHttpServer
from tests.test_cli import run_podplayer

GPODDER_EXPORT = Path(__file__).resolve().parent / "data" / "feeds" / "gpodder-export.opml"


def podplayer(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_podplayer("--data-dir", str(home), *args)


def test_subscribe_list_episodes_refresh_unsubscribe(
    tmp_path: Path, http_server: TestHttpServer
) -> None:
    transcript = (
        '<podcast:transcript url="/t/{g}.vtt" type="text/vtt"/>'
        '<podcast:transcript url="/t/{g}.json" type="application/json"/>'
    )
    body = feed_body("CLI Show", ("a", "b")).replace(
        b"</item>", transcript.replace("{g}", "x").encode() + b"</item>"
    )
    body = body.replace(b"<rss ", b'<rss xmlns:podcast="https://podcastindex.org/namespace/1.0" ')
    route = http_server.route("/feed.xml", body=body)
    home = tmp_path / "home"

    result = podplayer(home, "subscribe", http_server.url("/feed.xml"))
    assert result.returncode == 0, result.stderr
    assert "Subscribed to CLI Show: 2 new episodes." in result.stdout

    again = podplayer(home, "subscribe", http_server.url("/feed.xml"))
    assert again.returncode == 1 and "already subscribed to CLI Show" in again.stderr

    listing = podplayer(home, "list")
    assert "2/2" in listing.stdout and "CLI Show" in listing.stdout and "ok" in listing.stdout
    [row] = json.loads(podplayer(home, "list", "--json").stdout)
    assert (row["title"], row["unplayed"], row["episodes"]) == ("CLI Show", 2, 2)
    assert row["url"] == http_server.url("/feed.xml") and "etag" in row

    episodes = podplayer(home, "episodes", "cli show")
    lines = episodes.stdout.splitlines()
    assert "Episode b" in lines[1] and "Episode a" in lines[2] and "new" in lines[1]
    data = json.loads(podplayer(home, "episodes", str(row["id"]), "--json").stdout)
    assert [e["guid"] for e in data] == ["b", "a"]
    assert [t["mime_type"] for t in data[0]["transcripts"]] == ["text/vtt", "application/json"]
    assert data[0]["transcripts"][0]["url"] == http_server.url("/t/x.vtt")

    route.body = feed_body("CLI Show", ("a", "b", "c"))
    refreshed = podplayer(home, "refresh")
    assert refreshed.returncode == 0, refreshed.stderr
    assert "[1/1] CLI Show: 1 new episode" in refreshed.stdout

    http_server.route("/feed.xml", status=500)
    failing = podplayer(home, "refresh", "CLI")
    assert failing.returncode == 1
    assert "CLI Show: refresh failed." in failing.stderr and "Traceback" not in failing.stderr

    gone = podplayer(home, "unsubscribe", "CLI Show")
    assert gone.returncode == 0 and "Unsubscribed from CLI Show" in gone.stdout
    assert "No subscriptions yet" in podplayer(home, "list").stdout


def test_page_with_several_feeds_lists_them(tmp_path: Path, http_server: TestHttpServer) -> None:
    page = (
        b'<html><head><link rel="alternate" type="application/rss+xml" title="MP3" href="/a">'
        b'<link rel="alternate" type="application/rss+xml" title="AAC" href="/b"></head></html>'
    )
    http_server.route("/show", body=page, content_type="text/html")
    result = podplayer(tmp_path, "subscribe", http_server.url("/show"))
    assert result.returncode == 1
    assert "links 2 feeds" in result.stderr
    assert f"{http_server.url('/a')}  (MP3)" in result.stderr
    assert f"{http_server.url('/b')}  (AAC)" in result.stderr


def test_errors_are_sentences_on_stderr(tmp_path: Path) -> None:
    unknown = podplayer(tmp_path, "episodes", "nothing here")
    assert unknown.returncode == 1
    assert unknown.stderr.startswith("podplayer: No podcast matches 'nothing here'")
    refused = podplayer(tmp_path, "subscribe", "smb://server/feed.xml")
    assert refused.returncode == 1 and "not smb:" in refused.stderr
    missing = podplayer(tmp_path, "import", str(tmp_path / "missing.opml"))
    assert missing.returncode == 1 and "could not read" in missing.stderr
    (tmp_path / "broken.opml").write_text("<opml><body><outline")
    broken = podplayer(tmp_path, "import", str(tmp_path / "broken.opml"))
    assert broken.returncode == 1 and "line 1" in broken.stderr
    for result in (unknown, refused, missing, broken):
        assert "Traceback" not in result.stderr


def test_import_gpodder_export_then_export_round_trip(tmp_path: Path) -> None:
    home = tmp_path / "home"
    imported = podplayer(home, "import", str(GPODDER_EXPORT), "--no-refresh")
    assert imported.returncode == 0, imported.stderr
    assert "Imported 3 podcasts." in imported.stdout
    titles = {row["title"] for row in json.loads(podplayer(home, "list", "--json").stdout)}
    assert titles == {"Linux Outlaws & Friends", "Café Talk “Weekly”", "Local Show"}
    again = podplayer(home, "import", str(GPODDER_EXPORT), "--no-refresh")
    assert "Imported 0 podcasts, 3 already subscribed." in again.stdout

    exported = tmp_path / "out.opml"
    result = podplayer(home, "export", str(exported))
    assert result.returncode == 0 and "Wrote 3 subscriptions" in result.stdout
    text = exported.read_text()
    assert 'xmlUrl="http://podcasts.example.org/cafe?format=mp3&amp;quality=high"' in text
    assert 'type="rss"' in text and 'title="Linux Outlaws &amp; Friends"' in text

    other = tmp_path / "other"
    podplayer(other, "import", str(exported), "--no-refresh")
    urls = {row["url"] for row in json.loads(podplayer(other, "list", "--json").stdout)}
    assert urls == {
        "https://example.com/feeds/outlaws.xml",
        "http://podcasts.example.org/cafe?format=mp3&quality=high",
        "https://localshow.example.net/rss",
    }


def test_import_refreshes_new_feeds_and_reports_bad_lines(
    tmp_path: Path, http_server: TestHttpServer
) -> None:
    http_server.route("/one.xml", body=feed_body("One"))
    opml = f"""<?xml version="1.0"?>
<opml version="1.0"><head/><body>
  <outline text="Folder">
    <outline text="One" type="rss" xmlUrl="{http_server.url("/one.xml")}"/>
    <outline text="One again" type="rss" xmlUrl="{http_server.url("/one.xml")}"/>
    <outline text="No address" type="rss"/>
    <outline text="Evil" type="rss" xmlUrl="file:///etc/passwd"/>
  </outline>
</body></opml>"""
    (tmp_path / "subs.opml").write_text(opml)
    result = podplayer(tmp_path / "home", "import", str(tmp_path / "subs.opml"))
    assert result.returncode == 1  # two entries were unusable
    assert "Imported 1 podcast, 1 listed twice in the file, 2 entries could not be used." in (
        result.stdout
    )
    assert "Line 6: the entry has no feed address" in result.stderr
    assert "Line 7: 'file:///etc/passwd' is not an http or https address" in result.stderr
    assert "[1/1] One: 2 new episodes." in result.stdout
