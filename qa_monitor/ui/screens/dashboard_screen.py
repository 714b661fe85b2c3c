"""The supervisor dashboard: one filter bar, the headline figures of the filter, trend
charts (totals, per section, per question), the question Pareto, the agent league
beside the team and reviewer tables, and the exceptions, all following the filters.

Rules:
- A line under the filters says which evaluations are counted (kinds; never drafts),
  the same sentence the export dialog shows.
- Queries run on a worker thread (``DashboardWorker``): a new filter cancels the query
  still running for the old one, and only the newest result is shown. Widgets and
  figures are touched on the GUI thread only. A busy bar shows while a query runs.
- Charts redraw into their own figures and only when on screen (``ChartWidget``), in
  the theme of the application's palette (light or dark).
- Drill-down (``drillDown(EvaluationFilter)`` or ``evaluationsRequested(ids)``):
  a score, pass-rate or count point lists that period's evaluations; a critical-rate
  point those with a critical failure; an area bar the evaluations that lost points
  in that area; a Pareto bar those that missed the question; a league row's or an
  exception's "Show evaluations" its agent's or team's; a team's or reviewer's row
  (double-click, Enter, menu) theirs. All within the current filters.
- ``agentProfileRequested(agent id)``: double-click (or Enter) on a league row, or
  "Open agent profile" in a row's context menu.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from matplotlib.figure import Figure
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.forms import Category
from qa_monitor.core.records import EvaluationFilter, EvaluationStatus
from qa_monitor.reports import charts
from qa_monitor.reports.analytics import Dashboard, DashboardFilter, QuestionMiss
from qa_monitor.reports.analytics_breakdown import breakdown_granularity
from qa_monitor.reports.charts_style import CATEGORY_LABELS, ChartTheme
from qa_monitor.services.dashboard_service import DashboardService
from qa_monitor.ui.drill_down import EvaluationIds
from qa_monitor.ui.models.dashboard_table_models import (
    ExceptionsTableModel,
    LeagueTableModel,
    ReviewerTableModel,
    TeamTableModel,
)
from qa_monitor.ui.screens import dashboard_points as points
from qa_monitor.ui.screens.dashboard_filter_bar import DashboardFilterBar
from qa_monitor.ui.screens.dashboard_tables import DashboardTable
from qa_monitor.ui.screens.dashboard_worker import DashboardWorker
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.chart_widget import ChartWidget
from qa_monitor.ui.widgets.counting_rule_widget import counted_text

log = logging.getLogger(__name__)
PARETO_TOP = 10
COUNTED = tuple(s for s in EvaluationStatus if s is not EvaluationStatus.DRAFT)


class DashboardScreen(QWidget):
    refreshed = Signal()
    drillDown = Signal(object)  # EvaluationFilter
    evaluationsRequested = Signal(object)  # tuple[int, ...] of evaluation ids
    agentProfileRequested = Signal(int)  # agent id

    def __init__(
        self,
        session: Session | None,
        parent: QWidget | None = None,
        today: date | None = None,
        *,
        db_path: Path | None = None,
    ):
        """The dashboard of ``session``'s database (or, without a session, of the file
        ``db_path``, read-only: benchmarks and viewers; then ``today`` is required)."""
        super().__init__(parent)
        self.session = session
        path = session.path if session is not None else db_path
        if path is None:
            raise ValueError("a dashboard needs a session or a database path")
        self.service = DashboardService(path)
        calendar = self.service.calendar()
        self.week_start = calendar.week_start
        if today is None:
            if session is None:
                raise ValueError("a dashboard without a session needs today's date")
            today = session.services.clock().astimezone(ZoneInfo(calendar.timezone)).date()
        self.today = today
        self.dashboard: Dashboard | None = None
        self._chart_data: Dashboard | None = None  # what the charts show (maybe ahead)
        self._charts_of: DashboardFilter | None = None  # charts shown before the tables
        self._pareto: list[QuestionMiss] = []
        self.worker = DashboardWorker(self.service, self)
        self.worker.charts.connect(self._on_charts)
        self.worker.done.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.refresh)

        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        title = QLabel(self.tr("Dashboard"))
        title.setProperty("role", "pageTitle")
        head.addWidget(title, 1)
        self.busy_label = QLabel(self.tr("Updating…"))
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName(self.tr("Updating the dashboard"))
        self.busy.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 10)
        self.busy.setTextVisible(False)
        head.addWidget(self.busy_label)
        head.addWidget(self.busy)
        layout.addLayout(head)
        self.filters = DashboardFilterBar(self.service.choices())
        self.filters.changed.connect(self._debounce.start)
        layout.addWidget(self.filters)
        self.counting = QLabel()
        self.counting.setWordWrap(True)
        self.counting.setProperty("role", "muted")
        self.counting.setAccessibleName(self.tr("Evaluations counted"))
        layout.addWidget(self.counting)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.headline.setAccessibleName(self.tr("Figures for all the evaluations counted"))
        layout.addWidget(self.headline)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setProperty("role", "muted")
        self.message.setAccessibleName(self.tr("Dashboard status"))
        layout.addWidget(self.message)

        self.score_chart = ChartWidget(self.tr("Score trend"))
        self.rate_chart = ChartWidget(self.tr("Pass and critical-failure rates"))
        self.category_chart = ChartWidget(self.tr("Score by area"))
        self.pareto_chart = ChartWidget(self.tr("Most missed behaviours"))
        self.section_trend_chart = ChartWidget(self.tr("Weakest sections over time"))
        self.question_trend_chart = ChartWidget(self.tr("Most missed questions over time"))
        self.charts = (
            self.score_chart,
            self.rate_chart,
            self.category_chart,
            self.pareto_chart,
            self.section_trend_chart,
            self.question_trend_chart,
        )
        for chart in self.charts:
            chart.describe = self._describe
            chart.pointClicked.connect(self.drill_into_point)
            chart.setToolTip(self.tr("Click a point or bar to list its evaluations"))
        self.pareto_chart.clicked.connect(self._pareto_clicked)
        self.league_model = LeagueTableModel(self)
        self.exceptions_model = ExceptionsTableModel(self)
        self.league_view = DashboardTable(
            self.league_model, self.tr("Agent league"), activate_opens_profile=True
        )
        self.exceptions_view = DashboardTable(
            self.exceptions_model, self.tr("Exceptions"), activate_opens_profile=False
        )
        self.teams_model = TeamTableModel(self)
        self.reviewers_model = ReviewerTableModel(self)
        self.teams_view = DashboardTable(
            self.teams_model,
            self.tr("Teams"),
            activate_opens_profile=False,
            min_rows=8,
            stretch_first=True,
        )
        self.reviewers_view = DashboardTable(
            self.reviewers_model,
            self.tr("Reviewers"),
            activate_opens_profile=False,
            min_rows=8,
            stretch_first=True,
        )
        self.league_view.elide_columns = (0, 1)
        self.exceptions_view.elide_columns = (1, 4)
        for view in (self.league_view, self.exceptions_view, self.teams_view, self.reviewers_view):
            view.showEvaluations.connect(self._show_row_evaluations)
            view.openProfile.connect(self.agentProfileRequested)

        content = QWidget()
        grid = QGridLayout(content)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(self.fontMetrics().horizontalAdvance("M") * 2)
        grid.setVerticalSpacing(self.fontMetrics().height())
        for i, chart in enumerate(self.charts):
            grid.addWidget(chart, i // 2, i % 2, Qt.AlignmentFlag.AlignTop)
        rows = len(self.charts) // 2
        grid.addWidget(self._titled(self.tr("Agent league"), self.league_view), rows, 0)
        groups = QWidget()
        column = QVBoxLayout(groups)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self._titled(self.tr("Teams"), self.teams_view), 1)
        column.addWidget(self._titled(self.tr("Reviewers"), self.reviewers_view), 1)
        grid.addWidget(groups, rows, 1)
        grid.addWidget(self._titled(self.tr("Exceptions"), self.exceptions_view), rows + 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(rows, 1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(content)
        layout.addWidget(self.scroll, 1)

        self._set_busy(False)
        self.refresh()

    @classmethod
    def for_file(cls, path: Path, today: date, parent: QWidget | None = None) -> DashboardScreen:
        """A dashboard over a database file opened read-only (no services needed)."""
        return cls(None, parent, today, db_path=path)

    def _titled(self, text: str, view: QWidget) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(text)
        caption.setProperty("role", "sectionTitle")
        caption.setBuddy(view)
        column.addWidget(caption)
        column.addWidget(view, 1)
        return box

    # ------------------------------------------------------------------ filters
    def current_filter(self) -> DashboardFilter:
        return self.filters.current_filter(self.today, self.week_start)

    def clear_filters(self) -> None:
        self.filters.clear()
        self.refresh()

    # ------------------------------------------------------------------ refresh
    def refresh(self, _changes: object = None) -> int:
        """Start a query for the current filters (cancelling older ones); returns its
        generation."""
        self._debounce.stop()
        self._set_busy(True)
        flt = self.current_filter()
        self.counting.setText(counted_text(flt.kinds, include_drafts=False))
        return self.worker.submit(flt)

    @property
    def generation(self) -> int:
        return self.worker.generation

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.busy_label.setVisible(busy)

    def _on_failed(self, generation: int, error: str) -> None:
        if generation != self.generation:
            return
        self._set_busy(False)
        self.message.setText(
            self.tr(
                "The dashboard could not be updated: {0}. The charts still show the previous "
                "filters; try again, or reopen the database."
            ).format(error)
        )
        self.message.show()

    def _on_charts(self, generation: int, part: Dashboard) -> None:
        if generation == self.generation:  # draw while the tables are computed
            self._show_charts(part)

    def _on_done(self, generation: int, dashboard: Dashboard) -> None:
        if generation != self.generation:
            return  # stale: a newer filter change is on its way
        self._set_busy(False)
        self.show_dashboard(dashboard, charts_shown=self._charts_of is not None)
        self.refreshed.emit()

    def show_dashboard(self, d: Dashboard, *, charts_shown: bool = False) -> None:
        """Show ``d``; ``charts_shown``: its charts already are (from its charts' part)."""
        if not (charts_shown and self._charts_of == d.filter):
            self._show_charts(d)
        self._charts_of = None
        self.dashboard = d
        self._show_tables(d)

    def _show_charts(self, d: Dashboard) -> None:
        self._charts_of = d.filter
        self._chart_data = d
        self._pareto = points.pareto_bars(d, PARETO_TOP)
        marks = d.score.pass_marks

        def score(fig: Figure | None, theme: ChartTheme) -> Figure:
            return charts.score_trend_figure(d.score, theme=theme, fig=fig)

        def rates(fig: Figure | None, theme: ChartTheme) -> Figure:
            return charts.rate_trend_figure(d.rates, theme=theme, fig=fig, beside=d.score)

        def areas(fig: Figure | None, theme: ChartTheme) -> Figure:
            return charts.category_figure(
                d.categories, marks, theme=theme, fig=fig, pass_mark_forms=d.score.pass_mark_forms
            )

        def pareto(fig: Figure | None, theme: ChartTheme) -> Figure:
            return charts.pareto_figure(d.questions, top=PARETO_TOP, theme=theme, fig=fig)

        def sections(fig: Figure | None, theme: ChartTheme) -> Figure:
            return charts.breakdown_trend_figure(
                d.section_trends,
                "Weakest sections",
                "Points earned (% of possible)",
                breakdown_granularity(d.score.granularity),
                theme=theme,
                fig=fig,
            )

        def questions(fig: Figure | None, theme: ChartTheme) -> Figure:
            return charts.breakdown_trend_figure(
                d.question_trends,
                "Miss rate of the most missed questions",
                "Answers below full marks (%)",
                breakdown_granularity(d.score.granularity),
                theme=theme,
                fig=fig,
            )

        builders = (score, rates, areas, pareto, sections, questions)
        for chart, builder in zip(self.charts, builders, strict=True):
            chart.set_builder(builder)

    def _show_tables(self, d: Dashboard) -> None:
        self.league_view.reset_keeping_selection(lambda: self.league_model.set_rows(d.league))
        self.teams_view.reset_keeping_selection(lambda: self.teams_model.set_rows(d.teams))
        self.reviewers_view.reset_keeping_selection(
            lambda: self.reviewers_model.set_rows(d.reviewers_compared)
        )
        self.headline.setText(self._headline_text(d))
        self.exceptions_view.reset_keeping_selection(
            lambda: self.exceptions_model.set_exceptions(d.exceptions)
        )
        empty = d.score.n == 0 and not any(p.n for p in d.rates.points)
        if empty:
            self.message.setText(
                self.tr(
                    "No evaluations match these filters. Choose a longer period (such as "
                    "All time) or clear a filter."
                )
            )
        elif not self.exceptions_model.rowCount():
            self.message.setText(
                self.tr("No agent or team is outside its control limits in this period.")
            )
        self.message.setVisible(empty or not self.exceptions_model.rowCount())

    def _headline_text(self, d: Dashboard) -> str:
        h = d.headline
        if h is None or h.evaluations == 0:
            return ""
        loc = self.locale()

        def pct(value: float | None) -> str:
            return "—" if value is None else loc.toString(float(value), "f", 1)

        interval = (
            self.tr("95% CI {0}–{1}").format(pct(h.low), pct(h.high))
            if h.low is not None and h.high is not None
            else self.tr("too few for an interval")
        )
        return self.tr(
            "All evaluations counted: n = {0}, mean score {1}% ({2}), pass rate {3}%, "
            "critical failures in {4}% of evaluations."
        ).format(
            loc.toString(h.n),
            pct(h.mean),
            interval,
            pct(None if h.passed is None else h.passed.rate * 100),
            pct(None if h.critical is None else h.critical.rate * 100),
        )

    # ------------------------------------------------------------------ drill-down
    def evaluation_filter(
        self,
        level: str | None = None,
        ident: int | None = None,
        base: DashboardFilter | None = None,
    ) -> EvaluationFilter:
        """The Evaluations screen's filter for what the dashboard shows (or ``base``),
        narrowed to one agent or team when given."""
        f = base or (self.dashboard.filter if self.dashboard else self.current_filter())
        return EvaluationFilter(
            date_from=f.date_from,
            date_to=f.date_to,
            team_ids=(ident,) if level == "team" and ident is not None else f.team_ids,
            agent_ids=(ident,) if level == "agent" and ident is not None else f.agent_ids,
            form_ids=f.form_ids,
            form_version_ids=f.form_version_ids,
            reviewer_ids=(ident,) if level == "reviewer" and ident is not None else f.reviewer_ids,
            statuses=COUNTED,
            kinds=f.kinds,
            channels=f.channels,
        )

    def _show_row_evaluations(self, level: str, ident: int) -> None:
        self.drillDown.emit(self.evaluation_filter(level, ident))

    def _describe(self, key: str, index: int) -> str:
        if self._chart_data is None:
            return ""
        return points.describe(self._chart_data, key, index, PARETO_TOP, self.locale())

    def drill_into_point(self, key: str, index: int) -> None:
        """A click on chart target (key, index): list the evaluations behind it."""
        shown = self._chart_data  # the charts may be ahead of the tables
        if shown is None:
            return
        period = points.trend_period(shown, key, index)
        if period is not None:
            flt = self.evaluation_filter(base=shown.filter)
            flt = replace(flt, date_from=period[0], date_to=period[1])
            if key == "critical":
                flt = replace(flt, critical_failed=True)
            self.drillDown.emit(flt)
        elif key == "category" and 0 <= index < len(shown.categories):
            self.drill_into_category(shown.categories[index].category)
        # Pareto bars answer ``clicked`` (anywhere on the bar's row, not just the bar).

    def drill_into_category(self, category: Category) -> tuple[int, ...]:
        """Emit the evaluations in the filters that lost points in ``category``."""
        if self._chart_data is None:
            return ()
        ids = tuple(self.service.evaluations_for_category(self._chart_data.filter, category))
        reason = self.tr("lost points in {0}").format(self.tr(CATEGORY_LABELS[category]))
        self.evaluationsRequested.emit(EvaluationIds(ids, reason, self._drill_within()))
        return ids

    def _pareto_clicked(self, _x: float, y: float) -> None:
        self.drill_into_question(round(y))

    def drill_into_question(self, bar: int) -> tuple[int, ...]:
        """Emit the evaluations behind Pareto bar ``bar`` (0 = the most missed)."""
        if not 0 <= bar < len(self._pareto) or self._chart_data is None:
            return ()
        question = self._pareto[bar]
        ids = tuple(
            self.service.evaluations_for_question(
                self._chart_data.filter, question.question_id, form_id=question.form_id
            )
        )
        reason = self.tr("missed “{0}”").format(question.text)
        self.evaluationsRequested.emit(EvaluationIds(ids, reason, self._drill_within()))
        return ids

    def _drill_within(self) -> EvaluationFilter:
        """The filter a chart's evaluations were picked within (the Evaluations list
        shows it beside them)."""
        return self.evaluation_filter(base=self._chart_data.filter if self._chart_data else None)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Results of work still running must not arrive after the database is closed.
        self._debounce.stop()
        self.worker.retire()
        self.worker.wait()
        super().closeEvent(event)
