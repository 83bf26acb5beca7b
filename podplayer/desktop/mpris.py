"""MPRIS2 on the session bus: media keys, sound applets and playerctl drive the playback controller.

Times on the bus are microseconds (MPRIS); the controller speaks milliseconds.

A limit of PySide6 worth knowing: a Python int inside a map (Metadata) is sent as int32 when it
fits and int64 otherwise, so ``mpris:length`` is int32 for episodes shorter than about 35 minutes.
Position and Seeked are declared ``qlonglong`` and always go out as int64 as the spec says.
"""

from __future__ import annotations

import os
import time
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtDBus import (
    QDBusAbstractAdaptor,
    QDBusArgument,
    QDBusConnection,
    QDBusMessage,
    QDBusObjectPath,
)

from podplayer.core.storage.podcasts import PodcastRepository
from podplayer.desktop.dbus_typing import dbus_interface, qt_type
from podplayer.engine.base import MAX_RATE, MIN_RATE, PlaybackState
from podplayer.playback.controller import PlaybackController

BUS_NAME = "org.mpris.MediaPlayer2.podplayer"
OBJECT_PATH = "/org/mpris/MediaPlayer2"
ROOT_INTERFACE = "org.mpris.MediaPlayer2"
PLAYER_INTERFACE = "org.mpris.MediaPlayer2.Player"
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"
TRACK_PATH_PREFIX = "/io/github/podplayer/Podplayer/episode/"
DESKTOP_ENTRY = "io.github.podplayer.Podplayer"
URI_SCHEMES = ["file", "http", "https", "feed", "podcast"]
MIME_TYPES = [
    "audio/mpeg",
    "audio/mp4",
    "audio/aac",
    "audio/ogg",
    "audio/opus",
    "audio/flac",
    "audio/x-wav",
    "audio/wav",
]
# A position that moves more than this away from where steady playback would be is a seek.
SEEK_JUMP_MS = 1500
CHAPTER_KEY = "podplayer:chapter"
"""The title of the chapter playing (MPRIS lets a player add keys in its own namespace)."""
ART_SCHEMES = ("http", "https", "file")


def track_path(episode_id: int) -> str:
    """The MPRIS track id of an episode."""
    return f"{TRACK_PATH_PREFIX}{episode_id}"


def bus_text(text: str) -> str:
    """Feed text made safe for D-Bus: valid UTF-8 with no NUL (D-Bus rejects both)."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def playback_status(state: PlaybackState) -> str:
    """MPRIS's three states; loading counts as playing (the user asked for sound)."""
    if state in (PlaybackState.PLAYING, PlaybackState.LOADING):
        return "Playing"
    if state is PlaybackState.PAUSED:
        return "Paused"
    return "Stopped"


class MprisPlayer(QObject):
    """The MPRIS2 object: answers the bus from the controller and forwards the bus's commands."""

    raise_requested = Signal()
    quit_requested = Signal()
    open_uri_requested = Signal(str)

    def __init__(
        self,
        controller: PlaybackController,
        podcasts: PodcastRepository,
        connection: QDBusConnection | None = None,
    ) -> None:
        super().__init__()
        self._controller = controller
        self._podcasts = podcasts
        self._connection = connection if connection is not None else QDBusConnection.sessionBus()
        self._bus_object = QObject()
        self._root = _RootAdaptor(self._bus_object, self)
        self._player = _PlayerAdaptor(self._bus_object, self)
        self._pending: set[str] = set()
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self._flush_changes)
        self._last_position_ms = controller.position_ms()
        self._last_position_at = time.monotonic()
        self.bus_name = ""
        controller.state_changed.connect(self._on_state_changed)
        controller.episode_changed.connect(self._on_episode_changed)
        controller.duration_changed.connect(lambda _ms: self._changed("Metadata"))
        controller.chapter_changed.connect(lambda _index: self._changed("Metadata"))
        controller.rate_changed.connect(lambda _rate: self._changed("Rate"))
        controller.volume_changed.connect(lambda _volume: self._changed("Volume"))
        controller.queue_changed.connect(lambda: self._changed("CanGoNext", "CanPlay"))
        controller.position_changed.connect(self._on_position_changed)

    def start(self) -> str:
        """Export the object and take the bus name; returns "" or a sentence saying why not."""
        if not self._connection.isConnected():
            return (
                "Media keys and the sound menu are unavailable: there is no D-Bus session bus "
                "(podplayer works without it)."
            )
        registered = self._connection.registerObject(
            OBJECT_PATH, self._bus_object, QDBusConnection.RegisterOption.ExportAdaptors
        )
        if not registered:
            return "Media keys are unavailable: another MPRIS object is registered in this process."
        # A second podplayer (another --data-dir) takes a unique name, as the spec allows.
        for name in (BUS_NAME, f"{BUS_NAME}.instance{os.getpid()}"):
            if self._connection.registerService(name):
                self.bus_name = name
                return ""
        self._connection.unregisterObject(OBJECT_PATH)
        return "Media keys are unavailable: the MPRIS bus name is taken by another program."

    def stop(self) -> None:
        """Release the bus name and object (on quit)."""
        if self.bus_name:
            self._connection.unregisterService(self.bus_name)
            self._connection.unregisterObject(OBJECT_PATH)
            self.bus_name = ""

    # What the bus reads.

    def metadata(self) -> dict[str, Any]:
        episode = self._controller.current_episode()
        if episode is None or episode.id is None:
            return {"mpris:trackid": QDBusObjectPath(NO_TRACK)}
        podcast = self._podcasts.get(episode.podcast_id)
        data: dict[str, Any] = {
            "mpris:trackid": QDBusObjectPath(track_path(episode.id)),
            "xesam:title": bus_text(episode.title or "Untitled episode"),
        }
        if podcast is not None and podcast.title:
            data["xesam:album"] = bus_text(podcast.title)
        if podcast is not None and podcast.author:
            data["xesam:artist"] = [bus_text(podcast.author)]
        art = episode.image_url or (podcast.image_url if podcast is not None else "")
        if art and urlsplit(art).scheme.lower() in ART_SCHEMES:
            data["mpris:artUrl"] = bus_text(art)
        length_ms = self._controller.duration_ms() or (
            episode.duration_s * 1000 if episode.duration_s else None
        )
        if length_ms:
            data["mpris:length"] = length_ms * 1000
        if episode.enclosure_url:
            data["xesam:url"] = bus_text(episode.enclosure_url)
        chapter = self._current_chapter_title()
        if chapter:
            data["xesam:comment"] = [bus_text(f"Chapter: {chapter}")]
            data[CHAPTER_KEY] = bus_text(chapter)
        return data

    def _current_chapter_title(self) -> str:
        index = self._controller.current_chapter()
        listed = self._controller.chapters().listed
        if not 0 <= index < len(listed):
            return ""
        return listed[index].title or "Untitled chapter"

    def has_episode(self) -> bool:
        return self._controller.current_episode() is not None

    def can_go_next(self) -> bool:
        return bool(self._controller.queue())

    def can_play(self) -> bool:
        """Play resumes the episode, or starts the queue when nothing is loaded."""
        return self.has_episode() or self.can_go_next()

    def position_us(self) -> int:
        return self._controller.position_ms() * 1000

    def current_track_path(self) -> str:
        episode = self._controller.current_episode()
        return NO_TRACK if episode is None or episode.id is None else track_path(episode.id)

    # What the bus asks for.

    def set_rate(self, rate: float) -> None:
        if rate <= 0:
            self._controller.pause()  # the spec: a rate of 0 acts as Pause
            return
        self._controller.set_rate(min(MAX_RATE, max(MIN_RATE, rate)))

    def set_volume(self, volume: float) -> None:
        self._controller.set_volume(round(min(1.0, max(0.0, volume)) * 100))

    def seek_by(self, offset_us: int) -> None:
        target_ms = max(0, self._controller.position_ms() + offset_us // 1000)
        duration_ms = self._controller.duration_ms()
        if duration_ms is not None and target_ms >= duration_ms:
            self.next()  # the spec: seeking past the end acts as Next
            return
        self._controller.seek(target_ms)

    def set_position(self, track_id: str, position_us: int) -> None:
        duration_ms = self._controller.duration_ms()
        position_ms = position_us // 1000
        if track_id != self.current_track_path() or position_ms < 0:
            return
        if duration_ms is not None and position_ms > duration_ms:
            return
        self._controller.seek(position_ms)

    def next(self) -> None:
        """Next plays the next queued episode (nothing when the queue is empty)."""
        if self._controller.queue():
            self._controller.play_next_in_queue()

    def previous(self) -> None:
        """Previous starts the episode again; podcasts have no previous track."""
        if self.has_episode():
            self._controller.seek(0)

    @property
    def controller(self) -> PlaybackController:
        return self._controller

    # Telling the bus what changed.

    def _changed(self, *names: str) -> None:
        self._pending.update(names)
        self._flush_timer.start()

    def _flush_changes(self) -> None:
        names, self._pending = self._pending, set()
        if not self.bus_name or not names:
            return
        values = {name: self._player.property(name) for name in sorted(names)}
        # An empty Python list would go out as "av"; clients match on (sa{sv}as).
        no_invalidated = QDBusArgument()
        no_invalidated << []
        signal = QDBusMessage.createSignal(
            OBJECT_PATH, "org.freedesktop.DBus.Properties", "PropertiesChanged"
        )
        signal.setArguments([PLAYER_INTERFACE, values, no_invalidated])
        self._connection.send(signal)

    def _on_state_changed(self, _state: object) -> None:
        self._changed("PlaybackStatus", "CanPlay", "CanPause", "CanSeek")

    def _on_episode_changed(self, _episode: object) -> None:
        self._changed("Metadata", "CanPlay", "CanPause", "CanSeek", "CanGoPrevious", "CanGoNext")

    def _on_position_changed(self, position_ms: int) -> None:
        now = time.monotonic()
        expected = self._last_position_ms
        if self._controller.state() is PlaybackState.PLAYING:
            expected += round((now - self._last_position_at) * 1000 * self._controller.rate())
        self._last_position_ms, self._last_position_at = position_ms, now
        if abs(position_ms - expected) > SEEK_JUMP_MS and self.bus_name:
            self._player.Seeked.emit(position_ms * 1000)


@dbus_interface(ROOT_INTERFACE)
class _RootAdaptor(QDBusAbstractAdaptor):
    """org.mpris.MediaPlayer2: identity and window control."""

    def __init__(self, bus_object: QObject, player: MprisPlayer) -> None:
        super().__init__(bus_object)
        self._mpris = player

    def _true(self) -> bool:
        return True

    def _false(self) -> bool:
        return False

    def _identity(self) -> str:
        return "podplayer"

    def _desktop_entry(self) -> str:
        return DESKTOP_ENTRY

    def _uri_schemes(self) -> list[str]:
        return URI_SCHEMES

    def _mime_types(self) -> list[str]:
        return MIME_TYPES

    CanQuit = Property(bool, _true)
    CanRaise = Property(bool, _true)
    HasTrackList = Property(bool, _false)
    Identity = Property(str, _identity)
    DesktopEntry = Property(str, _desktop_entry)
    SupportedUriSchemes = Property(qt_type("QStringList"), _uri_schemes)
    SupportedMimeTypes = Property(qt_type("QStringList"), _mime_types)

    @Slot()
    def Raise(self) -> None:
        self._mpris.raise_requested.emit()

    @Slot()
    def Quit(self) -> None:
        self._mpris.quit_requested.emit()


@dbus_interface(PLAYER_INTERFACE)
class _PlayerAdaptor(QDBusAbstractAdaptor):
    """org.mpris.MediaPlayer2.Player: transport, position, rate, volume, metadata."""

    Seeked = Signal(qt_type("qlonglong"))

    def __init__(self, bus_object: QObject, player: MprisPlayer) -> None:
        super().__init__(bus_object)
        self._mpris = player
        self.setAutoRelaySignals(True)

    def _status(self) -> str:
        return playback_status(self._mpris.controller.state())

    def _metadata(self) -> dict[str, Any]:
        return self._mpris.metadata()

    def _rate(self) -> float:
        return self._mpris.controller.rate()

    def _set_rate(self, rate: float) -> None:
        self._mpris.set_rate(rate)

    def _volume(self) -> float:
        return self._mpris.controller.volume() / 100

    def _set_volume(self, volume: float) -> None:
        self._mpris.set_volume(volume)

    def _position(self) -> int:
        return self._mpris.position_us()

    def _minimum_rate(self) -> float:
        return MIN_RATE

    def _maximum_rate(self) -> float:
        return MAX_RATE

    def _has_episode(self) -> bool:
        return self._mpris.has_episode()

    def _can_go_next(self) -> bool:
        return self._mpris.can_go_next()

    def _can_play(self) -> bool:
        return self._mpris.can_play()

    def _true(self) -> bool:
        return True

    PlaybackStatus = Property(str, _status)
    Metadata = Property(qt_type("QVariantMap"), _metadata)
    Rate = Property(float, _rate, _set_rate)
    Volume = Property(float, _volume, _set_volume)
    Position = Property(qt_type("qlonglong"), _position)
    MinimumRate = Property(float, _minimum_rate)
    MaximumRate = Property(float, _maximum_rate)
    CanGoNext = Property(bool, _can_go_next)
    CanGoPrevious = Property(bool, _has_episode)
    CanPlay = Property(bool, _can_play)
    CanPause = Property(bool, _has_episode)
    CanSeek = Property(bool, _has_episode)
    CanControl = Property(bool, _true)

    @Slot()
    def PlayPause(self) -> None:
        self._mpris.controller.toggle_play_pause()

    @Slot()
    def Play(self) -> None:
        self._mpris.controller.play()

    @Slot()
    def Pause(self) -> None:
        self._mpris.controller.pause()

    @Slot()
    def Stop(self) -> None:
        self._mpris.controller.stop()

    @Slot()
    def Next(self) -> None:
        self._mpris.next()

    @Slot()
    def Previous(self) -> None:
        self._mpris.previous()

    @Slot(qt_type("qlonglong"))
    def Seek(self, offset_us: int) -> None:
        self._mpris.seek_by(offset_us)

    @Slot(QDBusObjectPath, qt_type("qlonglong"))
    def SetPosition(self, track_id: QDBusObjectPath, position_us: int) -> None:
        self._mpris.set_position(track_id.path(), position_us)

    @Slot(str)
    def OpenUri(self, uri: str) -> None:
        self._mpris.open_uri_requested.emit(uri)
