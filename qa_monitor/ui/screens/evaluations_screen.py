"""Every evaluation, filtered and sorted; open one to read it, resume a draft, or discard it.

Rules:
- The list is read off the GUI thread (``EvaluationTableModel``): a new filter, sort or
  change elsewhere keeps the rows shown until the new ones arrive; the count line says
  "Loading…" when that takes more than a moment. ``listed`` is emitted once the new
  rows are shown (the selected evaluation stays selected if it is still listed).
- Acknowledge…, Dispute… and History… act on the selected evaluation
  (``AgentResponseActions``); what they record reloads the list, the evaluation stays
  selected with its new status, and ``changed`` tells the other screens.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.forms import Channel
from qa_monitor.core.records import (
    EvaluationFilter,
    EvaluationKind,
    EvaluationRow,
    EvaluationStatus,
)
from qa_monitor.services import Changes
from qa_monitor.services.evaluation_list_service import EvaluationListService
from qa_monitor.ui.models.evaluation_pages import PageLoader
from qa_monitor.ui.models.evaluation_table_model import ID_ROLE, EvaluationTableModel
from qa_monitor.ui.screens.agent_response_actions import AgentResponseActions
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.view_selection import select_row

ANY = None


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
        layout.addLayout(self._filter_bar())
        self._drill_ids: tuple[int, ...] = ()
        self.drill_banner = QLabel()
        self.drill_banner.setWordWrap(True)
        self.drill_banner.hide()
        layout.addWidget(self.drill_banner)
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
        layout.addWidget(self.table, 1)
        self.empty = QLabel(
            self.tr(
                "No evaluations match these filters. Clear the filters, or "
                "start an evaluation with Ctrl+N."
            )
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setProperty("role", "muted")
        layout.addWidget(self.empty)
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

    # ---------------------------------------------------------------- filters
    def _combo(self, name: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem(self.tr("Any"), ANY)
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _i: self._debounce.start())
        return combo

    def _choices(self) -> dict[QComboBox, list[tuple[str, object]]]:
        people = self.session.services.people
        forms = self.session.services.forms
        return {
            self.team: [(t.name, t.id) for t in people.list_teams()],
            self.agent: [(a.name, a.id) for a in people.list_agents()],
            self.form: [
                (v.form.title, v.form_id) for v in forms.published_versions(include_retired=True)
            ],
            self.reviewer: [(r.name, r.id) for r in people.list_reviewers()],
        }

    def _refill_choices(self) -> None:
        """New teams, agents, reviewers and forms appear in the filter bar; the current
        choice stays chosen (or falls back to Any when it is gone, and the list follows)."""
        fell_back = False
        for combo, items in self._choices().items():
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for text, value in items:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            fell_back |= combo.currentData() != chosen
            combo.blockSignals(False)
        if fell_back:
            self._reload(self.current_filter())

    def _filter_bar(self) -> QGridLayout:
        grid = QGridLayout()
        self.date_from = QDateEdit(calendarPopup=True)
        self.date_to = QDateEdit(calendarPopup=True)
        for edit, name in ((self.date_from, self.tr("From")), (self.date_to, self.tr("To"))):
            edit.setAccessibleName(name)
            edit.setSpecialValueText(self.tr("any"))
            edit.setMinimumDate(QDate(2000, 1, 1))
            edit.setDate(edit.minimumDate())
            edit.dateChanged.connect(lambda _d: self._debounce.start())
        self.team = self._combo(self.tr("Team"), [])
        self.agent = self._combo(self.tr("Agent"), [])
        self.form = self._combo(self.tr("Form"), [])
        self.reviewer = self._combo(self.tr("Reviewer"), [])
        for combo, items in self._choices().items():
            for text, value in items:
                combo.addItem(text, value)
        self.status = self._combo(
            self.tr("Status"), [(self.tr(s.value.capitalize()), s) for s in EvaluationStatus]
        )
        self.kind = self._combo(
            self.tr("Kind"), [(self.tr(k.value.capitalize()), k) for k in EvaluationKind]
        )
        self.channel = self._combo(
            self.tr("Channel"), [(self.tr(c.value.capitalize()), c) for c in Channel]
        )
        self.score_min = QDoubleSpinBox(minimum=0, maximum=100, decimals=1, value=0)
        self.score_max = QDoubleSpinBox(minimum=0, maximum=150, decimals=1, value=150)
        self.score_min.setAccessibleName(self.tr("Minimum score"))
        self.score_max.setAccessibleName(self.tr("Maximum score"))
        for spin in (self.score_min, self.score_max):
            spin.valueChanged.connect(lambda _v: self._debounce.start())
        self.critical_only = QCheckBox(self.tr("Critical failures only"))
        self.critical_only.toggled.connect(lambda _c: self._debounce.start())
        self.search = QLineEdit(placeholderText=self.tr("Search agent, team, reviewer, form…"))
        self.search.setAccessibleName(self.tr("Search"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        clear = QPushButton(self.tr("Clear filters"))
        clear.clicked.connect(self.clear_filters)
        cells = [
            (self.tr("From"), self.date_from),
            (self.tr("To"), self.date_to),
            (self.tr("Team"), self.team),
            (self.tr("Agent"), self.agent),
            (self.tr("Form"), self.form),
            (self.tr("Reviewer"), self.reviewer),
            (self.tr("Status"), self.status),
            (self.tr("Kind"), self.kind),
            (self.tr("Channel"), self.channel),
            (self.tr("Score ≥"), self.score_min),
            (self.tr("Score ≤"), self.score_max),
        ]
        for i, (label, widget) in enumerate(cells):
            row, col = divmod(i, 6)
            caption = QLabel(label)
            caption.setBuddy(widget)
            grid.addWidget(caption, row * 2, col)
            grid.addWidget(widget, row * 2 + 1, col)
        grid.addWidget(self.critical_only, 3, 5)
        grid.addWidget(self.search, 4, 0, 1, 5)
        grid.addWidget(clear, 4, 5)
        return grid

    def current_filter(self) -> EvaluationFilter:
        def one(combo: QComboBox) -> tuple:  # type: ignore[type-arg]
            value = combo.currentData()
            return () if value is None else (value,)

        def day(edit: QDateEdit) -> date | None:
            if edit.date() == edit.minimumDate():
                return None
            return edit.date().toPython()  # type: ignore[no-any-return]

        return EvaluationFilter(
            date_from=day(self.date_from),
            date_to=day(self.date_to),
            team_ids=one(self.team),
            agent_ids=one(self.agent),
            form_ids=one(self.form),
            reviewer_ids=one(self.reviewer),
            # Qt hands enum data back as plain text: rebuild the enums.
            statuses=tuple(EvaluationStatus(v) for v in one(self.status)),
            kinds=tuple(EvaluationKind(v) for v in one(self.kind)),
            channels=tuple(Channel(v) for v in one(self.channel)),
            score_min=self.score_min.value() or None,
            score_max=None if self.score_max.value() >= 150 else self.score_max.value(),
            critical_failed=True if self.critical_only.isChecked() else None,
            search=self.search.text().strip(),
            evaluation_ids=self._drill_ids,
        )

    def show_filter(self, flt: EvaluationFilter) -> None:
        """Show ``flt`` in the filter bar and apply it (a dashboard drill-down). A list of
        evaluations, which the bar has no control for, is kept and named in a banner until
        the filters are cleared."""

        def pick(combo: QComboBox, values: tuple) -> None:  # type: ignore[type-arg]
            combo.setCurrentIndex(max(0, combo.findData(values[0])) if len(values) == 1 else 0)

        widgets = (
            self.date_from,
            self.date_to,
            self.team,
            self.agent,
            self.form,
            self.reviewer,
            self.status,
            self.kind,
            self.channel,
            self.score_min,
            self.score_max,
            self.critical_only,
            self.search,
        )
        blockers = [QSignalBlocker(w) for w in widgets]
        for edit, day in ((self.date_from, flt.date_from), (self.date_to, flt.date_to)):
            edit.setDate(QDate(day) if day else edit.minimumDate())
        pick(self.team, flt.team_ids)
        pick(self.agent, flt.agent_ids)
        pick(self.form, flt.form_ids)
        pick(self.reviewer, flt.reviewer_ids)
        pick(self.status, tuple(s.value for s in flt.statuses))
        pick(self.kind, tuple(k.value for k in flt.kinds))
        pick(self.channel, tuple(c.value for c in flt.channels))
        self.score_min.setValue(flt.score_min or 0)
        self.score_max.setValue(150 if flt.score_max is None else flt.score_max)
        self.critical_only.setChecked(bool(flt.critical_failed))
        self.search.setText(flt.search)
        del blockers
        self._drill_ids = flt.evaluation_ids
        self.drill_banner.setText(
            self.tr(
                "Showing the %n evaluation(s) behind the chart you clicked. Clear the "
                "filters to see all.",
                "",
                len(flt.evaluation_ids),
            )
        )
        self.drill_banner.setVisible(bool(flt.evaluation_ids))
        self.apply_filters()

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
        self.table.setVisible(total > 0)
        self.empty.setVisible(total == 0)
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
