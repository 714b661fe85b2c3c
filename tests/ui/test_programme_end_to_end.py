"""The QA programme end to end in the main window, from the keyboard (issue 14):

a sampling rule builds a week's queue (Build queue…, preview, build); a reviewer works
it from My queue, and after each submit the next queued call opens on one key; the
agent disputes two questions of the first evaluation; a second reviewer overturns one
and upholds the other; the score changes and the history says so; a coaching session
is recorded from that evaluation; four weeks later its follow-up figures, computed on
planted evaluations, equal a hand calculation written out below.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from qa_monitor.core.answers import Answer
from qa_monitor.core.records import EvaluationStatus
from qa_monitor.core.sampling import SamplingRule
from qa_monitor.services import Services
from qa_monitor.ui.dialogs.agent_response_dialogs import DisputeDialog
from qa_monitor.ui.dialogs.coaching_session_dialog import CoachingSessionDialog
from qa_monitor.ui.dialogs.evaluation_history_dialog import EvaluationHistoryDialog
from qa_monitor.ui.dialogs.re_review_dialog import ReReviewDialog
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.models.coaching_models import FollowUpModel
from qa_monitor.ui.session import Session
from tests.factories import FakeClock, Seed, interaction_data, passing_answers, seed

TIMEOUT = 15_000
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
TODAY = date(2026, 4, 15)  # a Wednesday; weeks start on Monday
WEEK = date(2026, 4, 6)  # the week the queue is built for: 6 to 12 April
Z = 1.959963984540054  # the normal quantile of 0.975


@pytest.fixture(autouse=True)
def english_dates() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


def press(qtbot, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """Press ``key`` where the keyboard focus is, as a user does."""
    target = QApplication.focusWidget()
    assert target is not None, "keyboard focus was lost"
    qtbot.keyClick(target, key, modifiers)


def keys(qtbot, *sequence: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    for key in sequence:
        press(qtbot, key)


def type_text(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, text)


def focused_dialog(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()), timeout=TIMEOUT)


def in_form(qtbot, evaluate) -> None:  # type: ignore[no-untyped-def]
    """The keyboard is in the form (its first question), with nothing clicked."""

    def there() -> bool:
        focused = QApplication.focusWidget()
        form = evaluate.form_widget
        return focused is form or (focused is not None and form.isAncestorOf(focused))

    qtbot.waitUntil(there, timeout=TIMEOUT)


def back_to(qtbot, window, widget) -> None:  # type: ignore[no-untyped-def]
    """After a dialog: the main window active again, the focus in ``widget``."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=TIMEOUT)


def select(qtbot, screen, evaluation_id: int) -> None:  # type: ignore[no-untyped-def]
    """Click the evaluation's row and leave the keyboard focus in the list."""
    qtbot.waitUntil(lambda: screen.model.row_of(evaluation_id) >= 0, timeout=TIMEOUT)
    view = screen.table
    cell = view.visualRect(screen.model.index(screen.model.row_of(evaluation_id), 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.table, timeout=TIMEOUT)


def _scored(services: Services, s: Seed, day: date, verified: bool, n: int) -> None:
    """A planted evaluation of one of Sara's calls on ``day``."""
    interaction = services.interactions.create_interaction(
        interaction_data(
            s.agent.id,
            started_at=datetime(day.year, day.month, day.day, 9 + n % 8, tzinfo=UTC),
            external_id=f"planted-{day}-{n}",
        )
    )
    ev = services.evaluations.start_evaluation(interaction.id, s.version.id, s.expert.id)
    answers = dict(passing_answers())
    if not verified:
        answers["verify"] = Answer("verify", "no")
    services.evaluations.save_draft(ev.id, answers)
    assert services.evaluations.submit(ev.id).ok


def _wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson's score interval, written out: (p + z²/2n ± z √(p(1−p)/n + z²/4n²)) / (1 + z²/n)."""
    p = k / n
    centre = p + Z * Z / (2 * n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return (centre - half) / (1 + Z * Z / n), (centre + half) / (1 + Z * Z / n)


@pytest.fixture
def centre(tmp_path: Path):  # type: ignore[no-untyped-def]
    clock = FakeClock(datetime(2026, 4, 15, 8, 0, tzinfo=UTC))
    path = tmp_path / "qa.db"
    with Services.open(path, clock=clock) as services:
        first = seed(services)
        # Six of Sara's calls in the week of 6 April, nobody has scored them.
        for i in range(6):
            services.interactions.create_interaction(
                interaction_data(
                    first.agent.id,
                    external_id=f"week-{i}",
                    started_at=datetime(2026, 4, 6 + i % 5, 10 + i, tzinfo=UTC),
                )
            )
        # The four weeks before the coaching session (18 March to 14 April): five
        # planted evaluations, identity verified in one.
        for i in range(5):
            _scored(services, first, date(2026, 3, 18) + timedelta(days=i), i == 0, i)
        services.queue.save_rule(
            SamplingRule(
                id=None, name="Weekly sample", form_id=first.version.form_id, per_agent=4, seed=7
            )
        )
        session = Session(services, path, first.reviewer.id)  # Omid Karimi's computer
        window = MainWindow(session, ask_reviewer=False, first_sync_delay_ms=10**9)
        window.resize(1500, 950)
        yield services, first, window, clock
        window.close()


def test_rule_queue_dispute_overturn_coaching_follow_up(qtbot, centre) -> None:  # type: ignore[no-untyped-def]
    services, first, window, clock = centre
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)

    # 1. The rule builds the week's queue: My queue (Ctrl+2) ▸ Coverage ▸ Build (Ctrl+B).
    press(qtbot, Qt.Key.Key_2, CTRL)
    queue = window.screens["queue"]
    assert window.stack.currentWidget() is queue
    queue.show_tab("coverage")  # type: ignore[attr-defined]
    coverage = queue.coverage  # type: ignore[attr-defined]
    coverage.agents_table.setFocus()
    press(qtbot, Qt.Key.Key_B, CTRL)
    build = coverage.dialog
    focused_dialog(qtbot, build)
    # "Last week" (Alt+L) is the week of 6 April.
    qtbot.keyClick(build, Qt.Key.Key_L, ALT)  # a mnemonic clicks after a short animation
    qtbot.waitUntil(lambda: build.chosen_day() == TODAY - timedelta(days=7), timeout=TIMEOUT)
    with qtbot.waitSignal(build.previewed, timeout=TIMEOUT) as previewed:
        qtbot.keyClick(build, Qt.Key.Key_P, ALT)
    (plan,) = previewed.args[0].plans
    assert len(plan.assignments) == 4 and "Weekly sample" in build.report.toPlainText()
    with qtbot.waitSignal(build.built, timeout=TIMEOUT):
        qtbot.keyClick(build, Qt.Key.Key_B, ALT)
    qtbot.keyClick(build, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: coverage.dialog is None, timeout=TIMEOUT)
    mine = services.queue.my_queue(first.reviewer.id)
    assert len(mine) == 2  # 4 calls, balanced between the two reviewers
    assert len(services.queue.my_queue(first.expert.id)) == 2

    # 2. Omid works his queue: Enter opens the first call on Evaluate, the form has the
    #    keyboard, and after each submit Ctrl+Shift+Enter opens the next one.
    queue.show_tab("mine")  # type: ignore[attr-defined]
    table = queue.mine.table  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: queue.mine.model.rowCount() == 2, timeout=TIMEOUT)  # type: ignore[attr-defined]
    back_to(qtbot, window, table)
    table.setCurrentIndex(table.model().index(0, 0))
    press(qtbot, Qt.Key.Key_Return)
    evaluate = window.screens["evaluate"]
    qtbot.waitUntil(lambda: window.stack.currentWidget() is evaluate, timeout=TIMEOUT)
    first_ev = evaluate.evaluation  # type: ignore[attr-defined]
    assert first_ev is not None and first_ev.interaction_id == mine[0].interaction_id
    qtbot.waitUntil(lambda: evaluate.form_widget.is_fully_built(), timeout=TIMEOUT)  # type: ignore[attr-defined]
    in_form(qtbot, evaluate)
    k = Qt.Key
    # greet Yes, name 4, verify No, history Pass, empathy 2, disclosure Yes, resolved
    # Yes, retained.
    keys(qtbot, k.Key_Y, k.Key_4, k.Key_N, k.Key_P, k.Key_2, k.Key_Y, k.Key_Y, k.Key_1)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    scored = services.evaluations.get_evaluation(first_ev.id)
    assert scored.status is EvaluationStatus.SUBMITTED
    assert evaluate.next_bar.isVisible()  # type: ignore[attr-defined]
    press(qtbot, Qt.Key.Key_Return, CTRL_SHIFT)
    second_ev = evaluate.evaluation  # type: ignore[attr-defined]
    assert second_ev.id != first_ev.id and second_ev.interaction_id == mine[1].interaction_id
    qtbot.waitUntil(lambda: evaluate.form_widget.is_fully_built(), timeout=TIMEOUT)  # type: ignore[attr-defined]
    in_form(qtbot, evaluate)
    keys(qtbot, k.Key_Y, k.Key_4, k.Key_Y, k.Key_P, k.Key_5, k.Key_Y, k.Key_N, k.Key_1)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert services.evaluations.get_evaluation(second_ev.id).status is EvaluationStatus.SUBMITTED
    assert services.queue.next_for(first.reviewer.id) is None  # his queue is done
    assert evaluate.next_bar.isHidden()  # type: ignore[attr-defined]

    # 3. Leila Navabi (supervisor) uses the computer now; she records Sara's dispute of
    #    two questions: Evaluations (Ctrl+3) ▸ Dispute… (Ctrl+Shift+D).
    window.session.reviewer_id = first.expert.id
    press(qtbot, Qt.Key.Key_3, CTRL)
    evaluations = window.screens["evaluations"]
    qtbot.waitUntil(lambda: not evaluations.model.loading, timeout=TIMEOUT)  # type: ignore[attr-defined]
    select(qtbot, evaluations, first_ev.id)
    press(qtbot, Qt.Key.Key_D, CTRL_SHIFT)
    dispute = evaluations.responses.dialog  # type: ignore[attr-defined]
    assert isinstance(dispute, DisputeDialog)
    focused_dialog(qtbot, dispute)
    rows = dispute.questions.rows
    for question, reason in (("verify", "I verified at 0:40"), ("empathy", "I apologised twice")):
        rows[question].box.setFocus()
        press(qtbot, Qt.Key.Key_Space)
        assert QApplication.focusWidget() is rows[question].reason
        type_text(qtbot, reason)
    assert dispute.count.text() == "2 questions disputed."
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: evaluations.responses.dialog is None, timeout=TIMEOUT)  # type: ignore[attr-defined]
    assert services.evaluations.get_evaluation(first_ev.id).status is EvaluationStatus.DISPUTED

    # 4. She re-reviews it (she did not score it): Disputes (Ctrl+4) ▸ Enter; verify is
    #    overturned to Yes, empathy upheld; Ctrl+Enter saves.
    back_to(qtbot, window, evaluations.table)  # type: ignore[attr-defined]
    press(qtbot, Qt.Key.Key_4, CTRL)
    disputes = window.screens["disputes"]
    qtbot.waitUntil(lambda: disputes.queue_model.rowCount() == 1, timeout=TIMEOUT)  # type: ignore[attr-defined]
    back_to(qtbot, window, disputes.queue_table)  # type: ignore[attr-defined]
    disputes.queue_table.setCurrentIndex(disputes.queue_table.model().index(0, 0))  # type: ignore[attr-defined]
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: disputes.dialog is not None, timeout=TIMEOUT)  # type: ignore[attr-defined]
    review = disputes.dialog  # type: ignore[attr-defined]
    assert isinstance(review, ReReviewDialog)
    focused_dialog(qtbot, review)
    verify, empathy = review.cards
    assert (verify.question.id, empathy.question.id) == ("verify", "empathy")
    verify.overturned.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    combo = verify.new_answer.combo
    combo.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    assert combo.currentText() == "Yes"
    verify.reason.setFocus()
    type_text(qtbot, "Identity checked at 0:40")
    empathy.upheld.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    empathy.reason.setFocus()
    type_text(qtbot, "Two apologies, no empathy")
    review.summary.setFocus()
    type_text(qtbot, "Verification was there.")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: disputes.dialog is None, timeout=TIMEOUT)  # type: ignore[attr-defined]
    after = services.evaluations.get_evaluation(first_ev.id)
    assert after.status is EvaluationStatus.RESOLVED
    assert after.answers["verify"].value == "yes" and after.answers["empathy"].value == "2"
    assert scored.score is not None and after.score is not None and after.score > scored.score

    # 5. The history says it: Evaluations ▸ History… (Ctrl+Shift+H).
    back_to(qtbot, window, window.nav)  # the queue is empty now: its list is hidden
    press(qtbot, Qt.Key.Key_3, CTRL)
    qtbot.waitUntil(lambda: not evaluations.model.loading, timeout=TIMEOUT)  # type: ignore[attr-defined]
    select(qtbot, evaluations, first_ev.id)
    press(qtbot, Qt.Key.Key_H, CTRL_SHIFT)
    history = evaluations.responses.dialog  # type: ignore[attr-defined]
    assert isinstance(history, EvaluationHistoryDialog)
    focused_dialog(qtbot, history)
    lines = [
        " | ".join(history.model.row_texts(r)).replace("\u2066", "").replace("\u2069", "")
        for r in range(history.model.rowCount())
    ]
    said = "\n".join(lines)
    for step in (
        "Omid Karimi | Submitted the evaluation with a score of 60.6%.",
        "Leila Navabi | The agent disputed the answer to “Verified identity”: I verified at 0:40",
        "Leila Navabi | Changed the answer to “Verified identity” from No to Yes",
        f"Leila Navabi | The score changed from {scored.score:.1f}% to {after.score:.1f}%.",
        "Leila Navabi | Overturned the answer to “Verified identity”: Identity checked at 0:40",
        "Leila Navabi | Upheld the answer to “Showed empathy”: Two apologies, no empathy",
        "Leila Navabi | Changed the status from Disputed to Resolved. | Verification was there.",
    ):
        assert step in said, step
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: evaluations.responses.dialog is None, timeout=TIMEOUT)  # type: ignore[attr-defined]

    # 6. A coaching session from that evaluation (Ctrl+Shift+O), targeting identity
    #    verification, with one action due in two weeks.
    back_to(qtbot, window, evaluations.table)  # type: ignore[attr-defined]
    press(qtbot, Qt.Key.Key_O, CTRL_SHIFT)
    coach = evaluations.responses.dialog  # type: ignore[attr-defined]
    assert isinstance(coach, CoachingSessionDialog)
    focused_dialog(qtbot, coach)
    assert coach.checked_evaluations() == [first_ev.id]
    behaviours = coach.behaviours_model
    row = next(
        r for r in range(behaviours.rowCount()) if "Verified identity" in behaviours.item(r).text()
    )
    coach.behaviours_view.setFocus()
    coach.behaviours_view.setCurrentIndex(behaviours.index(row, 0))
    press(qtbot, Qt.Key.Key_Space)
    coach.notes.setFocus()
    type_text(qtbot, "Went through the verification script.")
    press(qtbot, Qt.Key.Key_A, CTRL_SHIFT)
    type_text(qtbot, "Verify before any account change")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Sara Ahmadi")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "2026-04-29")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: evaluations.responses.dialog is None, timeout=TIMEOUT)  # type: ignore[attr-defined]
    (listed,) = services.coaching.sessions()
    assert listed.row.held_on == TODAY
    assert services.coaching.detail(listed.row.id).session.questions == (
        ("support_call", "verify"),
    )

    # 7. Four weeks on: Sara's six evaluations after the session, identity verified in
    #    all. The Coaching screen (Ctrl+5) shows the follow-up.
    for i in range(6):
        _scored(services, first, date(2026, 4, 16) + timedelta(days=i), True, 10 + i)
    clock.now = datetime(2026, 5, 14, 8, 0, tzinfo=UTC)  # the follow-up ended on 13 May
    back_to(qtbot, window, evaluations.table)  # type: ignore[attr-defined]
    press(qtbot, Qt.Key.Key_5, CTRL)
    coaching = window.screens["coaching"]
    with qtbot.waitSignal(coaching.listed, timeout=TIMEOUT):  # type: ignore[attr-defined]
        coaching.reload()  # type: ignore[attr-defined]
    assert coaching.selected_id() == listed.row.id  # type: ignore[attr-defined]
    follow = coaching.follow_model  # type: ignore[attr-defined]
    line = [follow.text(0, c) for c in range(follow.columnCount())]

    # The hand calculation. Before (18 March to 14 April): the 5 planted evaluations
    # (1 verified) and the 2 from the queue (both "Yes" now: the overturn, and Omid's
    # second) = 3 of 7. After (16 April to 13 May): 6 of 6.
    b_low, b_high = _wilson(3, 7)  # 0.1582, 0.7495
    a_low, a_high = _wilson(6, 6)  # 0.6097, 1.0
    assert (round(b_low, 4), round(b_high, 4), round(a_low, 4)) == (0.1582, 0.7495, 0.6097)
    d = 6 / 6 - 3 / 7  # +0.5714
    low = d - math.sqrt((1 - a_low) ** 2 + (b_high - 3 / 7) ** 2)  # Newcombe's method 10
    high = d + math.sqrt((a_high - 1) ** 2 + (3 / 7 - b_low) ** 2)
    assert (round(low, 4), round(high, 4)) == (0.0661, 0.8418)
    pct = lambda x: f"{x * 100:.1f}%"  # noqa: E731
    assert line[FollowUpModel.QUESTION] == "Verified identity"
    # Points: the question is worth 10; 3 of 7 verified = 30 of 70 points.
    assert line[FollowUpModel.BEFORE] == (
        f"n = 7: {pct(3 / 7)} ({pct(b_low)} to {pct(b_high)}), points {pct(30 / 70)}"
    )
    assert line[FollowUpModel.AFTER] == (f"n = 6: 100.0% ({pct(a_low)} to 100.0%), points 100.0%")
    assert line[FollowUpModel.CHANGE] == (
        f"+{d * 100:.1f} points (+{low * 100:.1f} points to +{high * 100:.1f} points)"
    )
    assert line[FollowUpModel.VERDICT] == "Improved"
