"""Reviewer quality: each reviewer's strictness against peers with its drift, their
deviation from the expert on calibration evaluations, their dispute and overturn
rates, and the questions reviewers read differently.

Rules:
- Read-only: the screen changes nothing and emits no ``changed``.
- The report is read off the GUI thread (``ReviewerQualityLoader``: the service's own
  read-only connection, one worker thread). Each request has a generation; a newer one
  cancels the older, whose answer is dropped. The rows shown stay until the new ones
  arrive; "Loading…" shows only after ``LOADING_NOTICE_MS``; the selected reviewer stays
  selected when still listed.
- The screen reads only while visible: ``refresh`` while hidden marks it stale.
- Keyboard: the period (Alt+P), the reviewers table (Alt+R), the drift chart, the
  questions table (Alt+Q), then the Export button, in that Tab order. Moving through the
  reviewers shows the selected one's drift; Enter on a reviewer shows it and puts the
  keyboard in the chart.
- "Export to Excel…" (Ctrl+Shift+E, the screen-level export key, as on the Forms
  screen) writes the report shown to a workbook (``ReviewerQualityExporter``); it is
  off until a report is shown and while an export runs. Its outcome is said beside the
  button, with a mark that is a word too.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from matplotlib.figure import Figure
from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QIcon,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.reports.charts_reviewers import DriftTexts, drift_figure
from qa_monitor.reports.charts_style import ChartTheme
from qa_monitor.services import Changes
from qa_monitor.services.reviewer_quality_service import (
    ReviewerQualityReport,
    ReviewerQualityRow,
    ReviewerQualityService,
)
from qa_monitor.ui import icons
from qa_monitor.ui.models.reviewer_quality_models import (
    QuestionsTableModel,
    ReviewerQualityLoader,
    ReviewersTableModel,
)
from qa_monitor.ui.models.table_base import ID_ROLE, SORT_ROLE, qdate
from qa_monitor.ui.screens.reviewer_quality_export import ReviewerQualityExporter
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.chart_widget import ChartWidget
from qa_monitor.ui.widgets.record_table import table_pages
from qa_monitor.ui.widgets.widget_style import em

log = logging.getLogger(__name__)
LOADING_NOTICE_MS = 200
PERIODS = ("last_90", "year", "all")
EXPORT_SHORTCUT = "Ctrl+Shift+E"  # the screens' own export key (Ctrl+E: the Data menu's)
MAX_SHOWN_REVIEWERS = 8  # more scroll


class ReviewerQualityScreen(QWidget):
    loaded = Signal()  # the report of the latest request is shown

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.report: ReviewerQualityReport | None = None
        self.loader = ReviewerQualityLoader(ReviewerQualityService(session.path), self)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_failed)
        self._generation = 0
        self._loading = False
        self._stale = True
        self._drift_of: int | None = None
        self._loading_notice = QTimer(self, singleShot=True, interval=LOADING_NOTICE_MS)
        self._loading_notice.timeout.connect(self._say_loading)
        self._refit_later = QTimer(self, singleShot=True, interval=0)
        self._refit_later.timeout.connect(self._refit)
        self.exporter = ReviewerQualityExporter(session, self)
        self.exporter.said.connect(self._say_export)
        self.exporter.running_changed.connect(lambda _running: self._update_export())

        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Reviewer quality"))
        title.setProperty("role", "pageTitle")
        layout.addWidget(title)
        layout.addLayout(self._period_bar())
        # Every reviewer in sight (a centre has a handful), the chart at its designed
        # height, the questions in the rest.
        layout.addWidget(self._reviewers_group())
        layout.addWidget(self._drift_group())
        layout.addWidget(self._questions_group(), 1)
        self.setTabOrder(self.period, self.reviewers_table)
        self.setTabOrder(self.reviewers_table, self.drift_chart.canvas)
        self.setTabOrder(self.drift_chart.canvas, self.questions_table)
        self.setTabOrder(self.questions_table, self.export_button)
        self._update_export()

    # ---------------------------------------------------------------- building
    def _period_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Period"))
        for text, key in zip(
            (self.tr("Last 90 days"), self.tr("This year"), self.tr("All time")),
            PERIODS,
            strict=True,
        ):
            self.period.addItem(text, key)
        self.period.setToolTip(self.tr("Interaction dates the report covers (Alt+P)"))
        caption = QLabel(self.tr("&Period:"))
        caption.setBuddy(self.period)
        bar.addWidget(caption)
        bar.addWidget(self.period)
        self.period.currentIndexChanged.connect(lambda _i: self.load())
        bar.addSpacing(em(self, 1))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Status"))
        bar.addWidget(self.status, 1)
        self.export_icon = QLabel()
        self.export_icon.hide()
        self.export_status = QLabel()
        self.export_status.setWordWrap(True)
        self.export_status.setAccessibleName(self.tr("Export status"))
        self.export_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar.addWidget(self.export_icon)
        bar.addWidget(self.export_status, 1)
        self.export_action = QAction(
            self._icon("mdi6.microsoft-excel"), self.tr("E&xport to Excel…"), self
        )
        self.export_action.setShortcut(QKeySequence(EXPORT_SHORTCUT))
        # On this screen only: another screen's export (the Forms screen's) has the key too.
        self.export_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        native = self.export_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.export_action.setToolTip(
            self.tr("Write the report shown to an Excel workbook ({0})").format(native)
        )
        self.export_action.triggered.connect(lambda _checked=False: self.export_to_excel())
        self.addAction(self.export_action)
        self.export_button = QToolButton()
        self.export_button.setDefaultAction(self.export_action)
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.export_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.export_button.setAccessibleName(self.tr("Export to Excel"))
        bar.addWidget(self.export_button)
        return bar

    def _icon(self, name: str) -> QIcon:
        return icons.icon(name, color=self.palette().text().color())

    def _table(self, name: str, model: ReviewersTableModel | QuestionsTableModel) -> QTableView:
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        table = QTableView()
        table.setAccessibleName(name)
        table.setModel(proxy)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)  # Tab leaves the table: the next pane
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        return table

    def _reviewers_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Reviewers"))
        group.setAccessibleName(self.tr("Reviewers"))
        column = QVBoxLayout(group)
        self.reviewers_model = ReviewersTableModel(self)
        self.reviewers_table = self._table(self.tr("Reviewers"), self.reviewers_model)
        self.reviewers_table.horizontalHeader().setStretchLastSection(False)
        self.reviewers_table.sortByColumn(
            ReviewersTableModel.STRICTNESS, Qt.SortOrder.DescendingOrder
        )
        self.reviewers_table.setToolTip(
            self.tr(
                "Strictness compares like with like: regular evaluations on the same form, "
                "for the same team, in the same month. Positive: the reviewer scores lower "
                "than peers. Enter shows the reviewer's drift."
            )
        )
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.reviewers_table, self.show_drift_focused)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.reviewers_table.selectionModel().currentRowChanged.connect(
            lambda *_: self.show_drift()
        )
        self.reviewers_empty = QLabel()
        self.reviewers_pages = table_pages(self.reviewers_table, self.reviewers_empty)
        column.addWidget(self.reviewers_pages, 1)
        for keys, widget in (("Alt+R", self.reviewers_table),):
            shortcut = QShortcut(QKeySequence(keys), self, widget.setFocus)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return group

    def _drift_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Drift of the selected reviewer"))
        group.setAccessibleName(self.tr("Drift of the selected reviewer"))
        column = QVBoxLayout(group)
        self.drift_chart = ChartWidget(self.tr("Strictness per month"), self)
        self.drift_chart.describe = self._describe_point
        # At its own height from the start (the canvas's first figure is taller).
        waiting = self._drift_texts(self.tr("Strictness per month"))
        self.drift_chart.set_figure(
            drift_figure((), replace(waiting, empty=self.tr("Reading the evaluations…")))
        )
        column.addWidget(self.drift_chart, 1)
        return group

    def _questions_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Question agreement in recent calibration sessions"))
        group.setAccessibleName(self.tr("Unreliable questions"))
        column = QVBoxLayout(group)
        self.questions_model = QuestionsTableModel(self)
        self.questions_table = self._table(self.tr("Unreliable questions"), self.questions_model)
        self.questions_table.horizontalHeader().setStretchLastSection(False)
        self.questions_table.setWordWrap(True)
        self.questions_empty = QLabel()
        self.questions_pages = table_pages(self.questions_table, self.questions_empty)
        column.addWidget(self.questions_pages, 1)
        shortcut = QShortcut(QKeySequence("Alt+Q"), self, self.questions_table.setFocus)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return group

    # ---------------------------------------------------------------- loading
    def today(self) -> date:
        services = self.session.services
        zone = ZoneInfo(services.settings.centre().timezone)
        return services.clock().astimezone(zone).date()

    def period_range(self) -> tuple[date | None, date | None]:
        today = self.today()
        key = self.period.currentData()
        if key == "last_90":
            return today - timedelta(days=89), today
        if key == "year":
            return date(today.year, 1, 1), today
        return None, None

    def refresh(self, changes: Changes | None = None) -> None:
        """Read the report again (now if shown, else when next shown)."""
        if changes is not None and not (
            changes.evaluations or changes.people or changes.settings or changes.forms
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
        """Ask for the report of the chosen period; returns the request's generation."""
        self._stale = False
        self._generation += 1
        self._loading = True
        start, end = self.period_range()
        self.loader.load(self._generation, start, end)
        self._loading_notice.start()
        return self._generation

    def _say_loading(self) -> None:
        if self._loading:
            self.status.setText(self.tr("Loading the reviewer quality report…"))

    def _on_failed(self, generation: int, error: str) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._stale = True
        self.status.setText(
            self.tr(
                "The reviewer quality report could not be read: {0} The figures shown are "
                "the previous ones; show the screen again to retry, or reopen the database."
            ).format(error if error.endswith(".") else error + ".")
        )

    def _on_loaded(self, generation: int, report: ReviewerQualityReport) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.report = report
        keep = self.selected_reviewer_id()
        self.reviewers_model.set_rows(report.reviewers)
        total = sum(r.quality.evaluations for r in report.reviewers)
        self.status.setText(
            self.tr("%n scored evaluation(s) in the period.", "", total)
            + " "
            + self.tr("%n calibration session(s).", "", report.calibration_sessions)
        )
        if not report.reviewers:
            self.reviewers_empty.setText(
                self.tr(
                    "No scored evaluations of interactions in this period. Choose a longer "
                    "period, such as All time, or score some calls first (Ctrl+N)."
                )
            )
        self.reviewers_pages.setCurrentIndex(0 if report.reviewers else 1)
        self._fit_height(self.reviewers_table, len(report.reviewers))
        self._fit(self.reviewers_table, elastic=ReviewersTableModel.STRICTNESS)
        self._select_reviewer(keep)
        self._show_questions(report)
        self.show_drift(force=True)
        self._update_export()
        self.loaded.emit()

    def _show_questions(self, report: ReviewerQualityReport) -> None:
        self.questions_model.set_rows(report.questions)
        if report.calibration_evaluations == 0:
            self.questions_empty.setText(
                self.tr(
                    "No calibration evaluations in this period. To calibrate, start a "
                    "session on the Calibration screen (Ctrl+Shift+L): the expert and the "
                    "other reviewers score the same call blind, then the session is "
                    "revealed and discussed."
                )
            )
        elif not report.questions:
            self.questions_empty.setText(
                self.tr(
                    "The calibration evaluations in this period have no scored answers to compare."
                )
            )
        self.questions_pages.setCurrentIndex(0 if report.questions else 1)
        self._fit(self.questions_table, elastic=QuestionsTableModel.QUESTION, grow=True)

    def _fit_height(self, table: QTableView, rows: int) -> None:
        """Tall enough for ``rows`` rows (two to ``MAX_SHOWN_REVIEWERS``), no more."""
        shown = min(max(rows, 2), MAX_SHOWN_REVIEWERS)
        row_height = table.verticalHeader().defaultSectionSize()
        frame = 2 * table.frameWidth()
        height = table.horizontalHeader().sizeHint().height() + shown * row_height + frame
        table.setFixedHeight(height)
        self.reviewers_pages.setFixedHeight(height)

    def _fit(self, table: QTableView, elastic: int | None = None, grow: bool = False) -> None:
        """Columns as wide as their content and header; the ``elastic`` column (long
        text) gives way when they do not all fit, never below a floor, and elides (its
        tooltip has the whole text); with ``grow`` it also takes any room left."""
        header = table.horizontalHeader()
        count = table.model().columnCount()
        pad = em(self, 0.6)
        want = [
            max(table.sizeHintForColumn(c), header.sectionSizeHint(c)) + pad for c in range(count)
        ]
        room = table.maximumViewportSize().width() - table.verticalScrollBar().sizeHint().width()
        if elastic is not None and (grow or sum(want) > room):
            others = sum(w for c, w in enumerate(want) if c != elastic)
            wanted = room - others if grow else min(want[elastic], room - others)
            want[elastic] = max(em(self, 12), wanted)
        for column in range(count - (1 if header.stretchLastSection() else 0)):
            table.setColumnWidth(column, want[column])

    # ---------------------------------------------------------------- selection
    def selected_reviewer_id(self) -> int | None:
        index = self.reviewers_table.currentIndex()
        return int(index.data(ID_ROLE)) if index.isValid() else None

    def selected_row(self) -> ReviewerQualityRow | None:
        reviewer_id = self.selected_reviewer_id()
        if reviewer_id is None:
            return None
        row = self.reviewers_model.row_of(reviewer_id)
        return self.reviewers_model.row_at(row) if row >= 0 else None

    def _select_reviewer(self, reviewer_id: int | None) -> None:
        proxy = self.reviewers_table.model()
        if proxy.rowCount() == 0:
            return
        row = self.reviewers_model.row_of(reviewer_id) if reviewer_id is not None else -1
        index = (
            proxy.mapFromSource(self.reviewers_model.index(row, 0))  # type: ignore[attr-defined]
            if row >= 0
            else proxy.index(0, 0)
        )
        flags = QItemSelectionModel.SelectionFlag
        self.reviewers_table.selectionModel().setCurrentIndex(
            index, flags.ClearAndSelect | flags.Rows
        )

    def show_drift_focused(self) -> None:
        self.show_drift(force=True)
        self.drift_chart.canvas.setFocus()

    def show_drift(self, force: bool = False) -> None:
        """Draw the selected reviewer's strictness per month."""
        row = self.selected_row()
        reviewer_id = None if row is None else row.quality.reviewer_id
        if reviewer_id == self._drift_of and not force:
            return
        self._drift_of = reviewer_id
        if row is None:
            texts = self._drift_texts(self.tr("Strictness per month"))
            self.drift_chart.set_builder(
                lambda fig, theme: drift_figure((), texts, theme=theme, fig=fig)
            )
            return
        months = row.quality.months
        texts = self._drift_texts(
            self.tr("{0}: strictness against peers per month (whiskers: 95% interval)").format(
                row.quality.name
            )
        )

        def build(fig: Figure | None, theme: ChartTheme) -> Figure:
            return drift_figure(months, texts, theme=theme, fig=fig)

        self.drift_chart.set_builder(build)

    def _drift_texts(self, title: str) -> DriftTexts:
        return DriftTexts(
            title=title,
            y_label=self.tr("Points stricter than peers"),
            x_label=self.tr("Month of the interaction"),
            zero_label=self.tr("scores like peers"),
            empty=self.tr(
                "No month in this period where this reviewer and a peer both scored the "
                "same form for the same team. Choose a longer period."
            ),
        )

    def _describe_point(self, key: str, index: int) -> str:
        row = self.selected_row()
        if row is None or key != "offset":
            return ""
        shown = [m for m in row.quality.months if m.offset is not None]
        if not 0 <= index < len(shown):
            return ""
        point = shown[index]
        assert point.offset is not None
        month = self.locale().toString(qdate(point.month), "MMMM yyyy")
        return self.tr("{0}: {1} (%n evaluation(s))", "", point.offset.n).format(
            month, self.reviewers_model.strictness_text(point.offset)
        )

    def _refit(self) -> None:
        self._fit(self.reviewers_table, elastic=ReviewersTableModel.STRICTNESS)
        self._fit(self.questions_table, elastic=QuestionsTableModel.QUESTION, grow=True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit_later.start()

    # ---------------------------------------------------------------- export
    def export_to_excel(self) -> bool:
        """Ask for a file and write the report shown to it (see the module rules)."""
        if self.report is None:
            return False
        return self.exporter.export(self.report, self.today())

    def _update_export(self) -> None:
        self.export_action.setEnabled(self.report is not None and not self.exporter.is_running())

    def _say_export(self, text: str, outcome: str) -> None:
        names = {"done": "mdi6.check-circle-outline", "failed": "mdi6.alert-circle-outline"}
        self.export_status.setText(text)
        self.export_icon.setVisible(outcome in names)
        if outcome in names:
            size = self.fontMetrics().height()
            self.export_icon.setPixmap(self._icon(names[outcome]).pixmap(size, size))
        result = self.exporter.result
        self.export_status.setToolTip(str(result.path) if outcome == "done" and result else "")

    def closeEvent(self, event: QCloseEvent) -> None:
        self._generation += 1
        self.loader.cancel()
        self.loader.wait()
        self.exporter.stop()
        super().closeEvent(event)
