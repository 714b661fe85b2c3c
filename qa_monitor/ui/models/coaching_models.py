"""The Coaching screen's and dialog's tables: the sessions, a session's follow-up, and
an action plan (editable in the dialog; only "done" toggles on the screen).

Rules (UX.md, Tables):
- Numbers right-aligned, rates with one decimal in the user's locale, dates in ISO
  (the coaching dates are typed and read as YYYY-MM-DD); "—" for a missing value.
- Every cell's text is a bidi isolate (``isolate``), so "12 → 15" and dates read
  left-to-right inside a right-to-left table; the plain text is the accessible text.
- Overdue and verdicts never ride on colour alone: words, and an icon beside them.
- ``SORT_ROLE`` gives the raw value for sorting, ``ID_ROLE`` the session's id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication

from qa_monitor.core.coaching import (
    ActionItem,
    FollowUp,
    QuestionFollowUp,
    Verdict,
    WindowFigures,
)
from qa_monitor.core.date_format import format_date
from qa_monitor.core.statistics import ProportionDifference
from qa_monitor.services.coaching_service import ListedSession
from qa_monitor.ui import icons
from qa_monitor.ui.date_texts import date_style, date_text
from qa_monitor.ui.models.dashboard_table_models import isolate
from qa_monitor.ui.models.table_base import (
    ID_ROLE,
    NO_VALUE,
    RIGHT,
    SORT_ROLE,
    HeaderedTable,
    Index,
)
from qa_monitor.ui.widgets.widget_style import danger_color, muted_color, success_color


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate("CoachingModels", text, disambiguation, n)


def verdict_text(verdict: Verdict, ends: date) -> str:
    """The verdict in words (each a whole, marked sentence)."""
    if verdict is Verdict.IMPROVED:
        return tr("Improved")
    if verdict is Verdict.DECLINED:
        return tr("Declined")
    if verdict is Verdict.WITHIN_NOISE:
        return tr("Within noise")
    if verdict is Verdict.NOT_ENOUGH_DATA:
        return tr("Not enough data")
    return tr("Follow-up running until {0}").format(date_text(ends))


def verdict_icon(verdict: Verdict) -> Any:
    palette = QGuiApplication.palette()
    if verdict is Verdict.IMPROVED:
        return icons.icon("mdi6.trending-up", color=success_color(palette))
    if verdict is Verdict.DECLINED:
        return icons.icon("mdi6.trending-down", color=danger_color(palette))
    if verdict is Verdict.RUNNING:
        return icons.icon("mdi6.timer-sand", color=muted_color(palette))
    return icons.icon("mdi6.minus", color=muted_color(palette))


def follow_up_summary(follow: FollowUp) -> str:
    """One line for a session's follow-up: running, or the verdicts counted."""
    if not follow.questions:
        return tr("No behaviours targeted")
    if follow.running:
        return tr("Running until {0}").format(date_text(follow.ends))
    counts = follow.counts()
    # Only the verdicts there are, each a whole translatable phrase with its count.
    parts = [
        text(n)
        for verdict, text in (
            (Verdict.IMPROVED, lambda n: tr("%n improved", "", n)),
            (Verdict.DECLINED, lambda n: tr("%n declined", "", n)),
            (Verdict.WITHIN_NOISE, lambda n: tr("%n within noise", "", n)),
            (Verdict.NOT_ENOUGH_DATA, lambda n: tr("%n without enough data", "", n)),
        )
        if (n := counts.get(verdict, 0))
    ]
    return " · ".join(parts)


class _Table(HeaderedTable):
    def _percent(self, share: float | None) -> str:
        if share is None:
            return NO_VALUE
        return tr("{0}%").format(self._locale.toString(share * 100, "f", 1))


# ------------------------------------------------------------------ sessions
class SessionTableModel(_Table):
    """The coaching sessions, one row each (``CoachingService.sessions``)."""

    (HELD, AGENT, TEAM, COACH, EVALUATIONS, BEHAVIOURS, OPEN, OVERDUE, FOLLOW_UP) = range(9)
    NUMERIC = frozenset({EVALUATIONS, OPEN})
    ELASTIC = (AGENT, TEAM, COACH, BEHAVIOURS)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[ListedSession] = []

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Held on"),
            self.tr("Agent"),
            self.tr("Team"),
            self.tr("Coach"),
            self.tr("Evaluations"),
            self.tr("Behaviours"),
            self.tr("Open actions"),
            self.tr("Overdue actions"),
            self.tr("Follow-up"),
        )

    def tips(self) -> tuple[str, ...]:
        return (
            self.tr("The day the session was held"),
            "",
            self.tr("The agent's team now"),
            "",
            self.tr("How many evaluations were discussed"),
            self.tr("The questions the session targets"),
            self.tr("Actions of the plan not done yet"),
            self.tr("Actions not done whose due date has passed"),
            self.tr("Whether the targeted behaviours changed after the session"),
        )

    def set_rows(self, rows: Sequence[ListedSession]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[ListedSession]:
        return list(self._rows)

    def row_at(self, row: int) -> ListedSession:
        return self._rows[row]

    def row_of(self, session_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.row.id == session_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def text(self, item: ListedSession, col: int) -> str:
        row = item.row
        if col == self.HELD:
            return date_text(row.held_on, self._locale)
        if col == self.AGENT:
            return row.agent_name
        if col == self.TEAM:
            return row.team_name or NO_VALUE
        if col == self.COACH:
            return row.coach_name or NO_VALUE
        if col == self.EVALUATIONS:
            return self._count(row.evaluations)
        if col == self.BEHAVIOURS:
            return "; ".join(b for b in item.behaviours if b) or NO_VALUE
        if col == self.OPEN:
            return self._count(row.open_actions)
        if col == self.OVERDUE:
            if row.overdue_actions:
                return self.tr("%n overdue", "", row.overdue_actions)
            return self.tr("None overdue")
        return follow_up_summary(item.follow_up)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return isolate(self.text(item, col))
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(item, col)
        if role == ID_ROLE:
            return item.row.id
        if role == SORT_ROLE:
            row = item.row
            return {
                self.HELD: row.held_on.isoformat(),
                self.EVALUATIONS: row.evaluations,
                self.OPEN: row.open_actions,
                self.OVERDUE: row.overdue_actions,
            }.get(col, self.text(item, col).casefold())
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.NUMERIC:
            return RIGHT
        if col == self.OVERDUE and item.row.overdue_actions:
            palette = QGuiApplication.palette()
            if role == Qt.ItemDataRole.ForegroundRole:
                return danger_color(palette)
            if role == Qt.ItemDataRole.DecorationRole:
                return icons.icon("mdi6.alert-circle-outline", color=danger_color(palette))
        return None


# ------------------------------------------------------------------ follow-up
@dataclass(frozen=True, slots=True)
class _Texts:
    question: str
    before: str
    after: str
    change: str
    verdict: str


class FollowUpModel(_Table):
    """A session's follow-up: one row per targeted question."""

    QUESTION, BEFORE, AFTER, CHANGE, VERDICT = range(5)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._lines: list[QuestionFollowUp] = []
        self._texts: list[_Texts] = []
        self.follow: FollowUp | None = None

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Behaviour"),
            self.tr("Before: full marks (95% interval)"),
            self.tr("After: full marks (95% interval)"),
            self.tr("Change (95% interval)"),
            self.tr("Verdict"),
        )

    def tips(self) -> tuple[str, ...]:
        return (
            "",
            self.tr(
                "Scored answers in the weeks before the session, and the share with full marks"
            ),
            self.tr("Scored answers in the weeks after the session, and the share with full marks"),
            self.tr("After minus before, in points of the full-marks rate (Newcombe's interval)"),
            self.tr("Improved or declined only when the change's interval excludes zero"),
        )

    def set_follow_up(self, follow: FollowUp | None) -> None:
        self.beginResetModel()
        self.follow = follow
        self._lines = list(follow.questions) if follow else []
        self._texts = [self._words(line) for line in self._lines]
        self.endResetModel()

    def _window(self, w: WindowFigures) -> str:
        if w.rate is None:
            return self.tr("No scored answers")
        return self.tr("{0}: {1} ({2} to {3}), points {4}").format(
            self.tr("n = %n", "", w.n),
            self._percent(w.rate.rate),
            self._percent(w.rate.low),
            self._percent(w.rate.high),
            self._percent(None if w.percent is None else w.percent / 100),
        )

    def _change(self, change: ProportionDifference | None) -> str:
        if change is None:
            return NO_VALUE
        return self.tr("{0} ({1} to {2})").format(
            self._signed(change.difference),
            self._signed(change.low),
            self._signed(change.high),
        )

    def _signed(self, share: float) -> str:
        text = self._locale.toString(share * 100, "f", 1)
        return self.tr("{0} points").format(("+" + text) if share > 0 else text)

    def _words(self, line: QuestionFollowUp) -> _Texts:
        assert self.follow is not None
        return _Texts(
            line.text,
            self._window(line.before),
            self._window(line.after),
            self._change(line.change),
            verdict_text(line.verdict, self.follow.ends),
        )

    def line(self, row: int) -> QuestionFollowUp:
        return self._lines[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def text(self, row: int, col: int) -> str:
        t = self._texts[row]
        return (t.question, t.before, t.after, t.change, t.verdict)[col]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._lines):
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return isolate(self.text(row, col))
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(row, col)
        if role == Qt.ItemDataRole.DecorationRole and col == self.VERDICT:
            return verdict_icon(self._lines[row].verdict)
        return None


# ------------------------------------------------------------------ action plan
@dataclass(frozen=True, slots=True)
class PlanRow:
    """An action as the plan table holds it: the due date as typed."""

    action: ActionItem
    due_text: str = ""


class ActionPlanModel(_Table):
    """An action plan. Editable (the dialog): text, owner and due date are typed, done
    is a check box. Not editable (the screen): only done toggles, through
    ``doneToggled`` (the screen stores it)."""

    TEXT, OWNER, DUE, DONE = range(4)
    doneToggled = Signal(int, bool)  # action id, done

    def __init__(self, editable: bool, today: date, parent: QObject | None = None):
        super().__init__(parent)
        self.editable = editable
        self.today = today
        self._rows: list[PlanRow] = []

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Action"), self.tr("Owner"), self.tr("Due"), self.tr("Done"))

    def set_actions(self, actions: Sequence[ActionItem], today: date | None = None) -> None:
        self.beginResetModel()
        self.today = today or self.today
        style = date_style(self._locale)
        self._rows = [
            PlanRow(a, format_date(a.due_date, style) if a.due_date else "") for a in actions
        ]
        self.endResetModel()

    def plan_rows(self) -> list[PlanRow]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def add_row(self, at: int | None = None) -> int:
        at = len(self._rows) if at is None else at
        self.beginInsertRows(QModelIndex(), at, at)
        self._rows.insert(at, PlanRow(ActionItem("")))
        self.endInsertRows()
        return at

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return base
        if index.column() == self.DONE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if self.editable:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def text(self, row: PlanRow, col: int) -> str:
        a = row.action
        if col == self.TEXT:
            return a.text
        if col == self.OWNER:
            return a.owner
        if col == self.DUE:
            return row.due_text
        if a.done_on is not None:
            return self.tr("Done on {0}").format(date_text(a.done_on, self._locale))
        if a.overdue(self.today):
            return self.tr("Overdue")
        return self.tr("Not done")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return isolate(self.text(row, col))
        if role == Qt.ItemDataRole.EditRole:
            return self.text(row, col)
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(row, col)
        if role == Qt.ItemDataRole.CheckStateRole and col == self.DONE:
            done = row.action.done_on is not None
            return Qt.CheckState.Checked if done else Qt.CheckState.Unchecked
        if col == self.DONE and row.action.overdue(self.today):
            palette = QGuiApplication.palette()
            if role == Qt.ItemDataRole.ForegroundRole:
                return danger_color(palette)
            if role == Qt.ItemDataRole.DecorationRole:
                return icons.icon("mdi6.alert-circle-outline", color=danger_color(palette))
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.row() >= len(self._rows):
            return False
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == self.DONE:
            done = Qt.CheckState(value) == Qt.CheckState.Checked
            if not self.editable:
                if row.action.id is not None:
                    self.doneToggled.emit(row.action.id, done)
                return False  # the screen reloads what was stored
            done_on = (row.action.done_on or self.today) if done else None
            self._rows[index.row()] = replace(row, action=replace(row.action, done_on=done_on))
        elif role == Qt.ItemDataRole.EditRole and self.editable:
            text = str(value or "")
            if col == self.TEXT:
                self._rows[index.row()] = replace(row, action=replace(row.action, text=text))
            elif col == self.OWNER:
                self._rows[index.row()] = replace(row, action=replace(row.action, owner=text))
            elif col == self.DUE:
                self._rows[index.row()] = replace(row, due_text=text.strip())
            else:
                return False
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.DONE))
        return True
