"""PySide6's per-import source scan is answered from module globals (benchmarks: Startup)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from podplayer.core.storage import library
from podplayer.gui import import_scan
from podplayer.gui.views import main_window

ROOT = Path(__file__).resolve().parents[2]


def test_a_module_holding_pyside_is_told_apart_from_one_that_does_not() -> None:
    assert import_scan.holds_pyside(main_window)
    assert not import_scan.holds_pyside(library)


def test_the_window_path_reads_no_source_and_pyside_still_knows_its_users() -> None:
    probe = (
        "import linecache\n"
        "from podplayer.gui.import_scan import answer_pyside_import_scan_cheaply\n"
        "answer_pyside_import_scan_cheaply()\n"
        "import podplayer.app, podplayer.gui.launch\n"
        "from shibokensupport.feature import pyside_feature_dict as chosen\n"
        "print(sum('podplayer' in name for name in linecache.cache))\n"
        "print(chosen['podplayer.gui.views.main_window'],"
        " chosen['podplayer.core.storage.library'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    read, choices = result.stdout.splitlines()
    assert read == "0"
    assert choices == "0 -1"  # 0: may use PySide6 features; -1: ignored by feature switching
