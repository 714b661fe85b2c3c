"""The My queue screen's tables: my queued calls, coverage per agent, workload per
reviewer, overdue and unassigned calls, and the sampling rules.

Rules (UX.md, Tables; as dispute_table_models):
- Numbers are right-aligned, dates in the locale's short format, durations m:ss; "—"
  where a value is missing.
- ``SORT_ROLE`` gives a cell's raw value so a ``QSortFilterProxyModel`` sorts numbers
  and dates as such; ``ID_ROLE`` gives the row's record id so the screen keeps the
  selection across refreshes.
- A status never rides on colour alone: a word and an icon go together (Open, Started,
  Overdue, Skipped; Active, Inactive).
- Every cell's text is a bidi isolate (``isolate``), so ids, dates and numbers read
  left-to-right in a right-to-left table; the plain text is the accessible text and
  the tooltip of the columns that may elide.
- Rules are described in whole translatable sentences ("4 per agent per week",
  "Every call with CSAT ≤ 2"); filters are a list of such phrases.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QGuiApplication, QIcon

from qa_monitor.core.sampling import PeriodKind, RuleKind, SamplingRule
from qa_monitor.services.queue_service import AgentCoverage, QueueRow, ReviewerLoadRow
from qa_monitor.ui import icons
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.models.dashboard_table_models import isolate
from qa_monitor.ui.models.table_base import ID_ROLE, NO_VALUE, RIGHT, SORT_ROLE
from qa_monitor.ui.widgets.widget_style import danger_color, muted_color

__all__ = [
    "ID_ROLE",
    "SORT_ROLE",
    "CoverageAgentsModel",
    "CoverageCallsModel",
    "MyQueueModel",
    "ReviewerLoadModel",
    "RulesModel",
    "channel_words",
    "rule_filters_text",
    "rule_kind_text",
]

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


class QueueWords(QObject):
    """The queue's texts that several tables and dialogs share (``self.tr`` so that
    lupdate files them, counted ones too, under this class)."""

    def channel(self, channel: str) -> str:
        """A channel as an adjective before "call(s)": "chat", "phone"."""
        return {
            "phone": self.tr("phone"),
            "chat": self.tr("chat"),
            "email": self.tr("email"),
            "social": self.tr("social"),
        }.get(channel, channel)

    def kind(self, rule: SamplingRule) -> str:
        if rule.kind is RuleKind.SAMPLE:
            n = rule.per_agent or 0
            if rule.period is PeriodKind.MONTH:
                return self.tr("%n per agent per month", "", n)
            return self.tr("%n per agent per week", "", n)
        if rule.max_csat is not None:
            return self.tr("Every call with CSAT ≤ {0}").format(rule.max_csat)
        return self.tr("Every call that matches")

    def filters(self, rule: SamplingRule) -> str:
        parts: list[str] = []
        if rule.channel:
            parts.append(self.tr("Only {0} calls").format(self.channel(rule.channel)))
        if rule.max_csat is not None and rule.kind is RuleKind.SAMPLE:
            parts.append(self.tr("CSAT at most {0}").format(rule.max_csat))
        if rule.contact_reason:
            parts.append(self.tr("Contact reason contains “{0}”").format(rule.contact_reason))
        if rule.min_duration_s:
            minutes = round(rule.min_duration_s / 60)
            parts.append(self.tr("At least %n minute(s) long", "", minutes))
        if rule.tenure_days is not None:
            parts.append(self.tr("Agents in their first %n day(s)", "", rule.tenure_days))
        if rule.min_channel and rule.min_channel_count:
            parts.append(
                self.tr("At least %n {0} call(s)", "", rule.min_channel_count).format(
                    self.channel(rule.min_channel)
                )
            )
        if rule.stratify:
            parts.append(self.tr("Spread over channels"))
        if rule.exclude_own_team:
            parts.append(self.tr("Reviewers kept off their own team"))
        if not parts:
            return self.tr("No filters")
        return self.tr("; ").join(parts)

    def reason(self, row: QueueRow, rules: dict[int, SamplingRule]) -> str:
        if row.reason == "every":
            return self.tr("Every call that matches")
        if row.reason == "minimum":
            rule = rules.get(row.rule_id)
            n = rule.min_channel_count if rule is not None and rule.min_channel_count else 1
            return self.tr("At least %n {0} call(s)", "", n).format(self.channel(row.channel))
        return self.tr("Random sample")


def channel_words(channel: str) -> str:
    """A channel as an adjective before "call(s)": "chat", "phone"."""
    return QueueWords().channel(channel)


def rule_kind_text(rule: SamplingRule) -> str:
    """What a rule takes, in words: "4 per agent per week", "Every call with CSAT ≤ 2"."""
    return QueueWords().kind(rule)


def rule_filters_text(rule: SamplingRule) -> str:
    """The rule's filters as a list of phrases ("Only chat calls; CSAT at most 2"), or
    "No filters"."""
    return QueueWords().filters(rule)


def reason_text(row: QueueRow, rules: dict[int, SamplingRule]) -> str:
    """Why a call is queued: "Random sample", "At least 1 chat call", "Every call that
    matches"."""
    return QueueWords().reason(row, rules)


class _Rows(QAbstractTableModel, Generic[Row]):
    """A read-only table of ``Row`` records; subclasses say the headers and cells."""

    NUMERIC: frozenset[int] = frozenset()
    ELASTIC: tuple[int, ...] = ()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[Row] = []
        self._locale = QLocale()

    def headers(self) -> tuple[str, ...]:
        raise NotImplementedError

    def text(self, row: Row, col: int) -> str:
        raise NotImplementedError

    def sort_value(self, row: Row, col: int) -> Any:
        return self.text(row, col).casefold()

    def row_id(self, row: Row) -> int:
        raise NotImplementedError

    def icon(self, row: Row, col: int) -> QIcon | None:
        return None

    def tooltip(self, row: Row, col: int) -> str | None:
        return self.text(row, col) if col in self.ELASTIC else None

    def warn(self, row: Row, col: int) -> bool:
        return False

    # ---------------------------------------------------------------- rows
    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def row_of(self, record_id: int | None) -> int:
        if record_id is None:
            return -1
        return next((i for i, r in enumerate(self._rows) if self.row_id(r) == record_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self.NUMERIC:
            return RIGHT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return isolate(self.text(row, col))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.text(row, col)
        if role == ID_ROLE:
            return self.row_id(row)
        if role == SORT_ROLE:
            return self.sort_value(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.NUMERIC:
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, col)
        if role == Qt.ItemDataRole.DecorationRole:
            return self.icon(row, col)
        if role == Qt.ItemDataRole.ForegroundRole and self.warn(row, col):
            return danger_color(QGuiApplication.palette())
        return None

    # ---------------------------------------------------------------- helpers
    def _date(self, day: date) -> str:
        return date_text(day, self._locale)

    def _count(self, value: int) -> str:
        return self._locale.toString(value)

    def _duration(self, seconds: float | None) -> str:
        if seconds is None:
            return NO_VALUE
        minutes, secs = divmod(round(seconds), 60)
        if minutes >= 60:
            return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"
        return f"{minutes}:{secs:02d}"


def _icon(name: str, warn: bool = False) -> QIcon:
    palette = QGuiApplication.palette()
    color = danger_color(palette) if warn else palette.text().color()
    return icons.icon(name, color=color)


class MyQueueModel(_Rows[QueueRow]):
    """The reviewer's queued calls not yet done (``QueueService.my_queue``)."""

    (DUE, STATUS, CALL, CALL_DATE, AGENT, TEAM, CHANNEL, DURATION, FORM,
     WHY) = range(10)  # fmt: skip
    NUMERIC = frozenset({DURATION})
    ELASTIC = (AGENT, TEAM, FORM, WHY)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.today = date.today()
        self.rules: dict[int, SamplingRule] = {}
        self._position: dict[int, int] = {}

    def set_queue(
        self, rows: Sequence[QueueRow], today: date, rules: Sequence[SamplingRule]
    ) -> None:
        self.today = today
        self.rules = {r.id: r for r in rules if r.id is not None}
        # The service's order (due date, then call time, the same on every site)
        # breaks ties when sorting by due date.
        self._position = {r.id: i for i, r in enumerate(rows)}
        self.set_rows(rows)

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Due"),
            self.tr("Status"),
            self.tr("Call"),
            self.tr("Call date"),
            self.tr("Agent"),
            self.tr("Team"),
            self.tr("Channel"),
            self.tr("Duration"),
            self.tr("Form"),
            self.tr("Why"),
        )

    def row_id(self, row: QueueRow) -> int:
        return row.id

    def status(self, row: QueueRow) -> str:
        """open, started, overdue or skipped."""
        if row.status == "skipped":
            return "skipped"
        if row.due_date < self.today:
            return "overdue"
        return "started" if row.started else "open"

    def status_text(self, row: QueueRow) -> str:
        return {
            "skipped": self.tr("Skipped"),
            "overdue": self.tr("Overdue"),
            "started": self.tr("Started"),
            "open": self.tr("Open"),
        }[self.status(row)]

    def text(self, row: QueueRow, col: int) -> str:
        if col == self.DUE:
            return self._date(row.due_date)
        if col == self.STATUS:
            return self.status_text(row)
        if col == self.CALL:
            return row.external_id or NO_VALUE
        if col == self.CALL_DATE:
            return self._date(row.local_date)
        if col == self.AGENT:
            return row.agent_name
        if col == self.TEAM:
            return row.team_name or NO_VALUE
        if col == self.CHANNEL:
            return channel_words(row.channel).capitalize()
        if col == self.DURATION:
            return self._duration(row.duration_s)
        if col == self.FORM:
            return row.form_title
        return self.tr("{rule}: {reason}").format(
            rule=row.rule_name, reason=reason_text(row, self.rules)
        )

    def sort_value(self, row: QueueRow, col: int) -> Any:
        if col == self.DUE:
            return (row.due_date.toordinal(), self._position.get(row.id, 0))
        if col == self.CALL_DATE:
            return row.local_date.toordinal()
        if col == self.DURATION:
            return row.duration_s or 0.0
        if col == self.STATUS:
            return ("overdue", "started", "open", "skipped").index(self.status(row))
        return super().sort_value(row, col)

    def icon(self, row: QueueRow, col: int) -> QIcon | None:
        if col != self.STATUS:
            return None
        name = {
            "skipped": "mdi6.skip-next-circle-outline",
            "overdue": "mdi6.alert-circle-outline",
            "started": "mdi6.progress-pencil",
            "open": "mdi6.circle-outline",
        }[self.status(row)]
        return _icon(name, warn=self.status(row) == "overdue")

    def warn(self, row: QueueRow, col: int) -> bool:
        return col in (self.DUE, self.STATUS) and self.status(row) == "overdue"

    def tooltip(self, row: QueueRow, col: int) -> str | None:
        if col == self.STATUS:
            if row.status == "skipped":
                return self.tr("Skipped: {0}. Reopen it with Ctrl+Shift+R.").format(row.note)
            if self.status(row) == "overdue":
                return self.tr("It was due on {0}; it is overdue.").format(self._date(row.due_date))
            if row.started:
                return self.tr("A draft of this call exists; Enter resumes yours.")
        return super().tooltip(row, col)


class CoverageAgentsModel(_Rows[AgentCoverage]):
    """Done against target per agent in a period (``Coverage.agents``)."""

    (AGENT, TEAM, TARGET, QUEUED, DONE, REMAINING, SKIPPED, OVERDUE,
     EVALUATED) = range(9)  # fmt: skip
    NUMERIC = frozenset(range(2, 9))
    ELASTIC = (AGENT, TEAM)

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Agent"),
            self.tr("Team"),
            self.tr("Target"),
            self.tr("Queued"),
            self.tr("Done"),
            self.tr("Remaining"),
            self.tr("Skipped"),
            self.tr("Overdue"),
            self.tr("All evaluations"),
        )

    def row_id(self, row: AgentCoverage) -> int:
        return row.agent_id

    def _values(self, row: AgentCoverage) -> tuple[int, ...]:
        return (
            row.target, row.queued, row.done, row.remaining, row.skipped, row.overdue,
            row.evaluated,
        )  # fmt: skip

    def text(self, row: AgentCoverage, col: int) -> str:
        if col == self.AGENT:
            return row.name
        if col == self.TEAM:
            return row.team_name or NO_VALUE
        return self._count(self._values(row)[col - 2])

    def sort_value(self, row: AgentCoverage, col: int) -> Any:
        if col >= 2:
            return self._values(row)[col - 2]
        return super().sort_value(row, col)

    def warn(self, row: AgentCoverage, col: int) -> bool:
        return col == self.OVERDUE and row.overdue > 0

    def icon(self, row: AgentCoverage, col: int) -> QIcon | None:
        if col == self.OVERDUE and row.overdue > 0:
            return _icon("mdi6.alert-circle-outline", warn=True)
        return None


class ReviewerLoadModel(_Rows[ReviewerLoadRow]):
    """Open and overdue calls per reviewer now, and what the period gave them."""

    REVIEWER, OPEN, OVERDUE, GIVEN, DONE, EVALUATED = range(6)
    NUMERIC = frozenset(range(1, 6))
    ELASTIC = (REVIEWER,)

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Reviewer"),
            self.tr("Open now"),
            self.tr("Overdue"),
            self.tr("Given this period"),
            self.tr("Done this period"),
            self.tr("Evaluated this period"),
        )

    def row_id(self, row: ReviewerLoadRow) -> int:
        return row.reviewer_id

    def _values(self, row: ReviewerLoadRow) -> tuple[int, ...]:
        return (
            row.open_items, row.overdue, row.assigned_in_period, row.done_in_period,
            row.evaluated_in_period,
        )  # fmt: skip

    def text(self, row: ReviewerLoadRow, col: int) -> str:
        if col == self.REVIEWER:
            return row.name
        return self._count(self._values(row)[col - 1])

    def sort_value(self, row: ReviewerLoadRow, col: int) -> Any:
        if col >= 1:
            return self._values(row)[col - 1]
        return super().sort_value(row, col)

    def warn(self, row: ReviewerLoadRow, col: int) -> bool:
        return col == self.OVERDUE and row.overdue > 0

    def icon(self, row: ReviewerLoadRow, col: int) -> QIcon | None:
        if col == self.OVERDUE and row.overdue > 0:
            return _icon("mdi6.alert-circle-outline", warn=True)
        return None


class CoverageCallsModel(_Rows[QueueRow]):
    """Overdue calls (any period) and the period's unassigned ones, overdue first."""

    STATE, DUE, CALL, CALL_DATE, AGENT, TEAM, REVIEWER, RULE = range(8)
    ELASTIC = (AGENT, TEAM, REVIEWER, RULE)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.today = date.today()

    def set_calls(self, rows: Sequence[QueueRow], today: date) -> None:
        self.today = today
        self.set_rows(rows)

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("State"),
            self.tr("Due"),
            self.tr("Call"),
            self.tr("Call date"),
            self.tr("Agent"),
            self.tr("Team"),
            self.tr("Reviewer"),
            self.tr("Rule"),
        )

    def row_id(self, row: QueueRow) -> int:
        return row.id

    def overdue(self, row: QueueRow) -> bool:
        return row.due_date < self.today and row.status == "open" and not row.done

    def text(self, row: QueueRow, col: int) -> str:
        if col == self.STATE:
            if self.overdue(row) and row.reviewer_id is None:
                return self.tr("Overdue, unassigned")
            return self.tr("Overdue") if self.overdue(row) else self.tr("Unassigned")
        if col == self.DUE:
            return self._date(row.due_date)
        if col == self.CALL:
            return row.external_id or NO_VALUE
        if col == self.CALL_DATE:
            return self._date(row.local_date)
        if col == self.AGENT:
            return row.agent_name
        if col == self.TEAM:
            return row.team_name or NO_VALUE
        if col == self.REVIEWER:
            return row.reviewer_name or self.tr("Nobody")
        return row.rule_name

    def sort_value(self, row: QueueRow, col: int) -> Any:
        if col in (self.STATE, self.DUE):
            return (0 if self.overdue(row) else 1, row.due_date.toordinal(), row.id)
        if col == self.CALL_DATE:
            return row.local_date.toordinal()
        return super().sort_value(row, col)

    def icon(self, row: QueueRow, col: int) -> QIcon | None:
        if col != self.STATE:
            return None
        if self.overdue(row):
            return _icon("mdi6.alert-circle-outline", warn=True)
        return _icon("mdi6.account-off-outline")

    def warn(self, row: QueueRow, col: int) -> bool:
        return col in (self.STATE, self.DUE) and self.overdue(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.isValid()
            and index.column() == self.REVIEWER
            and self._rows[index.row()].reviewer_id is None
        ):
            return muted_color(QGuiApplication.palette())
        return super().data(index, role)


class RulesModel(_Rows[SamplingRule]):
    """The sampling rules, active ones first."""

    NAME, TEAM, FORM, KIND, FILTERS, SEED, DUE, ACTIVE = range(8)
    NUMERIC = frozenset({SEED})
    ELASTIC = (NAME, TEAM, FORM, FILTERS)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.teams: dict[int, str] = {}
        self.forms: dict[str, str] = {}

    def set_rules(
        self, rules: Sequence[SamplingRule], teams: dict[int, str], forms: dict[str, str]
    ) -> None:
        self.teams, self.forms = teams, forms
        self.set_rows(rules)

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Name"),
            self.tr("Team"),
            self.tr("Form"),
            self.tr("Takes"),
            self.tr("Filters"),
            self.tr("Seed"),
            self.tr("Due"),
            self.tr("State"),
        )

    def row_id(self, row: SamplingRule) -> int:
        return row.id or 0

    def text(self, row: SamplingRule, col: int) -> str:
        if col == self.NAME:
            return row.name
        if col == self.TEAM:
            if row.team_id is None:
                return self.tr("All teams")
            return self.teams.get(row.team_id, NO_VALUE)
        if col == self.FORM:
            return self.forms.get(row.form_id, row.form_id)
        if col == self.KIND:
            return rule_kind_text(row)
        if col == self.FILTERS:
            return rule_filters_text(row)
        if col == self.SEED:
            return str(row.seed)
        if col == self.DUE:
            return self.tr("%n working day(s) after the period", "", row.due_days)
        return self.tr("Active") if row.active else self.tr("Inactive")

    def sort_value(self, row: SamplingRule, col: int) -> Any:
        if col == self.SEED:
            return row.seed
        if col == self.DUE:
            return row.due_days
        if col == self.ACTIVE:
            return 0 if row.active else 1
        return super().sort_value(row, col)

    def icon(self, row: SamplingRule, col: int) -> QIcon | None:
        if col != self.ACTIVE:
            return None
        return _icon("mdi6.check-circle-outline" if row.active else "mdi6.pause-circle-outline")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.isValid()
            and not self._rows[index.row()].active
        ):
            return muted_color(QGuiApplication.palette())
        return super().data(index, role)
