"""One sync of the library with the account's server, and what the user sees of it.

Order of a sync: subscriptions down, local subscription changes up (following the server's
``update_urls``), episode actions down (everything since the last sync; everything at all once a
day, because servers filter ``since`` by each action's own time and miss late uploads from an
offline device), the latest action per episode applied when it is newer than what is known here
(podplayer decides, not the server), local play-state changes up in batches.

A failed sync changes nothing that is not also on the server: the queue stays until the server
has taken it. A refused password stops automatic syncs until the user logs in again; other
failures are retried automatically after growing pauses.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from podplayer.core.models import Podcast
from podplayer.core.settings import PLAYED_THRESHOLD_MS
from podplayer.core.sync.actions import ActionKind, EpisodeAction
from podplayer.core.sync.client import (
    ACTIONS_PER_UPLOAD,
    ServerKind,
    SubscriptionChanges,
    SyncAccount,
    SyncClient,
    SyncError,
    device_id_from_name,
)
from podplayer.core.sync.matching import EpisodeIndex

if TYPE_CHECKING:
    from podplayer.core.credentials import SecretStore
    from podplayer.core.http import HttpClient
    from podplayer.core.storage.library import Library
    from podplayer.core.storage.sync import EpisodeClock, SyncState

log = logging.getLogger(__name__)

PASSWORD_KEY = "sync-password"
SYNC_EVERY_S = 15 * 60
FULL_PULL_EVERY_S = 24 * 60 * 60
RETRY_AFTER_S = (60, 5 * 60, 15 * 60, 60 * 60)


@dataclass(slots=True)
class SyncReport:
    """What one sync sent and received."""

    full_pull: bool = False
    subscribed: list[str] = field(default_factory=list)
    unsubscribed: list[str] = field(default_factory=list)
    unsubscribed_ids: list[int] = field(default_factory=list)
    """The library's numbers of the podcasts in ``unsubscribed`` (gone now)."""
    moved: list[tuple[str, str]] = field(default_factory=list)
    subscriptions_sent: int = 0
    actions_received: int = 0
    actions_applied: int = 0
    actions_unmatched: int = 0
    junk_ignored: int = 0
    actions_sent: int = 0
    requests: int = 0
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def sentence(self) -> str:
        parts = []
        if self.subscribed:
            parts.append(f"{len(self.subscribed)} new subscription(s)")
        if self.unsubscribed:
            parts.append(f"{len(self.unsubscribed)} subscription(s) removed")
        if self.actions_applied:
            parts.append(f"{self.actions_applied} episode(s) updated")
        sent = self.subscriptions_sent + self.actions_sent
        if sent:
            parts.append(f"{sent} change(s) sent")
        return "Synced: " + (", ".join(parts) if parts else "nothing changed") + "."


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """For Settings > Sync, the status bar and ``podplayer sync status``."""

    configured: bool
    server_url: str = ""
    username: str = ""
    kind: str = ""
    device_id: str = ""
    last_sync_at: float | None = None
    pending_changes: int = 0
    last_error: str = ""
    needs_login: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class SyncService:
    """Thread-safe; one sync at a time. Never call it on the GUI thread: it waits on the network."""

    def __init__(
        self,
        library: Library,
        secrets: SecretStore,
        http: HttpClient,
        *,
        clock: Callable[[], float] = time.time,
        before_unsubscribe: Callable[[int], object] | None = None,
    ) -> None:
        """``before_unsubscribe`` is called with each podcast the server unsubscribes, before
        it is removed (the app stops its downloads there, as its own Unsubscribe does)."""
        self._library = library
        self._secrets = secrets
        self._http = http
        self._clock = clock
        self._before_unsubscribe = before_unsubscribe
        self._lock = threading.Lock()
        self._client: SyncClient | None = None
        self._client_password: str | None = None

    def login(
        self, server_url: str, username: str, password: str, kind: ServerKind, device_name: str
    ) -> None:
        """Check the account on the server, then keep it; the next sync is a first sync."""
        server_url = server_url.strip().rstrip("/")
        if not server_url.lower().startswith(("http://", "https://")):
            server_url = f"https://{server_url}"
        account = SyncAccount(server_url, username.strip(), kind, device_id_from_name(device_name))
        client = SyncClient(self._http, account, password)
        client.login()
        client.join_other_devices()
        with self._lock:
            self._secrets.set(PASSWORD_KEY, password)
            self._library.sync.start(account)
            if kind is ServerKind.GPODDER:
                self._library.sync.mark_device_registered()
            self._client, self._client_password = client, password

    def logout(self) -> None:
        """Forget the account, its password and its queue (nothing here is deleted)."""
        with self._lock:
            self._secrets.delete(PASSWORD_KEY)
            self._library.sync.stop()
            self._client = None

    def status(self) -> SyncStatus:
        state = self._library.sync.state()
        if state is None:
            return SyncStatus(configured=False)
        return SyncStatus(
            configured=True,
            server_url=state.account.server_url,
            username=state.account.username,
            kind=state.account.kind.value,
            device_id=state.account.device_id,
            last_sync_at=state.last_sync_at,
            pending_changes=self._library.sync.pending_count(),
            last_error=state.last_error,
            needs_login=state.auth_failed,
        )

    def may_sync_automatically(self) -> bool:
        """Not after a refused password; after other failures only once the pause is over."""
        state = self._library.sync.state()
        if state is None or state.auth_failed:
            return False
        if state.failures == 0 or state.last_attempt_at is None:
            return True
        pause = RETRY_AFTER_S[min(state.failures, len(RETRY_AFTER_S)) - 1]
        return self._clock() >= state.last_attempt_at + pause

    def sync(self, *, full: bool = False) -> SyncReport:
        """Sync now; SyncError (also recorded for the status) when it fails."""
        with self._lock:
            state = self._library.sync.state()
            if state is None:
                raise SyncError(
                    "Sync is not set up. Log in to a server in Settings > Sync "
                    "(or with 'podplayer sync login')."
                )
            started = time.monotonic()
            try:
                password = self._secrets.get(PASSWORD_KEY)
                if password is None:
                    raise SyncError(
                        "The sync password is missing. Log in again in Settings > Sync.", auth=True
                    )
                report = self._sync(state, password, full)
            except SyncError as exc:
                self._library.sync.record_failure(str(exc), exc.auth, self._clock())
                raise
            report.seconds = time.monotonic() - started
            return report

    def rematch(self) -> int:
        """Apply kept actions whose episodes arrived since (after a refresh); how many matched."""
        with self._lock:
            if self._library.sync.state() is None:
                return 0
            report = SyncReport()
            self._apply_actions([], report)
            return report.actions_applied

    def _sync(self, state: SyncState, password: str, full: bool) -> SyncReport:
        repo = self._library.sync
        client = self._client_for(state.account, password)
        requests_before = client.requests
        if not state.device_registered and state.account.kind is ServerKind.GPODDER:
            client.login()
            repo.mark_device_registered()
        now = self._clock()
        last_full = state.last_full_pull_at
        full = full or last_full is None or now - last_full >= FULL_PULL_EVERY_S
        report = SyncReport(full_pull=full)
        if full:
            client.join_other_devices()  # devices added since (a new phone)

        remote = client.pull_subscriptions(_overlap(state.subscriptions_since))
        self._apply_subscriptions(remote, report)
        changes = repo.subscription_changes()
        local_only = [c for c in changes if not _shareable(c.url)]  # a feed file, the demo
        repo.forget_subscription_changes(local_only)
        changes = [c for c in changes if _shareable(c.url)]
        if changes:
            pushed = client.push_subscriptions(
                [c.url for c in changes if c.subscribed],
                [c.url for c in changes if not c.subscribed],
            )
            with repo.applying():
                self._move(pushed.update_urls, report)
            repo.forget_subscription_changes(changes)
            report.subscriptions_sent = len(changes)

        since = 0 if full else _overlap(state.actions_since)
        pulled = client.pull_actions(since, aggregated=last_full is None)
        report.actions_received = len(pulled.actions)
        report.junk_ignored = pulled.junk
        self._apply_actions(pulled.actions, report)
        pending = repo.pending_actions(state.account.device_id)
        repo.mark_sent(p for p in pending if not _shareable_action(p.action))
        pending = [p for p in pending if _shareable_action(p.action)]
        for start in range(0, len(pending), ACTIONS_PER_UPLOAD):
            batch = pending[start : start + ACTIONS_PER_UPLOAD]
            client.push_actions([p.action for p in batch])
            repo.mark_sent(batch)  # a failure later resends only what the server lacks
            report.actions_sent += len(batch)
        repo.record_success(remote.timestamp, pulled.timestamp, full, now)
        report.requests = client.requests - requests_before
        return report

    def _client_for(self, account: SyncAccount, password: str) -> SyncClient:
        """One client per account and password, so its session cookie lasts the app's run."""
        client = self._client
        if client is None or client.account != account or self._client_password != password:
            client = SyncClient(self._http, account, password)
            self._client, self._client_password = client, password
        return client

    def _apply_subscriptions(self, remote: SubscriptionChanges, report: SyncReport) -> None:
        """Server adds and removes, except for URLs changed here since (those go up instead)."""
        repo = self._library.sync
        changes = repo.subscription_changes()
        added, removed = set(remote.add), set(remote.remove)
        agreed = [c for c in changes if c.url in (added if c.subscribed else removed)]
        repo.forget_subscription_changes(agreed)  # the server has them already
        local_changes = {c.url for c in changes}
        if self._before_unsubscribe is not None:  # outside the transaction: it may wait
            present = repo.subscribed_urls()
            for url in removed - local_changes:
                podcast_id = present.get(url)
                if podcast_id is not None and podcast_id > 0:
                    self._before_unsubscribe(podcast_id)
        with repo.applying():
            self._move(remote.update_urls, report)
            subscribed = repo.subscribed_urls()
            for url in remote.add:
                if not _shareable(url):
                    log.info(
                        "Ignored a subscription from the server that is no web address: %.200r", url
                    )
                    continue
                if url not in subscribed and url not in local_changes:
                    self._library.podcasts.add(Podcast(url=url, added_at=self._clock()))
                    subscribed[url] = -1
                    report.subscribed.append(url)
            for url in remote.remove:
                podcast_id = subscribed.get(url)
                if podcast_id is not None and podcast_id > 0 and url not in local_changes:
                    self._library.podcasts.delete(podcast_id)
                    report.unsubscribed.append(url)
                    report.unsubscribed_ids.append(podcast_id)

    def _move(self, pairs: Iterable[tuple[str, str]], report: SyncReport) -> None:
        """Follow URLs the server rewrote (inside ``applying()``)."""
        for old, new in pairs:
            if old != new:
                self._library.sync.move_podcast(old, new)
                report.moved.append((old, new))

    def _apply_actions(self, actions: list[EpisodeAction], report: SyncReport) -> None:
        """The latest action per episode, where it is newer than the state known here."""
        from podplayer.core.storage.sync import EpisodeUpdate

        repo = self._library.sync
        if not actions and not repo.has_unmatched():
            return  # nothing to match: no need to read every episode
        with repo.applying():
            index = EpisodeIndex(repo.episode_refs())
            subscribed = repo.subscribed_urls()
            latest: dict[int, EpisodeAction] = {}
            unmatched: dict[str, EpisodeAction] = {}
            for action in [*repo.unmatched(), *actions]:
                if action.action not in (ActionKind.PLAY, ActionKind.NEW):
                    continue
                ref = index.find(action.podcast, action.episode, action.guid)
                if ref is None:
                    if action.podcast in subscribed:
                        _keep_latest(unmatched, action.episode, action)
                    continue
                _keep_latest(latest, ref.episode_id, action)
            clocks = repo.clocks()
            margin = self._played_margin_s()
            updates: list[EpisodeUpdate] = []
            already_there: list[int] = []
            for episode_id, action in latest.items():
                known = clocks.get(episode_id)
                if known is not None and action.timestamp <= known.changed_at:
                    if known.pending and _same_state(known, action, margin):
                        already_there.append(episode_id)
                    continue
                played = action.played(margin)
                resumes = action.action is ActionKind.PLAY and not played
                position_ms = (action.position or 0) * 1000 if resumes else 0
                updates.append(EpisodeUpdate(episode_id, played, position_ms, action))
            repo.apply_episode_updates(updates)
            repo.drop_pending(already_there)
            repo.replace_unmatched(list(unmatched.values()))
        report.actions_applied += len(updates)
        report.actions_unmatched = len(unmatched)
        if updates:
            log.info("Sync applied %d play state(s) from other devices", len(updates))

    def _played_margin_s(self) -> int:
        """The player's own margin (Settings > Playback), so both agree on "played"."""
        value = self._library.settings.get(PLAYED_THRESHOLD_MS.key, PLAYED_THRESHOLD_MS.default)
        if not isinstance(value, int) or isinstance(value, bool):
            value = PLAYED_THRESHOLD_MS.default
        return int(value) // 1000


def _same_state(known: EpisodeClock, action: EpisodeAction, margin_s: int) -> bool:
    """The server already has this local change (a first sync after a new login)."""
    mine = EpisodeAction(
        "", "", known.action, known.changed_at, position=known.position_s, total=known.total_s
    )
    if mine.played(margin_s) or action.played(margin_s):
        return mine.played(margin_s) and action.played(margin_s)
    same_position = abs((action.position or 0) - known.position_s) <= 1
    return action.action is known.action and same_position


def _shareable(url: str) -> bool:
    """Only web addresses mean something on another device."""
    return url.lower().startswith(("http://", "https://"))


def _shareable_action(action: EpisodeAction) -> bool:
    return _shareable(action.podcast) and _shareable(action.episode)


def _overlap(since: int) -> int:
    """One second back: servers that answer "now" and compare with ">" would lose changes
    made in that very second. Seeing a change twice is harmless (the latest wins)."""
    return max(0, since - 1)


def _keep_latest(found: dict[Any, EpisodeAction], key: object, action: EpisodeAction) -> None:
    current = found.get(key)
    if current is None or action.timestamp >= current.timestamp:
        found[key] = action
