"""A desktop notification (org.freedesktop.Notifications) when a refresh finds new episodes."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject, QObject, Qt
from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage

from podplayer.core.feeds.service import RefreshResult
from podplayer.core.settings import NOTIFY_NEW_EPISODES
from podplayer.core.storage.settings import SettingsRepository

NOTIFY_SETTING = NOTIFY_NEW_EPISODES.key
SERVICE = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
APP_ICON = "io.github.podplayer.Podplayer"
CALL_TIMEOUT_MS = 2000
EXPIRE_DEFAULT = -1
MAX_NAMED_PODCASTS = 4


def new_episodes_text(results: Sequence[RefreshResult]) -> tuple[str, str] | None:
    """(summary, body) for the podcasts a refresh gave new episodes, or None when none did."""
    found = [(r.title, r.counts.added) for r in results if r.counts is not None and r.counts.added]
    if not found:
        return None
    total = sum(count for _, count in found)
    summary = f"{total} new episode{'s' if total != 1 else ''}"
    named = [f"{title}: {count}" for title, count in found[:MAX_NAMED_PODCASTS]]
    if len(found) > MAX_NAMED_PODCASTS:
        named.append(f"and {len(found) - MAX_NAMED_PODCASTS} more podcasts")
    return summary, "\n".join(named)


class NewEpisodeNotifier(QObject):
    """Tells the desktop about new episodes, unless the user turned it off (a setting)."""

    def __init__(
        self, settings: SettingsRepository, connection: QDBusConnection | None = None
    ) -> None:
        super().__init__()
        self._settings = settings
        self._connection = connection if connection is not None else QDBusConnection.sessionBus()
        self._interface: QDBusInterface | None = None

    @property
    def enabled(self) -> bool:
        return bool(self._settings.get(NOTIFY_SETTING, NOTIFY_NEW_EPISODES.default))

    def set_enabled(self, enabled: bool) -> None:
        self._settings.set(NOTIFY_SETTING, enabled)

    def announce(self, results: list[RefreshResult]) -> bool:
        """Show one notification for a finished refresh; True when the desktop accepted it."""
        text = new_episodes_text(results)
        if text is None or not self.enabled or not self._connection.isConnected():
            return False
        interface = self._notifications()
        if interface is None:
            return False
        summary, body = text
        if self._server_reads_markup(interface):
            body = html.escape(body, quote=False)  # titles are text: "<b>" must not turn bold
        # Invoked through the introspected interface so Qt sends replaces_id as uint32 and
        # actions as a string array; PySide6 would send a Python 0 as int32 and [] as "av".
        notification_id = QMetaObject.invokeMethod(
            interface,
            "Notify",
            Qt.ConnectionType.DirectConnection,
            Q_RETURN_ARG("uint"),
            Q_ARG(str, "podplayer"),
            Q_ARG("uint", 0),
            Q_ARG(str, APP_ICON),
            Q_ARG(str, summary),
            Q_ARG(str, body),
            Q_ARG("QStringList", []),
            Q_ARG("QVariantMap", {"desktop-entry": APP_ICON}),
            Q_ARG(int, EXPIRE_DEFAULT),
        )
        return isinstance(notification_id, int) and notification_id > 0

    def _server_reads_markup(self, interface: QDBusInterface) -> bool:
        """Whether the server renders body markup (its "body-markup" capability)."""
        reply = interface.call("GetCapabilities")
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
            return False
        capabilities = reply.arguments()[0]
        return isinstance(capabilities, list) and "body-markup" in capabilities

    def _notifications(self) -> QDBusInterface | None:
        if self._interface is None or not self._interface.isValid():
            interface = QDBusInterface(SERVICE, OBJECT_PATH, SERVICE, self._connection)
            if not interface.isValid():
                return None
            interface.setTimeout(CALL_TIMEOUT_MS)
            self._interface = interface
        return self._interface
