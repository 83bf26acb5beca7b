"""The python-vlc backend.

libvlc calls back on its own threads. Each event type is attached once, and the callback only
emits a Qt signal queued to the main thread; every libvlc call happens on the main thread.
"""

from __future__ import annotations

import enum
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from podplayer.core.sleep_timer import monotonic_ms
from podplayer.engine.base import MAX_RATE, MIN_RATE, AudioEngine, PlaybackState
from podplayer.engine.mp3_frames import mp3_duration_ms
from podplayer.engine.vlc_log import LibvlcLog, sound_output_problem

INSTALL_HINT = (
    "Playback needs VLC's library (libvlc). On Debian or Ubuntu install it with: "
    "sudo apt-get install libvlc5 vlc-plugin-base libvlc-bin"
)
# podplayer never shows subtitles: with avformat, a WebVTT file beside the audio (as the demo and
# yt-dlp leave them) is loaded as subtitles and stalls playback for seconds at a time.
BASE_ARGS = (
    "--no-video",
    "--quiet",
    "--no-xlib",
    "--no-stats",
    "--no-spu",
    "--no-sub-autodetect-file",
)
OGG_SUFFIXES = (".ogg", ".oga", ".ogx", ".opus", ".spx")
OGG_MIME_WORDS = ("ogg", "opus", "vorbis")
MP3_SUFFIXES = (".mp3", ".mpga")
MP3_MIME_WORDS = ("mpeg", "mp3")
NETWORK_CACHING_MS = 3_000
STALL_TIMEOUT_MS = 20_000
WATCHDOG_INTERVAL_MS = 500
VOLUME_RETRY_MS = 20
SEEK_SETTLE_MS = 1_500
# libvlc reports the end once the file is read, while up to ~1 s of audio is still to be heard.
MAX_END_DRAIN_MS = 3_000
HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<?xml")

NOT_AUDIO = (
    "The file is damaged or is not audio (perhaps a web page saved under an audio name). "
    "Download the episode again, or open its web page to check the link."
)


def libvlc_problem() -> str:
    """Whether the libvlc shared library loads, without importing python-vlc; "" or a reason.

    python-vlc is a 13,000-line module whose import also runs ``ldconfig -p`` to find the library
    (~40 ms and ~4 MB): it is imported with the first media. This check loads the library the way
    python-vlc does on Linux (PYTHON_VLC_LIB_PATH, else libvlc.so.5); elsewhere it imports it.
    """
    if not sys.platform.startswith("linux"):
        return load_libvlc()[1]
    import ctypes

    try:
        ctypes.CDLL(os.environ.get("PYTHON_VLC_LIB_PATH") or "libvlc.so.5")
    except OSError as exc:
        return f"{INSTALL_HINT} ({exc})"
    return ""


def load_libvlc() -> tuple[ModuleType | None, str]:
    """Import python-vlc and check libvlc loads; returns (module, "") or (None, reason)."""
    try:
        import vlc
    except (ImportError, OSError, NotImplementedError, SystemExit) as exc:
        # python-vlc raises NotImplementedError when no libvlc is found and calls sys.exit()
        # when PYTHON_VLC_LIB_PATH names a library that does not load.
        return None, INSTALL_HINT + (f" ({exc})" if str(exc) not in ("", "1") else "")
    if getattr(vlc, "dll", None) is None:
        return None, INSTALL_HINT
    return vlc, ""


class _VlcEvent(enum.Enum):
    PLAYING = "playing"
    PAUSED = "paused"
    END_REACHED = "end"
    ERROR = "error"
    TIME = "time"
    LENGTH = "length"


def _is_stream(source: str) -> bool:
    return urlsplit(source).scheme.lower() in ("http", "https")


class _Kind(enum.Enum):
    OGG = "ogg"
    MP3 = "mp3"
    OTHER = "other"


def _media_kind(source: str, mime_type: str) -> _Kind:
    path = (unquote(urlsplit(source).path) if _is_stream(source) else source).lower()
    mime = mime_type.lower()
    if path.endswith(OGG_SUFFIXES) or any(word in mime for word in OGG_MIME_WORDS):
        return _Kind.OGG
    if path.endswith(MP3_SUFFIXES) or any(word in mime for word in MP3_MIME_WORDS):
        return _Kind.MP3
    return _Kind.OTHER


def _media_options(kind: _Kind, start_ms: int) -> list[str]:
    """The demuxer per shape, measured by ear (docs/benchmarks.md, "Engine: every file shape").

    Ogg and Opus go through avformat: libvlc's own demuxer lands Vorbis seeks up to 7 s off, or
    plays nothing after them. An MP3 played from its start goes through libvlc's own demuxer and
    libmpg123, the only pair that plays the first frames (avformat drops 37-56 ms of a LAME file
    and all of the first 100 ms of a VBR one).
    An MP3 opened at a position goes through avformat with a start-time: libvlc's demuxer lands
    a start-time seconds late at 22.05 kHz and a seek hundreds of ms off in a VBR file without a
    Xing table; avformat lands both within ~40 ms. So every MP3 seek reopens the media at the
    position: avformat's own seek, once playing, lands ~110 ms early in a VBR file without a
    Xing table. avcodec decodes it there (libmpg123 prints an error to the terminal after most
    avformat seeks).
    """
    options: list[str] = []
    if kind is _Kind.OGG:
        options.append(":demux=avformat")
    elif kind is _Kind.MP3 and start_ms > 0:
        options += [":demux=avformat", ":codec=avcodec"]
    if start_ms > 0:
        options.append(f":start-time={start_ms / 1000:.3f}")
    return options


def _local_file_problem(path: Path) -> str:
    """A sentence if the local file cannot be audio (missing, empty, a web page); else ""."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(512).lstrip().lower()
    except FileNotFoundError:
        return (
            f"The audio file {path} does not exist. It may have been moved or deleted; "
            "download the episode again."
        )
    except OSError as exc:
        return f"The audio file {path} cannot be read ({exc.strerror}). Check its permissions."
    if size == 0:
        return f"The audio file {path.name} is empty. Download the episode again."
    if head.startswith(HTML_MARKERS):
        return f"The file {path.name} is a web page, not audio. " + NOT_AUDIO.split(". ", 1)[1]
    return ""


class VlcEngine(AudioEngine):
    """Plays one local file or http(s) stream through libvlc; reports itself unavailable without it.

    Seeks asked for before the media is playing, or while paused, are kept and applied once.
    A start position goes in as the media's start-time, so nothing before it is heard.
    """

    _vlc_event = Signal(object, int, int)  # _VlcEvent, value, generation; from libvlc threads
    _duration_counted = Signal(str, int)  # source, ms; from the frame-counting thread

    def __init__(
        self,
        instance_args: Sequence[str] = (),
        stall_timeout_ms: int = STALL_TIMEOUT_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        # Loading the shared library is the cheap check that playback can work; python-vlc, the
        # instance and its plugins (~10 MB, and time) wait for the first media.
        self._vlc: ModuleType | None = None
        self._reason = libvlc_problem()
        self._instance_args = [*BASE_ARGS, *instance_args]
        self._sound_problem = ""
        if not any(arg.startswith(("--aout", "-A")) for arg in instance_args):
            self._sound_problem = sound_output_problem()
            if self._sound_problem:
                self._instance_args.append("--aout=adummy")
        self._sound_problem_told = False
        self._instance: Any = None
        self._libvlc_log: LibvlcLog | None = None
        self._player: Any = None
        self._stall_timeout_ms = stall_timeout_ms
        self._generation = 0
        self._source: str | None = None
        self._mime_type = ""
        self._kind = _Kind.OTHER
        self._seek_reopens = False
        self._length_guessed = False
        self._counted_duration_ms: int | None = None
        self._state = PlaybackState.IDLE
        self._time_ms = 0
        self._duration_ms: int | None = None
        self._rate = 1.0
        self._volume = 100
        self._muted = False
        self._volume_applied = False
        self._pending_seek_ms: int | None = None
        self._started = False
        self._progressed = False
        self._wants_play = False
        self._last_progress_ms = 0
        self._seek_target_ms: int | None = None
        self._seek_deadline_ms = 0
        self._vlc_event.connect(self._on_vlc_event, Qt.ConnectionType.QueuedConnection)
        self._duration_counted.connect(
            self._on_duration_counted, Qt.ConnectionType.QueuedConnection
        )
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(WATCHDOG_INTERVAL_MS)
        self._watchdog.timeout.connect(self._check_stall)
        self._end_drain = QTimer(self)
        self._end_drain.setSingleShot(True)
        self._end_drain.timeout.connect(self._end_at_duration)
        self._volume_retry = QTimer(self)
        self._volume_retry.setInterval(VOLUME_RETRY_MS)
        self._volume_retry.timeout.connect(self._apply_volume)

    @property
    def available(self) -> bool:
        return not self._reason

    @property
    def unavailable_reason(self) -> str:
        return self._reason

    @property
    def media_player(self) -> Any:
        """The libvlc media player, for diagnostics and for tests that tap its audio output."""
        return self._libvlc_player()

    def _libvlc_player(self) -> Any:
        """The media player, its libvlc instance started on first use; None when unavailable."""
        if self._player is None and self.available:
            if self._vlc is None:
                self._vlc, self._reason = load_libvlc()
                if self._vlc is None:
                    return None
            self._instance = self._vlc.Instance(self._instance_args)
            if self._instance is None:
                self._reason = f"libvlc could not start (no audio plugins?). {INSTALL_HINT}"
                return None
            self._libvlc_log = LibvlcLog(self._vlc, self._instance)
            self._player = self._instance.media_player_new()
            self._attach_events()
        return self._player

    def load(self, source: str, start_ms: int = 0, mime_type: str = "") -> None:
        self._generation += 1
        self._watchdog.stop()
        self._wants_play = False
        self._started = False
        self._progressed = False
        self._source = source
        self._mime_type = mime_type
        self._kind = _media_kind(source, mime_type)
        self._time_ms = max(0, start_ms)
        self._duration_ms = None
        self._counted_duration_ms = None
        if self._libvlc_player() is None:
            self._fail(self._reason)
            return
        problem = "" if _is_stream(source) else _local_file_problem(Path(source))
        if problem:
            self._player.stop()
            self._fail(problem)
            return
        self._open_media(self._time_ms)
        if self._kind is _Kind.MP3 and not _is_stream(source):
            self._count_duration(source)
        self._set_state(PlaybackState.STOPPED)
        self.time_changed.emit(self._time_ms)

    def _open_media(self, start_ms: int) -> None:
        """Give libvlc the current source, to be played from ``start_ms``."""
        self._end_drain.stop()
        self._player.stop()
        # After stop: an event the old media sends while stopping (its end) is not this one's.
        self._generation += 1
        source = self._source or ""
        self._pending_seek_ms = None
        self._seek_target_ms = start_ms or None
        self._started = False
        media = (
            self._instance.media_new(source)
            if _is_stream(source)
            else self._instance.media_new_path(source)
        )
        if _is_stream(source):
            media.add_option(f":network-caching={NETWORK_CACHING_MS}")
        for option in _media_options(self._kind, start_ms):
            media.add_option(option)
        # A stream is reopened too: libvlc cannot seek back on a server without Range (an Ogg
        # stream ends instead), and a fresh request costs what a Range request would.
        self._seek_reopens = self._kind is _Kind.MP3 or _is_stream(source)
        self._length_guessed = self._kind is _Kind.MP3 and start_ms == 0
        self._player.set_media(media)
        media.release()
        self._player.set_rate(self._rate)

    def _count_duration(self, source: str) -> None:
        """Count the MP3's frames on a thread: libvlc's length of a VBR file is an estimate."""

        def count() -> None:
            duration_ms = mp3_duration_ms(Path(source))
            if duration_ms is not None:
                self._duration_counted.emit(source, duration_ms)

        threading.Thread(target=count, name="podplayer-mp3-frames", daemon=True).start()

    def play(self) -> None:
        if self._player is None or self._source is None or self._state is PlaybackState.ERROR:
            return
        if self._state is PlaybackState.ENDED:
            self.load(self._source, 0, self._mime_type)
        if self._started and self._pending_seek_ms is not None:
            self._player.set_time(self._pending_seek_ms)
            self._arm_seek_guard(self._pending_seek_ms)
            self._pending_seek_ms = None
        self._wants_play = True
        self._last_progress_ms = monotonic_ms()
        self._watchdog.start()
        if not self._started:
            self._set_state(PlaybackState.LOADING)
        if self._sound_problem and not self._sound_problem_told:
            self._sound_problem_told = True
            self.notice.emit(self._sound_problem)
        self._player.play()

    def pause(self) -> None:
        if self._player is None or not self._wants_play:
            return
        self._wants_play = False
        self._watchdog.stop()
        if self._started:
            self._player.set_pause(1)
        else:
            self._set_state(PlaybackState.PAUSED)  # _on_playing pauses once the media opens

    def stop(self) -> None:
        """Stop, ready to play again from where it stopped."""
        if self._player is None or self._source is None:
            return
        if self._state in (PlaybackState.ERROR, PlaybackState.ENDED, PlaybackState.STOPPED):
            return
        self.load(self._source, self._time_ms, self._mime_type)

    def seek(self, position_ms: int) -> None:
        if self._player is None or self._source is None or self._state is PlaybackState.ERROR:
            return
        position_ms = max(0, position_ms)
        # A stream's length is libvlc's guess (28.8 s for the 50.4 s demo MP3, 0.7 s for a 10 s
        # Ogg from a server without Range): past it is not past the end. libvlc ends the
        # reopened media if it is.
        guessed = _is_stream(self._source) or (
            self._length_guessed and self._counted_duration_ms is None
        )
        if self._duration_ms is not None and position_ms >= self._duration_ms and not guessed:
            self._end_at_duration()
            return
        self._time_ms = position_ms
        if self._seek_reopens or self._end_drain.isActive():
            # An MP3 (see _media_options), a stream, or a media libvlc has read to its end.
            self._open_media(position_ms)
            if self._wants_play:
                self._player.play()
            self._arm_seek_guard(position_ms)
        elif self._started and self._state is PlaybackState.PLAYING:
            self._player.set_time(position_ms)
            self._arm_seek_guard(position_ms)
        else:
            self._pending_seek_ms = position_ms
        self._last_progress_ms = monotonic_ms()
        self.time_changed.emit(position_ms)

    def set_rate(self, rate: float) -> None:
        self._rate = min(MAX_RATE, max(MIN_RATE, rate))
        if self._player is not None:
            self._player.set_rate(self._rate)

    def rate(self) -> float:
        return self._rate

    def set_volume(self, volume: int) -> None:
        self._volume = max(0, min(100, volume))
        self._apply_volume()

    def volume(self) -> int:
        return self._volume

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        self._apply_volume()

    def is_muted(self) -> bool:
        return self._muted

    def state(self) -> PlaybackState:
        return self._state

    def time_ms(self) -> int:
        return self._time_ms

    def duration_ms(self) -> int | None:
        return self._duration_ms

    def close(self) -> None:
        """Stop and release libvlc; the engine cannot play afterwards."""
        self._watchdog.stop()
        self._volume_retry.stop()
        self._end_drain.stop()
        if self._player is not None:
            self._generation += 1
            self._player.stop()
            self._player.release()
            self._instance.log_unset()
            self._instance.release()
            self._player = None
            self._instance = None
        if not self._reason:
            self._reason = "Playback was shut down."

    # libvlc side: runs on libvlc's threads, touches nothing but the signal.

    def _attach_events(self) -> None:
        vlc = self._vlc
        assert vlc is not None
        kinds = {
            vlc.EventType.MediaPlayerPlaying: _VlcEvent.PLAYING,
            vlc.EventType.MediaPlayerPaused: _VlcEvent.PAUSED,
            vlc.EventType.MediaPlayerEndReached: _VlcEvent.END_REACHED,
            vlc.EventType.MediaPlayerEncounteredError: _VlcEvent.ERROR,
            vlc.EventType.MediaPlayerTimeChanged: _VlcEvent.TIME,
            vlc.EventType.MediaPlayerLengthChanged: _VlcEvent.LENGTH,
        }
        manager = self._player.event_manager()
        for event_type, kind in kinds.items():
            manager.event_attach(event_type, self._relay, kind)

    def _relay(self, event: Any, kind: _VlcEvent) -> None:
        value = 0
        if kind is _VlcEvent.TIME:
            value = int(event.u.new_time)
        elif kind is _VlcEvent.LENGTH:
            value = int(event.u.new_length)
        self._vlc_event.emit(kind, value, self._generation)

    # Main thread.

    @Slot(object, int, int)
    def _on_vlc_event(self, kind: _VlcEvent, value: int, generation: int) -> None:
        if generation != self._generation or self._player is None:
            return
        if kind is _VlcEvent.TIME:
            self._on_time(value)
        elif kind is _VlcEvent.LENGTH:
            self._on_length(value)
        elif kind is _VlcEvent.PLAYING:
            self._on_playing()
        elif kind is _VlcEvent.PAUSED:
            if self._started:
                self._set_state(PlaybackState.PAUSED)
        elif kind is _VlcEvent.END_REACHED:
            self._on_end_reached()
        elif kind is _VlcEvent.ERROR:
            self._on_error()

    def _on_playing(self) -> None:
        first = not self._started
        self._started = True
        self._last_progress_ms = monotonic_ms()
        if first:
            self._player.set_rate(self._rate)
            self._apply_volume()
            if self._seek_target_ms is not None:
                self._arm_seek_guard(self._seek_target_ms)
        if not self._wants_play:
            self._player.set_pause(1)
            return
        self._set_state(PlaybackState.PLAYING)

    def _on_time(self, position_ms: int) -> None:
        if self._pending_seek_ms is not None and self._started:
            # At the first time report rather than at Playing: libvlc has a better length by
            # then (an MP3's first estimate can be far off, and a seek made with it goes astray).
            self._player.set_time(self._pending_seek_ms)
            self._arm_seek_guard(self._pending_seek_ms)
            self._pending_seek_ms = None
            return
        if self._seek_target_ms is not None:
            settled = monotonic_ms() >= self._seek_deadline_ms
            near = self._seek_target_ms - 100 <= position_ms <= self._seek_target_ms + 3_000
            if not (settled or near):
                return  # a report from before the seek
            self._seek_target_ms = None
        if position_ms != self._time_ms:
            self._last_progress_ms = monotonic_ms()
            self._progressed = True
        self._time_ms = position_ms
        self.time_changed.emit(position_ms)

    def _on_length(self, length_ms: int) -> None:
        if self._counted_duration_ms is not None:
            return
        if length_ms > 0 and length_ms != self._duration_ms:
            self._duration_ms = length_ms
            self.duration_changed.emit(length_ms)

    @Slot(str, int)
    def _on_duration_counted(self, source: str, duration_ms: int) -> None:
        if source != self._source or self._player is None:
            return
        self._counted_duration_ms = duration_ms
        if duration_ms != self._duration_ms:
            self._duration_ms = duration_ms
            self.duration_changed.emit(duration_ms)

    def _on_end_reached(self) -> None:
        far_from_end = self._duration_ms is None or self._time_ms < self._duration_ms - 2_000
        if not self._progressed and far_from_end:
            # libvlc's only sign of a corrupt file: an instant end.
            source = self._source or ""
            if _is_stream(source):
                host = urlsplit(source).hostname or source
                self._fail(
                    f"The audio from {host} could not be played: it is damaged, is not audio, "
                    "or the server does not let players read it in parts. Download the "
                    "episode and play the file."
                )
            else:
                self._fail(NOT_AUDIO)
            return
        # Stopping now would cut what the output still holds: end when it has been heard.
        heard_ms = self._time_ms + (monotonic_ms() - self._last_progress_ms) * self._rate
        left_ms = ((self._duration_ms or 0) - heard_ms) / self._rate
        self._end_drain.start(int(min(MAX_END_DRAIN_MS, max(0.0, left_ms))))

    def _on_error(self) -> None:
        source = self._source or ""
        if _is_stream(source):
            host = urlsplit(source).hostname or source
            self._fail(
                f"The audio could not be opened from {host}. Check your connection, or "
                "download the episode and play the file."
            )
        else:
            self._fail(NOT_AUDIO)

    def _check_stall(self) -> None:
        if not self._wants_play:
            return
        if monotonic_ms() - self._last_progress_ms >= self._stall_timeout_ms:
            seconds = self._stall_timeout_ms // 1000
            what = "stream" if _is_stream(self._source or "") else "file"
            self._player.stop()
            self._fail(
                f"The {what} stopped sending audio for {seconds} seconds. Check your "
                "connection and press play to try again."
            )

    def _end_at_duration(self) -> None:
        self._end_drain.stop()
        self._generation += 1
        self._wants_play = False
        self._watchdog.stop()
        self._player.stop()
        self._started = False
        self._pending_seek_ms = None
        if self._duration_ms is not None:
            self._time_ms = self._duration_ms
            self.time_changed.emit(self._time_ms)
        self._set_state(PlaybackState.ENDED)
        self.ended.emit()

    def _fail(self, message: str) -> None:
        self._end_drain.stop()
        self._generation += 1
        self._wants_play = False
        self._watchdog.stop()
        self._started = False
        self._set_state(PlaybackState.ERROR)
        self.error.emit(message)

    def _arm_seek_guard(self, target_ms: int) -> None:
        self._seek_target_ms = target_ms
        self._seek_deadline_ms = monotonic_ms() + SEEK_SETTLE_MS

    def _apply_volume(self) -> None:
        """Tell libvlc's audio output; until one exists it refuses, so retry every 20 ms."""
        if self._player is not None:
            level = 0 if self._muted else self._volume
            self._volume_applied = self._player.audio_set_volume(level) == 0
        if self._volume_applied or self._player is None:
            self._volume_retry.stop()
        elif self._wants_play:
            self._volume_retry.start()

    def _set_state(self, state: PlaybackState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state)
