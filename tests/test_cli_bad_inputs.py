"""Bad input tried from the real command line: a sentence each, nothing lost (issue 12, 11)."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from podplayer.core.models import Episode, Podcast, TranscriptRef
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from tests.http_server import TestHttpServer
from tests.test_cli import run_podplayer

REPO_ROOT = Path(__file__).resolve().parents[1]
# The 8-bit terminal controls (CSI is U+009B) and the C0 ones ESC and BEL.
TERMINAL_CONTROLS = [chr(code) for code in range(0x80, 0xA0)] + ["\x1b", "\x07"]


def feed(title: str = "Show", episodes: int = 1, transcript: str = "") -> bytes:
    items = "".join(
        f"<item><title>Episode {n}</title><guid>g{n}</guid>"
        f'<enclosure url="https://cdn.example.com/{n}.mp3" type="audio/mpeg"/>{transcript}</item>'
        for n in range(episodes)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:podcast="https://podcastindex.org/namespace/1.0">'
        f"<channel><title>{title}</title>{items}</channel></rss>"
    ).encode()


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr


def with_transcript(data_dir: Path, url: str, mime: str) -> int:
    """A library holding one episode whose transcript is at ``url``; the episode's id."""
    paths = AppPaths.in_folder(data_dir)
    paths.create()
    library = Library.open(paths.database)
    podcast = library.podcasts.add(Podcast(url="https://example.com/feed.xml", title="Show"))
    assert podcast.id is not None
    episode = library.episodes.add(
        Episode(podcast_id=podcast.id, guid="g", title="Ep", transcripts=[TranscriptRef(url, mime)])
    )
    library.close()
    assert episode.id is not None
    return episode.id


@pytest.mark.parametrize("coding", ["gzip", "deflate", "x-unknown"])
def test_a_body_that_is_not_in_its_declared_encoding_is_a_sentence(
    tmp_path: Path, http_server: TestHttpServer, coding: str
) -> None:
    http_server.route("/feed.xml", body=feed(), headers={"Content-Encoding": coding})
    http_server.route(
        "/t.vtt",
        body=b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n",
        content_type="text/vtt",
        headers={"Content-Encoding": coding},
    )
    data = tmp_path / "data"
    result = run_podplayer("--data-dir", str(data), "subscribe", http_server.url("/feed.xml"))
    no_traceback(result)
    assert result.returncode == 1
    assert f"({coding})" in result.stderr and result.stderr.startswith("podplayer: ")
    episode_id = with_transcript(data, http_server.url("/t.vtt"), "text/vtt")
    result = run_podplayer("--data-dir", str(data), "transcript", str(episode_id))
    no_traceback(result)
    assert result.returncode == 1 and f"({coding})" in result.stderr


def test_a_malformed_redirect_is_a_sentence(tmp_path: Path, http_server: TestHttpServer) -> None:
    http_server.route("/feed.xml", status=302, location="http://[::1:99999/x")
    result = run_podplayer(
        "--data-dir", str(tmp_path / "d"), "subscribe", http_server.url("/feed.xml")
    )
    no_traceback(result)
    assert result.returncode == 1
    assert "redirected to an address that is not valid" in result.stderr


def test_terminal_controls_never_reach_the_terminal(
    tmp_path: Path, http_server: TestHttpServer
) -> None:
    hostile = "".join(TERMINAL_CONTROLS)
    http_server.route(
        "/t.vtt",
        body=f"WEBVTT\n\n00:00.000 --> 00:01.000\nHi{hostile}there\n".encode(),
        content_type="text/vtt",
    )
    transcript = f'<podcast:transcript url="{http_server.url("/t.vtt")}" type="text/vtt"/>'
    body = feed(f"Sh{hostile}ow", transcript=transcript).replace(
        b"Episode 0", f"Epi{hostile}sode".encode()
    )
    http_server.route("/feed.xml", body=body)
    data = str(tmp_path / "d")
    assert (
        run_podplayer("--data-dir", data, "subscribe", http_server.url("/feed.xml")).returncode == 0
    )
    outputs = [
        run_podplayer("--data-dir", data, *command)
        for command in (["list"], ["episodes", "1"], ["transcript", "1"])
    ]
    for result in outputs:
        no_traceback(result)
        assert result.returncode == 0, result.stderr
        assert not any(c in result.stdout + result.stderr for c in TERMINAL_CONTROLS)
    assert "Show" in outputs[0].stdout and "Episode" in outputs[1].stdout
    assert "Hithere" in outputs[2].stdout


def test_a_json_transcript_with_a_lone_surrogate(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(
        '{"version": "1.0.0", "segments": [{"startTime": 0, "endTime": 1, "body": "a\\ud800b"}]}'
    )
    result = run_podplayer("transcript", str(path))
    no_traceback(result)
    assert result.returncode == 0
    assert result.stdout == "00:00:00.000\t00:00:01.000\t\tab\n"


def test_an_endless_transcript_file_or_pipe_stops_at_the_size_cap(tmp_path: Path) -> None:
    result = run_podplayer("transcript", "/dev/zero")
    no_traceback(result)
    assert result.returncode == 1 and "too large for a transcript" in result.stderr
    with subprocess.Popen(["cat", "/dev/zero"], stdout=subprocess.PIPE) as endless:
        piped = subprocess.run(
            [sys.executable, "-m", "podplayer", "transcript", "/dev/stdin"],
            stdin=endless.stdout,
            capture_output=True,
            text=True,
            timeout=60,
        )
        endless.kill()
    no_traceback(piped)
    assert piped.returncode == 1 and "too large for a transcript" in piped.stderr


def test_the_export_is_always_well_formed_and_imports_again(
    tmp_path: Path, http_server: TestHttpServer
) -> None:
    # U+FFFE and U+FFFF are not XML characters; the feed is read leniently.
    http_server.route("/feed.xml", body=feed("Odd \ufffe\uffff title"))
    data = str(tmp_path / "d")
    assert (
        run_podplayer("--data-dir", data, "subscribe", http_server.url("/feed.xml")).returncode == 0
    )
    paths = AppPaths.in_folder(tmp_path / "d")
    library = Library.open(paths.database)
    [podcast] = library.podcasts.list()
    podcast.title = "Stored \ufffe before this fix \x1b\x9b"  # what an older version may have kept
    library.podcasts.save_feed_state(podcast)
    library.close()
    backup = tmp_path / "backup.opml"
    exported = run_podplayer("--data-dir", data, "export", str(backup))
    assert exported.returncode == 0, exported.stderr
    outline = ElementTree.parse(backup).getroot().find("body/outline")
    assert outline is not None and outline.get("title") == "Stored before this fix"
    imported = run_podplayer(
        "--data-dir", str(tmp_path / "e"), "import", "--no-refresh", str(backup)
    )
    assert imported.returncode == 0, imported.stderr
    assert "Imported 1 podcast" in imported.stdout


def _small_files(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_during_refresh_is_a_sentence_and_loses_nothing(
    tmp_path: Path, http_server: TestHttpServer
) -> None:
    route = http_server.route("/feed.xml", body=feed(episodes=2))
    data = str(tmp_path / "d")
    assert (
        run_podplayer("--data-dir", data, "subscribe", http_server.url("/feed.xml")).returncode == 0
    )
    route.body = feed(episodes=3000)
    database = AppPaths.in_folder(tmp_path / "d").database
    limit = database.stat().st_size + 64 * 1024
    result = subprocess.run(
        [sys.executable, "-m", "podplayer", "--data-dir", data, "refresh"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: _small_files(limit),
    )
    no_traceback(result)
    assert result.returncode == 1
    assert "full" in result.stderr
    episodes = run_podplayer("--data-dir", data, "episodes", "1", "--json")
    assert len(json.loads(episodes.stdout)) == 2  # the stored episodes are all still there


def test_a_data_dir_that_is_a_file_is_a_sentence(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("mine")
    result = run_podplayer("--data-dir", str(not_a_folder), "list")
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.startswith("podplayer: ") and "not a folder" in result.stderr
    assert not_a_folder.read_text() == "mine"
