"""The boundaries of design.md: core and cli never import PySide6; only gui imports QtWidgets."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "podplayer"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def modules_under(*parts: str) -> list[Path]:
    root = PACKAGE.joinpath(*parts)
    return sorted(root.rglob("*.py")) if root.is_dir() else [root]


def offending(files: list[Path], forbidden: str) -> list[str]:
    return [
        f"{path.name} imports {name}"
        for path in files
        for name in sorted(imported_modules(path))
        if name == forbidden or name.startswith(forbidden + ".")
    ]


@pytest.mark.parametrize("part", [("core",), ("cli.py",), ("command_line.py",)])
def test_core_and_cli_never_import_pyside6(part: tuple[str, ...]) -> None:
    assert offending(modules_under(*part), "PySide6") == []


@pytest.mark.parametrize(
    "part", ["engine", "playback", "desktop", "core", "background.py", "app.py", "services.py"]
)
def test_only_gui_imports_qtwidgets(part: str) -> None:
    files = modules_under(part)
    assert offending(files, "PySide6.QtWidgets") == []
    assert offending(files, "PySide6.QtGui") == []


def test_desktop_uses_only_core_and_dbus_qt() -> None:
    allowed = ("PySide6.QtCore", "PySide6.QtDBus")
    imported = {
        name
        for path in modules_under("desktop")
        for name in imported_modules(path)
        if name.startswith("PySide6.")
    }
    assert imported, "desktop/ should be scanned"
    assert [name for name in imported if not name.startswith(allowed)] == []


def test_layering_check_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from PySide6.QtWidgets import QWidget\n")
    assert offending([bad], "PySide6") != []


def test_cli_runs_without_loading_qt(tmp_path: Path) -> None:
    code = (
        "import sys; from podplayer.__main__ import main; "
        f"rc = main(['--data-dir', {str(tmp_path)!r}, 'paths']); "
        "assert 'PySide6' not in sys.modules, 'PySide6 was imported'; sys.exit(rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": "/usr/bin"}
    )
    assert result.returncode == 0, result.stderr
    assert str(tmp_path) in result.stdout


def test_sql_stays_inside_core_storage() -> None:
    outside = [
        path for path in PACKAGE.rglob("*.py") if PACKAGE / "core" / "storage" not in path.parents
    ]
    assert offending(outside, "sqlite3") == []


def test_nothing_but_the_entry_point_imports_the_composition_root() -> None:
    """app.py builds everything; the GUI gets its services from services.py (no import circle)."""
    importers = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "podplayer.app" in imported_modules(path)
    ]
    assert importers == ["__main__.py"]


def test_views_reach_downloads_and_feeds_only_through_the_sessions() -> None:
    """gui/views show and ask; gui/*_session.py and gui/subscriptions.py call the services."""
    views = modules_under("gui", "views")
    for service in (
        "podplayer.core.downloads.DownloadManager",
        "podplayer.core.downloads.manager.DownloadManager",
        "podplayer.core.feeds.service.FeedService",
    ):
        assert offending(views, service) == []
