"""Renders the app icon (SVG) into the PNGs the window uses: run after changing the SVG, commit.

The window icon comes from these PNGs so that starting the app loads no SVG renderer.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from podplayer.gui.launch import APP_ICON, WINDOW_ICON_SIZES, window_icon_file


def main() -> int:
    QGuiApplication([sys.argv[0], "-platform", "offscreen"])
    renderer = QSvgRenderer(str(APP_ICON))
    for size in WINDOW_ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor(0, 0, 0, 0))
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        target = window_icon_file(size)
        if not image.save(str(target)):
            print(f"Could not write {target}.", file=sys.stderr)
            return 1
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
