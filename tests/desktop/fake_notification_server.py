"""A notification server for tests: strict like real ones (the exact D-Bus signature or no call),
printing each notification it gets as a JSON line. Run as a process on the tests' private bus."""

from __future__ import annotations

import json
import sys
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusAbstractAdaptor, QDBusConnection

from podplayer.desktop.dbus_typing import dbus_interface, qt_type


@dbus_interface("org.freedesktop.Notifications")
class FakeNotifications(QDBusAbstractAdaptor):
    """Accepts Notify only with the spec's signature (susssasa{sv}i); renders body markup."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.next_id = 0

    @Slot(result=qt_type("QStringList"))
    def GetCapabilities(self) -> list[str]:
        return ["body", "body-markup"]  # as GNOME Shell and KDE Plasma answer

    @Slot(
        str,
        qt_type("uint"),
        str,
        str,
        str,
        qt_type("QStringList"),
        qt_type("QVariantMap"),
        int,
        result=qt_type("uint"),
    )
    def Notify(
        self,
        app_name: str,
        replaces_id: int,
        app_icon: str,
        summary: str,
        body: str,
        actions: list[str],
        hints: dict[str, Any],
        expire_timeout: int,
    ) -> int:
        self.next_id += 1
        shown = {"app_name": app_name, "replaces_id": replaces_id, "app_icon": app_icon}
        shown.update({"summary": summary, "body": body, "actions": actions})
        shown.update({"hints": hints, "expire_timeout": expire_timeout})
        print(json.dumps(shown), flush=True)
        return self.next_id


def main() -> int:
    app = QCoreApplication(sys.argv)
    bus = QDBusConnection.sessionBus()
    root = QObject()
    FakeNotifications(root)
    bus.registerObject(
        "/org/freedesktop/Notifications", root, QDBusConnection.RegisterOption.ExportAdaptors
    )
    if not bus.registerService("org.freedesktop.Notifications"):
        print("the name org.freedesktop.Notifications is taken", file=sys.stderr)
        return 1
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
