"""The agent's answer on the Evaluations screen, driven from the keyboard as a supervisor
would: Acknowledge… and Dispute… record through the dispute service and the list shows
the new status; a refusal is a sentence in the dialog, which stays open with what was
typed; History… words every step (question texts, names, answers), never stored ids."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QApplication, QLabel

from qa_monitor.core.answers import Answer
from qa_monitor.core.disputes import Decision, ReceivedVia
from qa_monitor.core.records import EvaluationFilter, EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.services.dispute_service import DecisionInput
from qa_monitor.ui.dialogs.agent_response_dialogs import AcknowledgeDialog, DisputeDialog
from qa_monitor.ui.dialogs.evaluation_history_dialog import EvaluationHistoryDialog
from qa_monitor.ui.screens.evaluations_screen import EvaluationsScreen
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.widget_style import format_score
from tests.factories import FakeClock, Seed, failing_answers, passing_answers, seed

TIMEOUT = 10_000
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
SUNDAY = date(2026, 3, 1)  # the fake clock's day


@pytest.fixture(autouse=True)
def english_dates() -> Iterator[None]:
    """Dates are typed as an American user types them ("3/2/26")."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(tmp_path: Path, clock: FakeClock) -> Iterator[Services]:
    with Services.open(tmp_path / "qa.db", clock=clock) as opened:
        yield opened


def _submitted(services: Services, first: Seed, answers: dict[str, Answer]) -> int:
    ev = services.evaluations.start_evaluation(
        first.interaction.id, first.version.id, first.reviewer.id
    )
    services.evaluations.save_draft(ev.id, answers)
    assert services.evaluations.submit(ev.id, first.reviewer.id).ok
    return ev.id


@pytest.fixture
def data(services: Services) -> tuple[Seed, int, int]:
    first = seed(services)
    return first, _submitted(services, first, failing_answers()), _draft(services, first)


def _draft(services: Services, first: Seed) -> int:
    return services.evaluations.start_evaluation(
        first.interaction.id, first.version.id, first.reviewer.id
    ).id


@pytest.fixture
def screen(qtbot, services, data, tmp_path) -> Iterator[EvaluationsScreen]:
    first, _ev, _draft_id = data
    # The supervisor recording the agent's answers uses this computer.
    widget = EvaluationsScreen(Session(services, tmp_path / "qa.db", first.expert.id))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: not widget.model.loading, timeout=TIMEOUT)
    yield widget
    if widget.responses.dialog is not None:
        widget.responses.dialog.reject()
    widget.close()  # before the database closes, as the main window does


def select(qtbot, screen: EvaluationsScreen, evaluation_id: int) -> None:
    """Click the evaluation's row, and leave the keyboard focus in the list."""
    screen.activateWindow()
    view = screen.table
    cell = view.visualRect(screen.model.index(screen.model.row_of(evaluation_id), 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.table)


def press(qtbot, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """Press ``key`` where the keyboard focus is, like a real key press."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, modifiers)


def focused_dialog(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))


def status_shown(screen: EvaluationsScreen, evaluation_id: int) -> str:
    return str(screen.model.index(screen.model.row_of(evaluation_id), 7).data())


def test_actions_follow_the_status(qtbot, screen, data) -> None:
    _first, ev, draft = data
    responses = screen.responses
    select(qtbot, screen, draft)
    assert not responses.acknowledge_action.isEnabled()
    assert not responses.dispute_action.isEnabled()
    assert not responses.history_action.isEnabled()
    assert [b.isEnabled() for b in responses.buttons] == [False, False, False, False]
    select(qtbot, screen, ev)
    assert [b.isEnabled() for b in responses.buttons] == [True, True, True, True]
    assert "Ctrl+Shift+D" in responses.dispute_action.toolTip()
    # A draft's shortcut does nothing.
    select(qtbot, screen, draft)
    press(qtbot, Qt.Key.Key_D, CTRL_SHIFT)
    assert responses.dialog is None


def test_dispute_two_questions_with_the_keyboard(qtbot, screen, services, data) -> None:
    first, ev, _draft = data
    select(qtbot, screen, ev)
    press(qtbot, Qt.Key.Key_D, CTRL_SHIFT)
    dialog = screen.responses.dialog
    assert isinstance(dialog, DisputeDialog)
    focused_dialog(qtbot, dialog)
    rows = dialog.questions.rows
    # The list shows each question with the answer given, in words.
    assert rows["greet"].box.accessibleName() == "Disputed: Greeted the customer"
    assert not rows["greet"].reason.isEnabled()

    # The focus starts on the first question: Space checks it and the cursor goes to
    # its reason.
    assert QApplication.focusWidget() is rows["greet"].box
    press(qtbot, Qt.Key.Key_Space)
    assert rows["greet"].box.isChecked() and QApplication.focusWidget() is rows["greet"].reason
    qtbot.keyClicks(QApplication.focusWidget(), "I greeted the customer at 0:02")
    # Tab passes the next question (its reason is disabled, so skipped) to the third.
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is rows["name_used"].box
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is rows["verify"].box
    press(qtbot, Qt.Key.Key_Space)
    assert QApplication.focusWidget() is rows["verify"].reason
    qtbot.keyClicks(QApplication.focusWidget(), "I verified at 0:40")
    assert dialog.count.text() == "2 questions disputed."
    press(qtbot, Qt.Key.Key_Return)  # Enter confirms
    assert screen.responses.dialog is None

    evaluation = services.evaluations.get_evaluation(ev)
    assert evaluation.status is EvaluationStatus.DISPUTED
    dispute = services.disputes.dispute_of(ev)
    assert dispute is not None
    assert {q.question_id: q.reason for q in dispute.questions} == {
        "greet": "I greeted the customer at 0:02",
        "verify": "I verified at 0:40",
    }
    assert dispute.response.recorded_by == first.expert.id
    assert dispute.response.on == SUNDAY
    # The list shows the new status; the evaluation stays selected, and may no longer
    # be acknowledged or disputed, but its history is there.
    qtbot.waitUntil(lambda: status_shown(screen, ev) == "Disputed", timeout=TIMEOUT)
    assert screen.selected_id() == ev
    responses = screen.responses
    assert not responses.dispute_action.isEnabled()
    assert not responses.acknowledge_action.isEnabled()
    assert responses.history_action.isEnabled()


def test_acknowledge_with_the_keyboard(qtbot, screen, services, data, clock) -> None:
    first, ev, _draft = data
    clock.advance(days=2)  # the agent answered yesterday, by email
    select(qtbot, screen, ev)
    with qtbot.waitSignal(screen.changed, timeout=TIMEOUT) as changed:
        press(qtbot, Qt.Key.Key_K, CTRL_SHIFT)
        dialog = screen.responses.dialog
        assert isinstance(dialog, AcknowledgeDialog)
        focused_dialog(qtbot, dialog)
        assert QApplication.focusWidget() is dialog.on
        assert dialog.on.date().toPython() == SUNDAY + timedelta(days=2)  # today
        assert dialog.on.maximumDate().toPython() == SUNDAY + timedelta(days=2)
        assert dialog.on.minimumDate().toPython() == SUNDAY  # the day it was submitted
        # Type yesterday over the whole date, as the locale writes it.
        press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        yesterday = QLocale().toString(QDate(2026, 3, 2), dialog.on.displayFormat())
        qtbot.keyClicks(QApplication.focusWidget(), yesterday)
        assert dialog.on.date() == QDate(2026, 3, 2)
        press(qtbot, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dialog.via
        press(qtbot, Qt.Key.Key_Down)  # In person -> Email
        assert dialog.via.currentText() == "Email"
        press(qtbot, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dialog.note
        qtbot.keyClicks(dialog.note, "Agreed with the coaching points")
        press(qtbot, Qt.Key.Key_Return)
    assert changed.args[0].evaluations
    response = services.disputes.response_of(ev).response
    assert response is not None
    assert (response.on, response.via, response.note, response.recorded_by) == (
        SUNDAY + timedelta(days=1),
        ReceivedVia.EMAIL,
        "Agreed with the coaching points",
        first.expert.id,
    )
    qtbot.waitUntil(lambda: status_shown(screen, ev) == "Acknowledged", timeout=TIMEOUT)
    assert not screen.responses.acknowledge_action.isEnabled()


def test_a_refusal_is_shown_in_the_dialog_which_keeps_the_input(
    qtbot, screen, services, data
) -> None:
    _first, ev, _draft = data
    select(qtbot, screen, ev)
    press(qtbot, Qt.Key.Key_D, CTRL_SHIFT)
    dialog = screen.responses.dialog
    assert isinstance(dialog, DisputeDialog)
    focused_dialog(qtbot, dialog)
    rows = dialog.questions.rows
    qtbot.keyClicks(dialog.note, "Said at the team huddle")
    rows["greet"].box.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    qtbot.keyClicks(rows["greet"].reason, "I greeted")
    rows["empathy"].box.setFocus()
    press(qtbot, Qt.Key.Key_Space)  # checked, but no reason given
    assert not dialog.error.isVisible()
    press(qtbot, Qt.Key.Key_Return)

    assert screen.responses.dialog is dialog and dialog.isVisible()
    assert dialog.error.isVisible()
    assert dialog.error.text.text() == "Say why the agent disputes the question 'Showed empathy'."
    # Everything typed is kept, and the cursor waits in the reason that is missing.
    assert QApplication.focusWidget() is rows["empathy"].reason
    assert rows["greet"].reason.toPlainText() == "I greeted" and rows["greet"].box.isChecked()
    assert dialog.note.toPlainText() == "Said at the team huddle"
    # Nothing was stored.
    assert services.evaluations.get_evaluation(ev).status is EvaluationStatus.SUBMITTED
    assert services.disputes.response_of(ev).response is None
    # Typing the missing reason clears the sentence; OK then records the dispute.
    qtbot.keyClicks(rows["empathy"].reason, "I apologised twice")
    assert not dialog.error.isVisible()
    press(qtbot, Qt.Key.Key_Return)
    assert screen.responses.dialog is None
    assert services.evaluations.get_evaluation(ev).status is EvaluationStatus.DISPUTED


def test_the_service_refusal_of_a_stale_list_is_a_sentence(qtbot, screen, services, data):
    """The list still says "Submitted" while another computer recorded an answer."""
    first, ev, _draft = data
    select(qtbot, screen, ev)
    services.disputes.acknowledge(ev, SUNDAY, ReceivedVia.PHONE, first.expert.id)
    press(qtbot, Qt.Key.Key_K, CTRL_SHIFT)
    dialog = screen.responses.dialog
    assert isinstance(dialog, AcknowledgeDialog)
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert dialog.error.text.text() == (
        "The agent acknowledged the evaluation of the interaction of 2026-03-01 on "
        "2026-03-01; an acknowledged evaluation is not disputed afterwards."
    )
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert screen.responses.dialog is None


def test_history_after_a_full_dispute_words_every_step(
    qtbot, qtmodeltester, screen, services, data, clock
) -> None:
    first, ev, _draft = data
    before_score = services.evaluations.get_evaluation(ev).score
    clock.advance(days=1)
    monday = SUNDAY + timedelta(days=1)
    services.disputes.open_dispute(
        ev,
        {"verify": "I verified at 0:40", "greet": "I greeted"},
        monday,
        ReceivedVia.EMAIL,
        first.expert.id,
    )
    services.disputes.assign(ev, first.expert.id, first.reviewer.id)
    clock.advance(days=1)
    services.disputes.decide(
        ev,
        {
            "verify": DecisionInput(
                Decision.OVERTURNED, "Identity checked at 0:40", Answer("verify", "yes")
            ),
            "greet": DecisionInput(Decision.UPHELD, "No greeting in the recording"),
        },
        first.expert.id,
        "One of two questions changed.",
    )
    listed = qtbot.waitSignal(screen.listed, timeout=TIMEOUT)
    with listed:
        screen.refresh()
    select(qtbot, screen, ev)
    press(qtbot, Qt.Key.Key_H, CTRL_SHIFT)
    dialog = screen.responses.dialog
    assert isinstance(dialog, EvaluationHistoryDialog)
    focused_dialog(qtbot, dialog)
    model = dialog.model
    qtmodeltester.check(model)
    rows = [model.row_texts(r) for r in range(model.rowCount())]
    whats = [r[2] for r in rows]
    text = "\n".join("\t".join(r) for r in rows)
    score = format_score(before_score)
    assert whats[0] == f"Submitted the evaluation with a score of \u2066{score}\u2069."
    assert whats[1] == (
        "The agent disputed the evaluation by email on \u20663/2/2026\u2069. "
        "The re-review is due by \u20663/9/2026\u2069."
    )
    assert "The agent disputed the answer to “Verified identity”: I verified at 0:40" in whats
    assert "Asked Leila Navabi to re-review the dispute." in whats
    assert "Changed the answer to “Verified identity” from No to Yes." in whats
    assert "Overturned the answer to “Verified identity”: Identity checked at 0:40" in whats
    assert "Upheld the answer to “Greeted the customer”: No greeting in the recording" in whats
    assert "Changed the status from Disputed to Resolved." in whats
    # Who did it, by name; no stored ids, uuids or JSON anywhere.
    assert {r[1] for r in rows} == {"Omid Karimi", "Leila Navabi"}
    assert "{" not in text and "}" not in text and "verify" not in text
    for reviewer in services.people.list_reviewers():
        uuid = services.repos.disputes.reviewer_uuid(reviewer.id)
        assert uuid not in text
    # The reason of the audited edit is its own column.
    edit = next(r for r in rows if r[2].startswith("Changed the answer"))
    assert edit[3] == "Verified identity: Identity checked at 0:40"

    # Ctrl+C copies the selected row (the latest, selected on opening) as text.
    QApplication.clipboard().clear()
    press(qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0] == "When\tWho\tWhat\tWhy"
    assert copied[1].split("\t")[2] == whats[-1]
    # Long reasons wrap: no row is cut to one line's height when its text needs more.
    view = dialog.table
    assert view.wordWrap() and view.textElideMode() == Qt.TextElideMode.ElideNone
    press(qtbot, Qt.Key.Key_Escape)
    assert screen.responses.dialog is None


def test_dispute_dialog_lists_answers_in_words(qtbot, services, data) -> None:
    first, _ev, _draft = data
    good = _submitted(services, first, passing_answers())
    row = next(r for r in services.evaluations.list_evaluations(EvaluationFilter()) if r.id == good)
    dialog = DisputeDialog(services, row, first.expert.id)
    qtbot.addWidget(dialog)
    texts = [
        label.text()
        for label in dialog.questions.widget().findChildren(QLabel)
        if label.text().startswith("Answer given")
    ]
    assert len(texts) == len(dialog.questions.rows) == 11
    assert "Answer given: Partial (comment: “asked twice”)" in texts  # option label
    assert "Answer given: Retained" in texts  # a tag's label
    assert "Answer given: No answer" in texts  # the churn question, not asked
    assert "Answer given: polite call" in texts  # free text as typed


def test_right_to_left_the_evaluation_stays_selected(qtbot, screen, services, data) -> None:
    """QTableView.selectRow selects nothing right to left when the columns fill the view;
    the refreshed list keeps the acknowledged evaluation selected all the same."""
    _first, ev, _draft = data
    QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        select(qtbot, screen, ev)
        press(qtbot, Qt.Key.Key_K, CTRL_SHIFT)
        dialog = screen.responses.dialog
        assert isinstance(dialog, AcknowledgeDialog)
        focused_dialog(qtbot, dialog)
        press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: status_shown(screen, ev) == "Acknowledged", timeout=TIMEOUT)
        assert screen.selected_id() == ev
        assert screen.responses.history_action.isEnabled()
    finally:
        QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
