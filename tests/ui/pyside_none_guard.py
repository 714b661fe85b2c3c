"""Keep the scoring-widget tests alive on PySide6 6.12.0 under CPython 3.11.

PySide6/shiboken6 6.12.0 returns ``None`` from every wrapped void method without taking a
reference, so each call such as ``QColor.setRed`` or ``QWidget.setHidden`` drops
``None``'s reference count by one. CPython 3.12+ makes ``None`` immortal, so the bug is
invisible there; on 3.11 the count reaches zero after a few thousand calls and the
interpreter aborts with "Fatal Python error: none_dealloc". 6.11.3 does not have the bug.

The real fix is a version constraint (PySide6 != 6.12.0 on Python < 3.12); until it lands,
``apply()`` raises ``None``'s count far out of reach, only for that exact combination.
"""

from __future__ import annotations

import ctypes
import sys

import PySide6

_MARGIN = 1 << 40


def apply() -> bool:
    if sys.version_info >= (3, 12) or not PySide6.__version__.startswith("6.12.0"):
        return False
    refcount = ctypes.c_ssize_t.from_address(id(None))
    if refcount.value < _MARGIN:
        refcount.value += _MARGIN
    return True


apply()
