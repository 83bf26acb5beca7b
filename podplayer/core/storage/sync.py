"""What sync keeps in the library: the account, the queue of local changes, the play-state clock.

Local changes are queued by triggers (migration 40) in the same transaction as the change, so a
killed app loses none. Changes the sync applies itself run inside ``applying()``, which keeps
the triggers from queueing them again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from podplayer.core.storage.database import Database
from podplayer.core.sync.actions import ActionKind, EpisodeAction
from podplayer.core.sync.client import ServerKind, SyncAccount
from podplayer.core.sync.matching import EpisodeRef

_NOW = "(julianday('now') - 2440587.5) * 86400.0"


@dataclass(frozen=True, slots=True)
class SyncState:
    """The account with where its last syncs stand."""

    account: SyncAccount
    device_registered: bool
    subscriptions_since: int
    actions_since: int
    last_full_pull_at: float | None
    last_sync_at: float | None
    last_attempt_at: float | None
    last_error: str
    auth_failed: bool
    failures: int


@dataclass(frozen=True, slots=True)
class SubscriptionChange:
    url: str
    subscribed: bool
    changed_at: float


@dataclass(frozen=True, slots=True)
class PendingAction:
    """A local change waiting for upload: a play state, or a download finished or deleted."""

    episode_id: int
    changed_at: float
    action: EpisodeAction

    @property
    def about_the_file(self) -> bool:
        return self.action.action in (ActionKind.DOWNLOAD, ActionKind.DELETE)


@dataclass(frozen=True, slots=True)
class EpisodeClock:
    """An episode's last known play-state change; ``pending``: made here, not uploaded yet."""

    changed_at: float
    pending: bool
    action: ActionKind
    position_s: int
    total_s: int | None


@dataclass(frozen=True, slots=True)
class EpisodeUpdate:
    """A remote action that wins: the play state to write and the time it was made."""

    episode_id: int
    played: bool
    position_ms: int
    action: EpisodeAction


class SyncRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def state(self) -> SyncState | None:
        row = self._db.execute("SELECT * FROM sync_account WHERE id = 1").fetchone()
        if row is None:
            return None
        account = SyncAccount(
            row["server_url"], row["username"], ServerKind(row["kind"]), row["device_id"]
        )
        return SyncState(
            account=account,
            device_registered=bool(row["device_registered"]),
            subscriptions_since=row["subscriptions_since"],
            actions_since=row["actions_since"],
            last_full_pull_at=row["last_full_pull_at"],
            last_sync_at=row["last_sync_at"],
            last_attempt_at=row["last_attempt_at"],
            last_error=row["last_error"],
            auth_failed=bool(row["auth_failed"]),
            failures=row["failures"],
        )

    def start(self, account: SyncAccount) -> None:
        """Make ``account`` the one; queue every subscription, play state and downloaded file
        for a first sync."""
        with self._db.transaction():
            self._forget_everything()
            self._db.execute(
                "INSERT INTO sync_account (id, server_url, username, kind, device_id)"
                " VALUES (1, ?, ?, ?, ?)",
                (account.server_url, account.username, account.kind.value, account.device_id),
            )
            self._db.execute(
                "INSERT INTO sync_subscription_changes (url, subscribed, changed_at)"
                f" SELECT url, 1, coalesce(added_at, {_NOW}) FROM podcasts"
            )
            self._db.execute(
                "INSERT INTO sync_episode_state (episode_id, changed_at, pending, podcast_url,"
                " episode_url, guid, action, position_s, total_s)"
                f" SELECT e.id, coalesce(e.last_played_at, {_NOW}), 1, p.url, e.enclosure_url,"
                " e.guid, 'play',"
                " CASE WHEN e.played THEN max(coalesce(e.duration_s, 0), 1)"
                "  ELSE e.position_ms / 1000 END,"
                " CASE WHEN e.played THEN max(coalesce(e.duration_s, 0), 1) ELSE e.duration_s END"
                " FROM episodes e JOIN podcasts p ON p.id = e.podcast_id"
                " WHERE (e.played OR e.position_ms >= 1000) AND e.enclosure_url != ''"
            )
            self._db.execute(
                "INSERT INTO sync_file_actions (episode_id, action, changed_at, podcast_url,"
                " episode_url, guid)"
                f" SELECT e.id, 'download', coalesce(d.updated_at, {_NOW}), p.url,"
                " e.enclosure_url, e.guid"
                " FROM downloads d JOIN episodes e ON e.id = d.episode_id"
                " JOIN podcasts p ON p.id = e.podcast_id WHERE d.state = 'completed'"
            )

    def stop(self) -> None:
        """Forget the account and everything queued for it."""
        with self._db.transaction():
            self._forget_everything()

    def _forget_everything(self) -> None:
        for table in (
            "sync_account",
            "sync_subscription_changes",
            "sync_episode_state",
            "sync_file_actions",
            "sync_unmatched_actions",
        ):
            self._db.execute(f"DELETE FROM {table}")

    def mark_device_registered(self) -> None:
        self._db.execute("UPDATE sync_account SET device_registered = 1")

    def record_success(
        self, subscriptions_since: int, actions_since: int, full_pull: bool, now: float
    ) -> None:
        self._db.execute(
            "UPDATE sync_account SET subscriptions_since = ?, actions_since = ?,"
            " last_full_pull_at = CASE WHEN ? THEN ? ELSE last_full_pull_at END,"
            " last_sync_at = ?, last_attempt_at = ?, last_error = '', auth_failed = 0,"
            " failures = 0",
            (subscriptions_since, actions_since, int(full_pull), now, now, now),
        )

    def record_failure(self, message: str, auth: bool, now: float) -> None:
        self._db.execute(
            "UPDATE sync_account SET last_error = ?, auth_failed = ?, last_attempt_at = ?,"
            " failures = failures + 1",
            (message, int(auth), now),
        )

    def pending_count(self) -> int:
        row = self._db.execute(
            "SELECT (SELECT count(*) FROM sync_subscription_changes)"
            " + (SELECT count(*) FROM sync_episode_state WHERE pending = 1)"
            " + (SELECT count(*) FROM sync_file_actions)"
        ).fetchone()
        return int(row[0])

    def subscription_changes(self) -> list[SubscriptionChange]:
        rows = self._db.execute(
            "SELECT url, subscribed, changed_at FROM sync_subscription_changes ORDER BY changed_at"
        )
        return [SubscriptionChange(r[0], bool(r[1]), r[2]) for r in rows]

    def forget_subscription_changes(self, changes: Iterable[SubscriptionChange]) -> None:
        """Drop changes the server has (unless the user changed that URL again meanwhile)."""
        with self._db.transaction():
            self._db.executemany(
                "DELETE FROM sync_subscription_changes WHERE url = ? AND changed_at = ?",
                [(c.url, c.changed_at) for c in changes],
            )

    def pending_actions(self, device_id: str) -> list[PendingAction]:
        """Play states, then downloads and deletions, each oldest first."""
        plays = self._db.execute(
            "SELECT * FROM sync_episode_state WHERE pending = 1 ORDER BY changed_at"
        )
        pending = [_pending_from_row(row, device_id) for row in plays]
        files = self._db.execute("SELECT * FROM sync_file_actions ORDER BY changed_at")
        for row in files:
            action = EpisodeAction(
                podcast=row["podcast_url"],
                episode=row["episode_url"],
                action=ActionKind(row["action"]),
                timestamp=row["changed_at"],
                guid=row["guid"] or None,
                device=device_id,
            )
            pending.append(PendingAction(row["episode_id"], row["changed_at"], action))
        return pending

    def mark_sent(self, sent: Iterable[PendingAction]) -> None:
        """Uploaded: not pending any more (unless the episode changed again meanwhile)."""
        sent = list(sent)
        with self._db.transaction():
            self._db.executemany(
                "UPDATE sync_episode_state SET pending = 0 WHERE episode_id = ? AND changed_at = ?",
                [(p.episode_id, p.changed_at) for p in sent if not p.about_the_file],
            )
            self._db.executemany(
                "DELETE FROM sync_file_actions WHERE episode_id = ? AND changed_at = ?",
                [(p.episode_id, p.changed_at) for p in sent if p.about_the_file],
            )

    def clocks(self) -> dict[int, EpisodeClock]:
        """Per episode: its last known play-state change, here or elsewhere."""
        rows = self._db.execute(
            "SELECT episode_id, changed_at, pending, action, position_s, total_s"
            " FROM sync_episode_state"
        )
        return {r[0]: EpisodeClock(r[1], bool(r[2]), ActionKind(r[3]), r[4], r[5]) for r in rows}

    def episode_refs(self) -> Iterator[EpisodeRef]:
        rows = self._db.execute(
            "SELECT e.id, p.url, e.guid, e.enclosure_url"
            " FROM episodes e JOIN podcasts p ON p.id = e.podcast_id"
        )
        for row in rows:
            yield EpisodeRef(row[0], row[1], row[2], row[3])

    def subscribed_urls(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self._db.execute("SELECT url, id FROM podcasts")}

    @contextmanager
    def applying(self) -> Iterator[None]:
        """One transaction for changes from the server; the triggers do not queue them."""
        with self._db.transaction():
            self._db.execute("INSERT OR IGNORE INTO sync_applying (marker) VALUES (1)")
            try:
                yield
            finally:
                self._db.execute("DELETE FROM sync_applying")

    def move_podcast(self, old_url: str, new_url: str) -> None:
        """The server rewrote a URL: follow it, unless a podcast already has the new one."""
        self._db.execute(
            "UPDATE podcasts SET url = ? WHERE url = ?"
            " AND NOT EXISTS (SELECT 1 FROM podcasts WHERE url = ?)",
            (new_url, old_url, new_url),
        )

    def apply_episode_updates(self, updates: Sequence[EpisodeUpdate]) -> None:
        """Write winning remote play states and remember when they were made (inside applying)."""
        self._db.executemany(
            "UPDATE episodes SET played = ?, position_ms = ? WHERE id = ?",
            [(int(u.played), u.position_ms, u.episode_id) for u in updates],
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO sync_episode_state (episode_id, changed_at, pending,"
            " podcast_url, episode_url, guid, action, position_s, total_s)"
            " VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?)",
            [
                (
                    u.episode_id,
                    u.action.timestamp,
                    u.action.podcast,
                    u.action.episode,
                    u.action.guid or "",
                    u.action.action.value,
                    u.action.position or 0,
                    u.action.total,
                )
                for u in updates
            ],
        )

    def drop_pending(self, episode_ids: Iterable[int]) -> None:
        """A newer remote state won: these local changes are not uploaded."""
        self._db.executemany(
            "UPDATE sync_episode_state SET pending = 0 WHERE episode_id = ?",
            [(episode_id,) for episode_id in episode_ids],
        )

    def has_unmatched(self) -> bool:
        return (
            self._db.execute("SELECT 1 FROM sync_unmatched_actions LIMIT 1").fetchone() is not None
        )

    def unmatched(self) -> list[EpisodeAction]:
        rows = self._db.execute("SELECT * FROM sync_unmatched_actions ORDER BY changed_at")
        return [
            EpisodeAction(
                podcast=r["podcast_url"],
                episode=r["episode_url"],
                action=ActionKind(r["action"]),
                timestamp=r["changed_at"],
                guid=r["guid"],
                position=r["position_s"],
                total=r["total_s"],
            )
            for r in rows
        ]

    def replace_unmatched(self, actions: Sequence[EpisodeAction]) -> None:
        """Keep exactly these actions (one per episode URL) for a later match."""
        self._db.execute("DELETE FROM sync_unmatched_actions")
        self._db.executemany(
            "INSERT INTO sync_unmatched_actions (episode_url, podcast_url, guid, action,"
            " position_s, total_s, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (a.episode, a.podcast, a.guid, a.action.value, a.position, a.total, a.timestamp)
                for a in actions
            ],
        )


def _pending_from_row(row: sqlite3.Row, device_id: str) -> PendingAction:
    kind = ActionKind(row["action"])
    play = kind is ActionKind.PLAY
    action = EpisodeAction(
        podcast=row["podcast_url"],
        episode=row["episode_url"],
        action=kind,
        timestamp=row["changed_at"],
        guid=row["guid"] or None,
        device=device_id,
        started=0 if play else None,
        position=row["position_s"] if play else None,
        total=row["total_s"] if play else None,
    )
    return PendingAction(row["episode_id"], row["changed_at"], action)
