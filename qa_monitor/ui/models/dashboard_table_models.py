"""The dashboard's tables: the agent league and the exceptions list.

Rules (UX.md, Tables):
- Numbers are right-aligned; scores and rates with one decimal in the user's locale.
- ``SORT_ROLE`` gives the raw value of a cell so a ``QSortFilterProxyModel`` sorts
  numbers as numbers (missing values sort last).
- ``KEY_ROLE`` gives what a row is about, ("agent", id) or ("team", id), so a screen
  can keep the selection across refreshes and drill down from a row.
- Meaning never rides on colour alone: directions are words and arrows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt

from qa_monitor.reports.analytics import Exceptions, GroupRow, LeagueRow

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
MISSING = float("-inf")
LRM = "\u200e"  # keeps numbers left-to-right inside right-to-left text


def isolate(text: str) -> str:
    """``text`` as a bidi isolate taking its direction from its first strong letter, so
    "Mean (%)" or "+1.6" read correctly in a right-to-left table and Persian still does."""
    return f"\u2068{text}\u2069"


def _num(locale: QLocale, value: float | None, suffix: str = "", signed: bool = False) -> str:
    if value is None:
        return "—"
    text = locale.toString(float(value), "f", 1)
    if signed and value > 0:
        text = "+" + text
    return f"{LRM}{text}{suffix}"


class _Table(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()
    NUMERIC: frozenset[int] = frozenset()
    TIPS: tuple[str, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._locale = QLocale()
        self.rows: tuple[Any, ...] = ()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows())

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return isolate(self.tr(self.HEADERS[section]))
        if role == Qt.ItemDataRole.ToolTipRole and self.TIPS and self.TIPS[section]:
            return self.tr(self.TIPS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        col = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.NUMERIC:
            return RIGHT
        if role == KEY_ROLE:
            return self._key(index.row())
        if role == SORT_ROLE:
            value = self._sort_value(index.row(), col)
            return MISSING if value is None else value
        if role == Qt.ItemDataRole.DisplayRole:
            return isolate(self._text(index.row(), col))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._text(index.row(), col)
        return None

    def _rows(self) -> Sequence[Any]:
        raise NotImplementedError

    def _key(self, row: int) -> tuple[str, int]:
        raise NotImplementedError

    def _sort_value(self, row: int, col: int) -> Any:
        raise NotImplementedError

    def _text(self, row: int, col: int) -> str:
        raise NotImplementedError


class LeagueTableModel(_Table):
    HEADERS = (
        "Agent",
        "Team",
        "n",
        "Mean (%)",
        "95% CI",
        "Pass (%)",
        "Critical",
        "Change",
    )
    TIPS = (
        "",
        "The agent's current team",
        "Scored evaluations",
        "Mean score (%)",
        "95% confidence interval of the mean score",
        "Pass rate (% of evaluations with a verdict)",
        "Critical failures",
        "Change of the mean score against the previous period of equal length",
    )
    NUMERIC = frozenset({2, 3, 4, 5, 6, 7})

    rows: tuple[LeagueRow, ...]

    def _rows(self) -> Sequence[LeagueRow]:
        return self.rows

    def _key(self, row: int) -> tuple[str, int]:
        return ("agent", self.rows[row].agent_id)

    def _sort_value(self, row: int, col: int) -> Any:
        r = self.rows[row]
        rate = None if r.passed is None else r.passed.rate
        values = (r.name.casefold(), (r.team_name or "").casefold(), r.n, r.mean, r.low, rate)
        return values[col] if col < 6 else (r.critical_failures, r.change)[col - 6]

    def _text(self, row: int, col: int) -> str:
        r = self.rows[row]
        loc = self._locale
        if col == 0:
            return r.name
        if col == 1:
            return r.team_name or self.tr("No team")
        if col == 2:
            return loc.toString(r.n)
        if col == 3:
            return _num(loc, r.mean)
        if col == 4:
            if r.low is None or r.high is None:
                return "—"
            return f"{LRM}{_num(loc, r.low)}–{_num(loc, r.high)}"
        if col == 5:
            return "—" if r.passed is None else _num(loc, r.passed.rate * 100)
        if col == 6:
            return loc.toString(r.critical_failures)
        if r.change is None:
            return "—"
        arrow = "▲" if r.change > 0 else "▼" if r.change < 0 else "="
        return f"{arrow} {_num(loc, r.change, signed=True)}"


class GroupTableModel(_Table):
    """Teams or reviewers with their headline figures (``analytics_groups``)."""

    LEVEL = ""
    NUMERIC = frozenset({1, 2, 3, 4, 5})

    rows: tuple[GroupRow, ...]

    def _rows(self) -> Sequence[GroupRow]:
        return self.rows

    def _key(self, row: int) -> tuple[str, int]:
        return (self.LEVEL, self.rows[row].ident or 0)

    def _sort_value(self, row: int, col: int) -> Any:
        r = self.rows[row]
        passed = None if r.passed is None else r.passed.rate
        critical = None if r.critical is None else r.critical.rate
        return (r.name.casefold(), r.n, r.mean, r.low, passed, critical)[col]

    def _text(self, row: int, col: int) -> str:
        r = self.rows[row]
        loc = self._locale
        if col == 0:
            return r.name
        if col == 1:
            return loc.toString(r.n)
        if col == 2:
            return _num(loc, r.mean)
        if col == 3:
            if r.low is None or r.high is None:
                return "—"
            return f"{LRM}{_num(loc, r.low)}–{_num(loc, r.high)}"
        rate = r.passed if col == 4 else r.critical
        return "—" if rate is None else _num(loc, rate.rate * 100)


class TeamTableModel(GroupTableModel):
    LEVEL = "team"
    HEADERS = ("Team", "n", "Mean (%)", "95% CI", "Pass (%)", "Critical (%)")
    TIPS = (
        "The agents' team when the evaluations were made",
        "Scored evaluations",
        "Mean score (%)",
        "95% confidence interval of the mean score",
        "Pass rate (% of evaluations with a verdict)",
        "Critical-failure rate (% of evaluations with a critical failure)",
    )


class ReviewerTableModel(GroupTableModel):
    LEVEL = "reviewer"
    HEADERS = ("Reviewer", "n", "Mean (%)", "95% CI", "Pass (%)", "Critical (%)")
    TIPS = (
        "The reviewer who scored the evaluations",
        "Scored evaluations",
        "Mean score (%) the reviewer gave",
        "95% confidence interval of the mean score",
        "Pass rate (% of evaluations with a verdict)",
        "Critical-failure rate (% of evaluations with a critical failure)",
    )


@dataclass(frozen=True, slots=True)
class ExceptionRow:
    kind: str  # already translated
    level: str  # "agent" or "team"
    id: int
    name: str
    n: int
    mean: float
    detail: str
    order: int


class ExceptionsTableModel(_Table):
    HEADERS = ("Exception", "Agent or team", "n", "Mean (%)", "Why")
    TIPS = ("", "", "Scored evaluations", "Mean score (%)", "")
    NUMERIC = frozenset({2, 3})

    rows: tuple[ExceptionRow, ...]

    def set_exceptions(self, found: Exceptions) -> None:
        loc = self._locale
        rows: list[ExceptionRow] = []
        for item in (*found.teams_outside, *found.agents_outside):
            below = item.direction == "below"
            kind = self.tr("▼ Below control limit") if below else self.tr("▲ Above control limit")
            limit = item.lower_limit if below else item.upper_limit
            detail = self.tr("limit {0}").format(_num(loc, limit))
            rows.append(
                ExceptionRow(
                    kind,
                    item.level,
                    item.id,
                    item.name,
                    item.n,
                    item.mean,
                    detail,
                    0 if below else 2,
                )
            )
        for change, kind, order in (
            *((c, self.tr("▼ Significantly down"), 1) for c in found.agents_down),
            *((c, self.tr("▲ Most improved"), 3) for c in found.most_improved),
        ):
            detail = self.tr("{0} vs {1} before").format(
                _num(loc, change.change, signed=True), _num(loc, change.previous_mean)
            )
            rows.append(
                ExceptionRow(
                    kind,
                    "agent",
                    change.agent_id,
                    change.name,
                    change.n,
                    change.mean,
                    detail,
                    order,
                )
            )
        rows.sort(key=lambda r: (r.order, r.level != "team", r.mean if r.order < 2 else -r.mean))
        self.beginResetModel()
        self.rows = tuple(rows)
        self.endResetModel()

    def _rows(self) -> Sequence[ExceptionRow]:
        return self.rows

    def _key(self, row: int) -> tuple[str, int]:
        return (self.rows[row].level, self.rows[row].id)

    def _sort_value(self, row: int, col: int) -> Any:
        r = self.rows[row]
        return (r.order, r.name.casefold(), r.n, r.mean, r.detail)[col]

    def _text(self, row: int, col: int) -> str:
        r = self.rows[row]
        if col == 0:
            return r.kind
        if col == 1:
            return r.name if r.level == "agent" else self.tr("Team: {0}").format(r.name)
        if col == 2:
            return self._locale.toString(r.n)
        if col == 3:
            return _num(self._locale, r.mean)
        return r.detail
