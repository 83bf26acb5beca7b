"""Plays a file headless through libvlc: proves an install (the bundle) finds libvlc, its plugins
and a decoder, without a display or a sound device."""

from __future__ import annotations

import time
from pathlib import Path

from podplayer.engine.vlc import load_libvlc

POLL_S = 0.05


def play_file_headless(
    path: Path, play_ms: int = 1000, timeout_s: float = 15.0
) -> tuple[bool, str]:
    """Play ``path`` for ``play_ms`` (or to its end) on libvlc's dummy output; (ok, sentence)."""
    vlc, reason = load_libvlc()
    if vlc is None:
        return False, reason
    if not path.is_file():
        return False, f"{path} is not a file, so there is nothing to play."
    instance = vlc.Instance(["--aout=adummy", "--no-video", "--quiet"])
    if instance is None:
        return False, "libvlc loaded but could not start (are its plugins installed?)."
    player = instance.media_player_new()
    player.set_media(instance.media_new_path(str(path)))
    player.play()
    deadline = time.monotonic() + timeout_s
    state = player.get_state()
    while time.monotonic() < deadline:
        state = player.get_state()
        if state in (vlc.State.Error, vlc.State.Ended) or player.get_time() >= play_ms:
            break
        time.sleep(POLL_S)
    played_ms, length_ms = max(0, player.get_time()), player.get_length()
    player.stop()
    player.release()
    instance.release()
    library_file = getattr(vlc.dll, "_name", "libvlc")
    if state is vlc.State.Error or length_ms <= 0:
        return False, f"libvlc ({library_file}) could not decode {path.name}."
    if played_ms <= 0:
        return False, f"libvlc ({library_file}) opened {path.name} but did not play it in time."
    version = vlc.libvlc_get_version().decode()
    return True, (
        f"played {played_ms} ms of {path.name} (length {length_ms} ms) "
        f"with libvlc {version} from {library_file}"
    )
