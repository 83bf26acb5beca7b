"""`podplayer transcript EPISODE_ID|FILE [--json]` prints cues for people and scripts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from podplayer.core.models import Episode, Podcast, TranscriptRef
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from tests.http_server import TestHttpServer
from tests.test_cli import run_podplayer

DATA = Path(__file__).resolve().parent / "data" / "transcripts"


def test_file_cues_as_tab_separated_lines() -> None:
    result = run_podplayer("transcript", str(DATA / "transcript.vtt"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 7
    assert lines[5] == (
        "00:00:19.080\t00:00:21.450\tGillian\tHi Buzzsprout, Gillian here from breaking through"
    )


def test_file_cues_as_json() -> None:
    result = run_podplayer("transcript", str(DATA / "transcript.json"), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["format"] == "JSON" and document["timed"] is True
    assert document["cues"][0] == {
        "start_ms": 500,
        "end_ms": 2500,
        "speaker": "Darth Vader",
        "text": "I am your father.",
    }


def test_unreadable_or_missing_file_is_a_sentence_and_exit_1(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b'{"segments": [')
    result = run_podplayer("transcript", str(garbage))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "could not be read" in result.stderr and "Traceback" not in result.stderr
    missing = run_podplayer("transcript", str(tmp_path / "nope.srt"))
    assert missing.returncode == 1
    assert "could not be opened" in missing.stderr


def test_episode_transcript_is_fetched_then_cached(
    tmp_path: Path, http_server: TestHttpServer
) -> None:
    http_server.route(
        "/ep.srt",
        body=(DATA / "transcript.srt").read_bytes(),
        content_type="application/x-subrip",
    )
    home = tmp_path / "home"
    paths = AppPaths.in_folder(home)
    paths.create()
    library = Library.open(paths.database)
    podcast = library.podcasts.add(Podcast(url="http://127.0.0.1/feed", language="en"))
    assert podcast.id is not None
    ref = TranscriptRef(http_server.url("/ep.srt"), "application/x-subrip", "en")
    episode = library.episodes.add(Episode(podcast_id=podcast.id, guid="e1", transcripts=[ref]))
    library.close()
    for _ in range(2):
        result = run_podplayer("--data-dir", str(home), "transcript", str(episode.id))
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[0].startswith("00:00:00.179\t00:00:02.399\tTravis\t")
    assert len(http_server.requests_for("/ep.srt")) == 1
    unknown = run_podplayer("--data-dir", str(home), "transcript", "999")
    assert unknown.returncode == 1
    assert "no episode 999" in unknown.stderr


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    source = tmp_path / "long.srt"  # far more output than a pipe holds, so the writer must block
    source.write_text(
        "".join(
            f"{n + 1}\n00:00:{n % 60:02},000 --> 00:00:{n % 60:02},500\nLine number {n}.\n\n"
            for n in range(20_000)
        )
    )
    with subprocess.Popen(
        [sys.executable, "-m", "podplayer", "transcript", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        errors = process.stderr.read().decode()
        assert process.wait(timeout=30) == 141
    assert "Traceback" not in errors
