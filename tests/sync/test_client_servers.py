"""The protocol clients against real servers on 127.0.0.1, seen through a recording proxy."""

from __future__ import annotations

import json
import logging
import re
import urllib.request

import pytest

from podplayer.core.http import HttpClient
from podplayer.core.sync.actions import ActionKind, EpisodeAction
from podplayer.core.sync.client import ServerKind, SyncAccount, SyncClient, SyncError
from tests.http_server import TestHttpServer
from tests.sync.conftest import PASSWORD, SyncServer
from tests.sync.phone import phone
from tests.sync.recording_proxy import RecordingProxy

FEED = "http://feeds.example.com/show.xml"


def _client(url: str, user: str, kind: str = "gpodder", password: str = PASSWORD) -> SyncClient:
    account = SyncAccount(url, user, ServerKind(kind), "desk-1")
    return SyncClient(HttpClient(), account, password)


def test_basic_auth_on_every_request_and_the_session_cookie_kept(
    router_server: SyncServer, proxy_to: list[RecordingProxy]
) -> None:
    proxy = RecordingProxy(router_server.url).start()
    proxy_to.append(proxy)
    user = router_server.new_user()
    client = _client(proxy.url, user)
    client.login()
    session = client.cookies["sessionid"]
    client.pull_subscriptions(0)
    client.pull_actions(0)
    assert all(seen.headers["Authorization"].startswith("Basic ") for seen in proxy.seen)
    after_login = proxy.seen[1:]
    assert after_login and all(f"sessionid={session}" in s.headers["Cookie"] for s in after_login)

    # The server forgets the session: Basic auth carries the next requests on.
    logout = urllib.request.Request(
        f"{router_server.url}/api/2/auth/{user}/logout.json",
        method="POST",
        headers={"Cookie": f"sessionid={session}"},
    )
    urllib.request.urlopen(logout, timeout=10).close()
    assert client.pull_subscriptions(0).add == []


def test_since_is_an_integer_and_timestamps_go_out_as_utc_seconds(
    router_server: SyncServer, proxy_to: list[RecordingProxy]
) -> None:
    proxy = RecordingProxy(router_server.url).start()
    proxy_to.append(proxy)
    client = _client(proxy.url, router_server.new_user())
    client.login()
    moment = 1_700_000_000.873
    client.push_actions(
        [EpisodeAction(FEED, "http://e/1.mp3", ActionKind.PLAY, moment, position=5, total=60)]
    )
    changes = client.pull_actions(int(moment), aggregated=True)
    client.pull_subscriptions(changes.timestamp)
    queries = [s.path for s in proxy.seen if "since=" in s.path]
    assert len(queries) == 2
    assert "aggregated=true" in next(p for p in queries if "/episodes/" in p)
    assert all(re.search(r"since=\d+(&|$)", path) for path in queries)
    upload = next(s for s in proxy.seen if s.method == "POST" and "/episodes/" in s.path)
    assert upload.body is not None
    assert json.loads(upload.body)[0]["timestamp"] == "2023-11-14T22:13:20"
    assert changes.actions[0].timestamp == 1_700_000_000


def test_the_device_is_registered_with_its_id(router_server: SyncServer) -> None:
    user = router_server.new_user()
    _client(router_server.url, user).login()
    assert [d.device_id for d in phone(router_server.url, user).get_devices()] == ["desk-1"]


def test_nextcloud_has_no_login_or_device_endpoints(
    opodsync_server: SyncServer, proxy_to: list[RecordingProxy]
) -> None:
    proxy = RecordingProxy(opodsync_server.url).start()
    proxy_to.append(proxy)
    client = _client(proxy.url, opodsync_server.new_user(), "nextcloud")
    client.login()
    client.push_subscriptions([FEED], [])
    assert client.pull_subscriptions(0).add == [FEED]
    client.pull_actions(0)
    paths = [s.path for s in proxy.seen]
    assert all(p.startswith("/index.php/apps/gpoddersync/") for p in paths), paths
    assert all(s.headers["Authorization"].startswith("Basic ") for s in proxy.seen)


def test_junk_actions_from_the_server_are_skipped_with_a_log_line(
    opodsync_server: SyncServer, caplog: pytest.LogCaptureFixture
) -> None:
    user = opodsync_server.new_user()
    good = {"podcast": FEED, "episode": "http://e/ok.mp3", "action": "play", "position": 10}
    junk = [
        {"podcast": FEED, "episode": "http://e/a.mp3", "action": "play", "position": -1},
        {"podcast": FEED, "episode": "http://e/b.mp3", "action": "play", "position": 9, "total": 5},
    ]
    _post_raw(opodsync_server.url, user, [good, *junk])
    caplog.set_level(logging.INFO, logger="podplayer.core.sync.client")
    changes = _client(opodsync_server.url, user).pull_actions(0)
    assert [a.episode for a in changes.actions] == ["http://e/ok.mp3"]
    assert changes.junk == 2
    assert sum("Ignored an episode action" in r.getMessage() for r in caplog.records) == 2


@pytest.mark.parametrize("kind", ["gpodder", "nextcloud"])
def test_a_wrong_password_is_a_sentence_after_one_request(
    opodsync_server: SyncServer, kind: str, proxy_to: list[RecordingProxy]
) -> None:
    proxy = RecordingProxy(opodsync_server.url).start()
    proxy_to.append(proxy)
    client = _client(proxy.url, opodsync_server.new_user(), kind, password="wrong password")
    with pytest.raises(SyncError) as failure:
        client.login()
    assert failure.value.auth
    assert "refused the user name" in str(failure.value)
    assert len(proxy.seen) == 1


def test_a_server_that_is_not_there_is_a_retryable_sentence() -> None:
    client = _client("http://127.0.0.1:9", "someone")
    with pytest.raises(SyncError) as failure:
        client.login()
    assert not failure.value.auth
    assert "Could not sync with 127.0.0.1:9" in str(failure.value)


def test_a_server_of_the_other_kind_says_so(router_server: SyncServer) -> None:
    client = _client(router_server.url, router_server.new_user(), "nextcloud")
    with pytest.raises(SyncError, match="no gPodder Sync app"):
        client.login()


def _post_raw(url: str, user: str, actions: list[dict[str, object]]) -> None:
    """Upload actions as a careless client would (no timestamp, -1 fields)."""
    import base64

    token = base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()
    request = urllib.request.Request(
        f"{url}/api/2/episodes/{user}.json",
        data=json.dumps(actions).encode(),
        headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()


def test_a_redirect_is_a_sentence_without_the_servers_control_characters(
    http_server: TestHttpServer,
) -> None:
    http_server.route(
        "/index.php/apps/gpoddersync/subscriptions",
        status=302,
        location="http://elsewhere.example/\x1b[2J\x1b]0;owned\x07",
    )
    client = _client(http_server.url(""), "someone", "nextcloud")
    with pytest.raises(SyncError) as failure:
        client.login()
    message = str(failure.value)
    assert "sent podplayer to http://elsewhere.example/[2J]0;owned" in message
    assert not any(ord(c) < 32 for c in message)
