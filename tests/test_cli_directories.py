"""`podplayer config`, `discover` and `subscribe` with an Apple link, as a user runs them."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.core.directories.directory_server import (
    FYYD,
    ITUNES,
    PODCASTINDEX,
    fyyd_body,
    fyyd_entry,
    itunes_body,
    itunes_entry,
    podcastindex_body,
    podcastindex_entry,
    serve,
)
from tests.core.feeds.test_service import feed_body
from tests.http_server import TestHttpServer
from tests.test_cli import run_podplayer

# As in-process tests (tests/conftest.py): never a keyring, so secrets go to the 0600 file.
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def podplayer(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_podplayer("--data-dir", str(home), *args, env=NO_KEYRING)


def point_directories_at(home: Path, server: TestHttpServer) -> None:
    for key, path in (
        ("directories.itunes.url", ITUNES),
        ("directories.fyyd.url", FYYD),
        ("directories.podcastindex.url", PODCASTINDEX),
    ):
        result = podplayer(home, "config", "set", key, server.url(path))
        assert result.returncode == 0, result.stderr


def test_config_set_get_unset_list(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert podplayer(home, "config", "get", "playback.skip_back_ms").stdout == "10000\n"
    assert podplayer(home, "config", "set", "playback.skip_back_ms", "15000").returncode == 0
    assert podplayer(home, "config", "get", "playback.skip_back_ms").stdout == "15000\n"
    assert podplayer(home, "config", "set", "directories.enabled", "fyyd,itunes").returncode == 0
    assert podplayer(home, "config", "get", "directories.enabled").stdout == "fyyd,itunes\n"

    listing = podplayer(home, "config", "list").stdout.splitlines()
    assert any(line.split() == ["playback.skip_back_ms", "15000"] for line in listing)
    assert any(
        line.split() == ["playback.skip_forward_ms", "30000", "(default)"] for line in listing
    )
    assert any(
        line.split() == ["directories.podcastindex.secret", "(not", "set)"] for line in listing
    )
    as_json = podplayer(home, "config", "list", "--json").stdout
    rows = {row["key"]: row for row in json.loads(as_json)}
    assert rows["directories.enabled"]["value"] == ["fyyd", "itunes"]
    assert rows["directories.fyyd.url"] == {
        "key": "directories.fyyd.url",
        "type": "url",
        "value": "https://api.fyyd.de",
        "default": "https://api.fyyd.de",
        "set": False,
        "secret": False,
        "description": "Base address of the fyyd API.",
    }
    assert rows["directories.podcastindex.secret"]["value"] is None

    assert podplayer(home, "config", "unset", "playback.skip_back_ms").returncode == 0
    assert podplayer(home, "config", "get", "playback.skip_back_ms").stdout == "10000\n"


def test_config_speaks_sentences_for_unknown_keys_and_bad_values(tmp_path: Path) -> None:
    home = tmp_path / "home"
    unknown = podplayer(home, "config", "get", "playback.skip_bak_ms")
    assert unknown.returncode == 1
    assert unknown.stderr == (
        "podplayer: There is no setting 'playback.skip_bak_ms'. Did you mean "
        "playback.skip_back_ms? `podplayer config list` shows every setting.\n"
    )
    bad = podplayer(home, "config", "set", "directories.enabled", "itunes,napster")
    assert bad.returncode == 1
    assert "napster is not one of them" in bad.stderr and "Traceback" not in bad.stderr
    assert podplayer(home, "config", "get", "directories.enabled").stdout == (
        "itunes,fyyd,podcastindex\n"
    )
    state = podplayer(home, "config", "set", "demo.offered", "true")
    assert state.returncode == 1 and "kept by podplayer itself" in state.stderr


def test_config_sets_the_download_folder_like_the_downloads_tab(tmp_path: Path) -> None:
    home = tmp_path / "home"
    folder = tmp_path / "Podcasts"
    assert podplayer(home, "config", "set", "downloads.folder", str(folder)).returncode == 0
    assert podplayer(home, "config", "get", "downloads.folder").stdout == f"{folder}\n"
    past = podplayer(home, "config", "get", "downloads.past_folders").stdout
    assert json.loads(past) == [str(home / "downloads")]


def test_discover_merges_directories_and_notes_failures(
    tmp_path: Path, http_server: TestHttpServer
) -> None:
    home = tmp_path / "home"
    point_directories_at(home, http_server)
    serve(
        http_server,
        "itunes",
        itunes_body([itunes_entry("The Daily \x1b[2J", "https://feeds.example.com/daily")]),
    )
    serve(
        http_server,
        "fyyd",
        fyyd_body(
            [
                fyyd_entry("The Daily", "http://feeds.example.com/daily/"),
                fyyd_entry("Other", "https://o.example.com/f"),
            ]
        ),
    )
    result = podplayer(home, "discover", "the", "daily")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "The Daily [2J — Apple Artist\n"
        "    https://feeds.example.com/daily  (iTunes, fyyd)\n"
        "Other — fyyd Author\n"
        "    https://o.example.com/f  (fyyd)\n"
    )
    assert "Podcast Index is searched once you enter your API key" in result.stderr
    rows = json.loads(podplayer(home, "discover", "daily", "--json").stdout)
    assert [(r["title"], r["feed_url"], r["sources"]) for r in rows][1] == (
        "Other",
        "https://o.example.com/f",
        ["fyyd"],
    )

    http_server.route(f"{FYYD}/0.2/search/podcast", status=500)
    failed = podplayer(home, "discover", "daily")
    assert failed.returncode == 0
    assert "fyyd answered with an error (500)." in failed.stderr
    assert "(iTunes)" in failed.stdout


def test_subscribe_accepts_an_apple_podcasts_link(
    tmp_path: Path, http_server: TestHttpServer
) -> None:
    home = tmp_path / "home"
    point_directories_at(home, http_server)
    http_server.route("/feed.xml", body=feed_body("Apple Show", ("a",)))
    http_server.route(
        f"{ITUNES}/lookup",
        body=itunes_body([itunes_entry("Apple Show", http_server.url("/feed.xml"))]),
        content_type="application/json",
    )
    link = "https://podcasts.apple.com/us/podcast/apple-show/id1200361736"
    result = podplayer(home, "subscribe", link)
    assert result.returncode == 0, result.stderr
    assert "Subscribed to Apple Show" in result.stdout
    assert "id=1200361736" in http_server.requests_for(f"{ITUNES}/lookup")[0].path

    http_server.route(f"{ITUNES}/lookup", body=itunes_body([]), content_type="application/json")
    missing = podplayer(home, "subscribe", "https://podcasts.apple.com/us/podcast/x/id99")
    assert missing.returncode == 1
    assert "Apple Podcasts knows no podcast feed for id 99" in missing.stderr


def test_the_podcastindex_secret_is_kept_apart_and_never_printed(
    tmp_path: Path, http_server: TestHttpServer
) -> None:
    home = tmp_path / "home"
    point_directories_at(home, http_server)
    assert podplayer(home, "config", "set", "directories.podcastindex.key", "KEY1").returncode == 0
    typed = subprocess.run(
        [
            sys.executable,
            "-m",
            "podplayer",
            "--data-dir",
            str(home),
            "config",
            "set",
            "directories.podcastindex.secret",
            "-",
        ],
        input="top secret value\n",
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), **NO_KEYRING},
        timeout=60,
    )
    assert typed.returncode == 0, typed.stderr
    shown = podplayer(home, "config", "get", "directories.podcastindex.secret")
    assert shown.stdout == "" and "is a secret and is not shown; it is set" in shown.stderr
    listing = podplayer(home, "config", "list")
    assert "top secret" not in listing.stdout + podplayer(home, "config", "list", "--json").stdout
    assert any(
        line.split() == ["directories.podcastindex.secret", "(set,", "hidden)"]
        for line in listing.stdout.splitlines()
    )
    for stored in home.rglob("*"):
        if stored.is_file() and stored.name != "secrets.json":
            assert b"top secret value" not in stored.read_bytes(), stored

    serve(
        http_server,
        "podcastindex",
        podcastindex_body([podcastindex_entry("Indexed", "https://i.example.com/f")]),
    )
    serve(http_server, "itunes", itunes_body([]))
    serve(http_server, "fyyd", fyyd_body([]))
    found = podplayer(home, "discover", "indexed")
    assert found.returncode == 0, found.stderr
    assert "(Podcast Index)" in found.stdout
    headers = http_server.requests_for(f"{PODCASTINDEX}/api/1.0/search/byterm")[0].headers
    date = headers["X-Auth-Date"]
    expected = hashlib.sha1(f"KEY1top secret value{date}".encode()).hexdigest()
    assert headers["Authorization"] == expected

    assert podplayer(home, "config", "unset", "directories.podcastindex.secret").returncode == 0
    gone = podplayer(home, "config", "get", "directories.podcastindex.secret")
    assert gone.returncode == 1 and "it is not set" in gone.stderr
