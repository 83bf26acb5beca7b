"""Transport and volume icons drawn in the palette's text colour, so that dark and high-contrast
themes show them as clearly as light ones (the style's stock media pixmaps are always dark)."""

from __future__ import annotations

import enum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap, QPolygonF

SIZES = (16, 24, 32, 48, 64)
BOX = 24.0
"""Shapes are drawn in a 24 x 24 box and scaled to each size."""


class MediaIcon(enum.Enum):
    PLAY = "play"
    PAUSE = "pause"
    BACK = "back"
    FORWARD = "forward"
    PREVIOUS_CHAPTER = "previous-chapter"
    NEXT_CHAPTER = "next-chapter"
    VOLUME = "volume"
    MUTED = "muted"


def _polygon(*points: tuple[float, float]) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in points])


SPEAKER = _polygon((3, 9), (7, 9), (12, 4.5), (12, 19.5), (7, 15), (3, 15))
SHAPES: dict[MediaIcon, tuple[QPolygonF, ...]] = {
    MediaIcon.PLAY: (_polygon((7, 4), (7, 20), (20, 12)),),
    MediaIcon.PAUSE: (
        _polygon((6, 4), (10, 4), (10, 20), (6, 20)),
        _polygon((14, 4), (18, 4), (18, 20), (14, 20)),
    ),
    MediaIcon.BACK: (_polygon((12, 5), (12, 19), (3, 12)), _polygon((21, 5), (21, 19), (12, 12))),
    MediaIcon.FORWARD: (_polygon((3, 5), (3, 19), (12, 12)), _polygon((12, 5), (12, 19), (21, 12))),
    MediaIcon.PREVIOUS_CHAPTER: (
        _polygon((4, 5), (7, 5), (7, 19), (4, 19)),
        _polygon((20, 5), (20, 19), (8, 12)),
    ),
    MediaIcon.NEXT_CHAPTER: (
        _polygon((4, 5), (4, 19), (16, 12)),
        _polygon((17, 5), (20, 5), (20, 19), (17, 19)),
    ),
    MediaIcon.VOLUME: (SPEAKER,),
    MediaIcon.MUTED: (SPEAKER,),
}


def media_icon(kind: MediaIcon, palette: QPalette) -> QIcon:
    """The icon in the palette's button-text colour, greyed as the palette greys disabled text."""
    icon = QIcon()
    for mode, group in (
        (QIcon.Mode.Normal, QPalette.ColorGroup.Active),
        (QIcon.Mode.Disabled, QPalette.ColorGroup.Disabled),
    ):
        color = palette.color(group, QPalette.ColorRole.ButtonText)
        for size in SIZES:
            pixmap = QPixmap(size, size)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.scale(size / BOX, size / BOX)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            for shape in SHAPES[kind]:
                painter.drawPolygon(shape)
            pen = QPen(color, 2.0, c=Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            if kind is MediaIcon.VOLUME:
                waves = QPainterPath()
                waves.arcMoveTo(QRectF(8, 7, 8, 10), 60)
                waves.arcTo(QRectF(8, 7, 8, 10), 60, -120)
                waves.arcMoveTo(QRectF(7, 3, 14, 18), 60)
                waves.arcTo(QRectF(7, 3, 14, 18), 60, -120)
                painter.drawPath(waves)
            elif kind is MediaIcon.MUTED:
                painter.drawLine(QPointF(15, 9), QPointF(21, 15))
                painter.drawLine(QPointF(21, 9), QPointF(15, 15))
            painter.end()
            icon.addPixmap(pixmap, mode)
    return icon
