"""Coaching: the sessions held with agents, filtered by agent, team, period and open
actions, and the selected session's notes, action plan and follow-up.

Rules:
- The list (with every listed session's follow-up) is read off the GUI thread
  (``CoachingLoader``: its own read-only connection per request, one worker thread).
  A newer request cancels the older, whose answer is dropped; the rows shown stay
  until the new ones arrive; "Loading…" shows only after ``LOADING_NOTICE_MS``; the
  selected session stays selected if it is still listed.
- The screen reads only while it is visible: a change elsewhere (``refresh``) while it
  is hidden marks it stale, and showing it reads again.
- New session (Ctrl+N), Edit (Enter, or a double click), Delete (Del, asked once) act
  here; the dialogs are opened with ``open()`` and the one showing is kept in
  ``dialog`` for tests. The detail pane's "done" boxes store at once (Space on the
  plan's Done cell). What changed is emitted as ``changed``.
- The follow-up table words each verdict (never colour alone) and shows the figures so
  far while the follow-up runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.coaching import windows
from qa_monitor.services import Changes, StorageError
from qa_monitor.services.coaching_list_service import (
    CoachingListService,
    ListedSession,
    SessionFilter,
)
from qa_monitor.ui import icons
from qa_monitor.ui.date_texts import centre_day, date_text
from qa_monitor.ui.dialogs.coaching_session_dialog import CoachingSessionDialog
from qa_monitor.ui.dialogs.person_dialogs import sentence
from qa_monitor.ui.models.coaching_loader import CoachingLoader
from qa_monitor.ui.models.coaching_models import (
    ActionPlanModel,
    FollowUpModel,
    SessionTableModel,
)
from qa_monitor.ui.models.table_base import ID_ROLE, SORT_ROLE
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.date_field_widget import DateField
from qa_monitor.ui.widgets.widget_style import muted_label

log = logging.getLogger(__name__)
LOADING_NOTICE_MS = 200
ANY = None


# The sessions listed at most, newest first (each with its follow-up computed).
LIST_LIMIT = 200


class CoachingScreen(QWidget):
    changed = Signal(object)  # Changes
    openEvaluationRequested = Signal(int)  # evaluation id
    listed = Signal()  # the rows of the latest request are shown

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.dialog: QDialog | QMessageBox | None = None
        self.loader = CoachingLoader(CoachingListService(session.path), self)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_failed)
        self._generation = 0
        self._loading = False
        self._stale = True
        self._keep_selected: int | None = None
        self._loading_notice = QTimer(self, singleShot=True, interval=LOADING_NOTICE_MS)
        self._loading_notice.timeout.connect(self._say_loading)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.reload)

        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Coaching"))
        title.setProperty("role", "pageTitle")
        layout.addWidget(title)
        layout.addLayout(self._filter_bar())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._list_pane())
        splitter.addWidget(self._detail_pane())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        # Two fifths to the list to start (the detail's own hint would take almost
        # everything); the plan and the follow-up keep three rows each in sight.
        splitter.setSizes([800, 1200])
        layout.addWidget(splitter, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Status"))
        layout.addWidget(self.status)
        self._show_detail(None)
        self._update_buttons()

    # ---------------------------------------------------------------- building
    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.currentIndexChanged.connect(lambda _i: self._debounce.start())
        return combo

    def _filter_bar(self) -> QGridLayout:
        grid = QGridLayout()
        self.agent_filter = self._combo(self.tr("Agent"))
        self.team_filter = self._combo(self.tr("Team"))
        self.actions_filter = self._combo(self.tr("Actions"))
        for text, value in (
            (self.tr("Any"), None),
            (self.tr("With open actions"), "open"),
            (self.tr("With overdue actions"), "overdue"),
        ):
            self.actions_filter.addItem(text, value)
        self._fill_choices()
        centre = lambda: centre_day(self.session.services)  # noqa: E731
        self.held_from = DateField(centre, optional=True)
        self.held_to = DateField(centre, optional=True)
        for edit, name in (
            (self.held_from, self.tr("Held from")),
            (self.held_to, self.tr("Held to")),
        ):
            edit.setAccessibleName(name)
            edit.dateChanged.connect(lambda _d: self._debounce.start())
        for column, (caption_text, field) in enumerate(
            (
                (self.tr("A&gent:"), self.agent_filter),
                (self.tr("&Team:"), self.team_filter),
                (self.tr("Held f&rom:"), self.held_from),
                (self.tr("Held t&o:"), self.held_to),
                (self.tr("Ac&tions:"), self.actions_filter),
            )
        ):
            caption = QLabel(caption_text)
            caption.setBuddy(field)
            grid.addWidget(caption, 0, column * 2)
            grid.addWidget(field, 0, column * 2 + 1)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 2)
        return grid

    def _fill_choices(self) -> None:
        people = self.session.services.people
        for combo, items in (
            (self.agent_filter, [(a.name, a.id) for a in people.list_agents()]),
            (self.team_filter, [(t.name, t.id) for t in people.list_teams()]),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("Any"), ANY)
            for text, value in sorted(items, key=lambda i: i[0].casefold()):
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)

    def _button(self, text: str, icon: str, tip: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(icons.icon(icon), text)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        return button

    def _list_pane(self) -> QWidget:
        pane = QWidget()
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        self.model = SessionTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Coaching sessions"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(SessionTableModel.HELD, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.table, self.edit_selected)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setProperty("role", "muted")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        column.addWidget(self.pages, 1)
        actions = QHBoxLayout()
        self.count = QLabel()
        self.count.setAccessibleName(self.tr("Coaching sessions"))
        actions.addWidget(self.count, 1)
        self.new_button = self._button(
            self.tr("&New session…"),
            "mdi6.account-voice",
            self.tr("Record a coaching session (Ctrl+N)"),
            lambda: self.new_session(),
        )
        self.edit_button = self._button(
            self.tr("Ed&it…"),
            "mdi6.pencil-outline",
            self.tr("Edit the selected session (Enter)"),
            self.edit_selected,
        )
        self.delete_button = self._button(
            self.tr("De&lete…"),
            "mdi6.delete-outline",
            self.tr("Delete the selected session and its action plan (Del)"),
            self.delete_selected,
        )
        for button in (self.new_button, self.edit_button, self.delete_button):
            actions.addWidget(button)
        column.addLayout(actions)
        new = QShortcut(
            QKeySequence(QKeySequence.StandardKey.New), self, lambda: self.new_session()
        )
        new.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return pane

    def _detail_pane(self) -> QWidget:
        self.detail = QGroupBox(self.tr("Selected session"))
        self.detail.setAccessibleName(self.tr("Selected session"))
        grid = QGridLayout(self.detail)
        self.detail_title = QLabel()
        self.detail_title.setWordWrap(True)
        self.detail_title.setTextFormat(Qt.TextFormat.PlainText)
        grid.addWidget(self.detail_title, 0, 0, 1, 2)
        notes_column = QVBoxLayout()
        notes_column.addWidget(muted_label(self.tr("Notes")))
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.setAccessibleName(self.tr("Notes"))
        notes_column.addWidget(self.notes, 1)
        grid.addLayout(notes_column, 1, 0)
        plan_column = QVBoxLayout()
        plan_column.addWidget(muted_label(self.tr("Action plan (Space ticks done)")))
        self.plan_model = ActionPlanModel(False, date.today(), self)
        self.plan_model.doneToggled.connect(self.set_done)
        self.plan = QTableView()
        self.plan.setAccessibleName(self.tr("Action plan"))
        self.plan.setModel(self.plan_model)
        self.plan.verticalHeader().hide()
        rows = self.fontMetrics().height() * 2
        self.plan.setMinimumHeight(rows * 4)
        self.plan.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.plan.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        plan_header = self.plan.horizontalHeader()
        plan_header.setSectionResizeMode(ActionPlanModel.TEXT, QHeaderView.ResizeMode.Stretch)
        for col in (ActionPlanModel.OWNER, ActionPlanModel.DUE, ActionPlanModel.DONE):
            plan_header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.plan_empty = muted_label(self.tr("No action plan was agreed in this session."))
        self.plan_empty.setWordWrap(True)
        plan_column.addWidget(self.plan, 1)
        plan_column.addWidget(self.plan_empty)
        grid.addLayout(plan_column, 1, 1)
        follow_column = QVBoxLayout()
        self.follow_caption = muted_label("")
        self.follow_caption.setWordWrap(True)
        follow_column.addWidget(self.follow_caption)
        self.follow_model = FollowUpModel(self)
        self.follow = QTableView()
        self.follow.setAccessibleName(self.tr("Follow-up"))
        self.follow.setModel(self.follow_model)
        self.follow.verticalHeader().hide()
        self.follow.setMinimumHeight(rows * 4)
        self.follow.setWordWrap(True)
        self.follow.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.follow.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        follow_header = self.follow.horizontalHeader()
        follow_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        follow_header.setSectionResizeMode(FollowUpModel.QUESTION, QHeaderView.ResizeMode.Stretch)
        self.follow.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.follow_empty = muted_label(
            self.tr(
                "This session targets no behaviours; edit it to choose some and follow them up."
            )
        )
        self.follow_empty.setWordWrap(True)
        follow_column.addWidget(self.follow, 1)
        follow_column.addWidget(self.follow_empty)
        grid.addLayout(follow_column, 2, 0, 1, 2)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setRowStretch(1, 2)
        grid.setRowStretch(2, 3)
        self.detail_empty = QLabel(
            self.tr("Choose a session above to see its notes, action plan and follow-up.")
        )
        self.detail_empty.setWordWrap(True)
        self.detail_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_empty.setProperty("role", "muted")
        self.detail_pages = QStackedWidget()
        self.detail_pages.addWidget(self.detail)
        self.detail_pages.addWidget(self.detail_empty)
        return self.detail_pages

    # ---------------------------------------------------------------- loading
    def current_filter(self) -> SessionFilter:
        return SessionFilter(
            agent_id=self.agent_filter.currentData(),
            team_id=self.team_filter.currentData(),
            held_from=self.held_from.date(),
            held_to=self.held_to.date(),
            actions=self.actions_filter.currentData(),
            limit=LIST_LIMIT + 1,  # one more says there are more
        )

    def refresh(self, changes: Changes | None = None) -> None:
        """Read the sessions again (now if shown, else when next shown)."""
        if changes is not None and not (
            changes.programme or changes.evaluations or changes.people or changes.settings
        ):
            return
        if changes is None or changes.people:
            self._fill_choices()
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> int:
        self._debounce.stop()
        self._stale = False
        self._generation += 1
        self._loading = True
        today = self.session.services.coaching.today()
        self.plan_model.today = today
        self.loader.load(self._generation, self.current_filter(), today)
        self._loading_notice.start()
        return self._generation

    def _say_loading(self) -> None:
        if self._loading:
            self.count.setText(self.tr("Loading the coaching sessions…"))

    def _on_loaded(self, generation: int, rows: list[ListedSession]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        keep = self._keep_selected or self.selected_id()
        self._keep_selected = None
        more = len(rows) > LIST_LIMIT
        rows = rows[:LIST_LIMIT]
        self.model.set_rows(rows)
        if more:
            self.count.setText(
                self.tr(
                    "The newest %n sessions; narrow the filters (agent, team, dates) to see "
                    "older ones.",
                    "",
                    LIST_LIMIT,
                )
            )
        else:
            self.count.setText(self.tr("%n session(s)", "", len(rows)))
        if not rows:
            if replace(self.current_filter(), limit=None) == SessionFilter():
                self.empty.setText(
                    self.tr(
                        "No coaching sessions yet. Record one with New session (Ctrl+N), or "
                        "with Coach… on an evaluation (Evaluations screen, Ctrl+Shift+O)."
                    )
                )
            else:
                self.empty.setText(
                    self.tr("No coaching sessions match these filters. Set a filter back to Any.")
                )
        self.pages.setCurrentIndex(0 if rows else 1)
        self.table.resizeColumnsToContents()
        # Long behaviour lists are elided (the full list is the cell's tooltip), so the
        # actions and the follow-up stay in sight.
        widest = self.fontMetrics().averageCharWidth() * 48
        column = SessionTableModel.BEHAVIOURS
        if self.table.columnWidth(column) > widest:
            self.table.setColumnWidth(column, widest)
        self._select(keep)
        self._selection_changed()
        self.listed.emit()

    def _on_failed(self, generation: int, error: str) -> None:
        if generation == self._generation:
            self._loading = False
            self._stale = True
            self.count.setText(
                self.tr(
                    "The coaching sessions could not be read: {0} The rows shown are the "
                    "previous ones; show the screen again to retry."
                ).format(sentence(error))
            )

    def closeEvent(self, event: QCloseEvent) -> None:
        self._debounce.stop()
        self._generation += 1
        self.loader.cancel()
        self.loader.wait()
        super().closeEvent(event)

    # ---------------------------------------------------------------- selection
    def selected_id(self) -> int | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        return int(rows[0].data(ID_ROLE)) if rows else None

    def selected(self) -> ListedSession | None:
        session_id = self.selected_id()
        row = self.model.row_of(session_id) if session_id is not None else -1
        return self.model.row_at(row) if row >= 0 else None

    def _select(self, session_id: int | None) -> None:
        if self.proxy.rowCount() == 0:
            return
        row = self.model.row_of(session_id) if session_id is not None else -1
        index = (
            self.proxy.mapFromSource(self.model.index(row, 0))
            if row >= 0
            else self.proxy.index(0, 0)
        )
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(index)

    def _selection_changed(self) -> None:
        self._show_detail(self.selected())
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _show_detail(self, item: ListedSession | None) -> None:
        if item is None:
            self.detail_pages.setCurrentIndex(1)
            self.plan_model.set_actions([])
            self.follow_model.set_follow_up(None)
            return
        try:
            detail = self.session.services.coaching.detail(item.row.id)
        except (LookupError, StorageError):  # deleted meanwhile, perhaps on another computer
            self.detail_pages.setCurrentIndex(1)
            self._stale = True
            return
        row = item.row
        self.detail_title.setText(
            self.tr("{0}, coached by {1} on {2}").format(
                row.agent_name,
                row.coach_name or self.tr("nobody recorded"),
                date_text(row.held_on),
            )
        )
        self.notes.setText(detail.session.notes or self.tr("No notes were written."))
        self.plan_model.set_actions(detail.session.actions)
        has_plan = bool(detail.session.actions)
        self.plan.setVisible(has_plan)
        self.plan_empty.setVisible(not has_plan)
        follow = item.follow_up
        self.follow_model.set_follow_up(follow)
        (b_start, b_end), (a_start, a_end) = windows(follow.held_on, follow.follow_weeks)
        if follow.questions:
            self.follow_caption.setText(
                self.tr(
                    "Follow-up: the agent's scored answers from {0} to {1} (before) and from "
                    "{2} to {3} (after); a verdict needs 5 answers on each side."
                ).format(date_text(b_start), date_text(b_end), date_text(a_start), date_text(a_end))
            )
        else:
            self.follow_caption.setText(self.tr("Follow-up"))
        self.follow.setVisible(bool(follow.questions))
        self.follow_empty.setVisible(not follow.questions)
        self.follow.resizeRowsToContents()
        self.detail_pages.setCurrentIndex(0)

    # ---------------------------------------------------------------- actions
    def _say(self, message: str) -> None:
        self.status.setText(message)
        self.status.setAccessibleDescription(message)

    def _show(self, dialog: QDialog | QMessageBox, on_accepted: Callable[[], None]) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.accepted.connect(on_accepted)
        dialog.open()

    def show_session(self, session_id: int, agent_id: int | None = None) -> int:
        """List the agent's sessions (every session without ``agent_id``) with
        ``session_id`` selected; returns the request's generation."""
        for combo in (self.agent_filter, self.team_filter, self.actions_filter):
            combo.setCurrentIndex(0)
        if agent_id is not None:
            index = self.agent_filter.findData(agent_id)
            if index >= 0:
                self.agent_filter.setCurrentIndex(index)
        for edit in (self.held_from, self.held_to):
            edit.set_date(None)
        self._keep_selected = session_id
        generation = self.reload()
        self.table.setFocus()
        return generation

    def new_session(self, agent_id: int | None = None, evaluation_id: int | None = None) -> None:
        """Open the dialog for a new session (for the agent, or the evaluation's agent
        with the evaluation ticked)."""
        if self.dialog is not None:
            return
        dialog = CoachingSessionDialog(
            self.session, agent_id=agent_id, evaluation_id=evaluation_id, parent=self
        )
        self._show(dialog, lambda: self._saved(dialog, self.tr("The coaching session is saved.")))

    def edit_selected(self) -> None:
        item = self.selected()
        if item is None or self.dialog is not None:
            return
        try:
            dialog = CoachingSessionDialog(self.session, session_id=item.row.id, parent=self)
        except LookupError:
            self._say(self.tr("This session was deleted meanwhile; the list is read again."))
            self.refresh()
            return
        self._show(dialog, lambda: self._saved(dialog, self.tr("The coaching session is saved.")))

    def _saved(self, dialog: CoachingSessionDialog, message: str) -> None:
        self._say(message)
        if dialog.saved is not None:
            self._keep_selected = dialog.saved.session_id
            self._after_change(dialog.saved.changes)

    def delete_selected(self) -> None:
        item = self.selected()
        if item is None or self.dialog is not None:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete coaching session"))
        box.setText(
            self.tr(
                "Delete the coaching session with {0} on {1}, with its action plan of %n "
                "action(s)? This cannot be undone.",
                "",
                item.row.actions,
            ).format(item.row.agent_name, date_text(item.row.held_on))
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def delete() -> None:
            try:
                changes = self.session.services.coaching.delete(item.row.id)
            except (ValueError, LookupError, StorageError) as exc:
                self._say(sentence(str(exc)))
                return
            self._say(self.tr("The coaching session is deleted."))
            self._after_change(changes)

        self.dialog = box
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _r: setattr(self, "dialog", None))
        box.accepted.connect(delete)
        box.open()

    def set_done(self, action_id: int, done: bool) -> None:
        try:
            changes = self.session.services.coaching.set_done(action_id, done)
        except (ValueError, LookupError, StorageError) as exc:
            self._say(sentence(str(exc)))
            return
        self._keep_selected = self.selected_id()
        self._after_change(changes)

    def _after_change(self, changes: Changes) -> None:
        self.refresh()
        self.changed.emit(changes)
