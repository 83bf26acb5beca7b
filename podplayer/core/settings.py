"""Every user setting of the app, declared once: key, type, default, description, secret or not.

``podplayer config``, the Settings dialog and the services read this list; a service asks
``UserSettings`` for a value and gets the declared default when none (or a broken one) is stored.
Secrets never go into the library: they go to the ``SecretStore`` (the desktop keyring).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from podplayer.core.paths import AppPaths
    from podplayer.core.storage.library import Library


class SettingKind(enum.Enum):
    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    TEXT = "text"
    URL = "url"  # an http(s) address
    PATH = "path"
    CHOICES = "choices"  # a comma-separated subset of ``choices``, in the user's order
    STATE = "state"  # kept by the app itself (a JSON value); shown, not set, from the shell


class SettingError(Exception):
    """An unknown key or a value that does not fit; the message is a sentence for the user."""


@dataclass(frozen=True, slots=True)
class Setting:
    """One user setting. ``page`` names the Settings dialog page showing it ("" = none)."""

    key: str
    kind: SettingKind
    default: Any
    description: str
    label: str = ""
    secret: bool = False
    page: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    choice_labels: tuple[str, ...] = ()  # what the dialog calls each choice
    unit: str = ""  # "ms": stored in milliseconds, shown and typed in seconds by the dialog

    def parse(self, text: str) -> Any:
        """The value a user typed (``config set``); SettingError with a sentence when it is bad."""
        text = text.strip()
        if self.kind is SettingKind.STATE:
            raise SettingError(f"{self.key} is kept by podplayer itself and cannot be set.")
        if self.kind is SettingKind.BOOL:
            lowered = text.lower()
            if lowered in ("true", "yes", "on", "1"):
                return True
            if lowered in ("false", "no", "off", "0"):
                return False
            raise SettingError(f"{self.key} is on or off: give true or false, not {text!r}.")
        if self.kind is SettingKind.INT:
            try:
                number: float = int(text)
            except ValueError:
                raise SettingError(f"{self.key} takes a whole number, not {text!r}.") from None
            return self.check(number)
        if self.kind is SettingKind.FLOAT:
            try:
                number = float(text)
            except ValueError:
                raise SettingError(f"{self.key} takes a number, not {text!r}.") from None
            return self.check(number)
        if self.kind is SettingKind.CHOICES:
            return self.check([item.strip().lower() for item in text.split(",") if item.strip()])
        return self.check(text)

    def check(self, value: Any) -> Any:
        """``value`` if it fits this setting (as stored), else SettingError with a sentence."""
        kind = self.kind
        if kind is SettingKind.BOOL and isinstance(value, bool):
            return value
        if kind in (SettingKind.INT, SettingKind.FLOAT):
            wanted = int if kind is SettingKind.INT else (int, float)
            if isinstance(value, bool) or not isinstance(value, wanted):
                raise SettingError(f"{self.key} takes a number.")
            if isinstance(value, float) and not math.isfinite(value):
                raise SettingError(f"{self.key} takes a finite number.")
            low, high = self.minimum, self.maximum
            if (low is not None and value < low) or (high is not None and value > high):
                raise SettingError(
                    f"{self.key} must be between {_number(low)} and {_number(high)}, "
                    f"not {_number(value)}."
                )
            return float(value) if kind is SettingKind.FLOAT else value
        if kind in (SettingKind.TEXT, SettingKind.PATH, SettingKind.URL) and isinstance(value, str):
            if any(ord(char) < 32 for char in value):
                raise SettingError(f"{self.key} cannot contain control characters.")
            if kind is SettingKind.URL and not _is_web_address(value):
                raise SettingError(
                    f"{self.key} takes an http or https address like {self.default}, not {value!r}."
                )
            if kind is SettingKind.PATH and value and not value.startswith(("/", "~")):
                raise SettingError(f"{self.key} must be a full path, not {value}.")
            if self.choices and value not in self.choices:
                raise SettingError(f"{self.key} is one of {', '.join(self.choices)}, not {value}.")
            return value
        if kind is SettingKind.CHOICES and isinstance(value, list):
            unknown = [item for item in value if item not in self.choices]
            if unknown or not all(isinstance(item, str) for item in value):
                raise SettingError(
                    f"{self.key} takes a comma-separated list of {', '.join(self.choices)}; "
                    f"{', '.join(map(str, unknown))} is not one of them."
                )
            return list(dict.fromkeys(value))
        if kind is SettingKind.STATE:
            return value
        raise SettingError(f"{self.key} does not take {value!r}.")

    def format(self, value: Any) -> str:
        """How ``config get`` prints a value (the way ``config set`` takes it)."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if self.kind is SettingKind.CHOICES and isinstance(value, list):
            return ",".join(value)
        if isinstance(value, (list, dict)):
            import json

            return json.dumps(value, ensure_ascii=False)
        return str(value)


def _is_web_address(text: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


DIRECTORY_NAMES = ("itunes", "fyyd", "podcastindex")

NOTIFY_NEW_EPISODES = Setting(
    "desktop.notify_new_episodes",
    SettingKind.BOOL,
    True,
    "Show a desktop notification when a refresh finds new episodes.",
    label="Notify about new episodes",
    page="general",
)
TRANSCRIPTS_FOR_SEARCH = Setting(
    "search.transcripts_per_podcast",
    SettingKind.INT,
    25,
    "How many of each podcast's newest episodes have their published transcript fetched ahead,"
    " so that search finds their words before they are played (0: none).",
    label="Fetch transcripts for search (newest episodes per podcast)",
    page="general",
    minimum=0,
    maximum=1_000,
)
DEMO_OFFERED = Setting(
    "demo.offered",
    SettingKind.STATE,
    False,
    "The demo podcast was offered on the first run (it is offered once).",
)
DOWNLOAD_FOLDER = Setting(
    "downloads.folder",
    SettingKind.PATH,
    "",
    "Folder for new downloads; empty means the default folder in the data folder "
    "(change it in the Downloads tab, which keeps track of files already downloaded).",
)
PAST_DOWNLOAD_FOLDERS = Setting(
    "downloads.past_folders",
    SettingKind.STATE,
    [],
    "Download folders used before, whose files podplayer may still delete.",
)
SKIP_BACK_MS = Setting(
    "playback.skip_back_ms",
    SettingKind.INT,
    10_000,
    "How far Back jumps, in milliseconds.",
    label="Skip back",
    page="playback",
    minimum=1_000,
    maximum=300_000,
    unit="ms",
)
SKIP_FORWARD_MS = Setting(
    "playback.skip_forward_ms",
    SettingKind.INT,
    30_000,
    "How far Forward jumps, in milliseconds.",
    label="Skip forward",
    page="playback",
    minimum=1_000,
    maximum=300_000,
    unit="ms",
)
PLAYED_THRESHOLD_MS = Setting(
    "playback.played_threshold_ms",
    SettingKind.INT,
    30_000,
    "An episode stopped this close to its end (milliseconds) counts as played.",
    label="Mark played when this close to the end",
    page="playback",
    minimum=0,
    maximum=600_000,
    unit="ms",
)
SPEED_PER_PODCAST = Setting(
    "playback.speed_per_podcast",
    SettingKind.BOOL,
    False,
    "Remember the playback speed for each podcast instead of one speed for all.",
    label="Remember the speed for each podcast",
    page="playback",
)
PLAYBACK_RATE = Setting(
    "playback.rate",
    SettingKind.FLOAT,
    1.0,
    "Playback speed (0.5 to 3.0) when no per-podcast speed applies.",
    minimum=0.5,
    maximum=3.0,
)
VOLUME = Setting(
    "playback.volume", SettingKind.INT, 100, "Volume, 0 to 100.", minimum=0, maximum=100
)
MUTED = Setting("playback.muted", SettingKind.BOOL, False, "Sound is muted.")
ENABLED_DIRECTORIES = Setting(
    "directories.enabled",
    SettingKind.CHOICES,
    list(DIRECTORY_NAMES),
    "Podcast directories that Add podcast searches (comma-separated: itunes,fyyd,podcastindex). "
    "Nothing is sent to them until you search.",
    label="Search these directories",
    page="directories",
    choices=DIRECTORY_NAMES,
    choice_labels=("Apple Podcasts (iTunes)", "fyyd", "Podcast Index"),
)
ITUNES_URL = Setting(
    "directories.itunes.url",
    SettingKind.URL,
    "https://itunes.apple.com",
    "Base address of the iTunes Search API (Apple Podcasts search, links and top chart).",
    label="Apple Podcasts address",
    page="directories",
)
FYYD_URL = Setting(
    "directories.fyyd.url",
    SettingKind.URL,
    "https://api.fyyd.de",
    "Base address of the fyyd API.",
    label="fyyd address",
    page="directories",
)
PODCASTINDEX_URL = Setting(
    "directories.podcastindex.url",
    SettingKind.URL,
    "https://api.podcastindex.org",
    "Base address of the Podcast Index API.",
    label="Podcast Index address",
    page="directories",
)
PODCASTINDEX_KEY = Setting(
    "directories.podcastindex.key",
    SettingKind.TEXT,
    "",
    "Your Podcast Index API key (free at api.podcastindex.org); searched only when set.",
    label="Podcast Index API key",
    page="directories",
)
PODCASTINDEX_SECRET = Setting(
    "directories.podcastindex.secret",
    SettingKind.TEXT,
    "",
    "Your Podcast Index API secret; kept in the desktop keyring, never in the library.",
    label="Podcast Index API secret",
    page="directories",
    secret=True,
)

SETTINGS: tuple[Setting, ...] = (
    NOTIFY_NEW_EPISODES,
    TRANSCRIPTS_FOR_SEARCH,
    DEMO_OFFERED,
    DOWNLOAD_FOLDER,
    PAST_DOWNLOAD_FOLDERS,
    SKIP_BACK_MS,
    SKIP_FORWARD_MS,
    PLAYED_THRESHOLD_MS,
    SPEED_PER_PODCAST,
    PLAYBACK_RATE,
    VOLUME,
    MUTED,
    ENABLED_DIRECTORIES,
    ITUNES_URL,
    FYYD_URL,
    PODCASTINDEX_URL,
    PODCASTINDEX_KEY,
    PODCASTINDEX_SECRET,
)
"""Every setting, in the order ``config list`` prints them."""

_BY_KEY: dict[str, Setting] = {setting.key: setting for setting in SETTINGS}


def setting_for(key: str) -> Setting:
    """The declared setting; SettingError naming near keys when there is none."""
    setting = _BY_KEY.get(key.strip())
    if setting is not None:
        return setting
    import difflib

    near = difflib.get_close_matches(key, list(_BY_KEY), n=1, cutoff=0.75)
    hint = f" Did you mean {near[0]}?" if near else ""
    raise SettingError(
        f"There is no setting {key!r}.{hint} `podplayer config list` shows every setting."
    )


def settings_on_page(page: str) -> list[Setting]:
    return [setting for setting in SETTINGS if setting.page == page]


class StoredValues(Protocol):
    """Where plain values live: the library's settings table (JSON values)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...

    def delete(self, key: str) -> None: ...


class Secrets(Protocol):
    """Where secrets live: ``core.credentials.SecretStore`` (keyring, else a 0600 file)."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...

    def delete(self, key: str) -> None: ...


class UserSettings:
    """Typed access to the declared settings; thread-safe as far as its stores are."""

    def __init__(self, values: StoredValues, secrets: Secrets) -> None:
        self._values = values
        self._secrets = secrets

    def get(self, setting: Setting) -> Any:
        """The stored value, or the default when none is stored or the stored one does not fit."""
        stored = self.stored(setting)
        try:
            value = setting.default if stored is None else setting.check(stored)
        except SettingError:
            value = setting.default
        return list(value) if isinstance(value, list) else value  # never the shared default

    def stored(self, setting: Setting) -> Any:
        """What is stored (None: nothing, so the default applies)."""
        if setting.secret:
            return self._secrets.get(setting.key) or None
        return self._values.get(setting.key)

    def set(self, setting: Setting, value: Any) -> None:
        """Store a value (checked first: SettingError with a sentence when it does not fit)."""
        value = setting.check(value)
        if setting.secret:
            if value:
                self._secrets.set(setting.key, value)
            else:
                self._secrets.delete(setting.key)
            return
        self._values.set(setting.key, value)

    def unset(self, setting: Setting) -> None:
        """Back to the default."""
        if setting.secret:
            self._secrets.delete(setting.key)
        else:
            self._values.delete(setting.key)

    def snapshot(self, settings: Iterable[Setting] = SETTINGS) -> Mapping[str, Any]:
        return {setting.key: self.get(setting) for setting in settings}


def open_user_settings(library: Library, paths: AppPaths) -> UserSettings:
    """The user's settings: values in the library, secrets in the desktop keyring."""
    from podplayer.core.credentials import SecretStore

    return UserSettings(library.settings, SecretStore(paths.config_dir))
