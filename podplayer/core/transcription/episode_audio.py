"""Where an episode's audio is read from for transcribing: its download, a bundled file, its URL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from podplayer.core.models import Episode


def audio_source(episode: Episode, local_file: Callable[[int], Path | None]) -> str | None:
    """A local path when the episode is on disk, else its http(s) enclosure URL, else None.

    ``local_file`` is the app's lookup (downloaded file, or a file the app ships, like the demo),
    so the transcriber reads exactly what the player plays and never opens other local paths.
    """
    if episode.id is not None:
        path = local_file(episode.id)
        if path is not None:
            return str(path)
    url = episode.enclosure_url.strip()
    if urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None
