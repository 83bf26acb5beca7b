"""Download progress as short text (sizes, rates, time left) for the CLI and the GUI."""

from __future__ import annotations

from collections.abc import Iterable

from podplayer.core.downloads.manager import DownloadProgress
from podplayer.core.models import DownloadState


def format_size(count: int) -> str:
    """Bytes in decimal units, as file managers show them: 950 B, 12.3 kB, 45.6 MB, 1.2 GB."""
    if count < 1000:
        return f"{count} B"
    value = float(count)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")


def format_rate(bytes_per_second: float | None) -> str:
    return "" if bytes_per_second is None else f"{format_size(int(bytes_per_second))}/s"


def format_time_left(seconds: float | None) -> str:
    """0:42 or 1:02:03 left; '' when unknown."""
    if seconds is None:
        return ""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return f"{clock} left"


def describe(progress: DownloadProgress) -> str:
    """One download's state in a few words: '12.0 MB of 40.0 MB · 1.5 MB/s · 0:19 left'."""
    if progress.state == DownloadState.DOWNLOADING:
        parts = [_amount(progress.received_bytes, progress.total_bytes)]
        parts += [
            text
            for text in (
                format_rate(progress.bytes_per_second),
                format_time_left(progress.seconds_left),
            )
            if text
        ]
        return " · ".join(parts)
    if progress.state == DownloadState.PAUSED:
        return f"Paused at {_amount(progress.received_bytes, progress.total_bytes)}"
    if progress.state == DownloadState.COMPLETED:
        return f"Downloaded, {format_size(progress.total_bytes or progress.received_bytes)}"
    if progress.state == DownloadState.FAILED:
        return f"Failed: {progress.error}"
    if progress.state == DownloadState.CANCELLED:
        return "Cancelled"
    return "Waiting"


def summary_line(downloads: Iterable[DownloadProgress]) -> str:
    """All of a batch on one terminal line: counts by state, bytes, rate and time left."""
    items = list(downloads)
    received = sum(p.received_bytes for p in items)
    totals = [p.total_bytes for p in items]
    total = sum(t for t in totals if t) if all(totals) else None
    rates = [p.bytes_per_second for p in items if p.bytes_per_second]
    rate = sum(rates) if rates else None
    counts: dict[DownloadState, int] = {}
    for item in items:
        counts[item.state] = counts.get(item.state, 0) + 1
    parts = [", ".join(f"{count} {state.value}" for state, count in counts.items())]
    parts.append(_amount(received, total))
    if rate:
        parts.append(format_rate(rate))
        if total:
            parts.append(format_time_left(max(0, total - received) / rate))
    return " · ".join(part for part in parts if part)


def _amount(received: int, total: int | None) -> str:
    if not total:
        return format_size(received)
    percent = min(100, int(received * 100 / total))
    return f"{format_size(received)} of {format_size(total)} ({percent}%)"
