"""Turns the raw strings of a feed into clean values: text, durations, dates, sizes, safe URLs."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from podplayer.core.control_characters import strip_control_characters

_CLOCK_DURATION = re.compile(r"(?:(\d{1,3}):)?(\d{1,4}):(\d{1,2})(?:[.,]\d+)?")
_SECONDS_DURATION = re.compile(r"(\d{1,9})(?:[.,]\d+)?")
_INTEGER = re.compile(r"[+]?\d{1,12}")
MAX_DURATION_S = 7 * 24 * 3600
MAX_LENGTH_BYTES = 1 << 40
_EARLIEST = datetime(1970, 1, 2, tzinfo=UTC).timestamp()
_LATEST = datetime(2100, 1, 1, tzinfo=UTC).timestamp()
WEB_SCHEMES = frozenset({"http", "https"})


def clean_text(text: str) -> str:
    """Strip surrounding whitespace and every control character a feed may smuggle in."""
    return strip_control_characters(text).strip()


def parse_duration(raw: str) -> int | None:
    """Seconds from itunes:duration ("1:02:03", "62:03", "3723", "01:02:03.5"); else None."""
    text = raw.strip()
    if not text:
        return None
    clock = _CLOCK_DURATION.fullmatch(text)
    if clock is not None:
        hours, minutes, seconds = clock.groups()
        if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
            return None
        total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    else:
        plain = _SECONDS_DURATION.fullmatch(text)
        if plain is None:
            return None
        total = int(plain.group(1))
    return total if 0 < total <= MAX_DURATION_S else None


def parse_length(raw: str | None) -> int | None:
    """Enclosure size in bytes; 0, negative, garbage or absurd sizes are unknown (None)."""
    if raw is None:
        return None
    text = raw.strip()
    if _INTEGER.fullmatch(text) is None:
        return None
    value = int(text)
    return value if 0 < value <= MAX_LENGTH_BYTES else None


def parse_small_number(raw: str | None) -> int | None:
    """Episode or season number: a non-negative integer below a million, else None."""
    if raw is None:
        return None
    text = raw.strip()
    if not text.isdigit() or len(text) > 6:
        return None
    return int(text)


def parse_date(raw: str | None) -> float | None:
    """A Unix time (UTC) from RFC 822, ISO 8601 or the many forms feedparser knows; else None."""
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    from email.utils import parsedate_to_datetime  # the email package costs ~1.3 MB at start

    stamp: float | None = None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
    if moment is not None:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        try:
            stamp = moment.timestamp()
        except (OverflowError, ValueError, OSError):
            stamp = None
    else:
        import calendar

        import feedparser.datetimes  # only for dates RFC 822 and ISO 8601 parsing missed

        parsed = feedparser.datetimes._parse_date(text[:200])
        if parsed is not None:
            try:
                stamp = float(calendar.timegm(parsed))
            except (OverflowError, ValueError):
                stamp = None
    if stamp is None or not _EARLIEST <= stamp <= _LATEST:
        return None
    return stamp


def resolve_url(raw: str | None, base: str, schemes: frozenset[str]) -> str | None:
    """The URL resolved against ``base`` if its scheme is allowed; "" when absent, None refused."""
    if raw is None:
        return ""
    text = clean_text(raw)
    if not text:
        return ""
    if text[:8].lower().startswith(("http://", "https://")) and " " not in text:
        return text if "http" in schemes else None
    try:
        absolute = urljoin(base, text) if base else text
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    if scheme not in schemes:
        return None
    return absolute


def media_schemes(feed_url: str) -> frozenset[str]:
    """The schemes a feed's links may use: http(s), plus file: for a local feed the user named."""
    if urlsplit(feed_url).scheme.lower() == "file":
        return WEB_SCHEMES | {"file"}
    return WEB_SCHEMES
