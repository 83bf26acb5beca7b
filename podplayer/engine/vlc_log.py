"""libvlc's messages go to podplayer's log, not the terminal; a sound device is looked for first.

Without a sound device libvlc opens ALSA at every start and seek, and ALSA writes ~8 error lines
to stderr each time (17,900 in a 50 s run). Looking for a device before libvlc starts lets the
engine play on the silent output instead, and say so once in a sentence.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

log = logging.getLogger("podplayer.libvlc")

LIBVLC_WARNING = 3  # libvlc_log_level: 0 debug, 2 notice, 3 warning, 4 error
MESSAGES_PER_WINDOW = 20
WINDOW_S = 60.0
MESSAGE_BYTES = 1024

NO_SOUND_DEVICE = (
    "No sound device was found, so episodes play without sound. Connect speakers or "
    "headphones, or start the sound server (PulseAudio or PipeWire), then restart podplayer."
)


def sound_output_problem(
    environ: Mapping[str, str] = os.environ, devices: Path = Path("/dev/snd")
) -> str:
    """A sentence when this Linux machine has no sound server nor ALSA playback device, else ""."""
    if not sys.platform.startswith("linux") or environ.get("PULSE_SERVER"):
        return ""
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    if runtime and (
        Path(runtime, "pulse", "native").exists() or any(Path(runtime).glob("pipewire-[0-9]*"))
    ):
        return ""
    if any(devices.glob("pcmC*D*p")):
        return ""
    return NO_SOUND_DEVICE


class RateLimiter:
    """Lets ``limit`` events through per ``window_s``; counts the rest for a summary line."""

    def __init__(self, limit: int = MESSAGES_PER_WINDOW, window_s: float = WINDOW_S) -> None:
        self._limit = limit
        self._window_s = window_s
        self._lock = threading.Lock()
        self._window_start = -window_s
        self._passed = 0
        self.suppressed = 0

    def allow(self, now: float) -> tuple[bool, int]:
        """(whether this event passes, how many were held back in the window that just closed)."""
        with self._lock:
            held_back = 0
            if now - self._window_start >= self._window_s:
                held_back, self.suppressed = self.suppressed, 0
                self._window_start, self._passed = now, 0
            if self._passed < self._limit:
                self._passed += 1
                return True, held_back
            self.suppressed += 1
            return False, held_back


class LibvlcLog:
    """Routes one libvlc instance's warnings and errors to the ``podplayer.libvlc`` logger."""

    def __init__(self, vlc: ModuleType, instance: Any) -> None:
        import ctypes
        import ctypes.util

        self._limiter = RateLimiter()
        self._string_buffer = ctypes.create_string_buffer
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        self._vsnprintf = libc.vsnprintf
        self._vsnprintf.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_char_p,
            ctypes.c_void_p,
        ]

        @vlc.CallbackDecorators.LogCb  # type: ignore[untyped-decorator]
        def on_message(_data: Any, level: int, _context: Any, fmt: bytes, args: Any) -> None:
            if level >= LIBVLC_WARNING:
                self._log(level, fmt, args)

        self._callback = on_message  # libvlc keeps a raw pointer to it
        instance.log_set(on_message, None)

    def _log(self, level: int, fmt: bytes, args: Any) -> None:
        allowed, held_back = self._limiter.allow(time.monotonic())
        if held_back:
            log.warning("%d more libvlc messages were left out of this log", held_back)
        if not allowed:
            return
        buffer = self._string_buffer(MESSAGE_BYTES)
        self._vsnprintf(buffer, MESSAGE_BYTES, fmt, args)
        text = buffer.value.decode("utf-8", "replace")
        log.log(logging.ERROR if level > LIBVLC_WARNING else logging.WARNING, "libvlc: %s", text)
