"""How times and rates read in the UI: seconds and minutes at the edge, milliseconds inside."""

from __future__ import annotations


def format_duration(seconds: int) -> str:
    """3723 -> "1:02:03", 62 -> "1:02"."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_ms(ms: int) -> str:
    return format_duration(ms // 1000)


def format_rate(rate: float) -> str:
    """1.0 -> "1.0x", 1.25 -> "1.25x"."""
    text = f"{rate:.2f}".rstrip("0")
    return f"{text}0x" if text.endswith(".") else f"{text}x"


def plain_tooltip(text: str) -> str:
    """A tooltip that shows feed text literally: Qt would render tags in it as rich text."""
    import html  # on the first tooltip: html loads its table of 2,000 entities

    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"
