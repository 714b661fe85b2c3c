"""A word-wrapped label that is never cut off: it asks its layout for the height its
text needs at its current width.

A wrapped QLabel in a form layout or a dialog keeps the height of one line when its
text grows after the window was laid out (a total that becomes a three-line sentence,
a status line after an export), so the end of the sentence was clipped. Setting the
minimum height from ``heightForWidth`` makes the layout, and a top-level window with
it, grow instead.
"""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QWidget


class WrappingLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setWordWrap(True)
        self._fit()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def _fit(self) -> None:
        if not self.isVisible():
            return  # laid out once shown; its resize comes then
        current = self.minimumHeight()
        # QLabel's heightForWidth never answers less than the minimum height: ask
        # without it, then set the height the text needs at this width.
        self.setMinimumHeight(0)
        needed = max(self.heightForWidth(self.width()), 0)
        self.setMinimumHeight(needed if needed != current else current)
