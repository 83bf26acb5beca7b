"""``podplayer sync ...`` and ``podplayer mark ...`` as a user runs them, against real servers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

from mygpoclient.api import EpisodeAction as PhoneAction

from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from tests.http_server import TestHttpServer
from tests.sync.conftest import PASSWORD, SyncServer
from tests.sync.desk import FEED, episode_url, open_desk
from tests.sync.phone import phone

REPO = Path(__file__).resolve().parents[2]


def podplayer(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(data / "home"),
        "XDG_CONFIG_HOME": str(data / "xdg-config"),
        "XDG_DATA_HOME": str(data / "xdg-data"),
    }
    return subprocess.run(
        [sys.executable, "-m", "podplayer", "--data-dir", str(data), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        cwd=REPO,
    )


def _library_with_show(data: Path) -> list[int]:
    paths = AppPaths.in_folder(data)
    paths.create()
    desk = open_desk(data / "scratch")
    desk.library.close()
    desk.library = Library.open(paths.database)
    ids = desk.add_show()
    desk.close()
    return ids


def test_login_mark_sync_status_logout(tmp_path: Path, router_server: SyncServer) -> None:
    data = tmp_path / "données podplayer"
    ids = _library_with_show(data)
    user = router_server.new_user()

    wrong = podplayer(
        data, "sync", "login", router_server.url, user, "--password-stdin", stdin="x\n"
    )
    assert wrong.returncode == 1
    assert "refused the user name" in wrong.stderr and "Traceback" not in wrong.stderr

    login = podplayer(
        data,
        "sync",
        "login",
        router_server.url,
        user,
        "--device",
        "My Desk",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert login.returncode == 0, login.stderr
    assert "device My-Desk" in login.stdout
    assert PASSWORD.encode() not in (data / "library.sqlite3").read_bytes()

    assert podplayer(data, "mark", str(ids[1]), "--position", "12:34").returncode == 0
    assert podplayer(data, "mark", str(ids[2]), "--played").returncode == 0
    pending = json.loads(podplayer(data, "sync", "status", "--json").stdout)
    assert pending["configured"] and pending["pending_changes"] == 3  # the show + 2 episodes

    synced = podplayer(data, "sync", "--json")
    assert synced.returncode == 0, synced.stderr
    report = json.loads(synced.stdout)
    assert (report["subscriptions_sent"], report["actions_sent"]) == (1, 2)
    actions = phone(router_server.url, user).download_episode_actions(since=0).actions
    by_episode = {a.episode: a for a in actions}
    assert by_episode[episode_url(1)].position == 754
    played = by_episode[episode_url(2)]
    assert played.position == played.total == 1800

    status = podplayer(data, "sync", "status")
    assert "Pending changes: 0" in status.stdout and "Last sync:" in status.stdout
    assert podplayer(data, "sync", "logout").returncode == 0
    assert json.loads(podplayer(data, "sync", "status", "--json").stdout)["configured"] is False


def test_mark_refuses_unknown_episodes_and_bad_times(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _library_with_show(data)
    missing = podplayer(data, "mark", "999", "--played")
    assert missing.returncode == 1 and "there is no episode 999" in missing.stderr
    bad = podplayer(data, "mark", "1", "--position", "12:75")
    assert bad.returncode == 2 and "not a time" in bad.stderr


def test_a_podcast_added_on_the_phone_is_subscribed_refreshed_and_its_state_applied(
    tmp_path: Path, opodsync_server: SyncServer, http_server: TestHttpServer
) -> None:
    feed_url = http_server.url("/phone-feed.xml")
    audio = http_server.url("/phone-1.mp3")
    http_server.route(
        "/phone-feed.xml",
        content_type="application/rss+xml",
        body=textwrap.dedent(
            f"""\
            <?xml version="1.0"?><rss version="2.0"><channel><title>From the phone</title>
            <item><title>One</title><guid>phone-1</guid>
            <enclosure url="{audio}" type="audio/mpeg" length="1000"/></item>
            </channel></rss>"""
        ).encode(),
    )
    data = tmp_path / "data"
    _library_with_show(data)
    user = opodsync_server.new_user()
    the_phone = phone(opodsync_server.url, user)
    the_phone.update_subscriptions("phone", [feed_url])
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    the_phone.upload_episode_actions(
        [PhoneAction(feed_url, audio, "play", "phone", now, started=0, position=42, total=600)]
    )
    login = podplayer(
        data,
        "sync",
        "login",
        opodsync_server.url,
        user,
        "--nextcloud",
        "--password-stdin",
        stdin=PASSWORD,
    )
    assert login.returncode == 0, login.stderr
    synced = podplayer(data, "sync", "--json")
    assert synced.returncode == 0, synced.stderr
    report = json.loads(synced.stdout)
    assert report["subscribed"] == [feed_url] and report["podcasts_refreshed"] == 1
    library = Library.open(AppPaths.in_folder(data).database)
    try:
        podcast = library.podcasts.find_by_url(feed_url)
        assert podcast is not None and podcast.title == "From the phone"
        episode = library.episodes.find_by_enclosure_url(audio)
        assert episode is not None and episode.position_ms == 42_000
    finally:
        library.close()


def test_queued_changes_survive_a_killed_app(tmp_path: Path, router_server: SyncServer) -> None:
    desk = open_desk(tmp_path / "desk")
    ids = desk.add_show()
    user = router_server.new_user()
    desk.login(router_server.url, user, "gpodder")
    desk.service.sync()
    database = desk.library.db.path
    desk.close()
    child = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from podplayer.core.storage.library import Library
        library = Library.open(Path({str(database)!r}))
        library.episodes.save_position({ids[0]}, 754_000)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    killed = subprocess.run([sys.executable, "-c", child], cwd=REPO, timeout=60)
    assert killed.returncode == -signal.SIGKILL
    desk = open_desk(tmp_path / "desk")
    try:
        assert desk.service.status().pending_changes == 1
        assert desk.service.sync().actions_sent == 1
    finally:
        desk.close()
    actions = phone(router_server.url, user).download_episode_actions(since=0).actions
    assert [a.position for a in actions if a.episode == episode_url(0)] == [754]
    assert FEED
