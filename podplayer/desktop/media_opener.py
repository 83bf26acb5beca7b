"""MPRIS OpenUri: an audio file or episode URL plays at once; a feed link asks to subscribe."""

from __future__ import annotations

import mimetypes
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal

from podplayer.core.opened_media import episode_for_media
from podplayer.core.storage.library import Library
from podplayer.core.subscribe_links import SUBSCRIBE_SCHEMES, feed_url_from_link
from podplayer.playback.controller import PlaybackController

MEDIA_TYPES = ("audio/", "video/")


def looks_like_media(uri: str) -> bool:
    """True when the address ends like an audio (or video) file: .mp3, .m4a, .ogg ..."""
    media_type = mimetypes.guess_type(urlsplit(uri).path)[0] or ""
    return media_type.startswith(MEDIA_TYPES)


class MediaOpener(QObject):
    """Decides what an opened address is and hands it to the controller or to subscribing."""

    subscribe_requested = Signal(str)  # an http(s) feed URL
    error = Signal(str)

    def __init__(self, library: Library, controller: PlaybackController) -> None:
        super().__init__()
        self._library = library
        self._controller = controller

    def open(self, uri: str) -> None:
        scheme = urlsplit(uri).scheme.lower()
        feed_url = feed_url_from_link(uri)
        known = self._library.episodes.find_by_enclosure_url(uri)
        is_feed = scheme in SUBSCRIBE_SCHEMES or not looks_like_media(uri)
        if feed_url is not None and known is None and is_feed:
            self.subscribe_requested.emit(feed_url)
            return
        episode = known or episode_for_media(self._library, uri)
        if episode is None or episode.id is None:
            self.error.emit(
                f"podplayer cannot open {uri[:200]}: it plays audio files, http(s) addresses "
                "of episodes and subscribes to feeds. Check the address and try again."
            )
            return
        self._controller.play_episode(episode.id)
