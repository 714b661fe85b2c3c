"""The supervisor dashboard: one filter bar, trend charts, the question Pareto, the agent
league and the exceptions, all following the filters.

Rules:
- Queries run on a worker thread (``QThreadPool``); the worker only calls the
  dashboard service (its own read-only connection) and hands the frozen result back by
  a queued signal. Widgets and figures are touched on the GUI thread only.
- Every refresh gets a new generation number; a result whose generation is not the
  latest is dropped, so a quick series of filter changes shows only the last one.
- Drill-down: double-clicking (or Enter on) a league or exceptions row emits
  ``drillDown(EvaluationFilter)``; clicking a Pareto bar emits
  ``evaluationsRequested(tuple of evaluation ids)`` for the evaluations that missed it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QRunnable,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.forms import Channel
from qa_monitor.core.records import EvaluationFilter, EvaluationStatus
from qa_monitor.reports import charts
from qa_monitor.reports.analytics import Dashboard, DashboardFilter, Granularity, QuestionMiss
from qa_monitor.services.dashboard_service import DashboardService
from qa_monitor.ui.models.dashboard_table_models import (
    KEY_ROLE,
    SORT_ROLE,
    ExceptionsTableModel,
    LeagueTableModel,
)
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.chart_widget import ChartWidget

log = logging.getLogger(__name__)
PARETO_TOP = 10
PRESETS = ("last_30", "last_90", "month", "quarter", "year", "all")
COUNTED = tuple(s for s in EvaluationStatus if s is not EvaluationStatus.DRAFT)


class _Relay(QObject):
    done = Signal(int, object)  # generation, Dashboard
    failed = Signal(int, str)


class _Job(QRunnable):
    def __init__(self, service: DashboardService, f: DashboardFilter, gen: int, relay: _Relay):
        super().__init__()
        self.service, self.filter, self.gen, self.relay = service, f, gen, relay

    def run(self) -> None:
        try:
            result = self.service.build(self.filter)
        except Exception as exc:  # reported to the GUI as a sentence; details in the log
            log.exception("Dashboard query failed")
            self.relay.failed.emit(self.gen, str(exc))
            return
        self.relay.done.emit(self.gen, result)


class DashboardScreen(QWidget):
    refreshed = Signal()
    drillDown = Signal(object)  # EvaluationFilter
    evaluationsRequested = Signal(object)  # tuple[int, ...] of evaluation ids

    def __init__(self, session: Session, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self.session = session
        services = session.services
        centre = services.settings.centre()
        self.week_start = centre.week_start
        self.today = today or services.clock().astimezone(ZoneInfo(centre.timezone)).date()
        self.service = DashboardService(session.path)
        self.dashboard: Dashboard | None = None
        self.generation = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._pareto: list[QuestionMiss] = []
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
        layout.addLayout(self._filter_bar())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setProperty("role", "muted")
        self.message.setAccessibleName(self.tr("Dashboard status"))
        layout.addWidget(self.message)

        self.score_chart = ChartWidget(self.tr("Score trend"))
        self.rate_chart = ChartWidget(self.tr("Pass and critical-failure rates"))
        self.category_chart = ChartWidget(self.tr("Score by area"))
        self.pareto_chart = ChartWidget(self.tr("Most missed behaviours"))
        self.pareto_chart.setToolTip(self.tr("Click a bar to list the evaluations that missed it"))
        self.pareto_chart.clicked.connect(self._pareto_clicked)
        self.charts = (self.score_chart, self.rate_chart, self.category_chart, self.pareto_chart)
        self.league_model = LeagueTableModel(self)
        self.exceptions_model = ExceptionsTableModel(self)
        self.league_view = self._table(self.league_model, self.tr("Agent league"))
        self.exceptions_view = self._table(self.exceptions_model, self.tr("Exceptions"))

        content = QWidget()
        grid = QGridLayout(content)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(self.fontMetrics().horizontalAdvance("M") * 2)
        grid.setVerticalSpacing(self.fontMetrics().height())
        for i, chart in enumerate(self.charts):
            grid.addWidget(chart, i // 2, i % 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self._titled(self.tr("Agent league"), self.league_view), 2, 0)
        grid.addWidget(self._titled(self.tr("Exceptions"), self.exceptions_view), 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        layout.addWidget(scroll, 1)

        self._set_busy(False)
        self.refresh()

    # ------------------------------------------------------------------ building
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

    def _table(self, model: QAbstractTableModel, name: str) -> QTableView:
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        view = QTableView()
        view.setAccessibleName(name)
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the analytics' order
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setStretchLastSection(True)
        view.setMinimumHeight(self.fontMetrics().height() * 16)
        view.setToolTip(self.tr("Double-click a row (or press Enter) to list its evaluations"))
        view.activated.connect(self._row_activated)
        return view

    def _combo(
        self, name: str, items: list[tuple[str, object]], any_item: bool = True
    ) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        if any_item:
            combo.addItem(self.tr("Any"), None)
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _i: self._debounce.start())
        return combo

    def _filter_bar(self) -> QGridLayout:
        services = self.session.services
        people, forms = services.people, services.forms
        presets = (
            self.tr("Last 30 days"),
            self.tr("Last 90 days"),
            self.tr("This month"),
            self.tr("This quarter"),
            self.tr("This year"),
            self.tr("All time"),
        )
        self.period = self._combo(
            self.tr("Period"), list(zip(presets, PRESETS, strict=True)), False
        )
        self.period.setCurrentIndex(PRESETS.index("last_90"))
        self.team = self._combo(self.tr("Team"), [(t.name, t.id) for t in people.list_teams()])
        self.agent = self._combo(self.tr("Agent"), [(a.name, a.id) for a in people.list_agents()])
        titles: dict[str, str] = {}
        for version in forms.published_versions(include_retired=True):
            titles.setdefault(version.form_id, version.form.title)
        self.form = self._combo(self.tr("Form"), [(t, i) for i, t in titles.items()])
        self.reviewer = self._combo(
            self.tr("Reviewer"), [(r.name, r.id) for r in people.list_reviewers()]
        )
        self.channel = self._combo(
            self.tr("Channel"), [(self.tr(c.value.capitalize()), c.value) for c in Channel]
        )
        steps = (self.tr("Day"), self.tr("Week"), self.tr("Month"), self.tr("Quarter"))
        grains = (Granularity.DAY, Granularity.WEEK, Granularity.MONTH, Granularity.QUARTER)
        self.granularity = self._combo(
            self.tr("Group by"), [(s, g.value) for s, g in zip(steps, grains, strict=True)], False
        )
        self.granularity.setCurrentIndex(1)
        reset = QPushButton(self.tr("Clear filters"))
        reset.setAccessibleName(self.tr("Clear filters"))
        reset.clicked.connect(self.clear_filters)
        grid = QGridLayout()
        cells = [
            (self.tr("&Period"), self.period),
            (self.tr("&Team"), self.team),
            (self.tr("A&gent"), self.agent),
            (self.tr("&Form"), self.form),
            (self.tr("&Reviewer"), self.reviewer),
            (self.tr("C&hannel"), self.channel),
            (self.tr("Group &by"), self.granularity),
        ]
        for col, (text, widget) in enumerate(cells):
            caption = QLabel(text)
            caption.setBuddy(widget)
            grid.addWidget(caption, 0, col)
            grid.addWidget(widget, 1, col)
            grid.setColumnStretch(col, 1)
        grid.addWidget(reset, 1, len(cells))
        return grid

    # ------------------------------------------------------------------ filters
    def current_filter(self) -> DashboardFilter:
        def one(combo: QComboBox) -> tuple:
            value = combo.currentData()
            return () if value is None else (value,)

        base = DashboardFilter(
            team_ids=one(self.team),
            agent_ids=one(self.agent),
            form_ids=one(self.form),
            reviewer_ids=one(self.reviewer),
            channels=tuple(Channel(c) for c in one(self.channel)),
            granularity=Granularity(self.granularity.currentData()),
            week_start=self.week_start,
        )
        today = self.today
        presets = {
            "last_30": lambda: base.last_30_days(today),
            "last_90": lambda: base.last_90_days(today),
            "month": lambda: base.this_month(today),
            "quarter": lambda: base.this_quarter(today),
            "year": lambda: base.this_year(today),
        }
        return presets.get(self.period.currentData(), base.all_time)()

    def clear_filters(self) -> None:
        for combo in (self.team, self.agent, self.form, self.reviewer, self.channel):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.refresh()

    # ------------------------------------------------------------------ refresh
    def refresh(self, _changes: object = None) -> int:
        """Start a query for the current filters; returns its generation."""
        self._debounce.stop()
        self.generation += 1
        self._set_busy(True)
        self._pool.start(_Job(self.service, self.current_filter(), self.generation, self._relay))
        return self.generation

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

    def _on_done(self, generation: int, dashboard: Dashboard) -> None:
        if generation != self.generation:
            return  # stale: a newer filter change is on its way
        self._set_busy(False)
        self.show_dashboard(dashboard)
        self.refreshed.emit()

    def show_dashboard(self, d: Dashboard) -> None:
        self.dashboard = d
        empty = d.score.n == 0 and not any(p.n for p in d.rates.points)
        self.score_chart.set_figure(charts.score_trend_figure(d.score))
        self.rate_chart.set_figure(charts.rate_trend_figure(d.rates))
        self.category_chart.set_figure(charts.category_figure(d.categories))
        self._pareto = [q for q in d.questions if q.missed][:PARETO_TOP]
        self.pareto_chart.set_figure(charts.pareto_figure(d.questions, top=PARETO_TOP))
        self._reset_keeping_selection(
            self.league_view, lambda: self.league_model.set_rows(d.league)
        )
        self._reset_keeping_selection(
            self.exceptions_view, lambda: self.exceptions_model.set_exceptions(d.exceptions)
        )
        if empty:
            self.message.setText(
                self.tr(
                    "No evaluations match these filters. Choose a longer period (such as "
                    "All time) or set a filter back to Any."
                )
            )
        elif not self.exceptions_model.rowCount():
            self.message.setText(
                self.tr("No agent or team is outside its control limits in this period.")
            )
        self.message.setVisible(empty or not self.exceptions_model.rowCount())

    def _reset_keeping_selection(self, view: QTableView, reset: Callable[[], None]) -> None:
        rows = view.selectionModel().selectedRows()
        key = rows[0].data(KEY_ROLE) if rows else None
        reset()
        view.resizeColumnsToContents()
        if key is None:
            return
        proxy = view.model()
        for row in range(proxy.rowCount()):
            if proxy.index(row, 0).data(KEY_ROLE) == key:
                view.selectRow(row)
                break

    # ------------------------------------------------------------------ drill-down
    def evaluation_filter(
        self, level: str | None = None, ident: int | None = None
    ) -> EvaluationFilter:
        """The Evaluations screen's filter for what the dashboard shows (narrowed to one
        agent or team when given)."""
        f = self.dashboard.filter if self.dashboard else self.current_filter()
        return EvaluationFilter(
            date_from=f.date_from,
            date_to=f.date_to,
            team_ids=(ident,) if level == "team" and ident is not None else f.team_ids,
            agent_ids=(ident,) if level == "agent" and ident is not None else f.agent_ids,
            form_ids=f.form_ids,
            form_version_ids=f.form_version_ids,
            reviewer_ids=f.reviewer_ids,
            statuses=COUNTED,
            kinds=f.kinds,
            channels=f.channels,
        )

    def _row_activated(self, index: QModelIndex) -> None:
        key = index.data(KEY_ROLE)
        if key:
            self.drillDown.emit(self.evaluation_filter(*key))

    def _pareto_clicked(self, _x: float, y: float) -> None:
        self.drill_into_question(round(y))

    def drill_into_question(self, bar: int) -> tuple[int, ...]:
        """Emit the evaluations behind Pareto bar ``bar`` (0 = the most missed)."""
        if not 0 <= bar < len(self._pareto) or self.dashboard is None:
            return ()
        question = self._pareto[bar]
        ids = tuple(
            self.service.evaluations_for_question(
                self.dashboard.filter, question.question_id, form_id=question.form_id
            )
        )
        self.evaluationsRequested.emit(ids)
        return ids

    def closeEvent(self, event: QCloseEvent) -> None:
        # Results of work still running must not arrive after the database is closed.
        self._debounce.stop()
        self.generation += 1
        self._pool.waitForDone()
        super().closeEvent(event)
