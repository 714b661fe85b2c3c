"""The Agent profile's coaching history: the agent's sessions with their open actions
and follow-up, and "New coaching session…" (issue 14).

Rules:
- The sessions are read on a worker thread (``CoachingLoader``, its own read-only
  connection); a newer request drops the older one's result.
- Enter (or a double-click) on a session emits ``sessionActivated(session id)``; the
  button (Ctrl+Shift+O, as Coach… on the Evaluations screen) emits
  ``newRequested(agent id)``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.services.coaching_list_service import CoachingListService, SessionFilter
from qa_monitor.services.coaching_service import ListedSession
from qa_monitor.ui.models.coaching_loader import CoachingLoader
from qa_monitor.ui.models.coaching_models import SessionTableModel
from qa_monitor.ui.models.table_base import ID_ROLE

NEW_SESSION_KEY = "Ctrl+Shift+O"


class ProfileCoaching(QWidget):
    newRequested = Signal(int)  # agent id
    sessionActivated = Signal(int)  # coaching session id
    listed = Signal()

    def __init__(self, db_path: str, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.today = today
        self.agent_id: int | None = None
        self.agent_name = ""
        self._generation = 0
        self.loader = CoachingLoader(CoachingListService(db_path), self)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_failed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        title = QLabel(self.tr("Coaching sessions"))
        title.setProperty("role", "heading")
        top.addWidget(title)
        self.summary = QLabel()
        self.summary.setProperty("role", "muted")
        top.addWidget(self.summary, 1)
        self.new_button = QPushButton(self.tr("New coaching &session…"))
        self.new_button.setToolTip(
            self.tr("Record a coaching session with this agent ({0})").format(NEW_SESSION_KEY)
        )
        self.new_button.clicked.connect(self._new)
        top.addWidget(self.new_button)
        layout.addLayout(top)
        shortcut = QShortcut(QKeySequence(NEW_SESSION_KEY), self, self._new)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.model = SessionTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Coaching sessions with this agent"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        for column in (SessionTableModel.AGENT, SessionTableModel.TEAM):
            self.table.setColumnHidden(column, True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setToolTip(
            self.tr("Double-click a session (or press Enter) to open it on the Coaching screen")
        )
        self.table.activated.connect(self._activated)
        self.table.setMinimumHeight(self.fontMetrics().height() * 9)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setProperty("role", "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages)
        self.show_agent(None, "")

    def show_agent(self, agent_id: int | None, name: str) -> None:
        """Read the agent's sessions (None: nobody chosen)."""
        self.agent_id, self.agent_name = agent_id, name
        self.new_button.setEnabled(agent_id is not None)
        self._generation += 1
        if agent_id is None:
            self.loader.cancel()
            self.model.set_rows([])
            self.summary.clear()
            self.empty.setText(self.tr("Choose an agent to see their coaching sessions."))
            self.pages.setCurrentIndex(1)
            return
        self.summary.setText(self.tr("Loading…"))
        self.loader.load(self._generation, SessionFilter(agent_id=agent_id), self.today)

    def refresh(self, _changes: object = None) -> None:
        self.show_agent(self.agent_id, self.agent_name)

    def _on_loaded(self, generation: int, rows: list[ListedSession]) -> None:
        if generation != self._generation:
            return
        self.model.set_rows(rows)
        open_actions = sum(r.row.open_actions for r in rows)
        overdue = sum(r.row.overdue_actions for r in rows)
        self.summary.setText(
            self.tr("%n session(s)", "", len(rows))
            + " · "
            + self.tr("%n open action(s)", "", open_actions)
            + (" · " + self.tr("%n overdue", "", overdue) if overdue else "")
        )
        if not rows:
            self.empty.setText(
                self.tr(
                    "No coaching sessions with {0} yet. Record one with New coaching "
                    "session ({1}), or with Coach… on one of their evaluations."
                ).format(self.agent_name, NEW_SESSION_KEY)
            )
        self.pages.setCurrentIndex(0 if rows else 1)
        self.table.resizeColumnsToContents()
        self.listed.emit()

    def _on_failed(self, generation: int, error: str) -> None:
        if generation == self._generation:
            self.summary.setText(
                self.tr("The coaching sessions could not be read: {0}").format(error)
            )

    def _new(self) -> None:
        if self.agent_id is not None and self.isVisible():
            self.newRequested.emit(self.agent_id)

    def _activated(self, index: object) -> None:
        session_id = self.model.index(index.row(), 0).data(ID_ROLE)  # type: ignore[attr-defined]
        if session_id is not None:
            self.sessionActivated.emit(int(session_id))

    def stop(self) -> None:
        self._generation += 1
        self.loader.cancel()
        self.loader.wait()
