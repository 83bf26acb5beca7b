"""Feed-derived text for widgets that guess the format (tooltips, message boxes) and show HTML."""

from __future__ import annotations

import html

from PySide6.QtGui import Qt


def shown_literally(text: str) -> str:
    """Text that Qt shows exactly as typed: anything Qt would take for HTML is escaped."""
    if not Qt.mightBeRichText(text):
        return text
    return "<qt>" + html.escape(text, quote=False).replace("\n", "<br>") + "</qt>"
