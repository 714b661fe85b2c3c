"""Customer outcomes: retention, churn, NPS, CSAT, CES and FCR (as reported, and from
repeat contacts) per period with their intervals; churn reasons by the team that can
act; the drivers of customer outcomes (issue 16).

Rules:
- The Dashboard's filter bar (its period, team and agent; the rest hidden) and a grain
  of month, quarter or year. Periods are whole: the chosen dates are widened to the
  first and last day of their periods (customer counts are per month), and the line
  under the filters says which dates are read. "All time" starts at the first period
  with anything to show.
- Reads run off the GUI thread (``OutcomesLoader``); a newer request cancels the older
  and only the newest answer is shown; the figures shown stay until it arrives. The
  screen reads only while visible; ``refresh(changes)`` marks it stale on outcomes,
  interactions, evaluations or settings changes.
- Every figure's hover text is its formula with its inputs and interval method; a
  missing figure says why (``outcome_texts``).
- Repeat contacts are judged at the session's clock (``as_of`` of both queries): the
  contacts whose 7 days have not passed are counted apart, on the tile and in the
  hover text.
- Drill-down (``drillDown(EvaluationFilter)``): Enter or a double-click on a period's
  row lists that period's evaluations within the filters; on an agent's save-rate row,
  that agent's evaluations of the dates read.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from matplotlib.figure import Figure
from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.churn_reasons import ChurnReasons, ChurnReasonsError
from qa_monitor.core.metrics import REPEAT_WINDOW_DAYS
from qa_monitor.core.records import EvaluationFilter, EvaluationKind, EvaluationStatus
from qa_monitor.reports.charts_outcomes import TrendSeries, TrendTexts, outcome_trend_figure
from qa_monitor.reports.charts_style import ChartTheme
from qa_monitor.services import Changes
from qa_monitor.services.dashboard_service import DashboardService
from qa_monitor.services.drivers_service import DriversQuery, DriversReport
from qa_monitor.services.outcome_service import Grain, OutcomeQuery, PeriodOutcomes, periods
from qa_monitor.ui import outcome_texts as texts
from qa_monitor.ui.models.outcomes_loader import OutcomesLoader, OutcomesResult
from qa_monitor.ui.models.outcomes_models import PeriodsModel
from qa_monitor.ui.models.table_base import ID_ROLE
from qa_monitor.ui.screens.dashboard_filter_bar import DashboardFilterBar
from qa_monitor.ui.screens.outcomes_churn_view import ChurnReasonsView
from qa_monitor.ui.screens.outcomes_drivers_view import DriversView
from qa_monitor.ui.screens.outcomes_tables import fit, outcome_table, titled
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.chart_widget import ChartWidget
from qa_monitor.ui.widgets.kpi_tile_widget import KpiTile

log = logging.getLogger(__name__)
LOADING_NOTICE_MS = 200
ALL_TIME_FROM = date(2000, 1, 1)
COUNTED = tuple(s for s in EvaluationStatus if s is not EvaluationStatus.DRAFT)
TILES = ("crr", "churn", "nps", "csat", "ces", "fcr", "fcr_repeat")
TREND = ("crr", "churn", "csat", "fcr", "fcr_repeat", "save_rate")  # the rates (0–100 %)


def whole_periods(start: date, end: date, grain: Grain) -> tuple[date, date]:
    """``start``..``end`` widened to the first and last day of their periods."""
    months = {Grain.MONTH: 1, Grain.QUARTER: 3, Grain.YEAR: 12}[grain]
    first = date(start.year, (start.month - 1) // months * months + 1, 1)
    last_month = (end.month - 1) // months * months + months
    year, month = divmod(last_month, 12)
    following = date(end.year + year, month + 1, 1)
    return first, following - timedelta(days=1)


def has_anything(p: PeriodOutcomes) -> bool:
    return p.base is not None or any(p.survey_n.values()) or p.gap not in (None, "no_counts")


class OutcomesScreen(QWidget):
    loaded = Signal()  # the outcomes of the latest request are shown
    driversLoaded = Signal()
    drillDown = Signal(object)  # EvaluationFilter

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.result: OutcomesResult | None = None
        self.query: OutcomeQuery | None = None
        self._generation = 0
        self._drivers_generation = 0
        self._loading = False
        self._stale = True
        self.loader = OutcomesLoader(session.path, self)
        self.loader.outcomes.connect(self._on_outcomes)
        self.loader.drivers.connect(self._on_drivers)
        self.loader.failed.connect(self._on_failed)
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.load)
        self._loading_notice = QTimer(self, singleShot=True, interval=LOADING_NOTICE_MS)
        self._loading_notice.timeout.connect(self._say_loading)
        choices = DashboardService(session.path).choices()
        self._agents = {c.id: c.name for c in choices.agents}

        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Customer outcomes"))
        title.setProperty("role", "pageTitle")
        layout.addWidget(title)
        layout.addLayout(self._filter_row(choices))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setProperty("role", "muted")
        self.status.setAccessibleName(self.tr("Outcomes status"))
        layout.addWidget(self.status)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Outcomes sections"))
        self.tabs.addTab(self._scrolled(self._outcomes_page()), self.tr("&Outcomes"))
        self.churn = ChurnReasonsView(self._agent_name)
        self.churn.agentActivated.connect(self._drill_agent)
        self.tabs.addTab(self._scrolled(self.churn), self.tr("&Churn reasons"))
        forms = [(f.name, f.id) for f in choices.forms]
        self.drivers = DriversView(forms)
        self.drivers.formChanged.connect(self.load_drivers)
        self.tabs.addTab(self._scrolled(self.drivers), self.tr("Drive&rs"))
        layout.addWidget(self.tabs, 1)

    # ---------------------------------------------------------------- building
    def _filter_row(self, choices: object) -> QHBoxLayout:
        self.filters = DashboardFilterBar(choices)  # type: ignore[arg-type]
        self.filters.period.setCurrentIndex(self.filters.period.findData("year"))
        # Outcomes follow the period, teams and agents only: the other filters are
        # about evaluations and are hidden with their captions.
        hidden = {
            self.filters.form,
            self.filters.reviewer,
            self.filters.channel,
            self.filters.kind,
            self.filters.granularity,
        }
        for label in self.filters.findChildren(QLabel):
            if label.buddy() in hidden:
                label.hide()
        for widget in hidden:
            widget.hide()
        grid = self.filters.layout()
        if isinstance(grid, QGridLayout):  # hidden columns take no room
            for col in range(grid.columnCount()):
                item = grid.itemAtPosition(1, col)
                if item is not None and item.widget() in hidden:
                    grid.setColumnStretch(col, 0)
        self.filters.reset.setToolTip(self.tr("Every team and agent"))
        self.filters.changed.connect(self._debounce.start)
        self.grain = QComboBox()
        self.grain.setAccessibleName(self.tr("Period length"))
        for text, grain in (
            (self.tr("Month"), Grain.MONTH),
            (self.tr("Quarter"), Grain.QUARTER),
            (self.tr("Year"), Grain.YEAR),
        ):
            self.grain.addItem(text, grain.value)
        self.grain.currentIndexChanged.connect(lambda _i: self._debounce.start())
        grain_box = QWidget()
        column = QVBoxLayout(grain_box)
        column.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(self.tr("Per&iods of"))
        caption.setBuddy(self.grain)
        column.addWidget(caption)
        column.addWidget(self.grain)
        row = QHBoxLayout()
        row.addWidget(self.filters, 3)
        row.addWidget(grain_box)
        row.addStretch(1)
        return row

    def _scrolled(self, page: QWidget) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll

    def _outcomes_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.latest = QLabel()
        self.latest.setProperty("role", "sectionTitle")
        layout.addWidget(self.latest)
        tiles = QGridLayout()
        captions = {
            "crr": self.tr("Customer retention rate"),
            "churn": self.tr("Churn rate"),
            "nps": self.tr("Net promoter score"),
            "csat": self.tr("CSAT (share of 4–5)"),
            "ces": self.tr("Customer effort (1–7)"),
            "fcr": self.tr("FCR as reported"),
            "fcr_repeat": self.tr("FCR: no repeat within {0} days").format(REPEAT_WINDOW_DAYS),
        }
        self.tiles: dict[str, KpiTile] = {}
        for i, key in enumerate(TILES):
            tile = KpiTile(captions[key])
            self.tiles[key] = tile
            tiles.addWidget(tile, 0, i)
        layout.addLayout(tiles)
        self.periods_model = PeriodsModel(self)
        self.periods_table = outcome_table(self.tr("Outcomes per period"), self.periods_model, self)
        self.periods_table.activated.connect(self._drill_period)
        self.periods_table.setToolTip(
            self.tr("Hover a figure for its formula; Enter or double-click lists the evaluations")
        )
        layout.addWidget(
            titled(
                self.tr("Figures b&y period"),
                self.periods_table,
                self.tr(
                    "Each figure with its 95 % interval in brackets; — where there is none "
                    "(hover it to see why)."
                ),
            )
        )
        self.trend_chart = ChartWidget(self.tr("Outcome rates per period"))
        layout.addWidget(self.trend_chart)
        layout.addStretch(1)
        return page

    # ---------------------------------------------------------------- loading
    def today(self) -> date:
        services = self.session.services
        zone = ZoneInfo(services.settings.centre().timezone)
        return services.clock().astimezone(zone).date()

    def current_grain(self) -> Grain:
        return Grain(self.grain.currentData())

    def current_query(self) -> OutcomeQuery:
        today = self.today()
        flt = self.filters.current_filter(today, 0)
        grain = self.current_grain()
        start, end = whole_periods(flt.date_from or ALL_TIME_FROM, flt.date_to or today, grain)
        as_of = self.session.services.clock()
        return OutcomeQuery(start, end, flt.team_ids, flt.agent_ids, grain, as_of)

    def reasons(self) -> ChurnReasons:
        try:
            return self.session.services.settings.churn_reasons()
        except ChurnReasonsError as exc:
            log.warning("Churn reasons unreadable, using the defaults: %s", exc)
            return ChurnReasons()

    def refresh(self, changes: Changes | None = None) -> None:
        """Read again (now if shown, else when next shown)."""
        if changes is not None and not (
            changes.outcomes or changes.interactions or changes.evaluations or changes.settings
        ):
            return
        self._stale = True
        if self.isVisible():
            self.load()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.load()

    def load(self) -> int:
        """Ask for the outcomes (and the drivers) of the filters; returns the generation."""
        self._debounce.stop()
        self._stale = False
        self._generation += 1
        self._loading = True
        self.query = self.current_query()
        self._reasons = self.reasons()
        self.loader.load_outcomes(self._generation, self.query, self._reasons)
        self.load_drivers()
        self._loading_notice.start()
        return self._generation

    def load_drivers(self) -> int:
        form_id = self.drivers.form_id()
        self._drivers_generation += 1
        if form_id is not None:
            query = self.query or self.current_query()
            self.loader.load_drivers(
                self._drivers_generation,
                DriversQuery(form_id, query.start, query.end, query.team_ids, query.as_of),
            )
        return self._drivers_generation

    def _say_loading(self) -> None:
        if self._loading:
            self.status.setText(self.tr("Reading customer outcomes…"))

    def _on_failed(self, kind: str, generation: int, error: str) -> None:
        latest = self._generation if kind == "outcomes" else self._drivers_generation
        if generation != latest:
            return  # a stale request's failure
        self._loading = False
        self._stale = True
        self.status.setText(
            self.tr(
                "Customer outcomes could not be read: {0} The figures shown are the previous "
                "ones; show the screen again to retry, or reopen the database."
            ).format(error if error.endswith(".") else error + ".")
        )

    def _on_outcomes(self, generation: int, result: OutcomesResult) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.result = result
        shown = list(result.report.periods)
        if self.filters.period.currentData() == "all":
            while len(shown) > 1 and not has_anything(shown[0]):
                shown.pop(0)
        self.shown_periods = tuple(shown)
        grain = result.report.query.grain
        q = result.report.query
        first = shown[0].start if shown else q.start
        self.status.setText(
            self.tr("Customer outcomes from {0} to {1}, in whole periods.").format(
                texts.period_name(first, first, grain), texts.period_name(q.end, q.end, grain)
            )
            + ("" if result.report.has_base else " " + texts.gap_text(None))
        )
        self.periods_model.set_periods(shown, grain)
        fit(self.periods_table, len(shown))
        self._show_tiles(shown, grain)
        self._show_trend(shown)
        self.churn.show_result(result, self._reasons)
        self.loaded.emit()

    def _on_drivers(self, generation: int, report: DriversReport) -> None:
        if generation != self._drivers_generation:
            return
        self.drivers.show_report(report)
        self.driversLoaded.emit()

    # ---------------------------------------------------------------- showing
    def _show_tiles(self, shown: list[PeriodOutcomes], grain: Grain) -> None:
        latest = shown[-1] if shown else None
        self.latest.setText(
            self.tr("Latest period: {0}").format(texts.period_name(latest.start, latest.end, grain))
            if latest
            else ""
        )
        for key, tile in self.tiles.items():
            figure = getattr(latest, key) if latest is not None else None
            if latest is None:
                tile.set_value(texts.DASH)
            elif figure is None:
                why = texts.missing_text(key, latest)
                tile.set_value(texts.DASH, why, why)
            else:
                detail = texts.interval_text(key, figure)
                detail = (detail + "\n" if detail else "") + self.tr("n = {0}").format(figure.n)
                if key == "fcr_repeat" and latest.fcr_pending:
                    detail += "\n" + self.tr("%n contact(s) not judged yet", "", latest.fcr_pending)
                tile.set_value(
                    texts.value_text(key, figure.value), detail, texts.formula(key, figure)
                )

    def _show_trend(self, shown: list[PeriodOutcomes]) -> None:
        names = {
            "crr": self.tr("CRR"),
            "churn": self.tr("Churn rate"),
            "csat": self.tr("CSAT (4–5)"),
            "fcr": self.tr("FCR (reported)"),
            "fcr_repeat": self.tr("FCR (repeat contacts)"),
            "save_rate": self.tr("Save rate"),
        }
        spans = [(p.start, p.end) for p in shown]
        series = [
            TrendSeries(
                names[key],
                [
                    (f.value, f.low, f.high) if (f := getattr(p, key)) is not None else None
                    for p in shown
                ],
            )
            for key in TREND
        ]
        trend_texts = TrendTexts(
            self.tr("Outcome rates per period"),
            self.tr("Rate (%)"),
            self.tr("Period"),
            self.tr(
                "No outcome figures in these periods yet. Import customer counts, surveys or "
                "retention outcomes with the Data menu, or choose a longer period."
            ),
        )

        def build(fig: Figure | None, theme: ChartTheme) -> Figure:
            return outcome_trend_figure(spans, series, trend_texts, theme=theme, fig=fig)

        self.trend_chart.set_builder(build)

    def _agent_name(self, key: object) -> str:
        if isinstance(key, int) and key in self._agents:
            return self._agents[key]
        return self.tr("Agent no longer listed")

    # ---------------------------------------------------------------- drill-down
    def evaluation_filter(self, start: date, end: date) -> EvaluationFilter:
        q = self.query or self.current_query()
        return EvaluationFilter(
            date_from=start,
            date_to=end,
            team_ids=q.team_ids,
            agent_ids=q.agent_ids,
            statuses=COUNTED,
            kinds=(EvaluationKind.REGULAR,),
        )

    def _drill_period(self, index: QModelIndex) -> None:
        row = index.data(ID_ROLE)
        if isinstance(row, int) and 0 <= row < len(self.periods_model.periods):
            p = self.periods_model.periods[row]
            self.drillDown.emit(self.evaluation_filter(p.start, p.end))

    def _drill_agent(self, agent_id: int) -> None:
        q = self.query or self.current_query()
        flt = self.evaluation_filter(q.start, q.end)
        self.drillDown.emit(replace(flt, agent_ids=(agent_id,)))

    def closeEvent(self, event: QCloseEvent) -> None:
        self._debounce.stop()
        self.loader.cancel()
        self.loader.wait()
        super().closeEvent(event)


__all__ = ["OutcomesScreen", "periods", "whole_periods"]
