"""Evaluations as a lazily fetched table: pages come from the service as the view scrolls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt

from qa_monitor.core.metrics import round_half_up
from qa_monitor.core.records import EvaluationFilter, EvaluationRow, EvaluationSort

PAGE = 200
Index = QModelIndex | QPersistentModelIndex
Fetch = Callable[[EvaluationFilter, int, int], list[EvaluationRow]]
Count = Callable[[EvaluationFilter], int]

COLUMNS: list[tuple[str, EvaluationSort | None]] = [
    ("Date", EvaluationSort.INTERACTION_DATE),
    ("Agent", EvaluationSort.AGENT),
    ("Team", EvaluationSort.TEAM),
    ("Form", EvaluationSort.FORM),
    ("Reviewer", EvaluationSort.REVIEWER),
    ("Channel", EvaluationSort.CHANNEL),
    ("Kind", EvaluationSort.KIND),
    ("Status", EvaluationSort.STATUS),
    ("Score", EvaluationSort.SCORE),
    ("Result", None),
]
SCORE_COLUMN = 8
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class EvaluationTableModel(QAbstractTableModel):
    def __init__(self, fetch: Fetch, count: Count, parent=None):  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._fetch = fetch
        self._count = count
        self._filter = EvaluationFilter()
        self._rows: list[EvaluationRow] = []
        self._total = 0
        self._locale = QLocale()

    # ---------------------------------------------------------------- queries
    @property
    def total(self) -> int:
        return self._total

    @property
    def current_filter(self) -> EvaluationFilter:
        return self._filter

    def set_filter(self, flt: EvaluationFilter) -> None:
        """Run ``flt`` (keeping the current sort) and show its first page."""
        self._filter = replace(flt, sort=self._filter.sort, descending=self._filter.descending)
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._total = self._count(self._filter)
        self._rows = self._fetch(self._filter, 0, PAGE)
        self.endResetModel()

    def row_at(self, row: int) -> EvaluationRow:
        return self._rows[row]

    def row_of(self, evaluation_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == evaluation_id), -1)

    # ---------------------------------------------------------------- Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = self._fetch(self._filter, len(self._rows), PAGE)
        if not more:
            self._total = len(self._rows)
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):  # type: ignore[no-untyped-def]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section][0])
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1]
        descending = order == Qt.SortOrder.DescendingOrder
        if key is None or (key == self._filter.sort and descending == self._filter.descending):
            return  # the view re-announces the current order when sorting is enabled
        self._filter = replace(self._filter, sort=key, descending=descending)
        self.reload()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col == SCORE_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == 9 and row.critical_failed:
            return self.tr("A critical question failed")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._display(row, col)

    def _display(self, row: EvaluationRow, col: int) -> str:
        if col == 0:
            return self._locale.toString(row.interaction_date, QLocale.FormatType.ShortFormat)
        if col == 1:
            return row.agent_name
        if col == 2:
            return row.team_name or "—"
        if col == 3:
            return f"{row.form_title} v{row.form_version}"
        if col == 4:
            return row.reviewer_name
        if col == 5:
            return self.tr(row.channel.value.capitalize())
        if col == 6:
            return self.tr(row.kind.value.capitalize())
        if col == 7:
            return self.tr(row.status.value.capitalize())
        if col == SCORE_COLUMN:
            if row.score is None:
                return "—"
            return self._locale.toString(round_half_up(row.score, 1), "f", 1)
        if row.passed is None:
            return "—"
        verdict = self.tr("Pass") if row.passed else self.tr("Fail")
        return f"{verdict} ✗ {self.tr('critical')}" if row.critical_failed else verdict
