"""The Coverage tab of My queue: done against target per agent for a week or a month,
the reviewers' workload, and the overdue and unassigned calls.

Rules:
- The period bar: Week or Month, a day of the period (typed or picked; the calendar's
  weeks start on the centre's first day), previous and next (Alt+Page Up, Alt+Page
  Down) and This period (Alt+T). It starts on the current period.
- ``QueueService.coverage`` runs off the GUI thread (``QueueLoader``); a period
  typed digit by digit is read once, after a short pause. The rows shown stay until
  the new ones arrive; "Loading…" shows only after ``LOADING_NOTICE_MS``.
- Assign… (Ctrl+Shift+A) gives the selected overdue or unassigned call to a reviewer
  who may take it (never one who takes calls as its agent); Build queue… (Ctrl+B).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from PySide6.QtCore import QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.sampling import PeriodKind
from qa_monitor.services.queue_service import Coverage, QueueRow, QueueService
from qa_monitor.ui import icons
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.dialogs.build_queue_dialog import BuildQueueDialog
from qa_monitor.ui.dialogs.queue_assign_dialog import QueueAssignDialog
from qa_monitor.ui.models.queue_loader import QueueLoader
from qa_monitor.ui.models.queue_table_models import (
    CoverageAgentsModel,
    CoverageCallsModel,
    ReviewerLoadModel,
)
from qa_monitor.ui.models.table_base import qdate
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.date_field_widget import set_up_date_edit
from qa_monitor.ui.widgets.record_table import (
    action_button,
    empty_label,
    fit_columns,
    on_enter,
    record_table,
    select_id,
    selected_id,
    shortcut,
)

LOADING_NOTICE_MS = 200


class CoverageTab(QWidget):
    changed = Signal(object)
    listed = Signal()  # the coverage of the latest request is shown

    def __init__(self, session: Session, loader: QueueLoader, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.loader = session, loader
        self.dialog: QDialog | None = None
        self.coverage: Coverage | None = None
        self._gen = 0
        self._loading = False
        self._debounce = QTimer(self, singleShot=True, interval=300)
        self._debounce.timeout.connect(self.load)
        self._notice = QTimer(self, singleShot=True, interval=LOADING_NOTICE_MS)
        self._notice.timeout.connect(self._say_loading)
        layout = QVBoxLayout(self)
        layout.addLayout(self._period_bar())
        self.totals = QLabel()
        self.totals.setProperty("role", "sectionTitle")
        self.totals.setAccessibleName(self.tr("Coverage totals"))
        self.totals.setWordWrap(True)
        layout.addWidget(self.totals)

        self.agents_model = CoverageAgentsModel(self)
        self.reviewers_model = ReviewerLoadModel(self)
        self.calls_model = CoverageCallsModel(self)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        self.agents_table, self.agents_pages, self.agents_empty, agents = self._group(
            self.tr("Agents"), self.agents_model
        )
        # Figures sit next to their headers: no column stretched across the spare width.
        self.agents_table.horizontalHeader().setStretchLastSection(False)
        self.agents_table.sortByColumn(CoverageAgentsModel.REMAINING, Qt.SortOrder.DescendingOrder)
        self.reviewers_table, self.reviewers_pages, self.reviewers_empty, reviewers = self._group(
            self.tr("Reviewers' workload"), self.reviewers_model
        )
        self.reviewers_table.horizontalHeader().setStretchLastSection(False)
        self.reviewers_table.sortByColumn(ReviewerLoadModel.OPEN, Qt.SortOrder.DescendingOrder)
        self.calls_table, self.calls_pages, self.calls_empty, calls = self._group(
            self.tr("Overdue and unassigned calls"), self.calls_model
        )
        self.calls_table.sortByColumn(CoverageCallsModel.DUE, Qt.SortOrder.AscendingOrder)
        on_enter(self.calls_table, self.assign_selected)
        row = QHBoxLayout()
        row.addStretch(1)
        self.assign_button = action_button(
            self.tr("&Assign…"),
            self.tr("Give the selected call to a reviewer (Ctrl+Shift+A)"),
            self.assign_selected,
        )
        row.addWidget(self.assign_button)
        calls.layout().addItem(row)  # type: ignore[union-attr]
        for group, stretch in ((agents, 3), (reviewers, 2), (calls, 2)):
            splitter.addWidget(group)
            splitter.setStretchFactor(splitter.count() - 1, stretch)
        layout.addWidget(splitter, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Status"))
        layout.addWidget(self.status)
        shortcut("Ctrl+Shift+A", self, self.assign_selected)
        shortcut("Ctrl+B", self, self.build_queue)
        shortcut("Alt+PgUp", self, lambda: self.step(-1))
        shortcut("Alt+PgDown", self, lambda: self.step(1))
        shortcut("Alt+T", self, self.this_period)
        self.calls_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons()
        )
        self._update_buttons()
        self.setTabOrder(self.kind, self.day)

    # ---------------------------------------------------------------- building
    def _period_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Period"))
        self.kind.addItem(self.tr("Week"), PeriodKind.WEEK.value)
        self.kind.addItem(self.tr("Month"), PeriodKind.MONTH.value)
        caption = QLabel(self.tr("&Period:"))
        caption.setBuddy(self.kind)
        self.day = QDateEdit()
        self.day.setAccessibleName(self.tr("A day of the period"))
        set_up_date_edit(self.day)
        week_start = self.session.services.settings.centre().week_start
        self.day.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek(week_start + 1))
        self.day.setDate(qdate(self.session.services.queue.today()))
        day_caption = QLabel(self.tr("ho&lding:"))
        day_caption.setBuddy(self.day)
        self.previous = QToolButton()
        self.previous.setToolTip(self.tr("The previous period (Alt+Page Up)"))
        self.previous.setAccessibleName(self.tr("Previous period"))
        self.previous.clicked.connect(lambda: self.step(-1))
        self.next = QToolButton()
        self.next.setToolTip(self.tr("The next period (Alt+Page Down)"))
        self.next.setAccessibleName(self.tr("Next period"))
        self.next.clicked.connect(lambda: self.step(1))
        self._arrows()
        self.this_button = action_button(
            self.tr("&This period"), self.tr("Back to the current period (Alt+T)"), self.this_period
        )
        self.period_label = QLabel()
        self.period_label.setProperty("role", "muted")
        self.build_button = action_button(
            self.tr("Build &queue…"),
            self.tr("Queue the calls of a period from the sampling rules (Ctrl+B)"),
            self.build_queue,
        )
        for widget in (caption, self.kind, day_caption, self.day, self.previous, self.next):
            bar.addWidget(widget)
        bar.addWidget(self.this_button)
        bar.addWidget(self.period_label, 1)
        bar.addWidget(self.build_button)
        self.kind.currentIndexChanged.connect(lambda _i: self.load())
        self.day.dateChanged.connect(lambda _d: self._debounce.start())
        return bar

    def _arrows(self) -> None:
        # "Previous" points to where the text starts: left, or right in right-to-left.
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        color = self.palette().text().color()
        back, forward = ("mdi6.chevron-right", "mdi6.chevron-left") if rtl else (
            "mdi6.chevron-left", "mdi6.chevron-right"
        )  # fmt: skip
        self.previous.setIcon(icons.icon(back, color=color))
        self.next.setIcon(icons.icon(forward, color=color))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LayoutDirectionChange:
            self._arrows()

    def _group(
        self, title: str, model: CoverageAgentsModel | ReviewerLoadModel | CoverageCallsModel
    ) -> tuple[QTableView, QStackedWidget, QLabel, QGroupBox]:
        group = QGroupBox(title)
        group.setAccessibleName(title)
        column = QVBoxLayout(group)
        table = record_table(title, model, self)
        empty = empty_label()
        pages = QStackedWidget()
        pages.addWidget(table)
        pages.addWidget(empty)
        column.addWidget(pages, 1)
        return table, pages, empty, group

    def focus_target(self) -> QWidget:
        return self.agents_table

    # ---------------------------------------------------------------- period
    def period_kind(self) -> PeriodKind:
        return PeriodKind(self.kind.currentData())

    def chosen_day(self) -> date:
        return self.day.date().toPython()  # type: ignore[return-value]

    def step(self, direction: int) -> None:
        period = self.session.services.queue.period_of(self.chosen_day(), self.period_kind())
        day = period.end + timedelta(days=1) if direction > 0 else period.start - timedelta(days=1)
        self.day.setDate(qdate(day))
        self.load()

    def this_period(self) -> None:
        self.day.setDate(qdate(self.session.services.queue.today()))
        self.load()

    # ---------------------------------------------------------------- loading
    def load(self) -> int:
        self._debounce.stop()
        self._gen += 1
        day, kind = self.chosen_day(), self.period_kind()

        def work(queue: QueueService) -> object:
            return queue.today(), queue.coverage(day, kind)

        self._loading = True
        self.loader.load("coverage", self._gen, work)
        self._notice.start()
        return self._gen

    def _say_loading(self) -> None:
        # In the totals' place (they are replaced on arrival), never over a message.
        if self._loading:
            self.totals.setText(self.tr("Loading the coverage…"))

    def on_loaded(self, generation: int, result: object) -> None:
        if generation != self._gen:
            return
        self._loading = False
        self._notice.stop()
        today, coverage = cast(tuple[date, Coverage], result)
        self.coverage = coverage
        self._show_period(coverage)
        keep = [selected_id(t) for t in (self.agents_table, self.reviewers_table, self.calls_table)]
        self.agents_model.set_rows(coverage.agents)
        self.reviewers_model.set_rows(coverage.reviewers)
        calls: dict[int, QueueRow] = {q.id: q for q in coverage.overdue}
        for q in coverage.unassigned:
            calls.setdefault(q.id, q)
        self.calls_model.set_calls(list(calls.values()), today)
        self.totals.setText(
            self.tr("Done {0} of %n target · {1} overdue · {2} unassigned", "", coverage.target)
            .format(coverage.done, len(coverage.overdue), len(coverage.unassigned))
        )  # fmt: skip
        self.agents_empty.setText(
            self.tr(
                "No agent has a target in this period: no active sampling rule covers it "
                "and nothing is queued. Add a rule on the Rules tab, then Build queue… (Ctrl+B)."
            )
        )
        self.reviewers_empty.setText(
            self.tr("No reviewer holds queued calls. Build the queue to give them some (Ctrl+B).")
        )
        self.calls_empty.setText(self.tr("No call is overdue, and every call has a reviewer."))
        for pages, model in (
            (self.agents_pages, self.agents_model),
            (self.reviewers_pages, self.reviewers_model),
            (self.calls_pages, self.calls_model),
        ):
            pages.setCurrentIndex(0 if model.rowCount() else 1)
        self.refit()
        for table, record_id in zip(
            (self.agents_table, self.reviewers_table, self.calls_table), keep, strict=True
        ):
            select_id(table, record_id)
        self._update_buttons()
        self.listed.emit()

    def _show_period(self, coverage: Coverage) -> None:
        locale = QLocale()
        period = coverage.period
        if period.kind is PeriodKind.MONTH:
            text = self.tr("The month of {0}").format(
                f"\u2066{locale.toString(qdate(period.start), 'MMMM yyyy')}\u2069"
            )
        else:
            text = self.tr("The week of {0} to {1}").format(
                date_text(period.start, locale),
                date_text(period.end, locale),
            )
        self.period_label.setText(text)

    def on_failed(self, generation: int, error: str) -> None:
        if generation == self._gen:
            self._loading = False
            self.status.setText(
                self.tr(
                    "The coverage could not be read: {0} The figures shown are the previous "
                    "ones; choose the period again to retry."
                ).format(error)
            )

    def refit(self) -> None:
        fit_columns(self.agents_table, CoverageAgentsModel.ELASTIC)
        fit_columns(self.reviewers_table, ReviewerLoadModel.ELASTIC)
        fit_columns(self.calls_table, CoverageCallsModel.ELASTIC)

    # ---------------------------------------------------------------- actions
    def _update_buttons(self) -> None:
        self.assign_button.setEnabled(selected_id(self.calls_table) is not None)

    def selected_call(self) -> QueueRow | None:
        row = self.calls_model.row_of(selected_id(self.calls_table))
        return self.calls_model.row_at(row) if row >= 0 else None

    def _show(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()

    def assign_selected(self) -> None:
        item = self.selected_call()
        if item is None or self.dialog is not None:
            return
        dialog = QueueAssignDialog(self.session.services, item, self)

        def done() -> None:
            self.status.setText(
                self.tr("The call {0} of {1} is given to {2}.").format(
                    item.external_id or "—", item.agent_name, dialog.reviewer.currentText()
                )
            )
            self.changed.emit(dialog.changes)

        dialog.accepted.connect(done)
        self._show(dialog)

    def build_queue(self) -> None:
        if self.dialog is not None:
            return
        dialog = BuildQueueDialog(self.session, None, self)
        dialog.built.connect(self.changed)
        self._show(dialog)

    def close_dialogs(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
