"""The Disputes screen's tables: the queue of open disputes and the rates per reviewer.

Rules (UX.md, Tables):
- Numbers are right-aligned; scores and rates with one decimal in the user's locale,
  dates in the locale's short format; "—" where a value (or a rate's denominator) is
  missing.
- ``SORT_ROLE`` gives a cell's raw value so a ``QSortFilterProxyModel`` sorts numbers
  and dates as such; ``ID_ROLE`` gives what a row is about (an evaluation, a reviewer)
  so the screen keeps the selection across refreshes.
- Overdue never rides on colour alone: the word "Overdue", an icon and bold type go
  with the warning colour.
- Every cell's text is a bidi isolate taking its direction from its first letter
  (``isolate``): "10 working days" and "17 11 2026" read left-to-right in a
  right-to-left table, and a Persian translation still reads right-to-left. The plain
  text is the cell's tooltip and accessible text (names and titles may be elided when
  the window is narrow).
- Header texts are written out where they are translated, each a marked literal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Qt,
)
from PySide6.QtGui import QFont, QGuiApplication

from qa_monitor.core.scoring import SCORE_DECIMALS, displayed_score
from qa_monitor.services.dispute_list_service import QueueItem, ReviewerRates
from qa_monitor.ui import icons
from qa_monitor.ui.models.dashboard_table_models import isolate
from qa_monitor.ui.models.table_base import (
    ID_ROLE,
    NO_VALUE,
    RIGHT,
    SORT_ROLE,
    HeaderedTable,
    Index,
)
from qa_monitor.ui.widgets.widget_style import danger_color, muted_color


class _Table(HeaderedTable):
    def _percent(self, share: float | None) -> str:
        if share is None:
            return NO_VALUE
        return self.tr("{0}%").format(self._locale.toString(share * 100, "f", 1))


class QueueTableModel(_Table):
    """Open disputes, one row each (``DisputeService.queue``)."""

    (AGENT, TEAM, FORM, INTERACTION, REVIEWER, SCORE, DISPUTED_ON, AGE, DEADLINE, DUE,
     QUESTIONS, RE_REVIEWER) = range(12)  # fmt: skip
    NUMERIC = frozenset({SCORE, AGE, QUESTIONS})
    # Names and titles: the columns that give way (elided) when the window is narrow.
    ELASTIC = (FORM, AGENT, TEAM, REVIEWER, RE_REVIEWER)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[QueueItem] = []
        self.today = date.today()

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Agent"),
            self.tr("Team"),
            self.tr("Form"),
            self.tr("Interaction"),
            self.tr("Scored by"),
            self.tr("Score"),
            self.tr("Disputed"),
            self.tr("Age"),
            self.tr("Deadline"),
            self.tr("Due"),
            self.tr("Questions"),
            self.tr("Re-reviewer"),
        )

    def tips(self) -> tuple[str, ...]:
        return (
            "",
            self.tr("The agent's team when the interaction took place"),
            "",
            self.tr("The day of the interaction that was scored"),
            self.tr("The reviewer who scored the evaluation the agent disputes"),
            self.tr("The score the agent disputes (%)"),
            self.tr("The day the agent disputed the evaluation"),
            self.tr("Working days since the agent disputed"),
            self.tr("The last working day for the re-review (Settings ▸ Centre)"),
            self.tr("Whether the re-review is overdue, due today or on time"),
            self.tr("How many questions the agent disputes"),
            self.tr("The reviewer asked to re-review the dispute"),
        )

    # ---------------------------------------------------------------- rows
    def set_rows(self, rows: Sequence[QueueItem], today: date) -> None:
        self.beginResetModel()
        self._rows, self.today = list(rows), today
        self.endResetModel()

    def row_at(self, row: int) -> QueueItem:
        return self._rows[row]

    def row_of(self, evaluation_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.evaluation_id == evaluation_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    # ---------------------------------------------------------------- cells
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return isolate(self.text(item, col))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.text(item, col)
        if role == ID_ROLE:
            return item.evaluation_id
        if role == SORT_ROLE:
            return self._sort_value(item, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.NUMERIC:
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, col)
        if col in (self.DEADLINE, self.DUE) and item.overdue:
            palette = QGuiApplication.palette()
            if role == Qt.ItemDataRole.ForegroundRole:
                return danger_color(palette)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.DecorationRole and col == self.DUE:
                return icons.icon("mdi6.alert-circle-outline", color=danger_color(palette))
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and col == self.RE_REVIEWER
            and item.re_reviewer_name is None
        ):
            return muted_color(QGuiApplication.palette())
        return None

    def due_text(self, item: QueueItem) -> str:
        if item.overdue:
            return self.tr("Overdue")
        if item.deadline == self.today:
            return self.tr("Due today")
        return self.tr("On time")

    def text(self, item: QueueItem, col: int) -> str:
        if col == self.AGENT:
            return item.agent_name
        if col == self.TEAM:
            return item.team_name or NO_VALUE
        if col == self.FORM:
            return item.form_title
        if col == self.INTERACTION:
            return self._date(item.interaction_date)
        if col == self.REVIEWER:
            return item.reviewer_name
        if col == self.SCORE:
            if item.score is None:
                return NO_VALUE
            return self._locale.toString(displayed_score(item.score), "f", SCORE_DECIMALS)
        if col == self.DISPUTED_ON:
            return self._date(item.disputed_on)
        if col == self.AGE:
            return self.tr("%n working day(s)", "", item.age_days)
        if col == self.DEADLINE:
            return self._date(item.deadline)
        if col == self.DUE:
            return self.due_text(item)
        if col == self.QUESTIONS:
            return self._count(item.questions)
        return item.re_reviewer_name or self.tr("Not assigned")

    def _tooltip(self, item: QueueItem, col: int) -> str | None:
        if col == self.DUE and item.overdue:
            return self.tr(
                "The re-review was due on {0}; it is overdue. Assign a re-reviewer or "
                "re-review it now."
            ).format(self._date(item.deadline))
        if col == self.RE_REVIEWER and item.re_reviewer_name is None:
            return self.tr("Nobody is asked to re-review it yet; assign one with Ctrl+Shift+A.")
        if col in self.ELASTIC:
            return self.text(item, col)  # the whole name or title, when the cell elides it
        return None

    def _sort_value(self, item: QueueItem, col: int) -> Any:
        values: tuple[Any, ...] = (
            item.agent_name.casefold(),
            (item.team_name or "").casefold(),
            item.form_title.casefold(),
            item.interaction_date.toordinal(),
            item.reviewer_name.casefold(),
            float("-inf") if item.score is None else item.score,
            item.disputed_on.toordinal(),
            item.age_days,
            item.deadline.toordinal(),
            # Overdue first, then due today, then on time; each by deadline.
            (0 if item.overdue else 1 if item.deadline == self.today else 2) * 1_000_000
            + item.deadline.toordinal(),
            item.questions,
            (item.re_reviewer_name or "").casefold(),
        )
        return values[col]


class RatesTableModel(_Table):
    """Dispute and overturn rates per reviewer (``DisputeService.reviewer_rates``)."""

    (REVIEWER, EVALUATIONS, DISPUTED, DISPUTE_RATE, QUESTIONS, DECIDED, OVERTURNED,
     OVERTURN_RATE) = range(8)  # fmt: skip
    NUMERIC = frozenset(range(1, 8))

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[ReviewerRates] = []

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Reviewer"),
            self.tr("Evaluations"),
            self.tr("Disputed"),
            self.tr("Dispute rate"),
            self.tr("Disputed questions"),
            self.tr("Decided"),
            self.tr("Overturned"),
            self.tr("Overturn rate"),
        )

    def tips(self) -> tuple[str, ...]:
        return (
            "",
            self.tr("Submitted regular evaluations of interactions in the period"),
            self.tr("Of those, how many the agents disputed"),
            self.tr("Disputed evaluations as a share of the reviewer's evaluations"),
            self.tr("Questions the agents disputed in those evaluations"),
            self.tr("Disputed questions already re-reviewed"),
            self.tr("Decided questions whose answer was changed"),
            self.tr("Overturned questions as a share of the decided ones"),
        )

    def set_rows(self, rows: Sequence[ReviewerRates]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ReviewerRates:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        rates, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return isolate(self.text(rates, col))
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(rates, col)
        if role == ID_ROLE:
            return rates.reviewer_id
        if role == SORT_ROLE:
            value = self._values(rates)[col]
            return float("-inf") if value is None else value
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.NUMERIC:
            return RIGHT
        return None

    @staticmethod
    def _values(r: ReviewerRates) -> tuple[Any, ...]:
        return (
            r.reviewer_name.casefold(),
            r.evaluations,
            r.disputed,
            r.dispute_rate,
            r.disputed_questions,
            r.decided_questions,
            r.overturned_questions,
            r.overturn_rate,
        )

    def text(self, r: ReviewerRates, col: int) -> str:
        if col == self.REVIEWER:
            return r.reviewer_name
        if col == self.DISPUTE_RATE:
            return self._percent(r.dispute_rate)
        if col == self.OVERTURN_RATE:
            return self._percent(r.overturn_rate)
        value = self._values(r)[col]
        return self._count(int(value))
