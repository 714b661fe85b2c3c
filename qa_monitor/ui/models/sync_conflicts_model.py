"""The Sync conflicts view's tables: one row per conflict (which record, what, when),
and for the selected one its differing lines side by side (kept | other)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from qa_monitor.services.sync_conflicts import ConflictDetail
from qa_monitor.ui.sync_texts import field_label, line_label, record_text, side_text, value_text

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class SyncConflictsModel(QAbstractTableModel):
    """Columns: record, what differs, the kept version's origin, the other's."""

    def __init__(self, zone: str, parent: QObject | None = None):
        super().__init__(parent)
        self.zone = zone
        self._rows: list[ConflictDetail] = []
        self._texts: list[tuple[str, str, str, str]] = []
        self._sort: list[tuple[str, str, str, str]] = []

    def set_conflicts(self, rows: list[ConflictDetail]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        # Worded once: a view asks for each cell many times (size, paint, tooltip).
        self._texts = [
            (
                record_text(d.record),
                field_label(d.row.entity, d.field),
                side_text(d.kept, self.zone),
                side_text(d.other, self.zone),
            )
            for d in self._rows
        ]
        self._sort = [
            (t[0], t[1], d.kept.at.isoformat(), d.other.at.isoformat())
            for t, d in zip(self._texts, self._rows, strict=True)
        ]
        self.endResetModel()

    def texts(self, column: int) -> list[str]:
        """Every row's text in ``column`` (for sizing the column without asking the
        view to measure each cell through ``data``)."""
        return [t[column] for t in self._texts]

    def conflict_at(self, row: int) -> ConflictDetail:
        return self._rows[row]

    def rows(self) -> list[ConflictDetail]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (
                self.tr("Record"),
                self.tr("What differs"),
                self.tr("Kept version"),
                self.tr("Other version"),
            )[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texts[index.row()][index.column()]
        if role == SORT_ROLE:
            return self._sort[index.row()][index.column()]
        return None


class ConflictLinesModel(QAbstractTableModel):
    """The selected conflict: one row per differing line; what, kept, other."""

    def __init__(self, zone: str, parent: QObject | None = None):
        super().__init__(parent)
        self.zone = zone
        self.detail: ConflictDetail | None = None
        self._texts: list[tuple[str, str, str]] = []
        self._sides: tuple[str, str] = ("", "")

    def set_detail(self, detail: ConflictDetail | None) -> None:
        self.beginResetModel()
        self.detail = detail
        entity = detail.row.entity if detail is not None else ""
        self._texts = [
            (line_label(entity, line), value_text(line, line.kept), value_text(line, line.other))
            for line in (detail.lines if detail is not None else ())
        ]
        if detail is not None:
            self._sides = (side_text(detail.kept, self.zone), side_text(detail.other, self.zone))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.detail is None:
            return 0
        return len(self.detail.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.detail is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Question or detail"), self.tr("Kept"), self.tr("Other"))[section]
        if role == Qt.ItemDataRole.ToolTipRole and section:
            return self._sides[section - 1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.detail is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texts[index.row()][index.column()]
        return None
