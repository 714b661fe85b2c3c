"""An evaluation's history as a table: when, who, what (one sentence), why.

The texts are worded once when the entries arrive (``audit_texts``): a view asks for
each cell many times while it measures wrapped rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from qa_monitor.core.forms import Question
from qa_monitor.services.coaching_service import Citation
from qa_monitor.services.dispute_service import HistoryItem
from qa_monitor.ui.audit_texts import day_text, what_text, when_text, who_text, why_text

Index = QModelIndex | QPersistentModelIndex
WHEN, WHO, WHAT, WHY = range(4)


class EvaluationHistoryModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._texts: list[tuple[str, str, str, str]] = []

    def set_history(
        self,
        items: list[HistoryItem],
        questions: Mapping[str, Question],
        zone: str,
        coaching: list[Citation] | None = None,
    ) -> None:
        """Show ``items`` (oldest first); ``questions`` words their answers. The coaching
        sessions that discussed the evaluation (``coaching``) take their place by the
        day they were held, after that day's entries."""
        self.beginResetModel()
        dated = [
            (
                (i.entry.at.astimezone(ZoneInfo(zone)).date().isoformat(), 0, n),
                self._audit_texts(i, questions, zone),
            )
            for n, i in enumerate(items)
        ]
        dated += [
            ((c.held_on.isoformat(), 1, n), self._coaching_texts(c))
            for n, c in enumerate(coaching or [])
        ]
        self._texts = [texts for _key, texts in sorted(dated, key=lambda d: d[0])]
        self.endResetModel()

    @staticmethod
    def _audit_texts(
        i: HistoryItem, questions: Mapping[str, Question], zone: str
    ) -> tuple[str, str, str, str]:
        return (when_text(i, zone), who_text(i), what_text(i, questions), why_text(i))

    def _coaching_texts(self, c: Citation) -> tuple[str, str, str, str]:
        coach = c.coach_name or self.tr("no coach recorded")
        behaviours = "; ".join(b for b in c.behaviours if b)
        if behaviours:
            what = self.tr("Discussed in a coaching session with {0} on {1}: {2}").format(
                coach, day_text(c.held_on), behaviours
            )
        else:
            what = self.tr("Discussed in a coaching session with {0} on {1}.").format(
                coach, day_text(c.held_on)
            )
        return (day_text(c.held_on), c.coach_name or "", what, "")

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
