"""Typing text QTest cannot type: ``QTest.keyClicks`` knows only Latin-1 and aborts on
Persian or Arabic letters, so these are sent as key events carrying the text."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_unicode(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget``, one key press and release per character."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)
