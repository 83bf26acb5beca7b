"""`podplayer --selftest-play FILE` (what bundle-check runs) plays a real file through libvlc."""

from __future__ import annotations

import math
import os
import struct
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from podplayer.engine.vlc import load_libvlc


def write_tone(path: Path, seconds: float = 2.0, rate: int = 22050) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        samples = (
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / rate)))
            for n in range(int(seconds * rate))
        )
        out.writeframes(b"".join(samples))


def selftest(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "podplayer", "--selftest-play", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")},
    )


def test_plays_a_real_file(tmp_path: Path) -> None:
    if load_libvlc()[0] is None:
        pytest.skip("libvlc is not installed (packaging/system-deps.sh installs it)")
    tone = tmp_path / "tone.wav"
    write_tone(tone)
    result = selftest(str(tone))
    assert result.returncode == 0, result.stderr
    assert "played" in result.stdout and "length 2000 ms" in result.stdout


def test_a_corrupt_file_fails_with_a_sentence(tmp_path: Path) -> None:
    if load_libvlc()[0] is None:
        pytest.skip("libvlc is not installed (packaging/system-deps.sh installs it)")
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"<html>not audio</html>" * 50)
    result = selftest(str(bad))
    assert result.returncode == 1
    assert "could not decode bad.mp3" in result.stderr


def test_a_missing_file_fails_with_a_sentence(tmp_path: Path) -> None:
    result = selftest(str(tmp_path / "nothing.wav"))
    assert result.returncode == 1
    assert "is not a file" in result.stderr
