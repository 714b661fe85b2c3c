"""The Agent profile's coaching history: the agent's sessions (only theirs) with open
and overdue actions, Enter on one asks to show it, and Ctrl+Shift+O asks for a new
session with that agent; another agent's profile lists theirs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import Qt

from qa_monitor.core.coaching import ActionItem
from qa_monitor.services import Services
from qa_monitor.services.coaching_service import SessionInput
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.models.coaching_models import SessionTableModel
from qa_monitor.ui.screens.agent_profile_screen import AgentProfileScreen
from qa_monitor.ui.session import Session
from tests.factories import FakeClock, seed

TIMEOUT = 10_000


def test_the_profile_lists_the_agents_sessions_and_starts_a_new_one(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "qa.db"
    clock = FakeClock(datetime(2026, 4, 1, 9, tzinfo=UTC))
    with Services.open(path, clock=clock) as services:
        first = seed(services)
        other = services.people.add_agent("Nima Rahimi", team_id=first.team.id)
        services.coaching.create(
            SessionInput(
                first.agent.id,
                first.expert.id,
                date(2026, 4, 1),
                actions=(
                    ActionItem("Greet by name", "Sara Ahmadi", date(2026, 4, 10)),
                    ActionItem("Listen to two calls", "Sara Ahmadi", date(2026, 4, 30)),
                ),
            )
        )  # the first action is overdue by the 15th
        screen = AgentProfileScreen(
            Session(services, path, first.expert.id), today=date(2026, 4, 15)
        )
        qtbot.addWidget(screen)
        screen.resize(1400, 900)
        screen.show()
        qtbot.waitExposed(screen)
        coaching = screen.coaching
        with qtbot.waitSignal(coaching.listed, timeout=TIMEOUT):
            screen.show_agent(first.agent.id)
        assert coaching.model.rowCount() == 1
        row = coaching.model.row_at(0)
        assert coaching.model.text(row, SessionTableModel.HELD) == date_text(date(2026, 4, 1))
        assert coaching.model.text(row, SessionTableModel.OPEN) == "2"
        assert coaching.model.text(row, SessionTableModel.OVERDUE) == "1 overdue"
        assert coaching.table.isColumnHidden(SessionTableModel.AGENT)
        assert "1 session" in coaching.summary.text() and "1 overdue" in coaching.summary.text()

        # Enter on the session asks to show it; Ctrl+Shift+O asks for a new one.
        coaching.table.setFocus()
        coaching.table.setCurrentIndex(coaching.model.index(0, 0))
        with qtbot.waitSignal(screen.coachingSessionRequested, timeout=TIMEOUT) as shown:
            qtbot.keyClick(coaching.table, Qt.Key.Key_Return)
        assert shown.args == [row.row.id]
        screen.activateWindow()
        qtbot.waitUntil(screen.isActiveWindow, timeout=TIMEOUT)
        with qtbot.waitSignal(screen.coachingRequested, timeout=TIMEOUT) as asked:
            qtbot.keyClick(
                coaching.table,
                Qt.Key.Key_O,
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
            )
        assert asked.args == [first.agent.id]

        # Another agent: their own (none), said in words.
        with qtbot.waitSignal(coaching.listed, timeout=TIMEOUT):
            screen.show_agent(other.id)
        assert coaching.model.rowCount() == 0
        assert coaching.pages.currentWidget() is coaching.empty
        assert coaching.empty.text().startswith("No coaching sessions with Nima Rahimi yet.")
        screen.close()
