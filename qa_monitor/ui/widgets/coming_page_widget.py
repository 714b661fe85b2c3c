"""A clear page for a screen that is not built yet: what it will do and what to use meanwhile."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class ComingPageWidget(QWidget):
    def __init__(self, title: str, promise: str, meanwhile: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        heading = QLabel(title)
        heading.setProperty("role", "pageTitle")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body = QLabel(promise)
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(meanwhile)
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for w in (heading, body, hint):
            w.setMaximumWidth(640)
            layout.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.setAccessibleName(title)
