"""The desktop entry, AppStream metadata and icon pass the freedesktop validators and render."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

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


def _channels(image: QImage, x: int, y: int) -> tuple[int, int, int, int]:
    color = image.pixelColor(x, y)
    return color.red(), color.green(), color.blue(), color.alpha()


def test_window_icon_pngs_are_the_svg_rendered_at_their_sizes(qapp: QApplication) -> None:
    """packaging/render_window_icons.py made them; a changed SVG needs them made again."""
    from podplayer.gui.launch import APP_ICON, WINDOW_ICON_SIZES, window_icon, window_icon_file

    assert APP_ICON == ICON
    renderer = QSvgRenderer(str(ICON))
    for size in WINDOW_ICON_SIZES:
        rendered = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        rendered.fill(QColor(0, 0, 0, 0))
        painter = QPainter(rendered)
        renderer.render(painter)
        painter.end()
        stored = QImage(str(window_icon_file(size)))
        assert stored.size() == rendered.size(), f"{size} px: run packaging/render_window_icons.py"
        stored = stored.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        worst = max(
            abs(a - b)
            for y in range(size)
            for x in range(size)
            for a, b in zip(_channels(stored, x, y), _channels(rendered, x, y), strict=True)
        )
        assert worst <= 2, f"the {size} px icon differs: run packaging/render_window_icons.py"
    assert sorted(s.width() for s in window_icon().availableSizes()) == list(WINDOW_ICON_SIZES)
