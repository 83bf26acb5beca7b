"""Without libvlc the app still starts and says how to install it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("lib_path", ["/nonexistent/libvlc.so.5", "/dev/null"])
def test_missing_libvlc_gives_the_install_hint(lib_path: str) -> None:
    code = (
        "from podplayer.engine.vlc import load_libvlc; module, reason = load_libvlc(); "
        "assert module is None; print(reason)"
    )
    env = {**os.environ, "PYTHON_VLC_LIB_PATH": lib_path}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "apt-get install libvlc5" in result.stdout


@pytest.mark.parametrize("lib_path", ["/nonexistent/libvlc.so.5", "/dev/null"])
def test_the_engine_reports_a_missing_libvlc_without_importing_python_vlc(lib_path: str) -> None:
    code = (
        "import sys; from podplayer.engine.vlc import VlcEngine; engine = VlcEngine(); "
        "assert not engine.available and 'vlc' not in sys.modules; print(engine.unavailable_reason)"
    )
    env = {**os.environ, "PYTHON_VLC_LIB_PATH": lib_path}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "apt-get install libvlc5" in result.stdout


def test_libvlc_loads_on_this_machine() -> None:
    from podplayer.engine.vlc import load_libvlc

    module, reason = load_libvlc()
    assert module is not None, reason
