"""Teams, agents and reviewers: add, edit, deactivate, reactivate, delete (with undo).

People with history are deactivated, never deleted: they leave the pick-lists and keep
their place in reports. Every action goes through the people service, then the screen
refreshes and emits ``changed`` with what changed. The widgets are built in
``people_layout``; the actions and their undo live in ``people_actions``.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.records import Agent, Reviewer, Team
from qa_monitor.services import Changes
from qa_monitor.ui.models.people_table_models import (
    ID_ROLE,
    AgentTableModel,
    ReviewerTableModel,
    TeamTableModel,
)
from qa_monitor.ui.screens.people_actions import PeopleActions, Undo
from qa_monitor.ui.screens.people_layout import KINDS, PeopleLayout, PeopleTab
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.widget_style import em

__all__ = ["KINDS", "PEOPLE_CHANGED", "PeopleScreen", "PeopleTab", "Undo"]

PEOPLE_CHANGED = Changes(people=True)


class PeopleScreen(PeopleLayout, PeopleActions, QWidget):
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
        self._tabs: dict[str, PeopleTab] = {}
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

    # ---------------------------------------------------------------- state
    def current_kind(self) -> str:
        return KINDS[self.tabs.currentIndex()]

    def show_kind(self, kind: str) -> None:
        self.tabs.setCurrentIndex(KINDS.index(kind))

    def tab(self, kind: str) -> PeopleTab:
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

    def _update_empty_state(self, tab: PeopleTab) -> None:
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
