"""The desktop entry, AppStream metadata and icon pass the freedesktop validators and render."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "io.github.podplayer.Podplayer"
DESKTOP_FILE = ROOT / "packaging" / f"{APP_ID}.desktop"
METAINFO_FILE = ROOT / "packaging" / f"{APP_ID}.metainfo.xml"
ICON = ROOT / "resources" / "icons" / f"{APP_ID}.svg"


def validator(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: run `make test` (packaging/system-deps.sh installs it)"
    return path


def test_desktop_entry_is_valid() -> None:
    result = subprocess.run(
        [validator("desktop-file-validate"), str(DESKTOP_FILE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""  # no warnings either


def test_desktop_entry_handles_subscribe_links() -> None:
    entry = dict(
        line.split("=", 1) for line in DESKTOP_FILE.read_text().splitlines() if "=" in line
    )
    assert set(entry["MimeType"].strip(";").split(";")) == {
        "x-scheme-handler/feed",
        "x-scheme-handler/podcast",
    }
    assert entry["Exec"].endswith("%u")
    assert entry["Icon"] == APP_ID


def test_appstream_metadata_is_valid() -> None:
    result = subprocess.run(
        [validator("appstreamcli"), "validate", "--no-net", str(METAINFO_FILE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("size", [16, 48, 256])
def test_icon_renders_at_every_size(size: int) -> None:
    renderer = QSvgRenderer(str(ICON))
    assert renderer.isValid()
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    centre = image.pixelColor(size // 2, size // 2)
    corner = image.pixelColor(0, 0)
    assert centre.alpha() == 255 and corner.alpha() == 0  # a filled tile with rounded corners


def test_packaged_icon_is_the_window_icon() -> None:
    assert (ROOT / "packaging" / f"{APP_ID}.svg").read_bytes() == ICON.read_bytes()


def test_window_icon_path_exists() -> None:
    from podplayer.gui.launch import APP_ICON

    assert APP_ICON == ICON and APP_ICON.is_file()
