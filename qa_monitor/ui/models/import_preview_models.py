"""The import dialog's two tables: the first rows as they will be imported, and every
refused row with its reason.

Rows are numbered as the spreadsheet shows them (the service's numbering), so a
supervisor can find row 17 in Excel. The sample shows only the mapped columns, headed
by the field they feed, and says per row whether it will be imported or refused (in
words, with the reason as a tooltip: never colour alone). File values and reasons are
shown as isolated left-to-right text, so a date or "-5" keeps its order in a
right-to-left layout.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from qa_monitor.services.import_fields import FIELDS
from qa_monitor.services.import_service import ImportPreview, RowProblem
from qa_monitor.ui.date_texts import date_text, wall_text
from qa_monitor.ui.widgets.widget_style import ltr

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole


def cell_text(value: object) -> str:
    """A raw file cell as the user typed it (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return wall_text(value) if value.time() != time(0) else date_text(value.date())
    if isinstance(value, date):
        return date_text(value)
    return str(value).strip()


class ImportSampleModel(QAbstractTableModel):
    """The preview's first rows: a status column, then one column per mapped field."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._labels: list[str] = []
        self._indexes: list[int] = []  # position of each mapped column in the file's row
        self._rows: list[tuple[int, tuple[object, ...]]] = []
        self._problems: dict[int, str] = {}

    def set_preview(self, preview: ImportPreview | None) -> None:
        self.beginResetModel()
        self._labels, self._indexes, self._rows, self._problems = [], [], [], {}
        if preview is not None:
            position = {h: i for i, h in reversed(list(enumerate(preview.headers)))}
            for f in FIELDS[preview.kind]:
                header = preview.mapping.header_for(f.name)
                if header is not None and header in position:
                    self._labels.append(f.label)
                    self._indexes.append(position[header])
            self._rows = list(preview.sample)
            for p in preview.problems:
                reason = f"{p.column}: {p.reason}" if p.column else p.reason
                self._problems.setdefault(p.row, reason)
        self.endResetModel()

    def row_number(self, row: int) -> int:
        return self._rows[row][0]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._labels) + 1

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        if not index.isValid():
            return None
        number, cells = self._rows[index.row()]
        if index.column() == 0:
            problem = self._problems.get(number)
            if role == _DISPLAY:
                return self.tr("Refused") if problem else self.tr("OK")
            if role == _TOOLTIP:
                return problem or self.tr("This row will be imported.")
            return None
        if role in (_DISPLAY, _TOOLTIP):
            at = self._indexes[index.column() - 1]
            # Dates, ids and signed numbers keep their order in a right-to-left layout.
            return ltr(cell_text(cells[at])) if at < len(cells) else ""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> object:
        if role != _DISPLAY:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(self._rows[section][0]) if 0 <= section < len(self._rows) else None
        if section == 0:
            return self.tr("Check")
        return self._labels[section - 1] if 0 < section <= len(self._labels) else None


class RowProblemsModel(QAbstractTableModel):
    """Every refused row: its number in the file, the column and why."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._problems: list[RowProblem] = []

    def set_problems(self, problems: tuple[RowProblem, ...] | list[RowProblem]) -> None:
        self.beginResetModel()
        self._problems = list(problems)
        self.endResetModel()

    def problems(self) -> list[RowProblem]:
        return list(self._problems)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        if not index.isValid():
            return None
        problem = self._problems[index.row()]
        column = index.column()
        if role in (_DISPLAY, _TOOLTIP):
            if column == 0:
                return str(problem.row)
            if column == 1:
                return problem.column or ""
            return ltr(problem.reason)  # the service's sentence, quotes and all
        if role == _ALIGN and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> object:
        if role != _DISPLAY or orientation != Qt.Orientation.Horizontal:
            return None
        headers = (self.tr("Row"), self.tr("Column"), self.tr("Reason"))
        return headers[section] if 0 <= section < len(headers) else None
