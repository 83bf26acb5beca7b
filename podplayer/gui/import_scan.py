"""PySide6 reads the whole source of every module imported after it; this answers from the module.

Importing PySide6 replaces ``__import__`` with a hook that, for each newly imported module, asks
``shibokensupport.feature._mod_uses_pyside(module)``: ``inspect.getsource`` of the module and a
search for "PySide6", to know which modules may use ``from __feature__ import snake_case``. On
the window path that reads ~170 files (~80,000 lines, ~30 ms) and keeps every line in
``linecache`` (~6 MB, never freed). podplayer uses no ``__feature__``; the same question is
answered from what the module holds: a PySide6 module or class among its globals.
"""

from __future__ import annotations

import sys
from types import ModuleType


def holds_pyside(module: ModuleType) -> bool:
    """True when the module's globals hold a PySide6 module or a PySide6 class."""
    for value in tuple(vars(module).values()):
        if isinstance(value, ModuleType):
            name = value.__name__
        elif isinstance(value, type):
            name = value.__module__
        else:
            continue
        if name.startswith("PySide6"):
            return True
    return False


def answer_pyside_import_scan_cheaply() -> None:
    """Make ``holds_pyside`` PySide6's per-import check; a PySide6 without one is left as is."""
    import PySide6.QtCore  # noqa: F401  (installs the import hook and its feature module)

    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        setattr(feature, "_mod_uses_pyside", holds_pyside)  # noqa: B010  (a private name)
