"""Timestamps as the gpodder.net API wants them, and as servers really send them.

Sent: UTC ``YYYY-MM-DDTHH:MM:SS``, no zone, no fraction (mygpo and the Nextcloud app reject
anything else). Read: the same, or with ``Z``, an offset, a fraction, a space for ``T``, or epoch
seconds (oPodSync answers ``...Z``; other servers echo what a client uploaded).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?"
    r"\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?"
)


def format_timestamp(epoch_s: float) -> str:
    """``epoch_s`` as UTC ``YYYY-MM-DDTHH:MM:SS`` (seconds truncated, no zone)."""
    return datetime.fromtimestamp(int(epoch_s), UTC).strftime("%Y-%m-%dT%H:%M:%S")


def parse_timestamp(value: object) -> float | None:
    """Epoch seconds from a server's timestamp, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value >= 0 else None
    if not isinstance(value, str):
        return None
    match = _ISO.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=UTC
        )
    except ValueError:
        return None
    if zone and zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        moment = moment.replace(tzinfo=timezone(offset if zone[0] == "+" else -offset))
    seconds = moment.timestamp()
    if fraction:
        seconds += int(fraction) / 10 ** len(fraction)
    return seconds
