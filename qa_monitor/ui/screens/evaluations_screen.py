"""Every evaluation, filtered and sorted; open one to read it, resume a draft, or discard it.

Rules:
- The list is read off the GUI thread (``EvaluationTableModel``): a new filter, sort or
  change elsewhere keeps the rows shown until the new ones arrive; the count line says
  "Loading…" when that takes more than a moment. ``listed`` is emitted once the new
  rows are shown (the selected evaluation stays selected if it is still listed).
- A drill-down (from the Dashboard or an agent's profile, ``show_filter``) puts its
  filter in the filter bar, where it can be changed, and says above the list what it
  shows ("Showing what you clicked: Customer Care · 07/11/2026 – 13/11/2026 · …"), with
  a button to see every evaluation again. Evaluations picked one by one (a chart's
  bar) have no control in the bar: the line names them until it is cleared.
- An empty result shows what to do in the list's place; the filter bar keeps its size.
- Acknowledge…, Dispute… and History… act on the selected evaluation
  (``AgentResponseActions``); what they record reloads the list, the evaluation stays
  selected with its new status, and ``changed`` tells the other screens.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.records import EvaluationFilter, EvaluationRow, EvaluationStatus
from qa_monitor.services import Changes
from qa_monitor.services.dashboard_service import DashboardService
from qa_monitor.services.evaluation_list_service import EvaluationListService
from qa_monitor.ui.date_texts import centre_day
from qa_monitor.ui.models.evaluation_pages import PageLoader
from qa_monitor.ui.models.evaluation_table_model import ID_ROLE, EvaluationTableModel
from qa_monitor.ui.screens.agent_response_actions import AgentResponseActions
from qa_monitor.ui.screens.evaluations_filter_bar import EvaluationsFilterBar
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.view_selection import select_row

LOADING_NOTICE_MS = 200  # quicker answers replace the rows without a "Loading…" flash


class EvaluationsScreen(QWidget):
    openRequested = Signal(int)
    changed = Signal(object)  # Changes
    listed = Signal()  # the rows of the latest filter, sort or refresh are shown

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.model = EvaluationTableModel(
            PageLoader(EvaluationListService(session.path), self), self
        )
        self._keep_selected: int | None = None
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.loaded.connect(self._after_reload)
        self.model.loadFailed.connect(self._on_load_failed)
        self._loading_notice = QTimer(self, singleShot=True, interval=LOADING_NOTICE_MS)
        self._loading_notice.timeout.connect(self._say_loading)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Evaluations"))
        title.setProperty("role", "pageTitle")
        layout.addWidget(title)
        self._choices = DashboardService(session.path)
        self.filters = EvaluationsFilterBar(
            self._choices.choices(), lambda: centre_day(session.services)
        )
        self.filters.changed.connect(self._filters_edited)
        self.filters.clear_button.clicked.connect(self.clear_filters)
        # The bar's controls, as the screen's own (tests and the data menu read them).
        for name in ("date_from", "date_to", "team", "agent", "form", "reviewer", "status",
                     "kind", "channel", "score_min", "score_max", "critical_only", "search"):
            setattr(self, name, getattr(self.filters, name))  # fmt: skip
        layout.addWidget(self.filters)
        self._drill_ids: tuple[int, ...] = ()
        self._drill_reason = ""
        self._drill_filter: EvaluationFilter | None = None
        layout.addWidget(self._drill_line())
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Evaluations"))
        self.table.setModel(self.model)
        # The model starts newest first; show that without asking it to sort again.
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Column widths from the first rows only: measuring every fetched row is slow.
        header.setResizeContentsPrecision(40)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.empty = QLabel(
            self.tr(
                "No evaluations match these filters. Clear the filters, or "
                "start an evaluation with Ctrl+N."
            )
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setProperty("role", "muted")
        # The list and its empty state take turns in one place: the bar above keeps its
        # size whichever is shown.
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)
        layout.addWidget(self.body, 1)
        actions = QHBoxLayout()
        self.count_label = QLabel()
        actions.addWidget(self.count_label, 1)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setToolTip(self.tr("Open the selected evaluation (Enter)"))
        self.open_button.clicked.connect(self.open_selected)
        self.discard_button = QPushButton(self.tr("Discard draft…"))
        self.discard_button.clicked.connect(self.discard_selected)
        actions.addWidget(self.open_button)
        actions.addWidget(self.discard_button)
        self.responses = AgentResponseActions(session, self, self.selected_row)
        self.responses.changed.connect(self._after_response)
        for button in self.responses.buttons:
            actions.addWidget(button)
        layout.addLayout(actions)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.open_selected)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_filters)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.refresh()

    def _drill_line(self) -> QFrame:
        """The line that says what a drill-down shows, with a way back to everything."""
        self.drill_banner = QFrame()
        self.drill_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.drill_banner.setAccessibleName(self.tr("What the list shows"))
        row = QHBoxLayout(self.drill_banner)
        margin = self.fontMetrics().height() // 4
        row.setContentsMargins(margin * 2, margin, margin, margin)
        self.drill_label = QLabel()
        self.drill_label.setWordWrap(True)
        self.drill_label.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.drill_label, 1)
        self.drill_clear = QPushButton(self.tr("Show all evaluations"))
        self.drill_clear.setToolTip(self.tr("Clear every filter"))
        self.drill_clear.clicked.connect(self.clear_filters)
        row.addWidget(self.drill_clear)
        self.drill_banner.hide()
        return self.drill_banner

    # ---------------------------------------------------------------- filters
    def _refill_choices(self) -> None:
        """New teams, agents, reviewers and forms appear in the filter bar; the ticked
        ones stay ticked (a choice that is gone drops out, and the list follows)."""
        if self.filters.set_choices(self._choices.choices()):
            self._reload(self.current_filter())

    def current_filter(self) -> EvaluationFilter:
        return self.filters.current_filter(self._drill_ids)

    def show_filter(
        self, flt: EvaluationFilter, *, drill_down: bool = False, reason: str = ""
    ) -> None:
        """Show ``flt`` in the filter bar and apply it. ``drill_down``: another screen
        asked for it, so the line above the list says what it shows; ``reason`` says
        what its evaluation ids are ("missed “Greets the customer”")."""
        self.filters.show(flt)
        self._drill_ids = flt.evaluation_ids
        self._drill_reason = reason
        # As the bar shows it (and the list reads it): compared with later edits.
        as_shown = self.current_filter()
        self._drill_filter = as_shown if drill_down or flt.evaluation_ids else None
        self._say_drill()
        self.apply_filters()

    def _say_drill(self) -> None:
        """The drill-down line: the whole filter while it is as the drill-down set it;
        once a control is changed, only the picked evaluations (which no control shows)."""
        shown = self._drill_filter
        ids = len(self._drill_ids)
        current = self.current_filter()
        if shown is not None and current == shown:
            parts = self.filters.summary(shown)
            if ids:
                parts.append(self._picked_text(ids))
            text = self.tr("Showing what you clicked: {0}.").format(" · ".join(parts))
        elif ids:
            text = self.tr("Limited to {0}; the filters above apply within them.").format(
                self._picked_text(ids)
            )
        else:
            self.drill_banner.hide()
            return
        self.drill_label.setText(text)
        self.drill_banner.show()

    def _picked_text(self, n: int) -> str:
        if self._drill_reason:
            return self.tr("the %n evaluation(s) that {0}", "", n).format(self._drill_reason)
        return self.tr("the %n evaluation(s) you picked", "", n)

    def _filters_edited(self) -> None:
        self._say_drill()
        self._debounce.start()

    def clear_filters(self) -> None:
        self.show_filter(EvaluationFilter())

    def apply_filters(self) -> None:
        """Re-run the query, keeping the selected evaluation selected if it is still listed."""
        self._reload(self.current_filter())

    def refresh(self, changes: Changes | None = None) -> None:
        if changes is not None and not (changes.evaluations or changes.people or changes.forms):
            return
        if changes is not None and (changes.people or changes.forms):
            self._refill_choices()
        self._reload(None)

    def _reload(self, flt: EvaluationFilter | None) -> None:
        """Ask for ``flt`` (None: the current filter again); the rows follow."""
        if flt is None:
            self.model.reload()
        else:
            self.model.set_filter(flt)
        self._loading_notice.start()

    def _remember_selection(self) -> None:
        self._keep_selected = self.selected_id()

    def _say_loading(self) -> None:
        if self.model.loading:
            self.count_label.setText(self.tr("Loading evaluations…"))

    def _on_load_failed(self, error: str) -> None:
        self._loading_notice.stop()
        self.count_label.setText(
            self.tr(
                "The list could not be read: {0} The rows shown are the previous ones; "
                "change a filter to try again, or reopen the database."
            ).format(error if error.endswith(".") else error + ".")
        )

    def _after_reload(self) -> None:
        self._loading_notice.stop()
        selected, self._keep_selected = self._keep_selected, None
        total = self.model.total
        self.count_label.setText(self.tr("%Ln evaluation(s)", "", total))
        self.body.setCurrentWidget(self.table if total > 0 else self.empty)
        if selected is not None and (row := self.model.row_of(selected)) >= 0:
            select_row(self.table, row)  # not selectRow: it fails right to left
        # Fit every column but the last, which stretches to the table's edge (fitting it
        # too would leave it narrow, with an empty band to its right).
        for column in range(self.model.columnCount() - 1):
            self.table.resizeColumnToContents(column)
        self._update_buttons()
        self.listed.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        # A pending filter query must not run against a database that is being closed.
        self._debounce.stop()
        self.model.loader.cancel()
        self.model.loader.wait()
        super().closeEvent(event)

    # ---------------------------------------------------------------- actions
    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return int(rows[0].data(ID_ROLE)) if rows else None

    def selected_row(self) -> EvaluationRow | None:
        sid = self.selected_id()
        row = self.model.row_of(sid) if sid is not None else -1
        return self.model.row_at(row) if row >= 0 else None

    def _update_buttons(self) -> None:
        selected = self.selected_row()
        self.open_button.setEnabled(self.selected_id() is not None)
        self.discard_button.setEnabled(
            selected is not None and selected.status is EvaluationStatus.DRAFT
        )
        self.responses.update(selected)

    def _after_response(self, changes: Changes) -> None:
        """An acknowledgement or a dispute was recorded: the list shows the new status
        (the evaluation stays selected), and the other screens hear of it."""
        self.refresh(changes)
        self.changed.emit(changes)

    def open_selected(self) -> None:
        sid = self.selected_id()
        if sid is not None:
            self.openRequested.emit(sid)

    def discard_selected(self) -> None:
        sid = self.selected_id()
        if sid is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Discard draft"),
            self.tr("Discard this draft evaluation? Its answers will be deleted."),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        changes = self.session.services.evaluations.discard_draft(sid, self.session.reviewer_id)
        self.refresh()
        self.changed.emit(changes)
