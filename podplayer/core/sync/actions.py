"""Episode actions of the gpodder.net API: what a device did with an episode, and when.

A ``play`` action carries ``started``, ``position`` and ``total`` in seconds. Servers hand back
whatever some client uploaded, so reading is strict: an action with ``-1`` fields, a position past
the total, an unknown verb or no timestamp is junk and is skipped (the caller logs it).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from podplayer.core.sync.timestamps import format_timestamp, parse_timestamp


class ActionKind(enum.StrEnum):
    PLAY = "play"
    DOWNLOAD = "download"
    DELETE = "delete"
    NEW = "new"


class JunkActionError(ValueError):
    """An action from a server that cannot be applied; the message says why."""


@dataclass(frozen=True, slots=True)
class EpisodeAction:
    """One action; ``timestamp`` in epoch seconds (UTC), times in whole seconds."""

    podcast: str
    episode: str
    action: ActionKind
    timestamp: float
    guid: str | None = None
    device: str | None = None
    started: int | None = None
    position: int | None = None
    total: int | None = None

    def played(self, margin_s: int) -> bool:
        """A play that reached the end, or within ``margin_s`` of it (the player's margin)."""
        if self.action is not ActionKind.PLAY or self.position is None or not self.total:
            return False
        return self.position >= self.total - margin_s

    def to_json(self) -> dict[str, Any]:
        """The upload form: timestamps as UTC ``YYYY-MM-DDTHH:MM:SS``, absent fields left out."""
        data: dict[str, Any] = {
            "podcast": self.podcast,
            "episode": self.episode,
            "action": self.action.value,
            "timestamp": format_timestamp(self.timestamp),
        }
        if self.guid:
            data["guid"] = self.guid
        if self.device:
            data["device"] = self.device
        if self.action is ActionKind.PLAY:
            data["started"] = self.started if self.started is not None else 0
            data["position"] = self.position if self.position is not None else 0
            if self.total is not None:
                data["total"] = self.total
        return data


def action_from_json(data: object) -> EpisodeAction:
    """An action as a server sent it; JunkActionError when it cannot be trusted."""
    if not isinstance(data, dict):
        raise JunkActionError("it is not an object")
    podcast, episode = data.get("podcast"), data.get("episode")
    if not isinstance(podcast, str) or not isinstance(episode, str) or not episode.strip():
        raise JunkActionError("it names no podcast or episode")
    verb = data.get("action")
    try:
        kind = ActionKind(str(verb).strip().lower())
    except ValueError:
        raise JunkActionError(f"its action {verb!r} is unknown") from None
    timestamp = parse_timestamp(data.get("timestamp"))
    if timestamp is None:
        raise JunkActionError(f"its timestamp {data.get('timestamp')!r} is not a date")
    started = _seconds(data, "started")
    position = _seconds(data, "position")
    total = _seconds(data, "total")
    if kind is ActionKind.PLAY:
        if position is None:
            raise JunkActionError("it is a play without a position")
        if total is not None and total > 0 and position > total:
            raise JunkActionError(f"its position {position} s is past its total {total} s")
    guid = data.get("guid")
    device = data.get("device")
    return EpisodeAction(
        podcast=podcast.strip(),
        episode=episode.strip(),
        action=kind,
        timestamp=timestamp,
        guid=guid.strip() or None if isinstance(guid, str) else None,
        device=device if isinstance(device, str) else None,
        started=started,
        position=position,
        total=total,
    )


def _seconds(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise JunkActionError(f"its {key} {value!r} is not a number")
    try:
        seconds = int(float(value))
    except ValueError:
        raise JunkActionError(f"its {key} {value!r} is not a number") from None
    if seconds < 0:
        raise JunkActionError(f"its {key} is {seconds}")
    return seconds
