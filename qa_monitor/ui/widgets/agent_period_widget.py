"""Choose one agent and a period (a preset or two dates), and see how many of the agent's
evaluations that covers: the scope of an agent's coaching workbook.

The count uses the counting rule the workbook will use (``set_rule``; by default
``reports.counting_rule``'s: submitted, regular evaluations only).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QLabel, QWidget

from qa_monitor.core.records import EvaluationFilter
from qa_monitor.reports.counting_rule import CountingRule
from qa_monitor.services import Services
from qa_monitor.ui.date_texts import centre_day
from qa_monitor.ui.widgets.date_field_widget import set_up_date_edit

CUSTOM = "custom"


def preset_range(key: str, today: date) -> tuple[date, date]:
    """(first, last) day of a named period ending today (last month: the whole month)."""
    if key == "last_30":
        return today - timedelta(days=29), today
    if key == "last_90":
        return today - timedelta(days=89), today
    if key == "month":
        return today.replace(day=1), today
    if key == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if key == "quarter":
        return date(today.year, (today.month - 1) // 3 * 3 + 1, 1), today
    if key == "year":
        return date(today.year, 1, 1), today
    raise ValueError(f"unknown period '{key}'")


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class AgentPeriodWidget(QWidget):
    changed = Signal()

    def __init__(
        self,
        services: Services,
        today: date,
        flt: EvaluationFilter | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.services = services
        self.today = today
        self._rule = CountingRule()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.agent = QComboBox()
        self.agent.setAccessibleName(self.tr("Agent"))
        agents = sorted(services.people.list_agents(), key=lambda a: (not a.active, a.name))
        for agent in agents:
            name = agent.name if agent.active else self.tr("{0} (inactive)").format(agent.name)
            self.agent.addItem(name, agent.id)
        if flt is not None and len(flt.agent_ids) == 1:
            self.agent.setCurrentIndex(max(0, self.agent.findData(flt.agent_ids[0])))
        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Period"))
        for key, text in (
            ("last_30", self.tr("Last 30 days")),
            ("last_90", self.tr("Last 90 days")),
            ("month", self.tr("This month")),
            ("last_month", self.tr("Last month")),
            ("quarter", self.tr("This quarter")),
            ("year", self.tr("This year")),
            (CUSTOM, self.tr("Custom dates")),
        ):
            self.period.addItem(text, key)
        self.first = QDateEdit()
        self.last = QDateEdit()
        dates = QHBoxLayout()
        for edit, name in ((self.first, self.tr("From")), (self.last, self.tr("To"))):
            edit.setAccessibleName(name)
            set_up_date_edit(edit, centre_day(services))
            edit.dateChanged.connect(self._dates_edited)
        dates.addWidget(self.first)
        dates.addWidget(QLabel(self.tr("to")))
        dates.addWidget(self.last)
        dates.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)
        self.count_label.setAccessibleName(self.tr("Evaluations in the workbook"))
        form.addRow(self.tr("&Agent:"), self.agent)
        form.addRow(self.tr("&Period:"), self.period)
        form.addRow(self.tr("Dates:"), dates)
        form.addRow(self.tr("Evaluations:"), self.count_label)
        self._count = 0
        self.period.setCurrentIndex(self.period.findData("last_90"))
        self._apply_preset()
        self.agent.currentIndexChanged.connect(lambda _i: self._update())
        self.period.currentIndexChanged.connect(lambda _i: self._apply_preset())

    # ------------------------------------------------------------------ reading
    def agent_id(self) -> int | None:
        value = self.agent.currentData()
        return None if value is None else int(value)

    def agent_name(self) -> str:
        agent_id = self.agent_id()
        if agent_id is None:
            return ""
        return self.services.people.get_agent(agent_id).name

    def date_from(self) -> date:
        return _day(self.first.date())

    def date_to(self) -> date:
        return _day(self.last.date())

    def count(self) -> int:
        return self._count

    def set_rule(self, rule: CountingRule) -> None:
        """Count the evaluations ``rule`` counts from now on."""
        self._rule = rule
        self._update()

    def set_period(self, first: date, last: date) -> None:
        """Custom dates (used by tests and by a caller that knows the period)."""
        with QSignalBlocker(self.first), QSignalBlocker(self.last):
            self.first.setDate(_qdate(first))
            self.last.setDate(_qdate(last))
        self._dates_edited()

    # ------------------------------------------------------------------ updating
    def _apply_preset(self) -> None:
        key = self.period.currentData()
        if key == CUSTOM:
            return
        first, last = preset_range(str(key), self.today)
        with QSignalBlocker(self.first), QSignalBlocker(self.last):
            self.first.setDate(_qdate(first))
            self.last.setDate(_qdate(last))
        self._update()

    def _dates_edited(self) -> None:
        with QSignalBlocker(self.period):
            self.period.setCurrentIndex(self.period.findData(CUSTOM))
        self._update()

    def _update(self) -> None:
        agent_id = self.agent_id()
        first, last = self.date_from(), self.date_to()
        if agent_id is None:
            self._count = 0
            self.count_label.setText(self.tr("No agents yet: import a roster first."))
        elif first > last:
            self._count = 0
            self.count_label.setText(self.tr("The period starts after it ends; swap the dates."))
        else:
            flt = self._rule.apply(
                EvaluationFilter(date_from=first, date_to=last, agent_ids=(agent_id,))
            )
            self._count = self.services.evaluations.count_evaluations(flt)
            if self._count:
                text = self.tr("%n evaluation(s) counted in this period.", "", self._count)
            else:
                text = self.tr(
                    "No evaluations of {0} are counted in this period; choose a longer period "
                    "or another agent, or include more below."
                ).format(self.agent_name())
            self.count_label.setText(text)
        self.changed.emit()
