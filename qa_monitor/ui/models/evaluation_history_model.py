"""An evaluation's history as a table: when, who, what (one sentence), why.

The texts are worded once when the entries arrive (``audit_texts``): a view asks for
each cell many times while it measures wrapped rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from qa_monitor.core.forms import Question
from qa_monitor.services.dispute_service import HistoryItem
from qa_monitor.ui.audit_texts import what_text, when_text, who_text, why_text

Index = QModelIndex | QPersistentModelIndex
WHEN, WHO, WHAT, WHY = range(4)


class EvaluationHistoryModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._texts: list[tuple[str, str, str, str]] = []

    def set_history(
        self, items: list[HistoryItem], questions: Mapping[str, Question], zone: str
    ) -> None:
        """Show ``items`` (oldest first); ``questions`` words their answers."""
        self.beginResetModel()
        self._texts = [
            (when_text(i, zone), who_text(i), what_text(i, questions), why_text(i)) for i in items
        ]
        self.endResetModel()

    def row_texts(self, row: int) -> tuple[str, str, str, str]:
        return self._texts[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._texts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("When"), self.tr("Who"), self.tr("What"), self.tr("Why"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            # Wrapped rows read from their first line; the leading edge follows RTL.
            return int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        return None
