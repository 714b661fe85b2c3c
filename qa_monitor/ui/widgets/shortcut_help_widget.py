"""The keyboard help the scoring screen opens with F1: every shortcut, by group."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.ui.widgets.answer_keys import COMMENT_KEY, GUIDANCE_KEY, NA_KEY, TEN_KEY
from qa_monitor.ui.widgets.widget_style import em, ltr, scaled_font

ShortcutGroup = tuple[str, Sequence[tuple[str, str]]]  # (heading, [(action, keys)])


def _t(text: str) -> str:
    return QCoreApplication.translate("ShortcutHelp", text)


def form_shortcuts() -> ShortcutGroup:
    """The keys the evaluation form handles itself (see evaluation_form_widget)."""
    return (
        _t("Scoring"),
        [
            (_t("Next / previous question"), "↓ / ↑"),
            (_t("Next / previous control (moves between questions)"), "Tab / Shift+Tab"),
            (_t("Choose an answer by its position"), "1 … 9, 0"),
            (_t("Yes / No"), "Y / N"),
            (_t("Yes / Partial / No"), "Y / P / N"),
            (_t("Pass / Fail"), "P / F"),
            (_t("Score on a 0–10 scale (10 is T)"), f"0 … 9, {TEN_KEY}"),
            (_t("Not applicable"), NA_KEY),
            (_t("Clear the answer"), "Delete / Backspace"),
            (_t("Move between the options of a question"), "← / →, Space"),
            (_t("Write a comment on the question"), COMMENT_KEY),
            (_t("Back from the comment to the question"), "Esc"),
            (_t("Show or hide the guidance"), GUIDANCE_KEY),
            (_t("Go into a text, number or date field"), "Enter"),
        ],
    )


def help_shortcuts() -> ShortcutGroup:
    return (_t("Help"), [(_t("Show this list"), "F1"), (_t("Close this list"), "Esc")])


class ShortcutHelpDialog(QDialog):
    """A table of (action, keys) rows under group headings; Esc or Close shuts it.

    ``groups`` defaults to the form's own keys; the screen adds its own groups (player,
    saving, submitting) so one list shows everything it binds.
    """

    def __init__(
        self, parent: QWidget | None = None, groups: Sequence[ShortcutGroup] | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setAccessibleName(self.tr("Keyboard shortcuts"))
        groups = list(groups) if groups is not None else [form_shortcuts()]
        groups.append(help_shortcuts())
        rows = sum(len(items) + 1 for _heading, items in groups)
        self.table = QTableWidget(rows, 2, self)
        self.table.setAccessibleName(self.tr("Shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        heading_font = scaled_font(self.font(), bold=True)
        row = 0
        for heading, items in groups:
            title = QTableWidgetItem(heading)
            title.setFont(heading_font)
            title.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, title)
            self.table.setSpan(row, 0, 1, 2)
            row += 1
            for action, keys in items:
                self.table.setItem(row, 0, QTableWidgetItem(action))
                key_item = QTableWidgetItem(ltr(keys))  # key names read left-to-right
                key_item.setFont(heading_font)
                self.table.setItem(row, 1, key_item)
                row += 1
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(em(self, 30), em(self, 30))

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """Every (action, keys) row shown, for tests and the screen's own checks."""
        out = []
        for row in range(self.table.rowCount()):
            keys = self.table.item(row, 1)
            if keys is not None:
                out.append((self.table.item(row, 0).text(), keys.text().strip("\u2066\u2069")))
        return out
