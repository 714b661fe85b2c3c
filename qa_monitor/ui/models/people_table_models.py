"""Teams, agents and reviewers as table models, plus the proxy that searches and hides.

Inactive people stay listed (when asked for) in muted italics with the word "Inactive"
in their status column, so the state never rests on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QGuiApplication

from qa_monitor.core.records import Agent, Reviewer, Team
from qa_monitor.core.text_keys import name_key
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.widgets.widget_style import ltr, muted_color

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ACTIVE_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
# The row's searchable text as a name key (core.text_keys: case, Persian/Arabic letter
# forms, invisible marks and digits folded), compared with the search's key.
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4
NOT_SET = "—"
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

Person = TypeVar("Person", Team, Agent, Reviewer)


class PeopleTableModel(QAbstractTableModel, Generic[Person]):
    """Rows of one kind of person; subclasses name the columns and say what a cell shows."""

    HEADERS: tuple[str, ...] = ()
    NUMERIC_COLUMNS: frozenset[int] = frozenset()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[Person] = []
        self._locale = QLocale()

    # ---------------------------------------------------------------- rows
    def set_rows(self, rows: Sequence[Person]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Person:
        return self._rows[row]

    def row_of(self, person_id: int) -> int:
        return next((i for i, p in enumerate(self._rows) if p.id == person_id), -1)

    def names(self) -> list[str]:
        return [p.name for p in self._rows]

    # ---------------------------------------------------------------- Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self.NUMERIC_COLUMNS:
            return _RIGHT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        person = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(person, col)
        if role == ID_ROLE:
            return person.id
        if role == ACTIVE_ROLE:
            return person.active
        if role == SORT_ROLE:
            return self._sort_key(person, col)
        if role == SEARCH_ROLE:
            return self._search_text(person)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.NUMERIC_COLUMNS:
            return _RIGHT
        if not person.active:
            if role == Qt.ItemDataRole.ForegroundRole:
                return muted_color(QGuiApplication.palette())
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr(
                    "Inactive: left the pick-lists; their history stays in reports. "
                    "Reactivate with Ctrl+Shift+R."
                )
        return None

    def texts(self) -> tuple[str, str, str]:
        """(list name, add button, empty-state sentence with {0} for the add shortcut)."""
        raise NotImplementedError

    def _status(self, person: Person) -> str:
        return self.tr("Active") if person.active else self.tr("Inactive")

    def _display(self, person: Person, col: int) -> str:
        raise NotImplementedError

    def _sort_key(self, person: Person, col: int) -> Any:
        return self._display(person, col).casefold()

    def _search_text(self, person: Person) -> str:
        return name_key(person.name)


class TeamTableModel(PeopleTableModel[Team]):
    HEADERS = ("Name", "Status", "Active agents")
    NUMERIC_COLUMNS = frozenset({2})

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._counts: dict[int, tuple[int, int]] = {}

    def set_teams(self, teams: Sequence[Team], agents: Sequence[Agent]) -> None:
        """Show ``teams`` with how many of ``agents`` (active, inactive) belong to each."""
        counts: dict[int, list[int]] = {}
        for agent in agents:
            if agent.team_id is not None:
                counts.setdefault(agent.team_id, [0, 0])[0 if agent.active else 1] += 1
        self._counts = {k: (v[0], v[1]) for k, v in counts.items()}
        self.set_rows(teams)

    def texts(self) -> tuple[str, str, str]:
        return (
            self.tr("Teams"),
            self.tr("Add team…"),
            self.tr("No teams yet — add one with {0}. Teams group agents in reports and filters."),
        )

    def agent_count(self, team_id: int) -> int:
        """Every agent of the team, active or not."""
        return sum(self._counts.get(team_id, (0, 0)))

    def _display(self, person: Team, col: int) -> str:
        if col == 0:
            return person.name
        if col == 1:
            return self._status(person)
        return self._locale.toString(self._counts.get(person.id, (0, 0))[0])

    def _sort_key(self, person: Team, col: int) -> Any:
        if col == 2:
            return self._counts.get(person.id, (0, 0))[0]
        return super()._sort_key(person, col)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == 2:
            active, inactive = self._counts.get(self.row_at(index.row()).id, (0, 0))
            return self.tr("%n active agent(s)", "", active) + (
                self.tr(", %n inactive", "", inactive) if inactive else ""
            )
        return super().data(index, role)


class AgentTableModel(PeopleTableModel[Agent]):
    HEADERS = ("Name", "Team", "External ID", "Email", "Hire date", "Status")
    HIRE_DATE_COLUMN = 4

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._team_names: dict[int, str] = {}

    def set_agents(self, agents: Sequence[Agent], teams: Sequence[Team]) -> None:
        self._team_names = {t.id: t.name for t in teams}
        self.set_rows(agents)

    def texts(self) -> tuple[str, str, str]:
        return (
            self.tr("Agents"),
            self.tr("Add agent…"),
            self.tr("No agents yet — add one with {0} or import a roster (Data ▸ Import roster…)."),
        )

    def team_name(self, agent: Agent) -> str:
        return self._team_names.get(agent.team_id, "") if agent.team_id is not None else ""

    def _display(self, person: Agent, col: int) -> str:
        if col == 0:
            return person.name
        if col == 1:
            return self.team_name(person) or NOT_SET
        if col == 2:
            # Ids stay left-to-right inside right-to-left layouts.
            return ltr(person.external_id) if person.external_id else NOT_SET
        if col == 3:
            return person.email or NOT_SET
        if col == self.HIRE_DATE_COLUMN:
            if person.hire_date is None:
                return NOT_SET
            return date_text(person.hire_date, self._locale)
        return self._status(person)

    def _sort_key(self, person: Agent, col: int) -> Any:
        if col == self.HIRE_DATE_COLUMN:
            return person.hire_date.isoformat() if person.hire_date else ""
        if col == 2:
            return (person.external_id or "").casefold()
        return super()._sort_key(person, col)

    def _search_text(self, person: Agent) -> str:
        parts = (person.name, self.team_name(person), person.external_id, person.email)
        return name_key(" ".join(p for p in parts if p))


class ReviewerTableModel(PeopleTableModel[Reviewer]):
    HEADERS = ("Name", "Expert", "Status")

    def texts(self) -> tuple[str, str, str]:
        return (
            self.tr("Reviewers"),
            self.tr("Add reviewer…"),
            self.tr("No reviewers yet — add one with {0}. Reviewers score the evaluations."),
        )

    def _display(self, person: Reviewer, col: int) -> str:
        if col == 0:
            return person.name
        if col == 1:
            return self.tr("Expert") if person.is_expert else NOT_SET
        return self._status(person)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and index.isValid()
            and index.column() == 1
            and self.row_at(index.row()).is_expert
        ):
            return self.tr("The benchmark reviewer calibration sessions compare others with")
        return super().data(index, role)


class PeopleFilterProxy(QSortFilterProxyModel):
    """Sorts on each column's own key; hides inactive rows and rows the search misses."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._search = ""
        self._show_inactive = False
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    @property
    def search(self) -> str:
        return self._search

    @property
    def show_inactive(self) -> bool:
        return self._show_inactive

    def set_search(self, text: str) -> None:
        words = name_key(text)
        if words != self._search:
            self.beginFilterChange()
            self._search = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_show_inactive(self, show: bool) -> None:
        if show != self._show_inactive:
            self.beginFilterChange()
            self._show_inactive = show
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if not self._show_inactive and not index.data(ACTIVE_ROLE):
            return False
        if not self._search:
            return True
        haystack = str(index.data(SEARCH_ROLE) or "")
        return all(word in haystack for word in self._search.split())
