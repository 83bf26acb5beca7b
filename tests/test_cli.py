"""The command line works without a display: --version, --help, --data-dir, PODPLAYER_HOME."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from podplayer import __version__
from tests.child_process import ChildProcess


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


def test_a_damaged_library_is_moved_aside_and_the_command_still_runs(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    garbage = b"SQLite format 3\x00" + b"\xff" * 5000
    (home / "library.sqlite3").write_bytes(garbage)
    result = run_podplayer("--data-dir", str(home), "list")
    assert result.returncode == 0, result.stderr
    assert "No subscriptions yet" in result.stdout
    assert "damaged" in result.stderr and "Traceback" not in result.stderr
    [kept] = [path for path in home.iterdir() if ".corrupt-" in path.name]
    assert kept.read_bytes() == garbage and kept.name in result.stderr


def test_a_library_from_a_newer_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    database = home / "library.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE future (x)")
        connection.execute("PRAGMA user_version = 999")
    before = database.read_bytes()
    result = run_podplayer("--data-dir", str(home), "list")
    assert result.returncode == 1
    assert "newer version of podplayer" in result.stderr and "Traceback" not in result.stderr
    assert database.read_bytes() == before
    assert sorted(path.name for path in home.iterdir()) == ["cache", "config", "library.sqlite3"]


def test_a_library_locked_by_another_program_exits_1_naming_it_and_renames_nothing(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    assert run_podplayer("--data-dir", str(home), "list").returncode == 0
    before = sorted(path.name for path in home.iterdir())
    holder = ChildProcess("tests.core.storage.lock_holder_child", str(home / "library.sqlite3"))
    try:
        assert holder.wait_for_lines({"LOCKED"}, timeout_s=30), holder.seen
        result = run_podplayer("--data-dir", str(home), "list")  # waits the 10 s busy timeout
    finally:
        holder.kill_hard()
    assert result.returncode == 1
    assert "is locked by another program" in result.stderr
    assert f"process {holder.pid}" in result.stderr and "Traceback" not in result.stderr
    after = sorted(path.name for path in home.iterdir())
    assert set(before) <= set(after) and not any(".corrupt-" in name for name in after)
