"""Media opened from outside (MPRIS OpenUri): found in the library, or kept under "Opened files".

The controller plays library episodes, so a file or URL that no feed lists becomes an episode of
one local pseudo-podcast; it is marked gone so that refreshing never fetches its address.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from podplayer.core.models import Episode, Podcast, RefreshStatus
from podplayer.core.storage.library import Library

OPENED_FILES_URL = "podplayer:opened-files"
OPENED_FILES_TITLE = "Opened files"


def media_source(uri: str) -> str | None:
    """What the engine plays for ``uri``: a local path or an http(s) URL; None for anything else."""
    parts = urlsplit(uri.strip())
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and parts.netloc:
        return uri.strip()
    if scheme == "file" and parts.netloc in ("", "localhost"):
        # Imported here: urllib.request brings http.client and ssl, which startup does not need.
        from urllib.request import url2pathname

        path = Path(url2pathname(parts.path))
        return str(path) if path.is_file() else None
    if not scheme and Path(uri).is_absolute() and Path(uri).is_file():
        return uri
    return None


def episode_for_media(library: Library, uri: str) -> Episode | None:
    """The episode that plays ``uri``, added under "Opened files" when the library lacks it."""
    import mimetypes  # only when something is opened from outside

    source = media_source(uri)
    if source is None:
        return None
    existing = library.episodes.find_by_enclosure_url(source)
    if existing is not None:
        return existing
    podcast = library.podcasts.find_by_url(OPENED_FILES_URL) or library.podcasts.add(
        Podcast(
            url=OPENED_FILES_URL,
            title=OPENED_FILES_TITLE,
            description="Files and addresses opened from other programs.",
            refresh_status=RefreshStatus.GONE,
        )
    )
    assert podcast.id is not None
    name = unquote(Path(urlsplit(source).path).name) or source
    return library.episodes.add(
        Episode(
            podcast_id=podcast.id,
            guid=source,
            title=name,
            enclosure_url=source,
            enclosure_type=mimetypes.guess_type(name)[0] or "",
        )
    )
