"""`podplayer chapters EPISODE_ID|FILE [--json]` prints chapters for people and scripts."""

from __future__ import annotations

import json
from pathlib import Path

from podplayer.core.models import Chapter, ChapterRef, Episode, Podcast
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from tests.core.chapters.tagged_audio import mp3_with_chapters
from tests.http_server import TestHttpServer
from tests.test_cli import run_podplayer

AUDIO = Path(__file__).resolve().parent / "data" / "audio"


def test_an_m4a_file_chapters_as_tab_separated_lines() -> None:
    result = run_podplayer("chapters", str(AUDIO / "chapters.m4a"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Chapters from the audio file:",
        "0:00:00\t0:00:03\tIntro",
        "0:00:03\t0:00:04\tMiddle",
        "0:00:07\t\tOutro",
    ]


def test_an_mp3_file_as_json_with_terminal_escapes_removed(tmp_path: Path) -> None:
    hostile = "Red\x1b[31m alert\x9b2J\x07"
    path = mp3_with_chapters(
        tmp_path / "a.mp3", [("a", 0, 1000, hostile), ("b", 1000, 2000, "Two")], url="https://x/"
    )
    result = run_podplayer("chapters", str(path), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["source"] == "embedded"
    assert [c["title"] for c in document["chapters"]] == ["Red[31m alert2J", "Two"]
    assert document["chapters"][0]["end_ms"] == 1000
    assert document["chapters"][0]["url"] == "https://x/"
    plain = run_podplayer("chapters", str(path))
    assert "\x1b" not in plain.stdout and "\x9b" not in plain.stdout


def test_an_episode_uses_the_merge_rule_and_marks_skipped_chapters(
    tmp_path: Path, http_server: TestHttpServer
) -> None:
    http_server.route(
        "/c.json",
        body=b'{"chapters": [{"startTime": 0, "title": "Hello"}, {"startTime": 30, '
        b'"title": "Sponsor"}, {"startTime": 40, "title": "Main"}]}',
    )
    home = tmp_path / "home"
    paths = AppPaths.in_folder(home)
    paths.create()
    library = Library.open(paths.database)
    podcast = library.podcasts.add(Podcast(url="http://127.0.0.1/feed"))
    assert podcast.id is not None
    episode = library.episodes.add(
        Episode(
            podcast_id=podcast.id,
            guid="e1",
            duration_s=60,
            chapters=[ChapterRef(http_server.url("/c.json"), "application/json+chapters")],
            podlove_chapters=[Chapter(0, "Podlove")],
        )
    )
    library.chapter_preferences.set_rules(podcast.id, ["sponsor"])
    library.close()
    result = run_podplayer("--data-dir", str(home), "chapters", str(episode.id))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Chapters from the podcast's chapters file:",
        "0:00:00\t0:00:30\tHello",
        "0:00:30\t0:00:10\tSponsor\t\tskipped",
        "0:00:40\t0:00:20\tMain",
    ]
    unknown = run_podplayer("--data-dir", str(home), "chapters", "999")
    assert unknown.returncode == 1 and "no episode 999" in unknown.stderr
    missing = run_podplayer("--data-dir", str(home), "chapters", str(tmp_path / "none.mp3"))
    assert missing.returncode == 1 and "is not a file" in missing.stderr
