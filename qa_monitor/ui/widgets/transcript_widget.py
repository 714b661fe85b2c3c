"""A read-only transcript with a search box: find next/previous, a match count, highlights."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.ui.widgets.widget_style import em, muted_label


class TranscriptWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matches: list[QTextCursor] = []
        self._index = -1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(em(self, 0.3))
        search_row = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search the transcript"))
        self.search.setAccessibleName(self.tr("Search the transcript"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self.find_next)
        previous_shortcut = QShortcut(QKeySequence("Shift+Return"), self.search)
        previous_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        previous_shortcut.activated.connect(self.find_previous)
        self.previous_button = self._button("▲", self.tr("Previous match (Shift+Enter)"))
        self.previous_button.clicked.connect(self.find_previous)
        self.next_button = self._button("▼", self.tr("Next match (Enter)"))
        self.next_button.clicked.connect(self.find_next)
        self.count_label = QLabel(self)
        self.count_label.setMinimumWidth(em(self, 5))
        self.count_label.setAccessibleName(self.tr("Matches"))
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.previous_button)
        search_row.addWidget(self.next_button)
        search_row.addWidget(self.count_label)
        layout.addLayout(search_row)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setAccessibleName(self.tr("Transcript"))
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        layout.addWidget(self.text, 1)
        self.empty_label = muted_label(
            self.tr("No transcript for this interaction. Listen to the recording instead."), self
        )
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)
        self.set_text("")

    def _button(self, text: str, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.setAutoRaise(True)
        return button

    def set_text(self, text: str) -> None:
        self.text.setPlainText(text)
        has_text = bool(text.strip())
        for widget in (self.search, self.previous_button, self.next_button, self.text):
            widget.setVisible(has_text)
        self.count_label.setVisible(has_text)
        self.empty_label.setVisible(not has_text)
        self._search_changed(self.search.text())

    def match_count(self) -> int:
        return len(self._matches)

    def current_match(self) -> int:
        """Index of the selected match, or -1."""
        return self._index

    def _search_changed(self, needle: str) -> None:
        self._matches = []
        self._index = -1
        document = self.text.document()
        if needle:
            cursor = document.find(needle, 0)
            while not cursor.isNull():
                self._matches.append(cursor)
                cursor = document.find(needle, cursor)
        if self._matches:
            self._select(0)
        else:
            self._highlight()
            self.count_label.setText(self.tr("No matches") if needle else "")

    def find_next(self) -> None:
        if self._matches:
            self._select((self._index + 1) % len(self._matches))

    def find_previous(self) -> None:
        if self._matches:
            self._select((self._index - 1) % len(self._matches))

    def _select(self, index: int) -> None:
        self._index = index
        self.text.setTextCursor(self._matches[index])
        self.text.ensureCursorVisible()
        self._highlight()
        self.count_label.setText(
            self.tr("%1 of %2").replace("%1", str(index + 1)).replace("%2", str(len(self._matches)))
        )

    def _highlight(self) -> None:
        """Every match gets a light highlight; the current one the full selection colour."""
        palette = self.text.palette()
        light = QColor(palette.color(QPalette.ColorRole.Highlight))
        light.setAlphaF(0.3)
        selections = []
        for index, cursor in enumerate(self._matches):
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            if index == self._index:
                selection.format.setBackground(palette.color(QPalette.ColorRole.Highlight))
                selection.format.setForeground(palette.color(QPalette.ColorRole.HighlightedText))
            else:
                selection.format.setBackground(light)
            selections.append(selection)
        self.text.setExtraSelections(selections)
