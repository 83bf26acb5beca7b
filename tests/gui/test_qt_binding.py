"""The Qt binding itself: known-bad PySide6 releases are caught here, not as random crashes."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt


class _NoneModel(QAbstractListModel):
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        return None


def test_model_data_returning_none_keeps_nones_refcount() -> None:
    """PySide6 6.12.0 drops a reference to None each time C++ reads a Python model's None.

    On Python 3.11 (None is not immortal) the interpreter aborts once the count reaches zero,
    which happens after a few thousand repaints of any list view. pyproject excludes 6.12.0.
    """
    model = _NoneModel()
    index = model.index(0)
    before = sys.getrefcount(None)
    for _ in range(200):
        index.data(Qt.ItemDataRole.UserRole)
    assert sys.getrefcount(None) - before > -100
