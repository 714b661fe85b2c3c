"""Teams, agents and reviewers: add, edit, deactivate, reactivate, delete (with undo).

People with history are deactivated, never deleted: they leave the pick-lists and keep
their place in reports. Every action goes through the people service, then the screen
refreshes and emits ``changed`` with what changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import qtawesome as qta
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.records import Agent, EvaluationFilter, Reviewer, Team
from qa_monitor.services import Changes, InUseError, StorageError
from qa_monitor.ui.dialogs.person_dialogs import (
    Person,
    add_again,
    confirm_delete_box,
    keep_history_box,
    person_dialog,
    sentence,
    store_back,
    usage_words,
)
from qa_monitor.ui.models.people_table_models import (
    ID_ROLE,
    AgentTableModel,
    PeopleFilterProxy,
    PeopleTableModel,
    ReviewerTableModel,
    TeamTableModel,
)
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.widget_style import em

log = logging.getLogger(__name__)
PEOPLE_CHANGED = Changes(people=True)
KINDS = ("team", "agent", "reviewer")
Undo = Callable[[], int | None]  # undoes an action; returns the id to select afterwards


@dataclass
class _Tab:
    kind: str
    model: PeopleTableModel  # type: ignore[type-arg]
    proxy: PeopleFilterProxy
    table: QTableView
    pages: QStackedWidget
    empty_text: QLabel
    empty_add: QPushButton


class PeopleScreen(QWidget):
    changed = Signal(object)  # Changes
    agentProfileRequested = Signal(int)  # agent id
    add_action: QAction
    edit_action: QAction
    deactivate_action: QAction
    reactivate_action: QAction
    delete_action: QAction
    profile_action: QAction

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.dialog: QDialog | None = None  # the dialog or question open now, if any
        self._undo: Undo | None = None
        self._undo_kind = "agent"
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("People"))
        title.setProperty("role", "pageTitle")
        layout.addWidget(title)
        layout.addLayout(self._build_toolbar())
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("People"))
        self.team_model, self.agent_model = TeamTableModel(self), AgentTableModel(self)
        models = (self.team_model, self.agent_model, ReviewerTableModel(self))
        captions = (self.tr("&Teams"), self.tr("A&gents"), self.tr("&Reviewers"))
        self._tabs: dict[str, _Tab] = {}
        for kind, model, caption in zip(KINDS, models, captions, strict=True):
            tab = self._build_tab(kind, model)
            self._tabs[kind] = tab
            self.tabs.addTab(tab.pages, caption)
        self.tabs.setCurrentIndex(1)
        self.tabs.currentChanged.connect(lambda _i: self._update_actions())
        layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setProperty("role", "muted")
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Status"))
        self.status.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setToolTip(self.tr("Undo the last change (Ctrl+Z)"))
        self.undo_button.setAccessibleName(self.tr("Undo"))
        self.undo_button.clicked.connect(self.undo)
        self.undo_button.hide()
        bottom.addWidget(self.count_label)
        bottom.addSpacing(self.fontMetrics().height())
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.undo_button)
        layout.addLayout(bottom)
        self._shortcut("Ctrl+Z", self.undo, self)
        self._shortcut("Ctrl+F", self.search.setFocus, self)
        self.refresh()

    # ---------------------------------------------------------------- building
    def _shortcut(self, keys: str, slot: Callable[[], object], widget: QWidget) -> None:
        shortcut = QShortcut(QKeySequence(keys), widget)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    def _action(
        self, text: str, icon: str, keys: list[str], tip: str, slot: Callable[[], object]
    ) -> QAction:
        action = QAction(qta.icon(icon, color=self.palette().text().color()), text, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        native = QKeySequence.SequenceFormat.NativeText
        action.setToolTip(f"{tip} ({', '.join(s.toString(native) for s in action.shortcuts())})")
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # the shortcuts work wherever the focus is on this screen
        self.toolbar.addAction(action)
        self.toolbar.widgetForAction(action).setAccessibleName(text.rstrip("…"))
        return action

    def _build_toolbar(self) -> QHBoxLayout:
        self.toolbar = QToolBar()
        self.toolbar.setAccessibleName(self.tr("People actions"))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for name, text, icon, keys, tip, slot in [
            ("add", self.tr("Add…"), "account-plus", "Ctrl+Shift+A Ins", self.tr(
                "Add a team, agent or reviewer to the open list"), self.add),
            ("edit", self.tr("Edit…"), "pencil", "F2", self.tr(
                "Edit the selected row; Enter and double-click work too"), self.edit_selected),
            ("deactivate", self.tr("Deactivate"), "account-off", "Ctrl+Shift+D", self.tr(
                "Take the selected row out of the pick-lists; its history stays in reports"),
                self.deactivate_selected),
            ("reactivate", self.tr("Reactivate"), "account-check", "Ctrl+Shift+R", self.tr(
                "Put the selected row back in the pick-lists"), self.reactivate_selected),
            ("delete", self.tr("Delete…"), "delete", "Del", self.tr(
                "Delete the selected row if nothing refers to it"), self.delete_selected),
            ("profile", self.tr("Profile"), "account-details", "Ctrl+Shift+P", self.tr(
                "Open the selected agent's profile: trend, strengths, weaknesses, comments"),
                self.open_profile),
        ]:  # fmt: skip
            action = self._action(text, f"mdi6.{icon}-outline", keys.split(), tip, slot)
            setattr(self, f"{name}_action", action)
        self.search = QLineEdit(
            placeholderText=self.tr("Search names, teams, ids, emails (Ctrl+F)")
        )
        self.search.setAccessibleName(self.tr("Search people"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        self.search.textChanged.connect(self._filter_changed)
        self._shortcut("Esc", self.search.clear, self.search)
        self.show_inactive = QCheckBox(self.tr("Show &inactive"))
        self.show_inactive.setAccessibleName(self.tr("Show inactive people"))
        self.show_inactive.toggled.connect(lambda _on: self._filter_changed())
        row = QHBoxLayout()
        row.addWidget(self.toolbar)
        row.addStretch(1)
        row.addWidget(self.search)
        row.addWidget(self.show_inactive)
        return row

    def _build_tab(self, kind: str, model: PeopleTableModel) -> _Tab:  # type: ignore[type-arg]
        proxy = PeopleFilterProxy(self)
        proxy.setSourceModel(model)
        table = QTableView()
        plural, add_label, _empty = model.texts()
        table.setAccessibleName(plural)
        table.setModel(proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.doubleClicked.connect(lambda _i: self.edit_selected())
        table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        for keys in ("Return", "Enter"):
            self._shortcut(keys, self.edit_selected, table)
        empty = QWidget()
        column = QVBoxLayout(empty)
        column.addStretch(1)
        text = QLabel()
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        add = QPushButton(add_label)
        add.setAccessibleName(add_label)
        add.clicked.connect(self.add)
        column.addWidget(text)
        column.addWidget(add, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        pages = QStackedWidget()
        pages.addWidget(table)
        pages.addWidget(empty)
        return _Tab(kind, model, proxy, table, pages, text, add)

    # ---------------------------------------------------------------- state
    def current_kind(self) -> str:
        return KINDS[self.tabs.currentIndex()]

    def show_kind(self, kind: str) -> None:
        self.tabs.setCurrentIndex(KINDS.index(kind))

    def tab(self, kind: str) -> _Tab:
        return self._tabs[kind]

    def selected_id(self, kind: str | None = None) -> int | None:
        table = self._tabs[kind or self.current_kind()].table
        rows = table.selectionModel().selectedRows()
        return int(rows[0].data(ID_ROLE)) if rows else None

    def selected(self, kind: str | None = None) -> Team | Agent | Reviewer | None:
        tab = self._tabs[kind or self.current_kind()]
        person_id = self.selected_id(tab.kind)
        row = tab.model.row_of(person_id) if person_id is not None else -1
        return tab.model.row_at(row) if row >= 0 else None

    def select(self, kind: str, person_id: int | None) -> bool:
        """Select the person if listed; True when they are visible and selected."""
        tab = self._tabs[kind]
        row = tab.model.row_of(person_id) if person_id is not None else -1
        index = tab.proxy.mapFromSource(tab.model.index(row, 0)) if row >= 0 else QModelIndex()
        if not index.isValid():
            tab.table.clearSelection()
            return False
        flags = QItemSelectionModel.SelectionFlag
        tab.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        tab.table.scrollTo(index)
        return True

    def refresh(self, changes: Changes | None = None) -> None:
        """Reload every list (or only when ``changes`` touch people); selections stay put."""
        if changes is not None and not changes.people:
            return
        people = self.session.services.people
        selected = {kind: self.selected_id(kind) for kind in KINDS}
        teams, agents = people.list_teams(), people.list_agents()
        self.team_model.set_teams(teams, agents)
        self.agent_model.set_agents(agents, teams)
        self._tabs["reviewer"].model.set_rows(people.list_reviewers())
        for kind in KINDS:
            self.select(kind, selected[kind])
            table = self._tabs[kind].table
            table.resizeColumnsToContents()
            for column in range(table.model().columnCount()):  # room to breathe
                table.setColumnWidth(column, table.columnWidth(column) + em(self, 1.5))
        self._update_views()

    def _filter_changed(self) -> None:
        for tab in self._tabs.values():
            tab.proxy.set_search(self.search.text())
            tab.proxy.set_show_inactive(self.show_inactive.isChecked())
        self._update_views()

    def _update_views(self) -> None:
        for tab in self._tabs.values():
            self._update_empty_state(tab)
        self._update_actions()

    def _update_empty_state(self, tab: _Tab) -> None:
        total, shown = tab.model.rowCount(), tab.proxy.rowCount()
        add_keys = self.add_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if total == 0:
            text = tab.model.texts()[2].format(add_keys)
        elif shown == 0 and tab.proxy.search:
            text = self.tr(
                "Nobody here matches “{0}”. Clear the search (Esc), or tick Show inactive."
            ).format(self.search.text().strip())
        else:
            text = self.tr(
                "Everyone here is inactive. Tick Show inactive to see them, or add with {0}."
            ).format(add_keys)
        tab.empty_text.setText(text)
        tab.empty_add.setVisible(total == 0)
        tab.pages.setCurrentIndex(0 if shown else 1)

    def _update_actions(self) -> None:
        kind = self.current_kind()
        tab = self._tabs[kind]
        person = self.selected(kind)
        self.edit_action.setEnabled(person is not None)
        self.deactivate_action.setEnabled(person is not None and person.active)
        self.reactivate_action.setEnabled(person is not None and not person.active)
        self.delete_action.setEnabled(person is not None)
        self.profile_action.setEnabled(kind == "agent" and person is not None)
        total, shown = tab.model.rowCount(), tab.proxy.rowCount()
        text = self.tr("{0} of {1} shown").format(shown, total) if shown != total else str(total)
        self.count_label.setText(f"{tab.model.texts()[0]}: {text}")

    # ---------------------------------------------------------------- actions
    def open_profile(self) -> None:
        if self.current_kind() == "agent" and (agent_id := self.selected_id("agent")) is not None:
            self.agentProfileRequested.emit(agent_id)

    def _show(self, dialog: QDialog, on_finished: Callable[[int], None]) -> None:
        # open(), not exec(): no nested event loop, and tests can drive the dialog directly.
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.finished.connect(on_finished)
        dialog.open()

    def add(self) -> None:
        kind = self.current_kind()
        dialog = person_dialog(self.session.services, kind, None, self)

        def done(result: int) -> None:
            new_id = dialog.saved_id
            if result != QDialog.DialogCode.Accepted or new_id is None:
                return
            if self.search.text():  # the search might hide the newcomer
                self.search.clear()
            self._finish(kind, new_id, self.tr("Added “{0}”.").format(dialog.name.text().strip()))
            self._set_undo(kind, lambda: self._delete(kind, new_id))

        self._show(dialog, done)

    def edit_selected(self) -> None:
        kind, before = self.current_kind(), self.selected()
        if before is None:
            return
        dialog = person_dialog(self.session.services, kind, before, self)

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                name = dialog.name.text().strip()
                self._finish(kind, before.id, self.tr("Saved “{0}”.").format(name))
                self._set_undo(kind, lambda: store_back(self.session.services, before))

        self._show(dialog, done)

    def deactivate_selected(self) -> None:
        self._set_active(False)

    def reactivate_selected(self) -> None:
        self._set_active(True)

    def _set_active(self, active: bool) -> None:
        kind, person = self.current_kind(), self.selected()
        if person is None or person.active == active:
            return
        try:
            self._apply_active(kind, person.id, active)
        except (ValueError, StorageError) as exc:
            log.info("Refused to change %s %s: %s", kind, person.id, exc)
            self._say(sentence(str(exc)))
            return
        if active:
            message = self.tr("Reactivated “{0}”: back in the pick-lists.")
        else:
            message = self.tr(
                "Deactivated “{0}”: gone from the pick-lists; their history stays in reports."
            )
            if not self.show_inactive.isChecked():
                message += " " + self.tr("Tick Show inactive to see them.")
        self._finish(kind, person.id, message.format(person.name))
        self._set_undo(kind, lambda: self._apply_active(kind, person.id, not active))

    def _apply_active(self, kind: str, person_id: int, active: bool) -> int:
        verb = "reactivate" if active else "deactivate"
        getattr(self.session.services.people, f"{verb}_{kind}")(person_id)
        return person_id

    def _delete(self, kind: str, person_id: int) -> None:
        getattr(self.session.services.people, f"delete_{kind}")(person_id)

    def delete_selected(self) -> None:
        """Ask once: delete someone without history, or deactivate someone with it."""
        kind, person = self.current_kind(), self.selected()
        if person is None:
            return
        if history := self._history(kind, person.id):
            self._offer_deactivate(kind, person, history)
            return
        box, delete = confirm_delete_box(person.name, self)

        def done(_result: int) -> None:
            if box.clickedButton() is not delete:
                return
            try:
                self._delete(kind, person.id)
            except InUseError as exc:  # history the screen did not know of (interactions…)
                self._offer_deactivate(kind, person, usage_words(exc.usage))
                return
            self._finish(kind, None, self.tr("Deleted “{0}”.").format(person.name))
            self._set_undo(kind, lambda: add_again(self.session.services, person))

        self._show(box, done)

    def _history(self, kind: str, person_id: int) -> str:
        """The evaluations (and, for a team, agents) that refer to the person, in words."""
        key = {"team": "team_ids", "agent": "agent_ids", "reviewer": "reviewer_ids"}[kind]
        flt = EvaluationFilter(**{key: (person_id,)})  # type: ignore[arg-type]
        usage = {"evaluations": self.session.services.evaluations.count_evaluations(flt)}
        if kind == "team":
            usage["agents"] = self.team_model.agent_count(person_id)
        return usage_words({k: n for k, n in usage.items() if n})

    def _offer_deactivate(self, kind: str, person: Person, history: str) -> None:
        box, deactivate = keep_history_box(person.name, history, person.active, self)

        def done(_result: int) -> None:
            if deactivate is not None and box.clickedButton() is deactivate:
                self.select(kind, person.id)
                self._set_active(False)

        self._show(box, done)

    # ---------------------------------------------------------------- undo
    def _set_undo(self, kind: str, undo: Undo | None) -> None:
        self._undo, self._undo_kind = undo, kind
        self.undo_button.setVisible(undo is not None)

    def undo(self) -> None:
        """Undo the last add, edit, (de/re)activation or delete made on this screen."""
        if self._undo is None:
            return
        undo, kind = self._undo, self._undo_kind
        self._set_undo(kind, None)
        try:
            person_id = undo()
        except (ValueError, StorageError) as exc:
            log.info("Could not undo on %s: %s", kind, exc)
            self._say(self.tr("Could not undo: {0}").format(sentence(str(exc))))
            return
        self.show_kind(kind)
        self._finish(kind, person_id, self.tr("Undone."))

    # ---------------------------------------------------------------- shared
    def _finish(self, kind: str, person_id: int | None, message: str) -> None:
        self.refresh()
        if person_id is not None:
            self.select(kind, person_id)
        self._say(message)
        self.changed.emit(PEOPLE_CHANGED)

    def _say(self, message: str) -> None:
        self.status.setText(message)
        self.status.setAccessibleDescription(message)
