"""The rows of a scorecard sheet as read, for the import preview.

Each row says in words what became of it (imported, left out, a section heading,
ignored) with an icon; a left-out row is also tinted and carries its reasons in the
last column, so bad rows stand out without relying on colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QGuiApplication, QIcon

from qa_monitor.core.forms import CriticalLevel
from qa_monitor.formfiles.scorecard_sheet import RowKind, ScorecardRow
from qa_monitor.formfiles.scorecard_values import Column
from qa_monitor.ui import icons
from qa_monitor.ui.designer.designer_labels import type_label
from qa_monitor.ui.widgets.widget_style import danger_color, is_dark, ltr, mix, muted_color

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Row", "Result", "Section", "Question", "Type", "Points", "Critical", "Problems")
PROBLEMS_COLUMN = 7
BAD_ROLE = Qt.ItemDataRole.UserRole + 1
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def row_state(row: ScorecardRow) -> str:
    if row.kind is RowKind.IGNORED:
        return "ignored"
    if row.kind is RowKind.SECTION:
        return "bad" if row.problems else "section"
    if row.included:
        return "check" if row.problems else "good"
    return "bad"


_ICONS = {
    "good": "mdi6.check-circle-outline",
    "check": "mdi6.alert-outline",
    "bad": "mdi6.close-circle-outline",
    "section": "mdi6.format-section",
    "ignored": "mdi6.minus-circle-outline",
}


class ScorecardRowsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[ScorecardRow] = []
        self._headers: dict[Column, str] = {}
        self._icons: dict[str, QIcon] = {}
        self._locale = QLocale()

    def set_rows(
        self, rows: Sequence[ScorecardRow], headers: Mapping[Column, str] | None = None
    ) -> None:
        """``headers``: the sheet's header (as written) of each column it has."""
        self.beginResetModel()
        self._rows = list(rows)
        self._headers = dict(headers or {})
        self.endResetModel()

    def row_at(self, row: int) -> ScorecardRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[section])
        return None

    def state_word(self, state: str) -> str:
        return {
            "good": self.tr("Imported"),
            "check": self.tr("Imported · check"),
            "bad": self.tr("Left out"),
            "section": self.tr("Section heading"),
            "ignored": self.tr("Ignored"),
        }[state]

    def _icon(self, state: str) -> QIcon:
        if state not in self._icons:
            palette = QGuiApplication.palette()
            color = danger_color(palette) if state == "bad" else palette.text().color()
            self._icons[state] = icons.icon(_ICONS[state], color=color)
        return self._icons[state]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        state = row_state(row)
        col = index.column()
        palette = QGuiApplication.palette()
        if role == BAD_ROLE:
            return state == "bad"
        if role == Qt.ItemDataRole.BackgroundRole and state == "bad":
            base = palette.base().color()
            return mix(base, danger_color(palette), 0.28 if is_dark(palette) else 0.14)
        if role == Qt.ItemDataRole.ForegroundRole and state == "ignored":
            return muted_color(palette)
        if role == Qt.ItemDataRole.DecorationRole and col == 1:
            return self._icon(state)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 5):
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and col in (1, PROBLEMS_COLUMN):
            return self._reasons(row) or None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, state, col)
        return None

    def _reasons(self, row: ScorecardRow) -> str:
        reasons = [
            (f"{p.column}: " if p.column else "") + p.message + (f" ({p.hint})" if p.hint else "")
            for p in row.problems
        ]
        if row.note:
            reasons.append(row.note)
        return "; ".join(reasons)

    def _display(self, row: ScorecardRow, state: str, col: int) -> str:
        if col == 0:
            return ltr(str(row.row))
        if col == 1:
            return self.state_word(state)
        if col == 2:
            return row.section
        if col == 3:
            return row.question
        if col == 4:
            if row.type is None:
                return self._written(row, Column.TYPE)
            return type_label(row.type)
        if col == 5:
            if row.points is None:
                return self._written(row, Column.POINTS)
            return self._locale.toString(row.points, "g", 6)
        if col == 6:
            return {
                CriticalLevel.NONE: "",
                CriticalLevel.SECTION: self.tr("Section"),
                CriticalLevel.FORM: self.tr("Form · auto-fail"),
            }[row.critical]
        return self._reasons(row)

    def _written(self, row: ScorecardRow, column: Column) -> str:
        """The cell as written when it could not be read, so the user sees what was wrong."""
        header = self._headers.get(column)
        return next((text for h, text in row.cells if h == header), "") if header else ""
