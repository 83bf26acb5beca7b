"""The user flows of sync on every server and protocol, with mygpoclient as the phone."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from mygpoclient.api import EpisodeAction as PhoneAction

from podplayer.core.downloads import DownloadManager
from podplayer.core.models import Episode, Podcast
from podplayer.core.sync.client import SyncError
from podplayer.core.sync.service import SyncService
from tests.http_server import TestHttpServer
from tests.sync.conftest import SyncServer
from tests.sync.desk import FEED, Desk, episode_url, open_desk
from tests.sync.phone import phone
from tests.sync.recording_proxy import RecordingProxy


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    opened = open_desk(tmp_path / "desk")
    yield opened
    opened.close()


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _play(n: int, position: int, at: float, total: int = 1800) -> PhoneAction:
    return PhoneAction(
        FEED, episode_url(n), "play", "phone", _iso(at), started=0, position=position, total=total
    )


def _phone_positions(server: SyncServer, user: str, n: int) -> list[int]:
    actions = phone(server.url, user).download_episode_actions(since=0).actions
    ordered = sorted(actions, key=lambda a: a.timestamp or "")
    return [a.position for a in ordered if a.episode == episode_url(n) and a.action == "play"]


def _setup(desk: Desk, server_kind: tuple[SyncServer, str], episodes: int = 3):
    server, kind = server_kind
    user = server.new_user()
    phone(server.url, user).update_device_settings("phone", "Phone", "mobile")
    ids = desk.add_show(episodes)
    desk.login(server.url, user, kind)
    desk.service.sync()
    return server, user, ids


def test_subscribe_here_and_the_phone_sees_it(desk: Desk, server_kind) -> None:
    server, user, _ = _setup(desk, server_kind)
    desk.library.podcasts.add(Podcast(url="http://other.example.com/feed.rss"))
    report = desk.service.sync()
    assert report.subscriptions_sent == 1
    seen = phone(server.url, user).pull_subscriptions("phone", 0).add
    assert set(seen) == {FEED, "http://other.example.com/feed.rss"}


def test_unsubscribe_here_and_the_phone_sees_it(desk: Desk, server_kind) -> None:
    server, user, _ = _setup(desk, server_kind)
    podcast = desk.library.podcasts.find_by_url(FEED)
    assert podcast is not None and podcast.id is not None
    desk.library.podcasts.delete(podcast.id)
    desk.service.sync()
    changes = phone(server.url, user).pull_subscriptions("phone", 0)
    assert FEED in changes.remove and FEED not in changes.add


def test_the_phone_subscribes_and_it_appears_here(desk: Desk, server_kind) -> None:
    server, user, _ = _setup(desk, server_kind)
    phone(server.url, user).update_subscriptions("phone", ["http://phone.example.com/new.xml"])
    report = desk.service.sync()
    assert report.subscribed == ["http://phone.example.com/new.xml"]
    assert desk.library.podcasts.find_by_url("http://phone.example.com/new.xml") is not None
    assert desk.service.sync().subscriptions_sent == 0  # not echoed back


def test_play_to_12_34_here_and_the_phone_sees_754(desk: Desk, server_kind) -> None:
    server, user, ids = _setup(desk, server_kind)
    desk.library.episodes.save_position(ids[1], (12 * 60 + 34) * 1000 + 400)
    report = desk.service.sync()
    assert report.actions_sent == 1
    assert _phone_positions(server, user, 1) == [754]
    assert desk.service.status().pending_changes == 0


def test_the_phone_plays_to_the_end_and_it_is_played_here(desk: Desk, server_kind) -> None:
    server, user, ids = _setup(desk, server_kind)
    now = datetime.now(UTC).timestamp()
    phone(server.url, user).upload_episode_actions([_play(2, 1790, now)])
    desk.service.sync()
    assert desk.episode(ids[2]).played
    phone(server.url, user).upload_episode_actions([_play(0, 600, datetime.now(UTC).timestamp())])
    desk.service.sync()
    resumed = desk.episode(ids[0])
    assert (resumed.played, resumed.position_ms) == (False, 600_000)


def test_conflicting_positions_the_latest_wins(desk: Desk, server_kind) -> None:
    server, user, ids = _setup(desk, server_kind)
    now = datetime.now(UTC).timestamp()
    # Here at "now"; the phone played later: the phone wins, and ours is not uploaded.
    desk.library.episodes.save_position(ids[0], 300_000)
    phone(server.url, user).upload_episode_actions([_play(0, 420, now + 120)])
    desk.service.sync()
    assert desk.episode(ids[0]).position_ms == 420_000
    assert _phone_positions(server, user, 0) == [420]
    # The phone uploads late an older play (offline): ours, newer, stays and goes up.
    desk.library.episodes.save_position(ids[1], 500_000)
    phone(server.url, user).upload_episode_actions([_play(1, 90, now - 600)])
    desk.service.sync(full=True)
    assert desk.episode(ids[1]).position_ms == 500_000
    assert _phone_positions(server, user, 1)[-1] == 500


def test_a_late_upload_is_found_by_the_periodic_full_pull(desk: Desk, server_kind) -> None:
    server, user, ids = _setup(desk, server_kind)
    desk.service.sync()
    now = datetime.now(UTC).timestamp()
    phone(server.url, user).upload_episode_actions([_play(2, 1000, now - 7200)])
    desk.service.sync()  # the servers filter `since` by the action's own (old) time
    assert desk.episode(ids[2]).position_ms == 0
    report = desk.service.sync(full=True)
    assert report.full_pull
    assert desk.episode(ids[2]).position_ms == 1_000_000


def test_a_second_first_sync_does_not_duplicate(desk: Desk, server_kind) -> None:
    server, user, ids = _setup(desk, server_kind)
    desk.library.episodes.set_played(ids[0], True)
    desk.service.sync()
    before = len(phone(server.url, user).download_episode_actions(since=0).actions)
    desk.service.logout()
    desk.login(server.url, user, server_kind[1])
    report = desk.service.sync()
    assert (report.subscriptions_sent, report.actions_sent) == (0, 0)
    assert len(phone(server.url, user).download_episode_actions(since=0).actions) == before


def test_server_down_mid_sync_loses_nothing_and_is_retried(
    desk: Desk, server_kind, proxy_to: list[RecordingProxy]
) -> None:
    server, kind = server_kind
    proxy = RecordingProxy(server.url).start()
    proxy_to.append(proxy)
    user = server.new_user()
    ids = desk.add_show()
    desk.login(proxy.url, user, kind)
    desk.service.sync()
    desk.library.episodes.save_position(ids[0], 754_000)
    desk.library.podcasts.add(Podcast(url="http://late.example.com/feed"))
    proxy.cut_after = len(proxy.seen) + 2  # subscriptions go through, then the line drops
    with pytest.raises(SyncError) as failure:
        desk.service.sync()
    assert not failure.value.auth
    status = desk.service.status()
    assert status.pending_changes == 1 and "Could not sync" in status.last_error
    assert not desk.service.may_sync_automatically()  # a pause before the automatic retry
    proxy.cut_after = None
    desk.service.sync()
    assert desk.service.status().pending_changes == 0
    assert desk.service.status().last_error == ""
    assert _phone_positions(server, user, 0) == [754]


def test_a_wrong_password_is_a_sentence_and_no_retry_storm(
    desk: Desk, server_kind, proxy_to: list[RecordingProxy]
) -> None:
    server, kind = server_kind
    proxy = RecordingProxy(server.url).start()
    proxy_to.append(proxy)
    user = server.new_user()
    with pytest.raises(SyncError, match="refused the user name"):
        desk.login(proxy.url, user, kind, password="not the password")
    assert not desk.service.status().configured
    desk.login(proxy.url, user, kind)
    desk.secrets.set("sync-password", "changed on the server")
    count = len(proxy.seen)
    with pytest.raises(SyncError) as failure:
        desk.service.sync()
    assert failure.value.auth
    assert len(proxy.seen) == count + 1
    status = desk.service.status()
    assert status.needs_login and "refused" in status.last_error
    assert not desk.service.may_sync_automatically()


def test_an_action_for_a_tracked_or_escaped_url_finds_its_episode(desk: Desk, server_kind) -> None:
    server, user, ids = _setup(desk, server_kind)
    now = datetime.now(UTC).timestamp()
    tracked = "https://dts.podtrac.com/redirect.mp3/media.example.com/show/1.mp3"
    escaped = "https://op3.dev/e/https%3A%2F%2Fmedia.example.com/show/2.mp3"
    phone(server.url, user).upload_episode_actions(
        [
            PhoneAction(FEED, tracked, "play", "phone", _iso(now), 0, 300, 1800),
            PhoneAction(FEED, escaped, "play", "phone", _iso(now), 0, 1800, 1800),
        ]
    )
    desk.service.sync()
    assert desk.episode(ids[1]).position_ms == 300_000
    assert desk.episode(ids[2]).played


def test_the_full_pull_comes_by_itself_once_a_day(desk: Desk, router_server: SyncServer) -> None:
    from podplayer.core.sync.service import SyncService

    user = router_server.new_user()
    desk.add_show()
    desk.login(router_server.url, user, "gpodder")
    assert desk.service.sync().full_pull  # the first sync
    assert not desk.service.sync().full_pull
    tomorrow = datetime.now(UTC).timestamp() + 25 * 3600
    later = SyncService(desk.library, desk.secrets, desk.http, clock=lambda: tomorrow)
    assert later.sync().full_pull


def test_a_url_the_server_rewrites_is_followed_here(desk: Desk, router_server: SyncServer) -> None:
    user = router_server.new_user()
    desk.library.podcasts.add(Podcast(url="http://Feeds.Example.com/Loud Show.xml"))
    desk.login(router_server.url, user, "gpodder")
    report = desk.service.sync()
    assert report.moved == [
        ("http://Feeds.Example.com/Loud Show.xml", "http://feeds.example.com/Loud%20Show.xml")
    ]
    assert desk.library.podcasts.find_by_url("http://feeds.example.com/Loud%20Show.xml")
    assert desk.service.sync().subscriptions_sent == 0  # the move itself is not sent back


def test_subscriptions_that_are_no_web_address_are_not_followed(
    desk: Desk, router_server: SyncServer
) -> None:
    """gpodder-fastapi-router keeps file: and ftp: feed URLs; podplayer does not subscribe."""
    user = router_server.new_user()
    phone(router_server.url, user).update_device_settings("phone", "Phone", "mobile")
    desk.login(router_server.url, user, "gpodder")
    phone(router_server.url, user).update_subscriptions(
        "phone", ["file:///etc/passwd", "ftp://files.example.com/feed.xml", FEED]
    )
    report = desk.service.sync()
    assert report.subscribed == [FEED]
    assert [p.url for p in desk.library.podcasts.list()] == [FEED]


def test_a_download_and_its_deletion_here_reach_the_phone(desk: Desk, server_kind) -> None:
    from podplayer.core.models import Download, DownloadState

    server, user, ids = _setup(desk, server_kind)
    downloads = desk.library.downloads
    downloads.save(Download(ids[0], episode_url(0), DownloadState.DOWNLOADING))
    downloads.save(Download(ids[0], episode_url(0), DownloadState.COMPLETED, "/x/0.mp3"))
    downloads.save(Download(ids[1], episode_url(1), DownloadState.COMPLETED, "/x/1.mp3"))
    assert desk.service.sync().actions_sent == 2
    downloads.delete(ids[1])
    assert desk.service.status().pending_changes == 1
    desk.service.sync()
    actions = phone(server.url, user).download_episode_actions(since=0).actions
    seen = sorted((a.episode, a.action) for a in actions if a.action in ("download", "delete"))
    assert seen == [
        (episode_url(0), "download"),
        (episode_url(1), "delete"),
        (episode_url(1), "download"),
    ]


def test_played_follows_the_players_margin_setting(desk: Desk, router_server: SyncServer) -> None:
    from podplayer.core.settings import PLAYED_THRESHOLD_MS

    server, user, ids = _setup(desk, (router_server, "gpodder"))
    desk.library.settings.set(PLAYED_THRESHOLD_MS.key, 120_000)
    phone(server.url, user).upload_episode_actions([_play(1, 1700, datetime.now(UTC).timestamp())])
    desk.service.sync()
    assert desk.episode(ids[1]).played


def test_the_phone_unsubscribes_and_the_podcasts_download_here_stops(
    desk: Desk, router_server: SyncServer, http_server: TestHttpServer, tmp_path: Path
) -> None:
    http_server.route("/slow.mp3", body=b"\xff" * 4000, trickle_interval=0.01)  # 40 s
    downloads = DownloadManager(desk.library, desk.http, tmp_path / "downloads")
    desk.service = SyncService(
        desk.library,
        desk.secrets,
        desk.http,
        before_unsubscribe=lambda podcast_id: downloads.forget_podcast(podcast_id, False),
    )
    user = router_server.new_user()
    phone(router_server.url, user).update_device_settings("phone", "Phone", "mobile")
    desk.add_show(1)
    podcast = desk.library.podcasts.find_by_url(FEED)
    assert podcast is not None and podcast.id is not None
    episode = desk.library.episodes.add(
        Episode(podcast_id=podcast.id, guid="slow", enclosure_url=http_server.url("/slow.mp3"))
    )
    assert episode.id is not None
    desk.login(router_server.url, user, "gpodder")
    desk.service.sync()
    try:
        downloads.start(episode.id)
        deadline = time.monotonic() + 10
        while not any(p.is_file() for p in (tmp_path / "downloads").rglob("*")):
            assert time.monotonic() < deadline, "the download never started"
            time.sleep(0.05)

        # Removed from this computer's own list on the server (as the web page of gpodder.net
        # does), so no device sync between the phone and the desk is needed.
        account = desk.library.sync.state().account  # type: ignore[union-attr]
        time.sleep(1.1)  # the server counts changes in whole seconds
        phone(router_server.url, user).update_subscriptions(account.device_id, [], [FEED])
        assert desk.service.sync().unsubscribed == [FEED]

        assert downloads.wait_until_idle(5), "the download of a podcast gone goes on"
        assert [p for p in (tmp_path / "downloads").rglob("*") if p.is_file()] == []
    finally:
        downloads.shutdown()
