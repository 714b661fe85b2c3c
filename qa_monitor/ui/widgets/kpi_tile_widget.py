"""A key-figure tile: a caption, a large value and a line of detail under it.

Colours come from the palette (light and dark schemes); a value's meaning is in its
words and arrows, never in colour alone. Numbers are kept left-to-right in a
right-to-left layout.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from qa_monitor.ui.widgets.widget_style import aligned


class KpiTile(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = caption
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(caption)
        layout = QVBoxLayout(self)
        em = self.fontMetrics().height()
        layout.setContentsMargins(em // 2 + 4, em // 2, em // 2 + 4, em // 2)
        layout.setSpacing(2)
        self.caption_label = QLabel(aligned(self, caption))
        self.caption_label.setProperty("role", "muted")
        self.value_label = QLabel("—")
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.value_label.setFont(font)
        self.detail_label = QLabel()
        self.detail_label.setProperty("role", "muted")
        self.detail_label.setWordWrap(True)
        for label in (self.caption_label, self.value_label, self.detail_label):
            layout.addWidget(label)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_value(self, value: str, detail: str = "", tooltip: str = "") -> None:
        """Show ``value`` (already formatted) with ``detail`` under it."""
        # Each line is isolated with its own direction (an untranslated English line reads
        # left to right, a Persian one right to left) and aligned to the leading edge.
        self.value_label.setText(aligned(self, _isolate(value)))
        self.detail_label.setText(aligned(self, _isolate(detail)) if detail else "")
        self.detail_label.setVisible(bool(detail))
        self.setToolTip(tooltip)
        # A screen reader reads the tile as one sentence.
        self.setAccessibleDescription(f"{value}. {detail}".strip())

    def value(self) -> str:
        """The shown value without its direction marks (for tests and tools)."""
        return _plain(self.value_label.text())

    def detail(self) -> str:
        return _plain(self.detail_label.text())


def _isolate(text: str) -> str:
    return f"\u2068{text}\u2069"


def _plain(text: str) -> str:
    return "".join(c for c in text if c not in "\u200e\u200f\u2066\u2067\u2068\u2069")
