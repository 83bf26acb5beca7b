"""What the window tells screen readers beyond names: spoken announcements of changes."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget


def announce(widget: QWidget, message: str, *, interrupt: bool = False) -> None:
    """Ask the screen reader to speak message now; interrupt for what cannot wait (errors)."""
    if not QAccessible.isActive():
        return
    event = QAccessibleAnnouncementEvent(widget, message)
    if interrupt:
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)
