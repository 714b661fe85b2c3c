"""What the list screens' table models share: the roles, the right alignment of
numbers, the mark for "no value", and a base that shows headers with their hover text
and counts and dates in the user's locale.

A model lists its headers (``headers``), their hover texts (``tips``, optional) and the
columns that hold numbers (``NUMERIC``, right-aligned); ``SORT_ROLE`` gives a cell's
raw value for a sorting proxy and ``ID_ROLE`` the row's record id.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from qa_monitor.ui.date_texts import date_text, moment_date_text

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
NO_VALUE = "—"


def qdate(day: date) -> QDate:
    """``day`` as a QDate (spelled out: PySide6's type stubs take no ``datetime.date``)."""
    return QDate(day.year, day.month, day.day)


class HeaderedTable(QAbstractTableModel):
    NUMERIC: frozenset[int] = frozenset()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._locale = QLocale()
        self.zone = "UTC"  # the centre's time zone, for moments (the screen sets it)

    def headers(self) -> tuple[str, ...]:
        raise NotImplementedError

    def tips(self) -> tuple[str, ...]:
        return ()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        if role == Qt.ItemDataRole.ToolTipRole and self.tips():
            return self.tips()[section] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self.NUMERIC:
            return RIGHT
        return None

    def _date(self, day: date) -> str:
        return date_text(day, self._locale)

    def _moment_date(self, moment: datetime) -> str:
        """The centre's day of a stored moment."""
        return moment_date_text(moment, self.zone, self._locale)

    def _count(self, value: int) -> str:
        return self._locale.toString(value)
