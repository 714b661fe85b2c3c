"""My queue: the calls the sampling rules queued for the reviewer using this machine,
the coverage of a period, and the rules themselves (three tabs).

Rules:
- My queue lists the session reviewer's queued calls not yet done, the nearest due
  first, read off the GUI thread (``QueueLoader``); without a reviewer it says how to
  choose one. Enter opens the selected call (``open_queued_call``: resumes the
  reviewer's own draft, else starts one on the latest published version of the call's
  form) and emits ``openEvaluationRequested``. Skip… (Del, Ctrl+Shift+S) asks for a
  reason; Reopen (Ctrl+Shift+R) puts a skipped call back.
- Coverage (queue_coverage_tab) and Rules (queue_rules_tab) are their own widgets;
  Build queue… (Ctrl+B) is offered on both.
- The screen reads only while it is visible: ``refresh`` while hidden marks it stale,
  and showing it reads again (also when the day changed: overdue counts from today).
- The rows shown stay until the new ones arrive; the selected call stays selected.
  Every stored change is emitted as ``changed`` for the other screens.
- Opening a tab puts the focus in its list.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import cast

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.sampling import SamplingRule
from qa_monitor.services import Changes, DatabaseBusyError, StorageError
from qa_monitor.services.queue_service import QueueRow, QueueService
from qa_monitor.ui.dialogs.skip_call_dialog import SkipCallDialog
from qa_monitor.ui.models.queue_loader import QueueLoader
from qa_monitor.ui.models.queue_table_models import MyQueueModel
from qa_monitor.ui.screens.queue_coverage_tab import CoverageTab
from qa_monitor.ui.screens.queue_open import open_queued_call
from qa_monitor.ui.screens.queue_rules_tab import RulesTab
from qa_monitor.ui.session import Session
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

log = logging.getLogger(__name__)
GUI_WRITE_WAIT_S = 0.05
TABS = ("mine", "coverage", "rules")


class MyQueueTab(QWidget):
    changed = Signal(object)
    openEvaluationRequested = Signal(int)
    listed = Signal()  # the rows of the latest request are shown

    def __init__(self, session: Session, loader: QueueLoader, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.loader = session, loader
        self.dialog: QDialog | None = None
        self._gen = 0
        layout = QVBoxLayout(self)
        self.counts = QLabel()
        self.counts.setAccessibleName(self.tr("My queue in numbers"))
        layout.addWidget(self.counts)
        self.model = MyQueueModel(self)
        self.table = record_table(self.tr("My queue"), self.model, self)
        self.table.sortByColumn(MyQueueModel.DUE, Qt.SortOrder.AscendingOrder)
        on_enter(self.table, self.open_selected)
        self.empty = empty_label()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages, 1)
        buttons = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Status"))
        buttons.addWidget(self.status, 1)
        self.open_button = action_button(
            self.tr("&Open"), self.tr("Score the selected call (Enter)"), self.open_selected
        )
        self.skip_button = action_button(
            self.tr("&Skip…"),
            self.tr("Take the call out of your queue, with a reason (Del or Ctrl+Shift+S)"),
            self.skip_selected,
        )
        self.reopen_button = action_button(
            self.tr("&Reopen"),
            self.tr("Put a skipped call back in your queue (Ctrl+Shift+R)"),
            self.reopen_selected,
        )
        for button in (self.open_button, self.skip_button, self.reopen_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        skip_del = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.skip_selected)
        skip_del.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut("Ctrl+Shift+S", self, self.skip_selected)
        shortcut("Ctrl+Shift+R", self, self.reopen_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    # ---------------------------------------------------------------- loading
    def load(self) -> int:
        self._gen += 1
        reviewer_id = self.session.reviewer_id
        if reviewer_id is None:
            self.model.set_rows([])
            self.counts.clear()
            self.empty.setText(
                self.tr(
                    "Nobody is chosen as the reviewer on this computer, so there is no queue "
                    "to show. Choose who you are with Evaluation ▸ Change reviewer…"
                )
            )
            self.pages.setCurrentIndex(1)
            self._update_buttons()
            self.listed.emit()
            return self._gen

        def work(queue: QueueService) -> object:
            return queue.today(), queue.my_queue(reviewer_id), queue.rules()

        self.loader.load("mine", self._gen, work)
        return self._gen

    def on_loaded(self, generation: int, result: object) -> None:
        if generation != self._gen:
            return
        today, rows, rules = cast(tuple[date, list[QueueRow], list[SamplingRule]], result)
        keep = selected_id(self.table)
        self.model.set_queue(rows, today, rules)
        skipped = sum(1 for r in rows if r.status == "skipped")
        overdue = sum(1 for r in rows if self.model.status(r) == "overdue")
        self.counts.setText(
            self.tr("%n open · {0} overdue · {1} skipped", "", len(rows) - skipped).format(
                overdue, skipped
            )
        )
        self.empty.setText(
            self.tr(
                "Your queue is empty. A supervisor builds it from the sampling rules "
                "(Coverage ▸ Build queue…, Ctrl+B)."
            )
        )
        self.pages.setCurrentIndex(0 if rows else 1)
        fit_columns(self.table, MyQueueModel.ELASTIC)
        select_id(self.table, keep)
        self._update_buttons()
        self.listed.emit()

    def on_failed(self, generation: int, error: str) -> None:
        if generation == self._gen:
            self.status.setText(
                self.tr(
                    "Your queue could not be read: {0} The rows shown are the previous ones; "
                    "show the screen again to retry."
                ).format(error)
            )

    # ---------------------------------------------------------------- actions
    def selected_item(self) -> QueueRow | None:
        row = self.model.row_of(selected_id(self.table))
        return self.model.row_at(row) if row >= 0 else None

    def _update_buttons(self) -> None:
        item = self.selected_item()
        self.open_button.setEnabled(item is not None and item.status != "skipped")
        self.skip_button.setEnabled(item is not None and item.status != "skipped")
        self.reopen_button.setEnabled(item is not None and item.status == "skipped")

    def open_selected(self) -> None:
        item = self.selected_item()
        reviewer_id = self.session.reviewer_id
        if item is None or reviewer_id is None:
            return
        if item.status == "skipped":
            self.status.setText(
                self.tr("The call is skipped; reopen it first (Ctrl+Shift+R) to score it.")
            )
            return
        try:
            evaluation_id = open_queued_call(self.session.services, item, reviewer_id)
        except (ValueError, StorageError) as exc:
            self.status.setText(str(exc))
            return
        self.status.clear()
        self.changed.emit(Changes(evaluations=True))
        self.openEvaluationRequested.emit(evaluation_id)

    def skip_selected(self) -> None:
        item = self.selected_item()
        if item is None or item.status == "skipped" or self.dialog is not None:
            return
        dialog = SkipCallDialog(self.session.services, item, self)
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))

        def done() -> None:
            self.status.setText(
                self.tr("The call {0} is skipped: {1}").format(
                    item.external_id or "—", dialog.reason.text().strip()
                )
            )
            self.changed.emit(dialog.changes)

        dialog.accepted.connect(done)
        dialog.open()

    def reopen_selected(self) -> None:
        item = self.selected_item()
        if item is None or item.status != "skipped":
            return
        services = self.session.services
        try:
            with services.waiting_at_most(GUI_WRITE_WAIT_S):
                changes = services.queue.reopen(item.id)
        except DatabaseBusyError:
            self.status.setText(
                self.tr("Another import or sync is writing; press Ctrl+Shift+R again in a moment.")
            )
            return
        except (ValueError, StorageError) as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(self.tr("The call {0} is back in your queue.").format(
            item.external_id or "—"
        ))  # fmt: skip
        self.changed.emit(changes)


class QueueScreen(QWidget):
    changed = Signal(object)  # Changes
    openEvaluationRequested = Signal(int)  # evaluation id

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self._stale = True
        self._loaded_day: date | None = None
        self.loader = QueueLoader(session.path, session.services.clock, self)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("My queue"))
        title.setProperty("role", "pageTitle")
        layout.addWidget(title)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("My queue"))
        self.mine = MyQueueTab(session, self.loader)
        self.coverage = CoverageTab(session, self.loader)
        self.rules = RulesTab(session)
        self.tabs.addTab(self.mine, self.tr("&My queue"))
        self.tabs.addTab(self.coverage, self.tr("&Coverage"))
        self.tabs.addTab(self.rules, self.tr("R&ules"))
        layout.addWidget(self.tabs, 1)
        for tab in (self.mine, self.coverage, self.rules):
            tab.changed.connect(self._on_changed)
        self.mine.openEvaluationRequested.connect(self.openEvaluationRequested)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_failed)
        self.tabs.currentChanged.connect(lambda _i: self._tab_shown())
        self._refit_later = QTimer(self, singleShot=True, interval=0)
        self._refit_later.timeout.connect(self._refit)

    def show_tab(self, name: str) -> None:
        """Show the "mine", "coverage" or "rules" tab, the focus in its list."""
        self.tabs.setCurrentIndex(TABS.index(name))
        self._focus_list()

    def _tab_shown(self) -> None:
        # A hidden tab's tables were fitted to no width: fit them now they show.
        self._refit()
        self._focus_list()

    def current_tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def _focus_list(self) -> None:
        tab = self.tabs.currentWidget()
        table = getattr(tab, "table", None) or getattr(tab, "focus_target", lambda: None)()
        if table is not None:
            table.setFocus()

    # ---------------------------------------------------------------- loading
    def refresh(self, changes: Changes | None = None) -> None:
        """Read every tab again (now if shown, else when next shown)."""
        if changes is not None and not changes.any:
            return
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale or self._loaded_day != self.session.services.queue.today():
            self.reload()
        self._refit_later.start()
        self._focus_list()

    def reload(self) -> None:
        self._stale = False
        self._loaded_day = self.session.services.queue.today()
        self.mine.load()
        self.coverage.load()
        self.rules.load()

    def _on_loaded(self, kind: str, generation: int, result: object) -> None:
        (self.mine if kind == "mine" else self.coverage).on_loaded(generation, result)

    def _on_failed(self, kind: str, generation: int, error: str) -> None:
        self._stale = True
        (self.mine if kind == "mine" else self.coverage).on_failed(generation, error)

    def _on_changed(self, changes: object) -> None:
        self.refresh()
        if isinstance(changes, Changes):
            self.changed.emit(changes)

    def _refit(self) -> None:
        fit_columns(self.mine.table, MyQueueModel.ELASTIC)
        self.coverage.refit()
        self.rules.refit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit_later.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.coverage.close_dialogs()
        self.loader.cancel()
        self.loader.wait()  # a read still running must not outlive the database
        super().closeEvent(event)
