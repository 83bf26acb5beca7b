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
    except (ImportError, OSError, NotImplementedError, SystemExit) as exc:
        # python-vlc raises NotImplementedError when no libvlc is found and calls sys.exit()
        # when PYTHON_VLC_LIB_PATH names a library that does not load.
        return None, INSTALL_HINT + (f" ({exc})" if str(exc) not in ("", "1") else "")
    if getattr(vlc, "dll", None) is None:
        return None, INSTALL_HINT
    return vlc, ""
