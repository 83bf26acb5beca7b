"""Typed spellings of two PySide6 idioms its stubs reject: C++ type names and D-Bus ClassInfo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from PySide6.QtCore import ClassInfo

AdaptorClass = TypeVar("AdaptorClass", bound=type)


def qt_type(name: str) -> type:
    """A C++ type name ("qlonglong", "QStringList") where PySide6 accepts one for a Property,
    Signal or Slot; it fixes the D-Bus signature (a Python int alone may go out as int32)."""
    return cast(type, name)


def dbus_interface(name: str) -> Callable[[AdaptorClass], AdaptorClass]:
    """Class decorator: the D-Bus interface a QDBusAbstractAdaptor exports."""
    class_info: Any = ClassInfo
    return cast(Callable[[AdaptorClass], AdaptorClass], class_info({"D-Bus Interface": name}))
