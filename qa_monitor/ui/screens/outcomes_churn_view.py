"""The Outcomes screen's "Churn reasons" tab: the Pareto of reasons by the team that can
act on each (customers who left, or retention calls that ended lost), its table, and
the retention save rate by reason and by agent.

Rules:
- The reasons and their acting teams are the centre's list (Settings ▸ Churn
  reasons); default labels are shown in the user's language.
- Enter or a double-click on an agent's save-rate row asks for that agent's
  evaluations of the period (``agentActivated``).
"""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.figure import Figure
from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from qa_monitor.core.churn_reasons import ChurnReasons
from qa_monitor.reports.charts_outcomes import ParetoBar, ParetoTexts, churn_pareto_figure
from qa_monitor.reports.charts_style import ChartTheme
from qa_monitor.ui import outcome_texts as texts
from qa_monitor.ui.models.outcomes_loader import OutcomesResult
from qa_monitor.ui.models.outcomes_models import ReasonsModel, SaveRatesModel
from qa_monitor.ui.models.table_base import ID_ROLE
from qa_monitor.ui.screens.outcomes_tables import fit, outcome_table, titled
from qa_monitor.ui.widgets.chart_widget import ChartWidget

LEFT, LOST_CALLS = "left", "lost_calls"


class ChurnReasonsView(QWidget):
    agentActivated = Signal(int)  # agent id

    def __init__(self, agent_name: Callable[[object], str], parent: QWidget | None = None):
        super().__init__(parent)
        self.result: OutcomesResult | None = None
        self.reasons = ChurnReasons()
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        caption = QLabel(self.tr("Cou&nt:"))
        self.source = QComboBox()
        self.source.setAccessibleName(self.tr("What to count"))
        self.source.addItem(self.tr("Customers who left (churn events)"), LEFT)
        self.source.addItem(self.tr("Retention calls that ended lost"), LOST_CALLS)
        self.source.currentIndexChanged.connect(lambda _i: self._show_reasons())
        caption.setBuddy(self.source)
        bar.addWidget(caption)
        bar.addWidget(self.source)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setProperty("role", "muted")
        layout.addWidget(self.empty)

        self.chart = ChartWidget(self.tr("Churn reasons"))
        self.reasons_model = ReasonsModel(self)
        self.reasons_table = outcome_table(self.tr("Churn reasons"), self.reasons_model, self)
        self.by_team = QLabel()
        self.by_team.setWordWrap(True)
        self.by_team.setProperty("role", "muted")
        self.by_reason_model = SaveRatesModel(self.tr("Reason"), self._reason_name, self)
        self.by_agent_model = SaveRatesModel(self.tr("Agent"), agent_name, self)
        self.by_reason = outcome_table(self.tr("Save rate by reason"), self.by_reason_model, self)
        self.by_agent = outcome_table(self.tr("Save rate by agent"), self.by_agent_model, self)
        self.by_agent.activated.connect(self._agent_activated)
        self.by_agent.setToolTip(self.tr("Enter or double-click lists the agent's evaluations"))

        save_hint = self.tr(
            "Retention calls saved of those decided (retained or lost), with the 95 % Wilson "
            "interval; undecided calls are left out."
        )
        layout.addWidget(self.chart)
        layout.addWidget(titled(self.tr("Reasons, &largest first"), self.reasons_table))
        layout.addWidget(self.by_team)
        grid = QGridLayout()
        grid.addWidget(titled(self.tr("Save rate by rea&son"), self.by_reason, save_hint), 0, 0)
        grid.addWidget(titled(self.tr("S&ave rate by agent"), self.by_agent, " "), 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addStretch(1)

    def _reason_name(self, code: object) -> str:
        if code is None:
            return self.tr("No reason given")
        reason = self.reasons.by_code(str(code))
        return texts.reason_label(reason.code, reason.label)

    def show_result(self, result: OutcomesResult, reasons: ChurnReasons) -> None:
        self.result, self.reasons = result, reasons
        self._show_reasons()
        self.by_reason_model.set_rows(result.by_reason)
        self.by_agent_model.set_rows(result.by_agent)
        fit(self.by_reason, len(result.by_reason))
        fit(self.by_agent, len(result.by_agent))

    def _show_reasons(self) -> None:
        if self.result is None:
            return
        source = self.source.currentData()
        rows = self.result.reasons.left if source == LEFT else self.result.reasons.lost_calls
        self.reasons_model.set_rows(rows)
        fit(self.reasons_table, len(rows))
        if source == LEFT and self.result.reasons.by_team:
            parts = "; ".join(
                self.tr("{0}: {1}").format(texts.team_label(team), n)
                for team, n in self.result.reasons.by_team
            )
            self.by_team.setText(
                self.tr("Customers who left, by the team that can act: {0}.").format(parts)
            )
        else:
            self.by_team.setText("")
        if not rows:
            self.empty.setText(
                self.tr(
                    "No churn events in this period. Import them with Data ▸ Import churn "
                    "events, or choose a longer period."
                )
                if source == LEFT
                else self.tr("No retention call ended lost in this period.")
            )
        self.empty.setVisible(not rows)
        teams = [texts.team_label(t) for t in self.reasons.acting_teams()]
        bars = [
            ParetoBar(
                texts.reason_label(r.code, r.label),
                texts.team_label(r.acting_team) if r.acting_team else "",
                r.n,
                r.cumulative,
            )
            for r in rows
        ]
        chart_texts = ParetoTexts(
            self.tr("Churn reasons by the team that can act"),
            self.tr("Customers who left (count)")
            if source == LEFT
            else self.tr("Retention calls lost (count)"),
            self.tr("Cumulative share (%)"),
            self.tr("No team named"),
            self.tr("No churn reasons in this period."),
        )

        def build(fig: Figure | None, theme: ChartTheme) -> Figure:
            return churn_pareto_figure(bars, teams, chart_texts, theme=theme, fig=fig)

        self.chart.set_builder(build)

    def _agent_activated(self, index: QModelIndex) -> None:
        key = index.data(ID_ROLE)
        if isinstance(key, int):
            self.agentActivated.emit(key)
