"""The Disputes screen on a real database, driven with real key events: the queue in
deadline order with the overdue dispute marked, the re-review from Enter to the stored
score, assigning a re-reviewer, the inline refusal, and the rates per reviewer."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from qa_monitor.core.disputes import ReceivedVia
from qa_monitor.core.records import EvaluationStatus
from qa_monitor.core.scoring import displayed_score
from qa_monitor.services import Changes, Services
from qa_monitor.ui.dialogs.assign_reviewer_dialog import AssignReviewerDialog
from qa_monitor.ui.dialogs.re_review_dialog import ReReviewDialog
from qa_monitor.ui.models.dispute_table_models import QueueTableModel, RatesTableModel
from qa_monitor.ui.screens.disputes_screen import DisputesScreen
from qa_monitor.ui.session import Session
from tests.factories import (
    FakeClock,
    Seed,
    failing_answers,
    interaction_data,
    passing_answers,
    seed,
)

TIMEOUT = 10_000
SUNDAY = date(2026, 3, 1)  # the fake clock's first day: the evaluations are submitted then
MONDAY = date(2026, 3, 2)
SATURDAY = date(2026, 3, 7)  # the screen's "today"
_calls = itertools.count(100)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def opened(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[Services, Seed, Path]]:
    path = tmp_path / "qa.db"
    with Services.open(path, clock=clock) as services:
        yield services, seed(services), path


def submitted(services: Services, first: Seed, answers, reviewer_id: int | None = None) -> int:  # type: ignore[no-untyped-def]
    interaction = services.interactions.create_interaction(
        interaction_data(first.agent.id, external_id=f"call-{next(_calls)}")
    )
    ev = services.evaluations.start_evaluation(
        interaction.id, first.version.id, reviewer_id or first.reviewer.id
    )
    services.evaluations.save_draft(ev.id, answers)
    assert services.evaluations.submit(ev.id).ok
    return ev.id


def dispute(services: Services, ev: int, reasons: dict[str, str], on: date) -> None:
    services.disputes.open_dispute(ev, reasons, on, ReceivedVia.EMAIL, None)


def show(qtbot, services: Services, path: Path, reviewer_id: int | None) -> DisputesScreen:  # type: ignore[no-untyped-def]
    screen = DisputesScreen(Session(services, path, reviewer_id))
    qtbot.addWidget(screen)
    screen.resize(1280, 760)
    with qtbot.waitSignals([screen.queueListed, screen.ratesListed], timeout=TIMEOUT):
        screen.show()
    return screen


def listed(qtbot, screen: DisputesScreen) -> list[int]:  # type: ignore[no-untyped-def]
    """The evaluation ids of the queue, top to bottom, as the table shows them."""
    proxy = screen.queue_table.model()
    return [
        screen.queue_model.row_at(proxy.mapToSource(proxy.index(r, 0)).row()).evaluation_id
        for r in range(proxy.rowCount())
    ]


def opened_dialog(qtbot, screen: DisputesScreen):  # type: ignore[no-untyped-def]
    """The dialog the screen opened, once it is the active window (keys go to it)."""
    dialog = screen.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow, timeout=TIMEOUT)
    return dialog


def shown(value: object) -> str:
    """A cell's text without its bidi isolate (it keeps numbers and dates left-to-right
    in a right-to-left table)."""
    return str(value).strip("\u2068\u2069")


def cell(screen: DisputesScreen, table_row: int, column: int) -> str:
    proxy = screen.queue_table.model()
    return shown(proxy.index(table_row, column).data())


@pytest.fixture
def one_dispute(opened, clock):  # type: ignore[no-untyped-def]
    """One failing evaluation by Omid, its greeting and identity check disputed on Monday."""
    services, first, path = opened
    ev = submitted(services, first, failing_answers())
    clock.advance(days=1)
    dispute(services, ev, {"verify": "I verified at 0:40", "greet": "I greeted"}, MONDAY)
    clock.advance(days=5)  # Saturday
    return services, first, path, ev


def test_the_queue_lists_disputes_by_deadline_and_marks_the_overdue_one(
    qtbot, opened, clock, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    services, first, path = opened
    later = submitted(services, first, failing_answers())
    earlier = submitted(services, first, passing_answers())
    clock.advance(days=1)  # Monday
    dispute(services, later, {"greet": "I greeted"}, MONDAY)  # due Monday 9 March
    dispute(services, earlier, {"empathy": "I was kind", "history": "I read it"}, SUNDAY)  # 6th
    clock.advance(days=5)  # Saturday 7 March: the one due on Friday is overdue
    screen = show(qtbot, services, path, first.expert.id)
    qtmodeltester.check(screen.queue_model)
    assert listed(qtbot, screen) == [earlier, later]
    q = QueueTableModel
    assert cell(screen, 0, q.DUE) == "Overdue" and cell(screen, 1, q.DUE) == "On time"
    assert cell(screen, 0, q.AGE) == "5 working days"  # Monday to Friday
    assert cell(screen, 1, q.AGE) == "4 working days"
    assert (cell(screen, 0, q.QUESTIONS), cell(screen, 1, q.QUESTIONS)) == ("2", "1")
    assert cell(screen, 0, q.RE_REVIEWER) == "Not assigned"
    assert (cell(screen, 0, q.AGENT), cell(screen, 0, q.TEAM)) == ("Sara Ahmadi", "Billing")
    assert cell(screen, 0, q.REVIEWER) == "Omid Karimi"
    score = services.evaluations.get_evaluation(earlier).score
    assert score is not None and cell(screen, 0, q.SCORE) == f"{displayed_score(score):.1f}"
    # Not by colour alone: the word, bold type and an icon.
    overdue = screen.queue_table.model().index(0, q.DUE)
    assert overdue.data(Qt.ItemDataRole.FontRole).bold()
    assert overdue.data(Qt.ItemDataRole.DecorationRole) is not None
    assert screen.queue_count.text() == "2 open disputes, 1 overdue"
    assert screen.queue_pages.currentWidget() is screen.queue_table


def test_an_empty_queue_says_so(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    services, first, path = opened
    submitted(services, first, passing_answers())
    screen = show(qtbot, services, path, first.expert.id)
    assert screen.queue_model.rowCount() == 0
    assert screen.queue_pages.currentWidget() is screen.queue_empty
    assert screen.queue_empty.isVisible()
    assert screen.queue_empty.text().startswith("No open disputes.")
    assert not screen.re_review_button.isEnabled() and not screen.assign_button.isEnabled()


def test_a_re_review_end_to_end_with_the_keyboard(qtbot, one_dispute) -> None:  # type: ignore[no-untyped-def]
    services, first, path, ev = one_dispute
    before = services.evaluations.get_evaluation(ev)
    screen = show(qtbot, services, path, first.expert.id)
    screen.queue_table.setFocus()
    qtbot.keyClick(screen.queue_table, Qt.Key.Key_Return)
    dialog = opened_dialog(qtbot, screen)
    assert isinstance(dialog, ReReviewDialog) and dialog.isVisible()
    greet, verify = dialog.cards  # the form's order
    assert (greet.question.id, verify.question.id) == ("greet", "verify")
    assert greet.original_label.text() == "No" and greet.agent_reason.text() == "I greeted"
    assert QApplication.focusWidget() is greet.upheld  # the first decision has the focus
    assert not verify.new_answer.isEnabled()

    qtbot.keyClick(greet.upheld, Qt.Key.Key_Space)
    greet.reason.setFocus()
    qtbot.keyClicks(greet.reason, "No greeting in the recording")
    verify.overturned.setFocus()
    qtbot.keyClick(verify.overturned, Qt.Key.Key_Space)
    assert verify.new_answer.isEnabled()
    combo = verify.new_answer.combo
    assert combo is not None
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the first option: Yes
    assert combo.currentText() == "Yes"
    verify.reason.setFocus()
    qtbot.keyClicks(verify.reason, "Identity checked at 0:40")
    assert "with these decisions" in dialog.score_label.text()
    dialog.summary.setFocus()
    qtbot.keyClicks(dialog.summary, "One of two questions changed.")
    with qtbot.waitSignals([screen.changed, screen.queueListed], timeout=TIMEOUT):
        qtbot.keyClick(dialog.summary, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    after = services.evaluations.get_evaluation(ev)
    assert after.status is EvaluationStatus.RESOLVED
    assert after.answers["verify"].value == "yes"
    assert after.answers["verify"].comment == "Identity checked at 0:40"
    assert after.answers["greet"] == before.answers["greet"]
    assert after.score is not None and before.score is not None and after.score > before.score
    decided = services.disputes.dispute_of(ev)
    assert decided is not None and decided.decided and decided.overturned == ("verify",)
    assert decided.decided_by == first.expert.id
    assert screen.queue_model.rowCount() == 0
    assert screen.queue_pages.currentWidget() is screen.queue_empty
    assert screen.status.text() == (
        "The re-review of Sara Ahmadi's evaluation is saved; 1 question overturned."
    )


def test_a_missing_reason_is_said_inline_and_nothing_is_stored(qtbot, one_dispute) -> None:  # type: ignore[no-untyped-def]
    services, first, path, ev = one_dispute
    screen = show(qtbot, services, path, first.expert.id)
    screen.queue_table.setFocus()
    qtbot.keyClick(screen.queue_table, Qt.Key.Key_Enter)
    dialog = opened_dialog(qtbot, screen)
    assert isinstance(dialog, ReReviewDialog)
    greet, verify = dialog.cards
    qtbot.keyClick(greet.upheld, Qt.Key.Key_Space)
    qtbot.keyClick(verify.upheld, Qt.Key.Key_Space)
    verify.reason.setFocus()
    qtbot.keyClicks(verify.reason, "No identity check in the recording")
    dialog.summary.setFocus()
    qtbot.keyClicks(dialog.summary, "Both answers stand.")
    qtbot.keyClick(dialog.summary, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert dialog.isVisible() and screen.dialog is dialog
    assert dialog.error.isVisible()
    assert dialog.error.text.text() == (
        "Say why the original answer to 'Greeted the customer' stands. "
        "Nothing was saved; what you wrote is kept."
    )
    assert QApplication.focusWidget() is greet.reason  # where the missing reason goes
    assert verify.reason.text() == "No identity check in the recording"  # kept
    assert dialog.summary.toPlainText() == "Both answers stand."
    evaluation = services.evaluations.get_evaluation(ev)
    assert evaluation.status is EvaluationStatus.DISPUTED
    decided = services.disputes.dispute_of(ev)
    assert decided is not None and not decided.decided
    assert all(q.decision is None for q in decided.questions)

    # Escape closes the dialog; the dispute stays in the queue.
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=TIMEOUT)
    assert listed(qtbot, screen) == [ev]


def test_the_reviewer_who_scored_cannot_re_review(qtbot, one_dispute) -> None:  # type: ignore[no-untyped-def]
    services, first, path, _ev = one_dispute
    screen = show(qtbot, services, path, first.reviewer.id)  # Omid scored it
    screen.re_review_selected()
    dialog = opened_dialog(qtbot, screen)
    assert isinstance(dialog, ReReviewDialog)
    assert not dialog.save_button.isEnabled()
    assert dialog.error.text.text().startswith("You scored this evaluation")
    dialog.reject()


def test_assign_offers_only_other_active_reviewers(qtbot, one_dispute) -> None:  # type: ignore[no-untyped-def]
    services, first, path, ev = one_dispute
    reza = services.people.add_reviewer("Reza Tavakoli")
    gone = services.people.add_reviewer("Mina Sadeghi")
    services.people.deactivate_reviewer(gone.id)
    screen = show(qtbot, services, path, first.expert.id)
    screen.queue_table.setFocus()
    qtbot.keyClick(
        screen.queue_table,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = opened_dialog(qtbot, screen)
    assert isinstance(dialog, AssignReviewerDialog)
    offered = [dialog.reviewer.itemText(i) for i in range(dialog.reviewer.count())]
    assert offered == ["Leila Navabi", "Reza Tavakoli"]  # not Omid, who scored; not Mina
    assert dialog.reviewer.currentText() == "Leila Navabi"  # the session's reviewer
    qtbot.keyClick(dialog.reviewer, Qt.Key.Key_Down)
    assert dialog.reviewer.currentData() == reza.id
    with qtbot.waitSignal(screen.queueListed, timeout=TIMEOUT):
        qtbot.keyClick(dialog.reviewer, Qt.Key.Key_Return)
    assert services.disputes.queue(SATURDAY)[0].re_reviewer_id == reza.id
    assert cell(screen, 0, QueueTableModel.RE_REVIEWER) == "Reza Tavakoli"
    assert screen.status.text() == "Reza Tavakoli is asked to re-review Sara Ahmadi's dispute."
    assert listed(qtbot, screen) == [ev]


def test_assign_says_the_services_refusal_inline(qtbot, one_dispute) -> None:  # type: ignore[no-untyped-def]
    services, first, path, ev = one_dispute
    screen = show(qtbot, services, path, first.expert.id)
    screen.assign_selected()
    dialog = opened_dialog(qtbot, screen)
    assert isinstance(dialog, AssignReviewerDialog)
    # Even if the scorer were offered (a stale list), the service refuses with a sentence.
    dialog.reviewer.addItem("Omid Karimi", first.reviewer.id)
    dialog.reviewer.setCurrentIndex(dialog.reviewer.count() - 1)
    dialog.save()
    assert dialog.isVisible()
    assert dialog.error.text.text() == (
        "Omid Karimi scored this evaluation; a different reviewer re-reviews the dispute. "
        "Nothing was assigned."
    )
    assert services.disputes.queue(SATURDAY)[0].re_reviewer_id is None
    dialog.reject()
    assert listed(qtbot, screen) == [ev]


def test_the_rates_table_shows_the_planted_figures(qtbot, one_dispute, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    services, first, path, ev = one_dispute
    submitted(services, first, passing_answers())  # Omid's second, not disputed
    submitted(services, first, passing_answers(), first.expert.id)  # Leila's, not disputed
    from qa_monitor.core.answers import Answer
    from qa_monitor.core.disputes import Decision
    from qa_monitor.services.dispute_service import DecisionInput

    services.disputes.decide(
        ev,
        {
            "verify": DecisionInput(Decision.OVERTURNED, "heard it", Answer("verify", "yes")),
            "greet": DecisionInput(Decision.UPHELD, "no greeting"),
        },
        first.expert.id,
        "One changed.",
    )
    screen = show(qtbot, services, path, first.expert.id)
    qtmodeltester.check(screen.rates_model)
    assert screen.period() == (date(2025, 12, 8), SATURDAY)  # the last 90 days
    table = screen.rates_table.model()
    rows = [
        [shown(table.index(r, c).data()) for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
    assert rows == [
        ["Leila Navabi", "1", "0", "0.0%", "0", "0", "0", "—"],
        ["Omid Karimi", "2", "1", "50.0%", "2", "2", "1", "50.0%"],
    ]
    assert screen.rates_count.text() == "3 evaluations in the period"
    # A period without evaluations says so.
    with qtbot.waitSignal(screen.ratesListed, timeout=TIMEOUT):
        screen.rates_to.setDate(screen.rates_to.date().addDays(-10))
        screen.rates_from.setFocus()
        screen.rates_from.setDate(screen.rates_from.date().addDays(-200))
    assert screen.rates_pages.currentWidget() is screen.rates_empty
    assert screen.rates_empty.text().startswith("No submitted evaluations")
    with qtbot.waitSignal(screen.ratesListed, timeout=TIMEOUT):
        qtbot.keyClick(screen.last_90, Qt.Key.Key_Space)
    assert table.rowCount() == 2 and RatesTableModel.OVERTURN_RATE == 7


def test_a_hidden_screen_reads_again_when_shown(qtbot, opened, clock) -> None:  # type: ignore[no-untyped-def]
    services, first, path = opened
    ev = submitted(services, first, failing_answers())
    screen = show(qtbot, services, path, first.expert.id)
    assert screen.queue_model.rowCount() == 0
    screen.hide()
    clock.advance(days=1)
    dispute(services, ev, {"greet": "I greeted"}, MONDAY)
    with qtbot.assertNotEmitted(screen.queueListed, wait=300):
        screen.refresh(Changes(evaluations=True))  # hidden: nothing is read yet
    assert screen.queue_model.rowCount() == 0
    with qtbot.waitSignal(screen.queueListed, timeout=TIMEOUT):
        screen.show()
    assert listed(qtbot, screen) == [ev]
    with qtbot.assertNotEmitted(screen.queueListed, wait=300):
        screen.refresh(Changes(interactions=True))  # nothing it shows
