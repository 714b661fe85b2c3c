"""Evaluations as a lazily fetched table: pages come from the service as the view scrolls.

Rules:
- Pages are read off the GUI thread (``PageLoader``). ``reload`` (a new filter or sort,
  or a change elsewhere) asks for the count and the first page; the rows shown stay
  until the answer arrives, then the model resets and emits ``loaded``. An answer to an
  older request is dropped.
- ``canFetchMore`` is False while a page is on its way, so scrolling asks for each page
  once; a page arrives as rows inserted at the end.
- A failed read emits ``loadFailed`` with a sentence and keeps the rows shown.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from qa_monitor.core.records import EvaluationFilter, EvaluationRow, EvaluationSort
from qa_monitor.core.scoring import SCORE_DECIMALS, displayed_score
from qa_monitor.services.evaluation_list_service import FirstPage
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.models.evaluation_pages import PageLoader

PAGE = 200
Index = QModelIndex | QPersistentModelIndex

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
    loaded = Signal()  # a reload's count and first page are shown
    loadFailed = Signal(str)  # a read failed: what went wrong, as a sentence

    def __init__(self, loader: PageLoader, parent=None):  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.loader = loader
        self._filter = EvaluationFilter()
        self._rows: list[EvaluationRow] = []
        self._total = 0
        self._locale = QLocale()
        self._generation = 0
        self._loading = False
        self._fetching = False
        loader.firstLoaded.connect(self._on_first)
        loader.moreLoaded.connect(self._on_more)
        loader.failed.connect(self._on_failed)

    # ---------------------------------------------------------------- queries
    @property
    def total(self) -> int:
        return self._total

    @property
    def loading(self) -> bool:
        """A reload is on its way (the rows shown are the previous ones)."""
        return self._loading

    @property
    def current_filter(self) -> EvaluationFilter:
        return self._filter

    def set_filter(self, flt: EvaluationFilter) -> None:
        """Run ``flt`` (keeping the current sort) and show its first page."""
        self._filter = replace(flt, sort=self._filter.sort, descending=self._filter.descending)
        self.reload()

    def reload(self) -> None:
        """Ask for the current filter's count and first page (``loaded`` when shown)."""
        self._generation += 1
        self._loading, self._fetching = True, False
        self.loader.load_first(self._generation, self._filter, PAGE)

    def _on_first(self, generation: int, page: FirstPage) -> None:
        if generation != self._generation:
            return  # an older filter or sort: a newer answer is on its way
        self.beginResetModel()
        self._total, self._rows = page.total, list(page.rows)
        self._loading = False
        self.endResetModel()
        self.loaded.emit()

    def _on_more(self, generation: int, offset: int, rows: tuple[EvaluationRow, ...]) -> None:
        if generation != self._generation or offset != len(self._rows):
            return
        self._fetching = False
        if not rows:
            self._total = len(self._rows)  # fewer than counted: some were deleted meanwhile
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def _on_failed(self, generation: int, error: str) -> None:
        if generation != self._generation:
            return
        self._loading = self._fetching = False
        self.loadFailed.emit(error)

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
        if parent.isValid() or self._loading or self._fetching:
            return False
        return len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        self.loader.load_more(self._generation, self._filter, len(self._rows), PAGE)

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
            return date_text(row.interaction_date, self._locale)
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
            return self._locale.toString(displayed_score(row.score), "f", SCORE_DECIMALS)
        if row.passed is None:
            return "—"
        verdict = self.tr("Pass") if row.passed else self.tr("Fail")
        return f"{verdict} ✗ {self.tr('critical')}" if row.critical_failed else verdict
