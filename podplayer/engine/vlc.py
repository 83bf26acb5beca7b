"""The python-vlc backend."""

from __future__ import annotations

from types import ModuleType

INSTALL_HINT = (
    "Playback needs VLC's library (libvlc). On Debian or Ubuntu install it with: "
    "sudo apt-get install libvlc5 vlc-plugin-base libvlc-bin"
)


def load_libvlc() -> tuple[ModuleType | None, str]:
    """Import python-vlc and check libvlc loads; returns (module, "") or (None, reason)."""
    try:
        import vlc
    except (ImportError, OSError) as exc:
        return None, f"{INSTALL_HINT} ({exc})"
    if getattr(vlc, "dll", None) is None:
        return None, INSTALL_HINT
    return vlc, ""
