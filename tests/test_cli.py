"""The command line works without a display: --version, --help, --data-dir, PODPLAYER_HOME."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from podplayer import __version__


def run_podplayer(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "podplayer", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def test_version_without_display() -> None:
    result = run_podplayer("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"podplayer {__version__}"


def test_help_lists_options_without_display() -> None:
    result = run_podplayer("--help")
    assert result.returncode == 0
    assert "--data-dir" in result.stdout


def test_data_dir_keeps_every_file_inside(tmp_path: Path) -> None:
    result = run_podplayer("--data-dir", str(tmp_path / "home"), "paths")
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():
        assert str(tmp_path / "home") in line


def test_podplayer_home_variable(tmp_path: Path) -> None:
    result = run_podplayer("paths", env={"PODPLAYER_HOME": str(tmp_path)})
    assert result.returncode == 0
    assert f"{tmp_path}/library.sqlite3" in result.stdout
