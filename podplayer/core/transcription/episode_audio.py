"""Where an episode's audio is read from for transcribing: its download, a bundled file, its URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from podplayer.core.models import Episode


@dataclass(frozen=True, slots=True)
class EpisodeAudio:
    """A local path or an http(s) URL, and the length the feed gives (None when it gives none)."""

    location: str
    expected_ms: int | None


def audio_source(episode: Episode, local_file: Callable[[int], Path | None]) -> EpisodeAudio | None:
    """The episode's file when it is on disk, else its http(s) enclosure URL, else None.

    ``local_file`` is the app's lookup (downloaded file, or a file the app ships, like the demo),
    so the transcriber reads exactly what the player plays and never opens other local paths.
    """
    expected_ms = episode.duration_s * 1000 if episode.duration_s else None
    if episode.id is not None:
        path = local_file(episode.id)
        if path is not None:
            return EpisodeAudio(str(path), expected_ms)
    url = episode.enclosure_url.strip()
    if urlsplit(url).scheme.lower() in ("http", "https"):
        return EpisodeAudio(url, expected_ms)
    return None
