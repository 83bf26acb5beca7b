"""A hostile feed through the command line, end to end: every file lands inside the data folder."""

from __future__ import annotations

import json
from pathlib import Path

from tests.core.downloads.conftest import audio_bytes
from tests.http_server import TestHttpServer
from tests.test_cli import run_podplayer

HOSTILE_FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>../../../../tmp/owned</title>
<item><title>../../.bashrc</title><guid>a</guid>
<enclosure url="{media}" type="audio/mpeg" length="-5"/></item>
<item><title>CON</title><guid>b</guid><enclosure url="file:///etc/passwd" type="audio/mpeg"/></item>
</channel></rss>"""


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_hostile_feed_writes_only_inside_the_data_folder(
    tmp_path: Path, http_server: TestHttpServer
) -> None:
    body = audio_bytes(20_000)
    http_server.route(
        "/get.php",
        body=body,
        content_type="application/octet-stream",
        headers={"Content-Disposition": 'attachment; filename="../../../evil.desktop"'},
    )
    feed = HOSTILE_FEED.format(media=http_server.url("/get.php")).encode()
    http_server.route("/feed.xml", body=feed, content_type="application/rss+xml")
    data, user_home = tmp_path / "data", tmp_path / "user-home"
    user_home.mkdir()
    environment = {"HOME": str(user_home)}

    def podplayer(*args: str) -> str:
        result = run_podplayer("--data-dir", str(data), *args, env=environment)
        assert "Traceback" not in result.stderr
        assert result.returncode == 0, result.stderr
        return result.stdout

    podplayer("subscribe", http_server.url("/feed.xml"))
    [podcast] = json.loads(podplayer("list", "--json"))
    assert podcast["title"] == "../../../../tmp/owned"  # kept as text, never used as a path
    downloaded = Path(podplayer("download", "1").strip())
    assert downloaded.read_bytes() == body
    assert downloaded.suffix == ".mp3" and downloaded.is_relative_to(data / "downloads")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "user-home"]
    assert files_in(user_home) == []
    assert all(".." not in name for name in files_in(data))
    refused = run_podplayer("--data-dir", str(data), "download", "2", env=environment)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("podplayer: “CON” has no audio file to download.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "user-home"]
