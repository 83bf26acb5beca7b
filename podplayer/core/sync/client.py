"""Protocol clients for the two kinds of sync server, over the app's one HTTP client.

gpodder.net API v2 (mygpo, oPodSync, gpodder-fastapi-router): log in once with Basic auth, keep
the ``sessionid`` cookie, register the device, then subscriptions per device and episode actions
per user. Nextcloud gPodder Sync: no login and no device endpoints, Basic auth (an app password)
on every request, the same JSON under ``/index.php/apps/gpoddersync/``.

Both send Basic auth on every request as well as the cookie: servers that lose the session (PHP
session files cleaned, a restart) must not turn a sync into an error.
"""

from __future__ import annotations

import enum
import json
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from podplayer.core.http import Credentials, HttpClient, HttpError
from podplayer.core.sync.actions import EpisodeAction, JunkActionError, action_from_json

log = logging.getLogger(__name__)

DEVICE_ID = re.compile(r"[\w.-]+")
# Servers check the password on every request (bcrypt: ~0.2 s each on gpodder-fastapi-router):
# fewer, larger uploads. 5000 actions are ~1.3 MB of JSON, below PHP's 8 MB default post limit.
ACTIONS_PER_UPLOAD = 5000
MAX_RESPONSE_BYTES = 200 * 1024 * 1024
NEXTCLOUD_BASE = "index.php/apps/gpoddersync"


class ServerKind(enum.StrEnum):
    GPODDER = "gpodder"
    NEXTCLOUD = "nextcloud"


class SyncError(Exception):
    """A sync that failed, with a sentence for the user.

    ``auth``: the server refused the user name or password; retrying will not help until the
    user changes them. Otherwise the failure is worth retrying later.
    """

    def __init__(self, message: str, *, auth: bool = False, status: int | None = None) -> None:
        super().__init__(message)
        self.auth = auth
        self.status = status


def device_id_from_name(name: str) -> str:
    """A device id the API accepts (``[\\w.-]+``) from a name the user typed."""
    cleaned = re.sub(r"[^\w.-]+", "-", name.strip()).strip("-.")
    return cleaned[:64] or "podplayer"


@dataclass(frozen=True, slots=True)
class SyncAccount:
    """Where and as whom to sync; the password lives in the secret store."""

    server_url: str
    username: str
    kind: ServerKind
    device_id: str

    def __post_init__(self) -> None:
        if not DEVICE_ID.fullmatch(self.device_id):
            raise ValueError(f"{self.device_id!r} is not a device id ([A-Za-z0-9_.-])")


@dataclass(slots=True)
class SubscriptionChanges:
    add: list[str]
    remove: list[str]
    timestamp: int
    update_urls: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class ActionChanges:
    actions: list[EpisodeAction]
    timestamp: int
    junk: int = 0


class SyncClient:
    """One account's conversation with its server. Not thread-safe: one sync at a time."""

    def __init__(self, http: HttpClient, account: SyncAccount, password: str) -> None:
        self.account = account
        self._http = http
        self._credentials = Credentials(account.username, password)
        self._cookies: dict[str, str] = {}
        self._base = account.server_url.strip().rstrip("/")
        self._user = quote(account.username, safe="")
        self.requests = 0

    @property
    def nextcloud(self) -> bool:
        return self.account.kind is ServerKind.NEXTCLOUD

    def login(self) -> None:
        """Check the password; on gpodder.net servers also start a session and add the device."""
        if self.nextcloud:
            self._request("GET", self._nextcloud_url("subscriptions", since=int(time.time())))
            return
        self._request("POST", f"{self._base}/api/2/auth/{self._user}/login.json")
        caption = f"podplayer ({self.account.device_id})"
        self._request(
            "POST",
            f"{self._base}/api/2/devices/{self._user}/{self.account.device_id}.json",
            {"caption": caption, "type": "desktop"},
        )

    def join_other_devices(self) -> list[str]:
        """gpodder.net keeps subscriptions per device: share them with the user's other devices.

        Servers without sync groups (oPodSync shares subscriptions anyway) are left alone.
        Returns the devices now synchronized with this one.
        """
        if self.nextcloud:
            return []
        devices = self._request("GET", f"{self._base}/api/2/devices/{self._user}.json")
        ours = self.account.device_id
        others = [
            str(d["id"])
            for d in (devices if isinstance(devices, list) else [])
            if isinstance(d, dict) and d.get("id") and str(d["id"]) != ours
        ]
        if not others:
            return []
        try:
            self._request(
                "POST",
                f"{self._base}/api/2/sync-devices/{self._user}.json",
                {"synchronize": [[ours, *others]], "stop-synchronize": []},
            )
        except SyncError as exc:
            if exc.auth or exc.status is None:
                raise
            log.info("%s does not synchronize devices: %s", self._host, exc)
            return []
        return others

    def pull_subscriptions(self, since: int) -> SubscriptionChanges:
        if self.nextcloud:
            data = self._request("GET", self._nextcloud_url("subscriptions", since=since))
        else:
            url = self._subscriptions_url() + "?" + urlencode({"since": int(since)})
            data = self._request("GET", url)
        if not isinstance(data, dict):
            raise self._malformed("subscriptions")
        return SubscriptionChanges(
            add=_urls(data.get("add")),
            remove=_urls(data.get("remove")),
            timestamp=_timestamp(data.get("timestamp"), since),
            update_urls=_pairs(data.get("update_urls")),
        )

    def push_subscriptions(self, add: Sequence[str], remove: Sequence[str]) -> SubscriptionChanges:
        """Upload changes; the answer's ``update_urls`` are addresses the server rewrote."""
        body = {"add": list(add), "remove": list(remove)}
        if self.nextcloud:
            data = self._request("POST", self._nextcloud_url("subscription_change/create"), body)
        else:
            data = self._request("POST", self._subscriptions_url(), body)
        data = data if isinstance(data, dict) else {}
        return SubscriptionChanges(
            add=[],
            remove=[],
            timestamp=_timestamp(data.get("timestamp"), 0),
            update_urls=_pairs(data.get("update_urls")),
        )

    def pull_actions(self, since: int, *, aggregated: bool = False) -> ActionChanges:
        """Every action since ``since``; ``aggregated``: only the latest per episode, where the
        server supports it (a first sync: a play followed by a download is then only the
        download, so later syncs ask for every action)."""
        if self.nextcloud:
            data = self._request("GET", self._nextcloud_url("episode_action", since=since))
        else:
            query = urlencode({"since": int(since), "aggregated": str(aggregated).lower()})
            data = self._request("GET", f"{self._base}/api/2/episodes/{self._user}.json?{query}")
        if not isinstance(data, dict) or not isinstance(data.get("actions", []), list):
            raise self._malformed("episode actions")
        actions: list[EpisodeAction] = []
        junk = 0
        for raw in data.get("actions", []):
            try:
                actions.append(action_from_json(raw))
            except JunkActionError as exc:
                junk += 1
                log.info("Ignored an episode action from the server because %s: %.300r", exc, raw)
        return ActionChanges(actions, _timestamp(data.get("timestamp"), since), junk)

    def push_actions(self, actions: Sequence[EpisodeAction]) -> int:
        """Upload one batch (at most ACTIONS_PER_UPLOAD); returns the server's timestamp."""
        batch = [action.to_json() for action in actions]
        if self.nextcloud:
            data = self._request("POST", self._nextcloud_url("episode_action/create"), batch)
        else:
            data = self._request("POST", f"{self._base}/api/2/episodes/{self._user}.json", batch)
        return _timestamp(data.get("timestamp") if isinstance(data, dict) else None, 0)

    def _subscriptions_url(self) -> str:
        return f"{self._base}/api/2/subscriptions/{self._user}/{self.account.device_id}.json"

    def _nextcloud_url(self, path: str, **query: int) -> str:
        url = f"{self._base}/{NEXTCLOUD_BASE}/{path}"
        return f"{url}?{urlencode({k: int(v) for k, v in query.items()})}" if query else url

    def _request(self, method: str, url: str, body: object = None) -> Any:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        if self._cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self._cookies.items())
        self.requests += 1
        try:
            response = self._http.send(
                method,
                url,
                body=data,
                headers=headers,
                credentials=self._credentials,
                max_bytes=MAX_RESPONSE_BYTES,
            )
        except HttpError as exc:
            raise SyncError(f"Could not sync with {self._host}: {exc}") from exc
        self._keep_cookies(response.headers)
        if response.status == 401:
            raise SyncError(
                f"{self._host} refused the user name {self.account.username!r} or its password. "
                "Check them in Settings > Sync (or run 'podplayer sync login' again).",
                auth=True,
            )
        if response.status in (301, 302, 303, 307, 308):
            where = _printable(response.headers.get("Location", "another address"))
            raise SyncError(
                f"{self._host} sent podplayer to {where}; if the server moved, log in with "
                "its new address."
            )
        if response.status == 404:
            raise SyncError(self._not_found(url), status=404)
        if response.status >= 400:
            raise SyncError(
                f"{self._host} could not take part in the sync (HTTP {response.status}); "
                "podplayer will try again later.",
                status=response.status,
            )
        if not response.body.strip():
            return None
        try:
            return json.loads(response.body)
        except (UnicodeDecodeError, ValueError) as exc:
            raise self._malformed("its answer") from exc

    def _keep_cookies(self, headers: Any) -> None:
        from http.cookies import CookieError, SimpleCookie  # the window starts without a sync

        values = headers.getlist("Set-Cookie") if hasattr(headers, "getlist") else []
        for value in values:
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(value)
            except CookieError:
                continue
            for name, morsel in cookie.items():
                if morsel.value and morsel["max-age"] not in ("0", 0):
                    self._cookies[name] = morsel.value
                else:
                    self._cookies.pop(name, None)

    @property
    def cookies(self) -> dict[str, str]:
        return dict(self._cookies)

    @property
    def _host(self) -> str:
        return urlsplit(self._base).netloc or self._base

    def _not_found(self, url: str) -> str:
        if self.nextcloud:
            return (
                f"{self._host} has no gPodder Sync app at this address. Check the address, "
                "or choose the gpodder.net kind of server."
            )
        return (
            f"{self._host} does not answer like a gpodder.net server ({urlsplit(url).path} was "
            "not found). Check the address, or choose the Nextcloud kind of server."
        )

    def _malformed(self, what: str) -> SyncError:
        return SyncError(
            f"{self._host} sent {what} podplayer could not read; nothing was changed. "
            "podplayer will try again later."
        )


def _printable(text: str) -> str:
    """A server's text without control characters (a terminal would obey them), kept short."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", "", text)[:300]


def _urls(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [item.strip() for item in value if isinstance(item, str) and item.strip()]


def _pairs(value: object) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        return []
    pairs = []
    for item in value:
        if (
            isinstance(item, list | tuple)
            and len(item) == 2
            and all(isinstance(part, str) and part for part in item)
        ):
            pairs.append((item[0], item[1]))
    return pairs


def _timestamp(value: object, fallback: int) -> int:
    if isinstance(value, bool):
        return fallback
    if isinstance(value, int | float) and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return fallback
