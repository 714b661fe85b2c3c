"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every void call, so a long
session aborts ("deallocating None"). pyproject holds it below 6.12 there; this test fails
if an environment slips back to an affected build."""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor


def test_void_calls_do_not_leak_references_to_none():
    colour = QColor()
    before = sys.getrefcount(None)
    for _ in range(500):
        colour.setRed(10)
    # Immortal on 3.12+, where the count is a constant; on 3.11 it must not fall by ~500.
    assert sys.getrefcount(None) >= before - 50
