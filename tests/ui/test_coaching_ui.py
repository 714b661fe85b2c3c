"""Coaching from the keyboard, as a supervisor would: Coach… on an evaluation opens the
session dialog with the evaluation ticked and the behaviours that lost points first;
notes and two actions are typed; a past due date is refused inline with everything
kept; once fixed, Ctrl+Enter saves, the Coaching screen lists the session and its
follow-up table shows the figures computed by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from qa_monitor.core.answers import Answer
from qa_monitor.core.coaching import ActionItem
from qa_monitor.services import Services
from qa_monitor.services.coaching_service import SessionInput
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.dialogs.coaching_session_dialog import CoachingSessionDialog
from qa_monitor.ui.models.coaching_models import FollowUpModel, SessionTableModel
from qa_monitor.ui.screens.coaching_screen import CoachingScreen
from qa_monitor.ui.screens.evaluations_screen import EvaluationsScreen
from qa_monitor.ui.session import Session
from tests.factories import FakeClock, Seed, interaction_data, passing_answers, seed

TIMEOUT = 10_000
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
TODAY = date(2026, 4, 15)
HELD = date(2026, 3, 1)


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    clock = FakeClock(datetime(2026, 4, 15, 9, tzinfo=UTC))
    with Services.open(tmp_path / "qa.db", clock=clock) as opened:
        yield opened


def _evaluate(services: Services, s: Seed, day: date, greeted: bool) -> int:
    interaction = services.interactions.create_interaction(
        interaction_data(
            s.agent.id,
            started_at=datetime(day.year, day.month, day.day, 10, tzinfo=UTC),
            external_id=f"call-{day}",
        )
    )
    ev = services.evaluations.start_evaluation(interaction.id, s.version.id, s.reviewer.id)
    answers = dict(passing_answers())
    if not greeted:
        answers["greet"] = Answer("greet", "no", comment="no greeting")
    services.evaluations.save_draft(ev.id, answers)
    assert services.evaluations.submit(ev.id).ok
    return ev.id


@pytest.fixture
def data(services: Services) -> tuple[Seed, int]:
    first = seed(services)
    # Before the session (4 weeks: 2026-02-01..02-28): 5 calls, greeted in 1.
    before = [
        _evaluate(services, first, date(2026, 2, 2) + timedelta(days=i), greeted=i == 0)
        for i in range(5)
    ]
    # After it (2026-03-02..03-29): 5 calls, all greeted.
    for i in range(5):
        _evaluate(services, first, date(2026, 3, 2) + timedelta(days=i), greeted=True)
    return first, before[-1]


def focus_of() -> object:
    return QApplication.focusWidget()


def press(qtbot, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, modifiers)


def type_text(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, text)


def test_coach_from_an_evaluation_with_the_keyboard(qtbot, services, data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, evaluation_id = data
    session = Session(services, tmp_path / "qa.db", first.expert.id)
    screen = EvaluationsScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    qtbot.waitExposed(screen)
    qtbot.waitUntil(lambda: not screen.model.loading, timeout=TIMEOUT)
    changed: list[object] = []
    screen.changed.connect(changed.append)
    screen.activateWindow()
    view = screen.table
    cell = view.visualRect(screen.model.index(screen.model.row_of(evaluation_id), 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.table)
    assert "Ctrl+Shift+O" in screen.responses.coach_action.toolTip()

    press(qtbot, Qt.Key.Key_O, CTRL_SHIFT)
    dialog = screen.responses.dialog
    assert isinstance(dialog, CoachingSessionDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    # The agent is the evaluation's, fixed; the coach is whoever uses this computer.
    assert dialog.agent.currentText() == "Sara Ahmadi" and not dialog.agent.isEnabled()
    assert dialog.coach.currentText() == "Leila Navabi"
    assert dialog.held_on.date() == date(2026, 4, 15)
    # The evaluation is ticked; its greeting lost points, so it comes first, marked.
    assert dialog.checked_evaluations() == [evaluation_id]
    first_behaviour = dialog.behaviours_model.item(0)
    assert first_behaviour.text() == "Lost points: Greeted the customer (Support call)"
    lost = [
        dialog.behaviours_model.item(r).text().startswith("Lost points: ")
        for r in range(dialog.behaviours_model.rowCount())
    ]
    assert lost == sorted(lost, reverse=True) and 1 < lost.count(True) < len(lost)
    dialog.held_on.set_date(date(2026, 3, 1))

    # Tick the greeting with Space.
    dialog.behaviours_view.setFocus()
    dialog.behaviours_view.setCurrentIndex(dialog.behaviours_model.index(0, 0))
    press(qtbot, Qt.Key.Key_Space)
    assert first_behaviour.checkState() == Qt.CheckState.Checked

    # Notes.
    dialog.notes.setFocus()
    type_text(qtbot, "Listened to the call of 6 February together.")

    # Two actions, typed: Ctrl+Shift+A starts one, Tab moves to owner and due date.
    press(qtbot, Qt.Key.Key_A, CTRL_SHIFT)
    type_text(qtbot, "Greet every customer by name")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Sara Ahmadi")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "2026-04-30")
    press(qtbot, Qt.Key.Key_Insert)
    type_text(qtbot, "Listen to two good calls")
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "2026-04-10")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    # Refused inline: the dialog stays, with everything typed, the cursor on the date.
    assert dialog.isVisible() and dialog.saved is None
    assert dialog.error.text.text() == (
        "The action 'Listen to two good calls' is due on 2026-04-10, which has passed; give "
        "a due date from today (2026-04-15) on."
    )
    rows = dialog.plan_model.plan_rows()
    assert [(r.action.text, r.action.owner, r.due_text) for r in rows] == [
        ("Greet every customer by name", "Sara Ahmadi", "2026-04-30"),
        ("Listen to two good calls", "", "2026-04-10"),
    ]
    assert dialog.notes.toPlainText() == "Listened to the call of 6 February together."
    assert dialog.plan.currentIndex().row() == 1
    assert dialog.plan.currentIndex().column() == 2

    # Fix the date by typing over it, then Ctrl+Enter saves.
    press(qtbot, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()  # type: ignore[union-attr]
    type_text(qtbot, "2026-04-22")
    press(qtbot, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: screen.responses.dialog is None, timeout=TIMEOUT)
    assert changed and changed[-1].programme  # type: ignore[attr-defined]

    (listed,) = services.coaching.sessions()
    detail = services.coaching.detail(listed.row.id)
    assert detail.session.held_on == HELD
    assert detail.session.questions == (("support_call", "greet"),)
    assert [(a.text, a.owner, a.due_date) for a in detail.session.actions] == [
        ("Greet every customer by name", "Sara Ahmadi", date(2026, 4, 30)),
        ("Listen to two good calls", "", date(2026, 4, 22)),
    ]
    screen.close()

    coaching = CoachingScreen(session)
    qtbot.addWidget(coaching)
    coaching.resize(1400, 900)
    with qtbot.waitSignal(coaching.listed, timeout=TIMEOUT):
        coaching.show()
    model = coaching.model
    assert model.rowCount() == 1
    texts = [model.text(model.row_at(0), c) for c in range(model.columnCount())]
    assert texts[SessionTableModel.HELD] == date_text(date(2026, 3, 1))
    assert texts[SessionTableModel.AGENT] == "Sara Ahmadi"
    assert texts[SessionTableModel.COACH] == "Leila Navabi"
    assert texts[SessionTableModel.BEHAVIOURS] == "Greeted the customer"
    assert texts[SessionTableModel.OPEN] == "2"
    assert texts[SessionTableModel.OVERDUE] == "None overdue"
    assert coaching.selected_id() == listed.row.id
    # Before: 1 of 5 with full marks = 20.0 %, Wilson (3.6 %, 62.4 %); points 5 of 25.
    # After: 5 of 5 = 100.0 %, Wilson (56.6 %, 100.0 %). Change (Newcombe): +80.0 points,
    #   L = 0.8 − √((1 − 0.5655)² + (0.6245 − 0.2)²) = 0.8 − 0.6074 = 0.1926
    #   U = 0.8 + √((1 − 1)² + (0.2 − 0.0362)²) = 0.8 + 0.1638 = 0.9638
    follow = coaching.follow_model
    assert follow.rowCount() == 1
    row = [follow.text(0, c) for c in range(follow.columnCount())]
    assert row[FollowUpModel.QUESTION] == "Greeted the customer"
    assert row[FollowUpModel.BEFORE] == "n = 5: 20.0% (3.6% to 62.4%), points 20.0%"
    assert row[FollowUpModel.AFTER] == "n = 5: 100.0% (56.6% to 100.0%), points 100.0%"
    assert row[FollowUpModel.CHANGE] == "+80.0 points (+19.3 points to +96.4 points)"
    assert row[FollowUpModel.VERDICT] == "Improved"
    coaching.close()


def test_the_screen_marks_done_and_deletes_with_the_keyboard(
    qtbot, services, data, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    first, evaluation_id = data
    saved = services.coaching.create(
        SessionInput(
            first.agent.id,
            first.reviewer.id,
            date(2026, 4, 1),
            (evaluation_id,),
            actions=(ActionItem("Greet by name", "Sara Ahmadi", TODAY),),
        )
    )
    services.clock.advance(days=1)  # the action is overdue from tomorrow
    coaching = CoachingScreen(Session(services, tmp_path / "qa.db", first.expert.id))
    qtbot.addWidget(coaching)
    coaching.resize(1400, 900)
    with qtbot.waitSignal(coaching.listed, timeout=TIMEOUT):
        coaching.show()
    model = coaching.model
    assert model.text(model.row_at(0), SessionTableModel.OVERDUE) == "1 overdue"
    assert model.text(model.row_at(0), SessionTableModel.FOLLOW_UP) == ("No behaviours targeted")
    assert coaching.follow_empty.isVisibleTo(coaching)
    # Space on the plan's Done cell stores it.
    coaching.plan.setFocus()
    coaching.plan.setCurrentIndex(coaching.plan_model.index(0, 3))
    with qtbot.waitSignal(coaching.listed, timeout=TIMEOUT):
        press(qtbot, Qt.Key.Key_Space)
    assert services.coaching.get(saved.session_id).actions[0].done_on == date(2026, 4, 16)
    assert model.text(model.row_at(0), SessionTableModel.OVERDUE) == "None overdue"
    # Del asks once; Yes deletes.
    coaching.table.setFocus()
    press(qtbot, Qt.Key.Key_Delete)
    box = coaching.dialog
    assert box is not None and "Greet" not in box.text() and "Sara Ahmadi" in box.text()
    with qtbot.waitSignal(coaching.listed, timeout=TIMEOUT):
        box.button(box.StandardButton.Yes).click()
    assert services.coaching.sessions() == []
    assert coaching.empty.text().startswith("No coaching sessions yet.")
    coaching.close()


def test_the_evaluations_history_says_it_was_discussed(qtbot, services, data) -> None:  # type: ignore[no-untyped-def]
    from qa_monitor.core.records import EvaluationFilter
    from qa_monitor.ui.dialogs.evaluation_history_dialog import EvaluationHistoryDialog

    first, evaluation_id = data
    services.coaching.create(
        SessionInput(
            first.agent.id,
            first.reviewer.id,
            date(2026, 4, 1),
            (evaluation_id,),
            (("support_call", "greet"),),
        )
    )
    (row,) = [
        r
        for r in services.evaluations.list_evaluations(EvaluationFilter())
        if r.id == evaluation_id
    ]
    dialog = EvaluationHistoryDialog(services, row)
    qtbot.addWidget(dialog)
    texts = [dialog.model.row_texts(r)[2] for r in range(dialog.model.rowCount())]
    # The fake clock submitted every evaluation on 2026-04-15, after the session's day.
    # The session's day as every other date of the history: the locale's short date.
    day = date_text(date(2026, 4, 1))
    assert texts == [
        f"Discussed in a coaching session with Omid Karimi on {day}: Greeted the"
        " customer",
        "Submitted the evaluation with a score of \u206685.9%\u2069.",
    ]


def test_the_list_shows_a_page_and_says_there_are_more(
    qtbot, services, data, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Each listed session's follow-up is computed, so the list is a page of the newest,
    and says so when there are more."""
    import qa_monitor.ui.screens.coaching_screen as coaching_screen

    first, evaluation_id = data
    monkeypatch.setattr(coaching_screen, "LIST_LIMIT", 2)
    for day in (1, 2, 3):
        services.coaching.create(
            SessionInput(first.agent.id, first.reviewer.id, date(2026, 4, day), (evaluation_id,))
        )
    coaching = CoachingScreen(Session(services, tmp_path / "qa.db", first.expert.id))
    qtbot.addWidget(coaching)
    with qtbot.waitSignal(coaching.listed, timeout=TIMEOUT):
        coaching.show()
    assert coaching.model.rowCount() == 2
    assert coaching.count.text() == (
        "The newest 2 sessions; narrow the filters (agent, team, dates) to see older ones."
    )
    coaching.close()
