"""Reading and writing clock times ("01:02:03.500", "4:10", "00:00:07,179") as milliseconds."""

from __future__ import annotations

import math
import re

MAX_TRANSCRIPT_MS = 100 * 3600 * 1000
"""Nothing real is longer than 100 hours; later times are treated as garbage."""

_CLOCK = re.compile(
    r"^\s*(?:(?P<h>\d{1,3}):)?(?P<m>\d{1,2}):(?P<s>\d{1,2})(?:[.,](?P<frac>\d{1,3}))?\s*$"
)


def parse_clock(text: str) -> int | None:
    """``[H:]MM:SS[.mmm]`` (comma or dot) as milliseconds, or None when it is not a valid time."""
    match = _CLOCK.match(text)
    if match is None:
        return None
    hours = int(match["h"] or 0)
    minutes = int(match["m"])
    seconds = int(match["s"])
    if seconds >= 60 or (match["h"] is not None and minutes >= 60):
        return None
    frac = match["frac"] or "0"
    millis = int(frac.ljust(3, "0"))
    total = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
    return total if total <= MAX_TRANSCRIPT_MS else None


def seconds_to_ms(value: object) -> int | None:
    """A JSON number (or numeric string) of seconds as milliseconds; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, int | float):
        return None
    if math.isnan(value) or value < 0 or value * 1000 > MAX_TRANSCRIPT_MS:  # NaN, negative, huge
        return None
    return round(value * 1000)


def format_clock(ms: int) -> str:
    """``M:SS`` under an hour, ``H:MM:SS`` from an hour on: how a listener reads a time."""
    total = max(0, ms) // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


def format_precise(ms: int) -> str:
    """``HH:MM:SS.mmm``: a fixed-width time for scripts and copied text."""
    total = max(0, ms)
    hours, rest = divmod(total, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
