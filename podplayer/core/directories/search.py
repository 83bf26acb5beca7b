"""Searching the enabled directories at once, merged; Apple links and the top chart.

Nothing is sent to a directory until one of these methods is called (the user searched). Built
with the window's services, so the clients and result handling are imported on the first search.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from podplayer.core.http import HttpClient
from podplayer.core.settings import (
    ENABLED_DIRECTORIES,
    FYYD_URL,
    ITUNES_URL,
    PODCASTINDEX_KEY,
    PODCASTINDEX_SECRET,
    PODCASTINDEX_URL,
    UserSettings,
)

if TYPE_CHECKING:
    from podplayer.core.directories.results import DirectoryAnswer, DirectoryResult


class Directory(Protocol):
    name: str
    base_url: str

    def search(self, term: str) -> DirectoryAnswer: ...


def system_country() -> str:
    """Two-letter country of the user's locale (for Apple's chart), "us" when it has none."""
    import locale

    name = locale.getlocale()[0] or os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    region = name.split(".")[0].partition("_")[2]
    return region.lower() if len(region) == 2 and region.isalpha() else "us"


class DirectorySearch:
    """The directories the user enabled in settings, read at each search."""

    def __init__(
        self,
        http: HttpClient,
        settings: UserSettings,
        country: Callable[[], str] = system_country,
    ) -> None:
        self._http = http
        self._settings = settings
        self._country = country

    def plan(self) -> tuple[list[Directory], list[str]]:
        """The directories to ask (enabled, in settings order; Podcast Index only with a key
        and secret) and notes on enabled ones that cannot be asked. Reads the keyring: call it
        off the GUI thread."""
        enabled: list[str] = self._settings.get(ENABLED_DIRECTORIES)
        found: list[Directory] = []
        notes: list[str] = []
        if not enabled:
            notes.append(
                "No directory is enabled; choose some in Settings > Preferences > Directories."
            )
        for name in enabled:
            if name == "itunes":
                from podplayer.core.directories.itunes import ItunesDirectory

                found.append(ItunesDirectory(self._http, self._settings.get(ITUNES_URL)))
            elif name == "fyyd":
                from podplayer.core.directories.fyyd import FyydDirectory

                found.append(FyydDirectory(self._http, self._settings.get(FYYD_URL)))
            elif name == "podcastindex":
                key: str = self._settings.get(PODCASTINDEX_KEY)
                secret: str = self._settings.get(PODCASTINDEX_SECRET) if key else ""
                if not (key and secret):
                    notes.append(
                        "Podcast Index is searched once you enter your API key and secret "
                        "(Settings > Preferences > Directories)."
                    )
                    continue
                from podplayer.core.directories.podcastindex import PodcastIndexDirectory

                url = self._settings.get(PODCASTINDEX_URL)
                found.append(PodcastIndexDirectory(self._http, url, key, secret))
        return found, notes

    @staticmethod
    def ask(directory: Directory, term: str) -> DirectoryAnswer:
        """One directory's answer; a failure becomes an answer with a note, never an exception."""
        from podplayer.core.directories.json_fetch import DirectoryError
        from podplayer.core.directories.results import (
            DirectoryAnswer,
            from_afar,
            names_this_computer,
        )

        try:
            answer = directory.search(term)
        except DirectoryError as exc:
            return DirectoryAnswer(directory.name, notes=[str(exc)], failed=True)
        return answer if names_this_computer(directory.base_url) else from_afar(answer)

    def search(self, term: str) -> tuple[list[DirectoryResult], list[str]]:
        """Every enabled directory at once: merged results and the notes of what was left out."""
        from concurrent.futures import ThreadPoolExecutor

        from podplayer.core.directories.results import merge_results

        directories, notes = self.plan()
        if not directories:
            return [], notes
        with ThreadPoolExecutor(len(directories), "podplayer-directories") as pool:
            answers = list(pool.map(lambda d: self.ask(d, term), directories))
        merged: list[DirectoryResult] = []
        for answer in answers:
            merged = merge_results(merged, answer.results)
            notes.extend(answer.notes)
        return merged, notes

    def top(self) -> DirectoryAnswer:
        """Apple's top podcasts for the user's country (when iTunes is enabled)."""
        from podplayer.core.directories.itunes import ItunesDirectory
        from podplayer.core.directories.json_fetch import DirectoryError
        from podplayer.core.directories.results import (
            DirectoryAnswer,
            from_afar,
            names_this_computer,
        )

        if "itunes" not in self._settings.get(ENABLED_DIRECTORIES):
            return DirectoryAnswer("iTunes", notes=["Apple's chart needs iTunes enabled."])
        itunes = ItunesDirectory(self._http, self._settings.get(ITUNES_URL))
        try:
            answer = itunes.top(self._country())
        except DirectoryError as exc:
            return DirectoryAnswer(itunes.name, notes=[str(exc)], failed=True)
        return answer if names_this_computer(itunes.base_url) else from_afar(answer)

    def resolve_apple_link(self, apple_id: str) -> str:
        """The feed URL of the podcast an Apple Podcasts link names; DirectoryError if none."""
        from podplayer.core.directories.itunes import ItunesDirectory
        from podplayer.core.directories.json_fetch import DirectoryError
        from podplayer.core.directories.results import from_afar, names_this_computer

        itunes = ItunesDirectory(self._http, self._settings.get(ITUNES_URL))
        answer = itunes.lookup([apple_id])
        if not names_this_computer(itunes.base_url):
            answer = from_afar(answer)
        if not answer.results:
            raise DirectoryError(
                f"Apple Podcasts knows no podcast feed for id {apple_id}; the show may be "
                "available only on Apple Podcasts."
            )
        return answer.results[0].feed_url
