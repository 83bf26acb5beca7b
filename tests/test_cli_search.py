"""`podplayer refresh` then `podplayer search`, as a script would run them: real processes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from podplayer.core.models import Episode, Podcast
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from tests.core.search.library_feed import serve_library_feed
from tests.http_server import TestHttpServer
from tests.test_cli import run_podplayer


def podplayer(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_podplayer("--data-dir", str(home), *args)


def test_refresh_fetches_transcripts_so_search_finds_the_spoken_words(
    tmp_path: Path, http_server: TestHttpServer
) -> None:
    home = tmp_path / "home"
    assert podplayer(home, "subscribe", serve_library_feed(http_server)).returncode == 0
    skipped = podplayer(home, "refresh", "--no-transcripts")
    assert skipped.returncode == 0 and "Indexed" not in skipped.stdout
    assert not [r for r in http_server.requests if r.path.startswith("/t/")]
    assert podplayer(home, "search", "remarkable").returncode == 1

    refreshed = podplayer(home, "refresh")
    assert refreshed.returncode == 0, refreshed.stderr
    assert "Indexed 3 transcripts for search." in refreshed.stdout

    found = podplayer(home, "search", "espresso", "OR", "levels", "--order", "newest")
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert "Everything Show — Coffee in Paris  (2025-01-05)" in lines[0]
    assert "2:10  transcript  …Sarah: Today we visit" in found.stdout
    assert "Tom: The [espresso] there was remarkable." in found.stdout
    assert "3:20  transcript" in found.stdout and "[levels]" in found.stdout

    hits = json.loads(podplayer(home, "search", '"analytical engine"', "--json").stdout)
    assert [(h["title"], h["kind"], h["start_ms"]) for h in hits] == [
        ("Engines", "transcript", 95_500)
    ]
    hit = hits[0]
    assert [hit["snippet"][s : s + n] for s, n in hit["highlights"]] == ["analytical", "engine"]
    notes = json.loads(podplayer(home, "search", "sourdough", "--json").stdout)
    assert [(h["kind"], h["start_ms"]) for h in notes] == [("notes", 754_000)]

    rebuilt = podplayer(home, "search", "--rebuild", "remarkable", "--limit", "1")
    assert rebuilt.returncode == 0 and "Rebuilt the search index (3 transcripts)" in rebuilt.stderr


def test_a_hostile_query_gets_a_sentence(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for query in ("☕", "*", "x" * 10_000):
        result = podplayer(home, "search", query)
        assert result.returncode == 2
        assert result.stderr.startswith("podplayer: ") and "Traceback" not in result.stderr
    quoted = podplayer(home, "search", "'; DROP TABLE episodes; --", '"unclosed', "NEAR(")
    assert quoted.returncode == 1 and "Nothing found" in quoted.stderr


def test_feed_text_reaches_the_terminal_without_control_characters(tmp_path: Path) -> None:
    home = tmp_path / "home"
    paths = AppPaths.in_folder(home)
    paths.create()
    library = Library.open(paths.database)
    podcast = library.podcasts.add(Podcast(url="http://127.0.0.1/x.xml", title="Evil\x1b[2J Show"))
    assert podcast.id is not None
    library.episodes.add(
        Episode(
            podcast_id=podcast.id,
            guid="1",
            title="Lighthouse\x1b]0;owned\x07 keepers\x9b",
            notes_html="<p>The lighthouse\x1b[31m keeper</p>",
        )
    )
    library.close()
    result = podplayer(home, "search", "lighthouse")
    assert result.returncode == 0, result.stderr
    assert "Evil [2J Show — Lighthouse ]0;owned keepers" in result.stdout
    assert not any((ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0 for c in result.stdout)
