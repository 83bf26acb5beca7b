"""The tests pass from a checkout at any path, in any time zone and locale (issue 12).

Most people clone into a folder named after the project; paths may hold spaces and accents. The
tests that look at files, imports and printed times run again from a copy of the checkout at
".../pp ü test/podplayer", with the clock in UTC+14 and another locale.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
PATH_SENSITIVE = [
    "tests/test_startup_imports.py",
    "tests/test_layering.py",
    "tests/test_packaging.py",
    "tests/test_private_names.py",
    "tests/test_cli.py",
    "tests/test_cli_transcript.py",
    "tests/core/test_opml.py",
    "tests/gui/test_window_start.py",
]


def tracked_files() -> list[str]:
    """The checkout's files as git knows them (uncommitted changes included)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout: nothing to copy")
    return [name for name in listed.stdout.decode().split("\0") if name]


def test_the_path_sensitive_tests_pass_from_an_awkward_checkout_path(tmp_path: Path) -> None:
    checkout = tmp_path / "pp ü test" / "podplayer"
    for name in tracked_files():
        source = REPO_ROOT / name
        if source.is_file():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, checkout / name)
    environment = {**os.environ, "TZ": "Pacific/Kiritimati", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    imported = subprocess.run(
        [sys.executable, "-c", "import podplayer; print(podplayer.__file__)"],
        cwd=checkout,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == str(checkout / "podplayer" / "__init__.py")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *PATH_SENSITIVE],
        cwd=checkout,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
