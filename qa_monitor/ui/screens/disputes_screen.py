"""Disputes: the queue of open disputes waiting for their re-review, and the dispute
and overturn rates per reviewer over a period.

Rules:
- Both tables are read off the GUI thread (``DisputeLoader``: the dispute list
  service, its own read-only connection per call, on this screen's one worker
  thread). Each request has a generation; a newer one cancels the older, whose answer
  is dropped. The rows shown stay until the new ones arrive; "Loading…" shows only after
  ``LOADING_NOTICE_MS``; the selected dispute stays selected if it is still open.
- The screen reads only while it is visible: a change elsewhere (``refresh``) while it
  is hidden marks it stale, and showing it reads again (also when the day changed, as
  ages and overdue marks count working days up to today, in the centre's time zone).
- Re-review (Enter on a row, or Alt+R), Assign re-reviewer (Ctrl+Shift+A) and Open
  evaluation (Ctrl+Shift+O) act on the selected dispute. The dialogs call the dispute
  service on the GUI thread (one evaluation's entries) and are opened with ``open()``;
  the one showing is kept in ``dialog`` for tests. A stored change reloads the queue and
  the rates and is emitted as ``changed`` for the other screens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QItemSelectionModel,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.services import Changes
from qa_monitor.services.dispute_list_service import (
    DisputeListService,
    QueueItem,
    ReviewerRates,
)
from qa_monitor.ui.date_texts import centre_day
from qa_monitor.ui.dialogs.assign_reviewer_dialog import AssignReviewerDialog
from qa_monitor.ui.dialogs.re_review_dialog import ReReviewDialog
from qa_monitor.ui.models.dispute_loader import DisputeLoader
from qa_monitor.ui.models.dispute_table_models import QueueTableModel, RatesTableModel
from qa_monitor.ui.models.table_base import ID_ROLE, SORT_ROLE, qdate
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.date_field_widget import set_up_date_edit
from qa_monitor.ui.widgets.record_table import fit_columns, table_pages
from qa_monitor.ui.widgets.widget_style import em

log = logging.getLogger(__name__)
LOADING_NOTICE_MS = 200  # quicker answers replace the rows without a "Loading…" flash
RATES_DAYS = 90  # the rates' default period: the last 90 days, today included


class DisputesScreen(QWidget):
    changed = Signal(object)  # Changes
    openEvaluationRequested = Signal(int)  # evaluation id
    queueListed = Signal()  # the queue of the latest request is shown
    ratesListed = Signal()  # the rates of the latest request are shown

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.dialog: QDialog | None = None  # the dialog open now, if any
        self.loader = DisputeLoader(DisputeListService(session.path), self)
        self.loader.queueLoaded.connect(self._on_queue)
        self.loader.ratesLoaded.connect(self._on_rates)
        self.loader.queueFailed.connect(self._on_queue_failed)
        self.loader.ratesFailed.connect(self._on_rates_failed)
        self._queue_gen = self._rates_gen = 0
        self._queue_loading = self._rates_loading = False
        self._stale = True
        self._loaded_day: date | None = None
        self._keep_selected: int | None = None
        self._loading_notice = QTimer(self, singleShot=True, interval=LOADING_NOTICE_MS)
        self._loading_notice.timeout.connect(self._say_loading)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.load_rates)
        self._refit_later = QTimer(self, singleShot=True, interval=0)
        self._refit_later.timeout.connect(self._refit)

        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Disputes"))
        title.setProperty("role", "pageTitle")
        layout.addWidget(title)
        layout.addWidget(self._queue_group(), 3)
        layout.addWidget(self._rates_group(), 2)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Status"))
        layout.addWidget(self.status)
        self._update_buttons()

    # ---------------------------------------------------------------- building
    def _table(self, name: str, model: QueueTableModel | RatesTableModel) -> QTableView:
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
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        return table

    def _button(self, text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", ""))
        button.clicked.connect(slot)
        return button

    def _queue_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Open disputes"))
        group.setAccessibleName(self.tr("Open disputes"))
        column = QVBoxLayout(group)
        self.queue_model = QueueTableModel(self)
        self.queue_table = self._table(self.tr("Open disputes"), self.queue_model)
        # The service's order: the nearest deadline first.
        self.queue_table.sortByColumn(QueueTableModel.DEADLINE, Qt.SortOrder.AscendingOrder)
        # Enter on a row (a shortcut: item views edit on Return on macOS) or a double click.
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.queue_table, self.re_review_selected)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.queue_table.doubleClicked.connect(lambda _i: self.re_review_selected())
        self.queue_empty = QLabel(
            self.tr(
                "No open disputes. When an agent disputes an evaluation, it waits here "
                "until another reviewer re-reviews it."
            )
        )
        self.queue_pages = table_pages(self.queue_table, self.queue_empty)
        column.addWidget(self.queue_pages, 1)
        actions = QHBoxLayout()
        self.queue_count = QLabel()
        self.queue_count.setAccessibleName(self.tr("Open disputes"))
        actions.addWidget(self.queue_count, 1)
        self.re_review_button = self._button(
            self.tr("&Re-review…"),
            self.tr("Uphold or overturn each disputed question (Enter)"),
            self.re_review_selected,
        )
        self.assign_button = self._button(
            self.tr("&Assign re-reviewer…"),
            self.tr("Ask another reviewer to re-review the dispute (Ctrl+Shift+A)"),
            self.assign_selected,
        )
        self.open_button = self._button(
            self.tr("&Open evaluation"),
            self.tr("Show the disputed evaluation on the Evaluate screen (Ctrl+Shift+O)"),
            self.open_selected,
        )
        for button in (self.re_review_button, self.assign_button, self.open_button):
            actions.addWidget(button)
        column.addLayout(actions)
        for keys, slot in (
            ("Ctrl+Shift+A", self.assign_selected),
            ("Ctrl+Shift+O", self.open_selected),
        ):
            shortcut = QShortcut(QKeySequence(keys), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.queue_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons()
        )
        return group

    def _rates_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Rates per reviewer"))
        group.setAccessibleName(self.tr("Rates per reviewer"))
        column = QVBoxLayout(group)
        period = QHBoxLayout()
        today = self.today()
        self.rates_from, self.rates_to = QDateEdit(), QDateEdit()
        for edit, caption_text, name, day in (
            (
                self.rates_from,
                self.tr("Fro&m:"),
                self.tr("Rates from"),
                today - timedelta(days=RATES_DAYS - 1),
            ),
            (self.rates_to, self.tr("&To:"), self.tr("Rates to"), today),
        ):
            edit.setAccessibleName(name)
            set_up_date_edit(edit, centre_day(self.session.services))
            edit.setDate(qdate(day))
            edit.dateChanged.connect(lambda _d: self._debounce.start())
            caption = QLabel(caption_text)
            caption.setBuddy(edit)
            period.addWidget(caption)
            period.addWidget(edit)
        self.last_90 = self._button(
            self.tr("Last &90 days"),
            self.tr("Show the rates of the last 90 days, today included"),
            self.show_last_90_days,
        )
        period.addWidget(self.last_90)
        period.addSpacing(em(self, 1))
        self.rates_count = QLabel()
        self.rates_count.setWordWrap(True)
        self.rates_count.setAccessibleName(self.tr("Rates per reviewer"))
        period.addWidget(self.rates_count, 1)
        column.addLayout(period)
        self.rates_model = RatesTableModel(self)
        self.rates_table = self._table(self.tr("Rates per reviewer"), self.rates_model)
        self.rates_table.sortByColumn(RatesTableModel.REVIEWER, Qt.SortOrder.AscendingOrder)
        # Figures sit next to their headers: no column stretched across the spare width.
        self.rates_table.horizontalHeader().setStretchLastSection(False)
        self.rates_empty = QLabel()
        self.rates_pages = table_pages(self.rates_table, self.rates_empty)
        column.addWidget(self.rates_pages, 1)
        explanation = QLabel(
            self.tr(
                "Dispute rate: share of a reviewer's evaluations agents disputed; overturn "
                "rate: share of decided disputed questions whose answer was changed. High "
                "rates are a calibration signal."
            )
        )
        explanation.setWordWrap(True)
        explanation.setProperty("role", "muted")
        column.addWidget(explanation)
        return group

    # ---------------------------------------------------------------- loading
    def today(self) -> date:
        """Today in the centre's time zone (ages and deadlines count working days)."""
        services = self.session.services
        zone = ZoneInfo(services.settings.centre().timezone)
        return services.clock().astimezone(zone).date()

    def refresh(self, changes: Changes | None = None) -> None:
        """Read the queue and the rates again (now if shown, else when next shown)."""
        if changes is not None and not (
            changes.evaluations or changes.people or changes.settings or changes.forms
        ):
            return
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale or self._loaded_day != self.today():
            self.reload()

    def reload(self) -> None:
        self._stale = False
        self.load_queue()
        self.load_rates()

    def load_queue(self) -> int:
        """Ask for the open disputes (stopping an older request); returns its generation."""
        self._queue_gen += 1
        today = self._loaded_day = self.today()
        self._queue_loading = True
        self.loader.load_queue(self._queue_gen, today)
        self._loading_notice.start()
        return self._queue_gen

    def period(self) -> tuple[date, date]:
        return self.rates_from.date().toPython(), self.rates_to.date().toPython()  # type: ignore[return-value]

    def load_rates(self) -> int:
        """Ask for the rates of the chosen period; returns the request's generation."""
        self._debounce.stop()
        self._rates_gen += 1
        start, end = self.period()
        if end < start:
            self.loader.cancel_rates()
            self._rates_loading = False
            self.rates_model.set_rows([])
            self.rates_empty.setText(
                self.tr("The period ends before it starts. Choose a To date after the From date.")
            )
            self.rates_pages.setCurrentIndex(1)
            self.rates_count.clear()
            return self._rates_gen
        self._rates_loading = True
        self.loader.load_rates(self._rates_gen, start, end)
        self._loading_notice.start()
        return self._rates_gen

    def show_last_90_days(self) -> None:
        today = self.today()
        self.rates_from.setDate(qdate(today - timedelta(days=RATES_DAYS - 1)))
        self.rates_to.setDate(qdate(today))
        self.load_rates()

    def _say_loading(self) -> None:
        if self._queue_loading:
            self.queue_count.setText(self.tr("Loading the open disputes…"))
        if self._rates_loading:
            self.rates_count.setText(self.tr("Loading the rates…"))

    def _on_queue(self, generation: int, result: tuple[date, list[QueueItem]]) -> None:
        if generation != self._queue_gen:
            return  # stale: a newer request is on its way
        self._queue_loading = False
        today, items = result
        self._keep_selected = self.selected_id()
        self.queue_model.set_rows(items, today)
        overdue = sum(1 for i in items if i.overdue)
        if not items:
            self.queue_count.setText(self.tr("No open disputes"))
        elif overdue:
            self.queue_count.setText(
                self.tr("%n open dispute(s), {0} overdue", "", len(items)).format(overdue)
            )
        else:
            self.queue_count.setText(self.tr("%n open dispute(s), none overdue", "", len(items)))
        self.queue_pages.setCurrentIndex(0 if items else 1)
        fit_columns(self.queue_table, QueueTableModel.ELASTIC)
        selected, self._keep_selected = self._keep_selected, None
        self._select(selected)
        self._update_buttons()
        self.queueListed.emit()

    def _on_rates(self, generation: int, rates: list[ReviewerRates]) -> None:
        if generation != self._rates_gen:
            return
        self._rates_loading = False
        self.rates_model.set_rows(rates)
        if rates:
            total = sum(r.evaluations for r in rates)
            self.rates_count.setText(self.tr("%n evaluation(s) in the period", "", total))
        else:
            self.rates_count.clear()
            self.rates_empty.setText(
                self.tr(
                    "No submitted evaluations of interactions in this period. Choose an "
                    "earlier From date."
                )
            )
        self.rates_pages.setCurrentIndex(0 if rates else 1)
        fit_columns(self.rates_table)
        self.ratesListed.emit()

    def _failed_text(self, error: str) -> str:
        return self.tr(
            "The disputes could not be read: {0} The rows shown are the previous ones; "
            "show the screen again to retry, or reopen the database."
        ).format(error if error.endswith(".") else error + ".")

    def _on_queue_failed(self, generation: int, error: str) -> None:
        if generation == self._queue_gen:
            self._queue_loading = False
            self._stale = True
            self.queue_count.setText(self._failed_text(error))

    def _on_rates_failed(self, generation: int, error: str) -> None:
        if generation == self._rates_gen:
            self._rates_loading = False
            self._stale = True
            self.rates_count.setText(self._failed_text(error))

    def _refit(self) -> None:
        fit_columns(self.queue_table, QueueTableModel.ELASTIC)
        fit_columns(self.rates_table)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit_later.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        # A read still running must not outlive the database.
        self._debounce.stop()
        self._queue_gen += 1
        self._rates_gen += 1  # answers still on their way are dropped
        self.loader.cancel()
        self.loader.wait()
        super().closeEvent(event)

    # ---------------------------------------------------------------- selection
    def selected_id(self) -> int | None:
        model = self.queue_table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        return int(rows[0].data(ID_ROLE)) if rows else None

    def selected_item(self) -> QueueItem | None:
        evaluation_id = self.selected_id()
        row = self.queue_model.row_of(evaluation_id) if evaluation_id is not None else -1
        return self.queue_model.row_at(row) if row >= 0 else None

    def _select(self, evaluation_id: int | None) -> bool:
        """Select the dispute of ``evaluation_id`` if listed, else the first one."""
        proxy = self.queue_table.model()
        if proxy.rowCount() == 0:
            return False
        row = self.queue_model.row_of(evaluation_id) if evaluation_id is not None else -1
        index = (
            proxy.mapFromSource(self.queue_model.index(row, 0))  # type: ignore[attr-defined]
            if row >= 0
            else proxy.index(0, 0)
        )
        flags = QItemSelectionModel.SelectionFlag
        self.queue_table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.queue_table.scrollTo(index)
        return row >= 0

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        for button in (self.re_review_button, self.assign_button, self.open_button):
            button.setEnabled(has)

    # ---------------------------------------------------------------- actions
    def _say(self, message: str) -> None:
        self.status.setText(message)
        self.status.setAccessibleDescription(message)

    def _show(self, dialog: QDialog, on_accepted: Callable[[], None]) -> None:
        # open(), not exec(): no nested event loop, and tests can drive the dialog directly.
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.accepted.connect(on_accepted)
        dialog.open()

    def _still_open(self, item: QueueItem) -> bool:
        """Whether the dispute is still open (another computer may have resolved it)."""
        dispute = self.session.services.disputes.dispute_of(item.evaluation_id)
        if dispute is not None and not dispute.decided:
            return True
        self._say(
            self.tr(
                "The dispute of {0}'s evaluation is no longer open; it was resolved "
                "meanwhile, perhaps on another computer. The queue is read again."
            ).format(item.agent_name)
        )
        self.refresh()
        return False

    def re_review_selected(self) -> None:
        item = self.selected_item()
        if item is None or self.dialog is not None or not self._still_open(item):
            return
        services = self.session.services
        evaluation = services.evaluations.get_evaluation(item.evaluation_id)
        dispute = services.disputes.dispute_of(item.evaluation_id)
        assert dispute is not None  # _still_open checked it
        form = services.form_cache.form(evaluation.form_version_id)
        dialog = ReReviewDialog(self.session, item, evaluation, dispute.questions, form, self)

        def done() -> None:
            overturned = sum(1 for card in dialog.cards if card.new_answer_value() is not None)
            self._say(
                self.tr(
                    "The re-review of {0}'s evaluation is saved; %n question(s) overturned.",
                    "",
                    overturned,
                ).format(item.agent_name)
            )
            self._after_change(dialog.changes)

        self._show(dialog, done)

    def assign_selected(self) -> None:
        item = self.selected_item()
        if item is None or self.dialog is not None or not self._still_open(item):
            return
        dialog = AssignReviewerDialog(self.session, item, self)

        def done() -> None:
            self._say(
                self.tr("{0} is asked to re-review {1}'s dispute.").format(
                    dialog.reviewer.currentText(), item.agent_name
                )
            )
            self._after_change(dialog.changes)

        self._show(dialog, done)

    def open_selected(self) -> None:
        evaluation_id = self.selected_id()
        if evaluation_id is not None:
            self.openEvaluationRequested.emit(evaluation_id)

    def _after_change(self, changes: Changes | None) -> None:
        self.refresh()
        if changes is not None:
            self.changed.emit(changes)
