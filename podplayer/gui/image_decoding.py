"""Images from feeds, decoded on a worker thread, small, and only when their size is believable."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QImage, QImageReader

MAX_IMAGE_PIXELS = 25_000_000  # a 5000 x 5000 picture; bigger ones are bombs, not artwork


def decoded_image(data: bytes, max_width: int) -> QImage | None:
    """At most ``max_width`` wide; None for junk or a header that claims a huge picture."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > MAX_IMAGE_PIXELS:
        return None
    if size.width() > max_width:
        reader.setScaledSize(QSize(max_width, max(1, size.height() * max_width // size.width())))
    image = reader.read()
    return None if image.isNull() else image
