"""The Calibration screen in the main window, from the keyboard (issue 15, item 1):

five reviewers — an expert and four — score one call blind in a session. Each in turn
becomes the reviewer on this computer, opens the session (Ctrl+Shift+L), presses
"Score this call" (Alt+S or Enter), answers on Evaluate with the answer keys and
submits with Ctrl+Enter; until the reveal the session shows who has submitted and
nothing else. The expert reveals it (Alt+R), and the matrix, the scores, the
deviations, the bands, the spread and the alphas shown equal a hand calculation
written out below. Then the expert agrees an answer and writes a note (keyboard), and
puts it into a draft of the form (Alt+P); and a reviewer who is not invited gets no
Score button.

The form (``hand_form``): greet (yes/no) 2 points, verify (yes/no) 4, solve (yes/no)
24, empathy (1–5 scale) 20 with 1 → 0, 2 → 5, 3 → 10, 4 → 15, 5 → 20 points; 50 in all,
points mode, no weights, no critical questions. A session on another call of the same
form is revealed first, so alpha pools two sessions.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QMessageBox,
    QTableView,
    QWidget,
)

from qa_monitor.core.calibration import Bands
from qa_monitor.core.metrics import round_half_up
from qa_monitor.core.records import EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.ui.dialogs.calibration_session_dialog import CalibrationSessionDialog
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.models.calibration_models import MatrixModel, ScoresModel
from qa_monitor.ui.screens.calibration_screen import CalibrationScreen
from qa_monitor.ui.session import Session
from tests.factories import FakeClock
from tests.ui.calibration_data import Centre, build_centre, create_session, hand_form, score

TIMEOUT = 15_000
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
NAMES = ("Ali Rahimi", "Mina Sadr", "Omid Karimi", "Reza Amini", "Nasrin Ebrahimi")

# -- the hand calculation --------------------------------------------------------------
# The session shown: what each reviewer answers (keys pressed on Evaluate: Y/N for
# yes/no, the digit for the scale) and the score that gives, point by point.
ANSWERS = {
    "Leila Navabi": ("yes", "yes", "yes", "4"),  # the expert
    "Ali Rahimi": ("yes", "yes", "yes", "4"),
    "Mina Sadr": ("no", "yes", "yes", "4"),
    "Omid Karimi": ("yes", "yes", "yes", "5"),
    "Reza Amini": ("no", "no", "yes", "3"),
}
SCORES = {
    "Leila Navabi": 100 * (2 + 4 + 24 + 15) / 50,  # 90.0
    "Ali Rahimi": 100 * (2 + 4 + 24 + 15) / 50,  # 90.0
    "Mina Sadr": 100 * (0 + 4 + 24 + 15) / 50,  # 86.0
    "Omid Karimi": 100 * (2 + 4 + 24 + 20) / 50,  # 100.0
    "Reza Amini": 100 * (0 + 0 + 24 + 10) / 50,  # 68.0
}
# Deviation = score − the expert's 90.0; bands 0–5 acceptable, 6–10 discuss, above
# that recalibrate.
DEVIATIONS = {
    "Ali Rahimi": "0.0",
    "Mina Sadr": "-4.0",
    "Omid Karimi": "+10.0",
    "Reza Amini": "-22.0",
}
BANDS = {
    "Ali Rahimi": "Acceptable",
    "Mina Sadr": "Acceptable",
    "Omid Karimi": "Discuss",  # 10.0 is still "discuss": the bounds are inclusive
    "Reza Amini": "Recalibrate",
}
# The session revealed before, on another call: Leila, Ali and Mina.
PRIOR = {
    "Leila Navabi": {"greet": "no", "verify": "yes", "solve": "no", "empathy": "4"},
    "Ali Rahimi": {"greet": "no", "verify": "yes", "solve": "no", "empathy": "3"},
    "Mina Sadr": {"greet": "no", "verify": "no", "solve": "no", "empathy": "4"},
}
PRIOR_SCORES = [
    100 * (0 + 4 + 0 + 15) / 50,  # 38.0
    100 * (0 + 4 + 0 + 10) / 50,  # 28.0
    100 * (0 + 0 + 0 + 15) / 50,  # 30.0
]


def nominal_alpha_greet() -> float:
    """Krippendorff's alpha of "greet", nominal, over the two sessions (units).

    Before: no, no, no (m = 3). This session: yes, yes, no, yes, no (m = 5).
    Coincidences o_ck = Σ_u pairs(c, k in u) / (m_u − 1):
      before: o(no,no) = 3·2/2 = 3
      now:    o(yes,yes) = 3·2/4 = 1.5, o(yes,no) = o(no,yes) = 3·2/4 = 1.5,
              o(no,no) = 2·1/4 = 0.5
    Totals: o(yes,yes) 1.5, o(yes,no) 1.5, o(no,yes) 1.5, o(no,no) 3.5;
    n_yes = 3, n_no = 5, n = 8.
    alpha = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k = 1 − 7 · 3 / 30 = 0.3
    """
    o_disagree = 1.5 + 1.5
    n_yes, n_no, n = 3, 5, 8
    return 1 - (n - 1) * o_disagree / (n_yes * n_no + n_no * n_yes)


def interval_alpha_scores() -> float:
    """The score's alpha, interval level (δ² = (c − k)²), over the two sessions.

    Observed: Σ_u (1 / (m_u − 1)) Σ_{i≠j in u} (v_i − v_j)², ordered pairs.
      before [38, 28, 30]: unordered 10² + 8² + 2² = 168, ordered 336, ÷ 2 = 168
      now [90, 90, 86, 100, 68]: unordered 0 + 2·4² + 2·10² + 2·22² + 14² + 18² + 32²
        = 0 + 32 + 200 + 968 + 196 + 324 + 1024 = 2744, ordered 5488, ÷ 4 = 1372
      Σ o·δ² = 168 + 1372 = 1540
    Expected: Σ over ordered pairs of all n = 8 values (v_i − v_j)²
      = 2 (n Σv² − (Σv)²) = 2 (8 · 41348 − 530²) = 2 · 49884 = 99768
    alpha = 1 − (n − 1) · 1540 / 99768 = 1 − 10780 / 99768 ≈ 0.892
    """
    before = PRIOR_SCORES
    now = [SCORES[n] for n in ANSWERS]
    observed = 0.0
    for unit in (before, now):
        pairs = sum((a - b) ** 2 for i, a in enumerate(unit) for j, b in enumerate(unit) if i != j)
        observed += pairs / (len(unit) - 1)
    values = before + now
    n = len(values)
    expected = 2 * (n * sum(v * v for v in values) - sum(values) ** 2)
    assert (observed, expected) == (1540, 99768)  # the numbers written out above
    return 1 - (n - 1) * observed / expected


def nominal_alpha_this_call() -> float:
    """This call's answers, nominal, each question a unit (m = 5 in each):
      greet  yes ×3, no ×2: o(y,y) 1.5, o(y,n) = o(n,y) 1.5, o(n,n) 0.5
      verify yes ×4, no ×1: o(y,y) 3, o(y,n) = o(n,y) 1
      solve  yes ×5:        o(y,y) 5
      empathy 4 ×3, 5, 3:   o(4,4) 1.5, o(4,5) = o(5,4) = o(4,3) = o(3,4) 0.75,
                            o(5,3) = o(3,5) 0.25
    Σ_{c≠k} o = 3 + 2 + 0 + 3.5 = 8.5. Marginals: yes 12, no 3, 4: 3, 5: 1, 3: 1; n = 20.
    Σ_{c≠k} n_c n_k = n² − Σ n_c² = 400 − (144 + 9 + 9 + 1 + 1) = 236.
    alpha = 1 − 19 · 8.5 / 236 = 74.5 / 236 ≈ 0.316
    """
    return 1 - (20 - 1) * 8.5 / (20**2 - (12**2 + 3**2 + 3**2 + 1 + 1))


# -- the centre ------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def english_dates() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[tuple[Centre, int, FakeClock]]:
    clock = FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    with Services.open(tmp_path / "qa.db", clock=clock) as services:
        built = build_centre(services, hand_form(), NAMES, 2, expert="Leila Navabi")
        people = {r.name: r for r in (built.expert, *built.reviewers)}
        before = create_session(
            built,
            "Billing calls, week 10",
            built.calls[0],
            [people["Ali Rahimi"], people["Mina Sadr"]],
        )
        for name, answers in PRIOR.items():
            score(services, before, people[name].id, answers)
        services.settings.set_current_reviewer(built.expert.id)
        services.calibration.reveal(before)
        clock.advance(days=7)
        shown = create_session(
            built,
            "Billing calls, week 11",
            built.calls[1],
            [people[n] for n in ("Ali Rahimi", "Mina Sadr", "Omid Karimi", "Reza Amini")],
        )
        services.settings.set_current_reviewer(None)
        yield built, shown, clock


def people_of(centre: Centre) -> dict[str, int]:
    return {r.name: r.id for r in (centre.expert, *centre.reviewers)}


def open_window(qtbot, centre: Centre, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    session = Session(centre.services, tmp_path / "qa.db")
    window = MainWindow(session, ask_reviewer=False, first_sync_delay_ms=10**9)
    qtbot.addWidget(window)
    window.resize(1500, 950)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)
    return window


def press(qtbot, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """Press ``key`` where the keyboard focus is, as a user does."""
    target = QApplication.focusWidget()
    assert target is not None, "keyboard focus was lost"
    qtbot.keyClick(target, key, modifiers)


def become(qtbot, window: MainWindow, reviewer_id: int) -> CalibrationScreen:  # type: ignore[no-untyped-def]
    """The reviewer on this computer changes (Evaluation ▸ Change reviewer does this);
    Ctrl+Shift+L shows the Calibration screen with the keyboard in its list."""
    window.switch_reviewer(reviewer_id)
    screen = window.screens["calibration"]
    assert isinstance(screen, CalibrationScreen)
    with qtbot.waitSignal(screen.detailShown, timeout=TIMEOUT):
        press(qtbot, Qt.Key.Key_L, CTRL_SHIFT)
    assert window.stack.currentWidget() is screen
    qtbot.waitUntil(lambda: screen.detail is not None and screen._detail_id() is not None)
    return screen


def texts_of(widget: QWidget) -> str:
    """Every text the widget shows: labels, buttons and table cells."""
    out = [w.text() for w in widget.findChildren(QLabel) if w.isVisible()]
    out += [w.text() for w in widget.findChildren(QAbstractButton) if w.isVisible()]
    for table in widget.findChildren(QTableView):
        model = table.model()
        if not table.isVisible() or model is None:
            continue
        for r in range(model.rowCount()):
            for c in range(model.columnCount()):
                out.append(str(model.index(r, c).data(Qt.ItemDataRole.AccessibleTextRole)))
    return "\n".join(out)


def answer_on_evaluate(qtbot, window: MainWindow, answers: tuple[str, ...]) -> int:  # type: ignore[no-untyped-def]
    evaluate = window.screens["evaluate"]
    assert window.stack.currentWidget() is evaluate
    form = evaluate.form_widget  # type: ignore[attr-defined]
    qtbot.waitUntil(form.is_fully_built, timeout=TIMEOUT)
    assert form.current_question_id() == "greet"
    keys = {"yes": Qt.Key.Key_Y, "no": Qt.Key.Key_N, "3": Qt.Key.Key_3}
    keys |= {"4": Qt.Key.Key_4, "5": Qt.Key.Key_5}
    for answer in answers:
        press(qtbot, keys[answer])
    with qtbot.waitSignal(evaluate.changed, timeout=TIMEOUT):  # type: ignore[attr-defined]
        press(qtbot, Qt.Key.Key_Return, CTRL)
    evaluation = evaluate.evaluation  # type: ignore[attr-defined]
    assert evaluation is not None
    return int(evaluation.id)


def cell(table: QTableView, row: int, col: int) -> str:
    return str(table.model().index(row, col).data(Qt.ItemDataRole.AccessibleTextRole))


def plain(text: str) -> str:
    """``text`` without the bidi isolates that keep numbers left-to-right."""
    return "".join(ch for ch in text if ch not in "\u2066\u2067\u2068\u2069")


def shown(table: QTableView, row: int, col: int) -> str:
    return plain(str(table.model().index(row, col).data(Qt.ItemDataRole.DisplayRole)))


# -- the tests -------------------------------------------------------------------------
def test_five_reviewers_score_blind_and_the_reveal_equals_the_hand_calculation(
    qtbot, qtmodeltester, centre, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    built, session_id, _clock = centre
    services = built.services
    ids = people_of(built)
    window = open_window(qtbot, built, tmp_path)

    submitted: list[str] = []
    for position, name in enumerate(ANSWERS):
        screen = become(qtbot, window, ids[name])
        assert screen.selected_id() == session_id  # open sessions first
        view = screen.open_view
        assert screen.detail_pages.currentWidget() is view
        # Blind: the states, never a score or an answer of the others.
        states = {
            view.participants_model.row_at(r).name: view.participants_model.row_at(r).state
            for r in range(view.participants_model.rowCount())
        }
        assert states == {n: "submitted" if n in submitted else "waiting" for n in ANSWERS}
        seen = texts_of(screen)
        for other in submitted:
            score_text = f"{SCORES[other]:.1f}"
            assert score_text not in seen, (name, other)
        assert "%" not in seen
        assert view.score_button.isVisible() and view.score_button.text() == "&Score this call"
        # Alt+S on the button (the first reviewer), Enter on the session (the others).
        if position == 0:
            qtbot.keyClick(screen, Qt.Key.Key_S, ALT)
        else:
            screen.table.setFocus()
            press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.current_screen_key() == "evaluate", timeout=TIMEOUT)
        evaluation_id = answer_on_evaluate(qtbot, window, ANSWERS[name])
        stored = services.evaluations.get_evaluation(evaluation_id)
        assert stored.status is EvaluationStatus.SUBMITTED
        assert stored.score == pytest.approx(SCORES[name])
        submitted.append(name)

    # The expert reveals: everyone has submitted, so nothing is asked.
    screen = become(qtbot, window, ids["Leila Navabi"])
    view = screen.open_view
    assert view.reveal_button.isEnabled() and screen.open_view.blocker.isHidden()
    assert "5 of 5 have submitted" in view.blind.text()
    with qtbot.waitSignal(screen.detailShown, timeout=TIMEOUT):
        qtbot.keyClick(screen, Qt.Key.Key_R, ALT)
    qtbot.waitUntil(lambda: screen.detail_pages.currentWidget() is screen.revealed_view)
    revealed = screen.revealed_view
    assert QApplication.focusWidget() is revealed.matrix  # the keyboard goes to the answers

    # The matrix: rows in form order, the expert's column first, then by name.
    matrix = revealed.matrix
    model = revealed.matrix_model
    assert isinstance(model, MatrixModel)
    columns = [model.headers()[c] for c in range(2, 2 + len(ANSWERS))]
    assert columns == [
        "★ Leila\nNavabi",
        "Ali\nRahimi",
        "Mina\nSadr",
        "Omid\nKarimi",
        "Reza\nAmini",
    ]
    questions = [model.row_at(r).question.id for r in range(model.rowCount())]
    assert questions == ["greet", "verify", "solve", "empathy"]
    grid = [[shown(matrix, r, c) for c in range(2, 7)] for r in range(4)]
    assert grid == [
        ["Yes", "Yes", "≠ No", "Yes", "≠ No"],  # greet: Mina and Reza differ from Leila
        ["Yes", "Yes", "Yes", "Yes", "≠ No"],
        ["Yes", "Yes", "Yes", "Yes", "Yes"],
        ["4", "4", "4", "≠ 5", "≠ 3"],
    ]
    disagree = [shown(matrix, r, MatrixModel.QUESTION).startswith("⚠") for r in range(4)]
    assert disagree == [True, True, False, True]
    assert cell(matrix, 0, 4) == "Mina Sadr: No — differs from the expert's answer, Yes"
    agreement = model.column_of("agreement")
    assert [shown(matrix, r, agreement) for r in range(4)] == ["60%", "80%", "100%", "60%"]

    # Scores, deviations and bands, a column per reviewer above the answers.
    scores = revealed.scores
    assert isinstance(revealed.scores_model, ScoresModel)
    assert [shown(scores, ScoresModel.SCORE, c) for c in range(2, 7)] == [
        f"{SCORES[n]:.1f}%" for n in ANSWERS
    ]
    assert [shown(scores, ScoresModel.DEVIATION, c) for c in range(3, 7)] == [
        DEVIATIONS[n] for n in list(ANSWERS)[1:]
    ]
    assert shown(scores, ScoresModel.DEVIATION, 2) == "benchmark"
    assert [shown(scores, ScoresModel.BAND, c) for c in range(3, 7)] == [
        BANDS[n] for n in list(ANSWERS)[1:]
    ]
    assert cell(scores, ScoresModel.BAND, 6) == ("Reza Amini, band: Recalibrate (beyond 10.0)")
    assert plain(revealed.benchmark.text()) == "Benchmark: the expert Leila Navabi's score, 90.0%."
    # Spread: 68.0 to 100.0, range 32.0; SD = sqrt(Σ(x − 86.8)² / 4) = sqrt(548.8 / 4).
    sd = math.sqrt(((90 - 86.8) ** 2 * 2 + (86 - 86.8) ** 2 + 13.2**2 + 18.8**2) / 4)
    assert f"{sd:.1f}" == "11.7"
    assert plain(revealed.spread.text()) == (
        "Spread: from 68.0% to 100.0%, a range of 32.0 points; standard deviation 11.7 points."
    )

    # Alpha: the hand calculations above, as the screen words them.
    view_model = screen.detail
    greet_alpha = nominal_alpha_greet()
    assert greet_alpha == pytest.approx(0.3)
    alpha_col = model.column_of("alpha")
    assert shown(matrix, 0, alpha_col) == "0.30"
    assert shown(matrix, 0, model.column_of("n")) == "2"
    assert shown(matrix, 0, model.column_of("verdict")) == "Too few to judge"
    greet = view_model.questions["greet"].estimate  # type: ignore[union-attr]
    assert greet.alpha == pytest.approx(greet_alpha)
    assert greet.low is not None and greet.high is not None
    low, high = round_half_up(greet.low, 2), round_half_up(greet.high, 2)
    assert shown(matrix, 0, model.column_of("interval")) == f"{low:.2f} to {high:.2f}"
    score_alpha = interval_alpha_scores()
    assert score_alpha == pytest.approx(0.8919, abs=1e-4)
    words = plain(revealed.score_alpha.text())
    assert words.startswith(f"Agreement on the score: {score_alpha:.2f} (95% interval ")
    assert "n = 2 sessions): too few sessions to judge (5 are needed); so far it reads" in words
    call_alpha = nominal_alpha_this_call()
    assert call_alpha == pytest.approx(0.3157, abs=1e-4)
    words = plain(revealed.call_alpha.text())
    assert words.startswith(f"Agreement on this call's answers: {call_alpha:.2f} (95% interval")
    assert "n = 4 questions): too few questions to judge" in words
    for table_model in (
        model,
        revealed.scores_model,
        screen.model,
        screen.open_view.participants_model,
    ):
        qtmodeltester.check(table_model)


def planted_reveal(centre: tuple[Centre, int, FakeClock]) -> tuple[Centre, int]:
    """The session of the first test scored through the services and revealed."""
    built, session_id, _clock = centre
    ids = people_of(built)
    for name, (greet, verify, solve, empathy) in ANSWERS.items():
        answers = {"greet": greet, "verify": verify, "solve": solve, "empathy": empathy}
        score(built.services, session_id, ids[name], answers)
    built.services.settings.set_current_reviewer(ids["Leila Navabi"])
    built.services.calibration.reveal(session_id)
    built.services.settings.set_current_reviewer(None)
    return built, session_id


def test_the_expert_agrees_an_answer_and_puts_the_note_into_a_form_draft(
    qtbot, centre, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    built, session_id = planted_reveal(centre)
    services = built.services
    window = open_window(qtbot, built, tmp_path)
    screen = become(qtbot, window, built.expert.id)
    revealed = screen.revealed_view
    assert screen.detail_pages.currentWidget() is revealed

    # Enter on the session goes into the answers; Down to "verify", Enter to its agreed answer.
    screen.table.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is revealed.matrix
    press(qtbot, Qt.Key.Key_Down)
    assert revealed.current_row().question.id == "verify"  # type: ignore[union-attr]
    press(qtbot, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is revealed.agreed
    items = [revealed.agreed.itemText(i) for i in range(revealed.agreed.count())]
    assert items == ["No agreed answer yet", "Yes", "No"]  # no N/A: the question has none
    press(qtbot, Qt.Key.Key_Down)  # "Yes"
    assert revealed.agreed.currentText() == "Yes"
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is revealed.guidance
    press(qtbot, Qt.Key.Key_Space)
    assert revealed.guidance.isChecked()
    revealed.note.setFocus()
    note = "Asking the date of birth alone is not verifying; two facts are needed."
    qtbot.keyClicks(revealed.note, note)
    with qtbot.waitSignal(screen.detailShown, timeout=TIMEOUT):
        press(qtbot, Qt.Key.Key_S, CTRL)
    agreed = services.calibration.notes(session_id)["verify"]
    assert agreed.answer is not None and agreed.answer.value == "yes"
    assert (agreed.note, agreed.guidance_change) == (note, True)
    model = revealed.matrix_model
    row = model.row_of("verify")
    assert shown(revealed.matrix, row, model.column_of("agreed")) == "Yes"
    assert shown(revealed.matrix, row, model.column_of("note")) == f"✎ {note}"
    assert revealed.current_row().question.id == "verify"  # type: ignore[union-attr]
    assert screen.status.text() == "The agreed answer and the note are saved."

    # Alt+P: the note goes into the question's guidance in a new draft, shown on Forms.
    qtbot.keyClick(screen, Qt.Key.Key_P, ALT)
    qtbot.waitUntil(lambda: window.current_screen_key() == "forms", timeout=TIMEOUT)
    forms = window.screens["forms"]
    assert forms.is_editing()  # type: ignore[attr-defined]
    editor = forms.editing.editor  # type: ignore[attr-defined]
    assert editor.selected_ids() == ("opening", "verify")
    draft = services.forms.get_draft("hand")
    assert draft is not None and draft.version == 2
    verify = next(q for _s, q in draft.form.questions() if q.id == "verify")
    assert verify.guidance.endswith(f"Calibration 'Billing calls, week 11', 2026-03-17: {note}")
    assert editor.form().question("verify").guidance == verify.guidance


def test_a_reviewer_not_invited_gets_no_score_button(qtbot, centre, tmp_path) -> None:  # type: ignore[no-untyped-def]
    built, session_id, _clock = centre
    window = open_window(qtbot, built, tmp_path)
    outsider = people_of(built)["Nasrin Ebrahimi"]
    screen = become(qtbot, window, outsider)
    assert screen.selected_id() == session_id
    view = screen.open_view
    assert not view.score_button.isVisible()
    assert view.mine.text() == "You are not invited to score this session."
    # Enter on the session goes into it instead of starting an evaluation.
    screen.table.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert window.current_screen_key() == "calibration"
    # Only mine (Alt+O) lists nothing for them, and says why.
    with qtbot.waitSignal(screen.listed, timeout=TIMEOUT):
        qtbot.keyClick(screen, Qt.Key.Key_O, ALT)
    assert screen.pages.currentIndex() == 1
    assert "You are invited to no calibration session" in screen.empty.text()


def test_a_new_session_refused_keeps_what_was_typed_and_says_why(qtbot, centre, tmp_path) -> None:  # type: ignore[no-untyped-def]
    built, _session_id, _clock = centre
    services = built.services
    window = open_window(qtbot, built, tmp_path)
    screen = become(qtbot, window, built.expert.id)
    # Settings ▸ Calibration: the centre's bands, typed; a form with sessions keeps its own.
    press(qtbot, Qt.Key.Key_0, CTRL)
    settings = window.screens["settings"]
    assert window.stack.currentWidget() is settings
    group = settings.calibration  # type: ignore[attr-defined]
    group.acceptable.setFocus()
    group.acceptable.selectAll()
    qtbot.keyClicks(group.acceptable, "4")
    press(qtbot, Qt.Key.Key_Tab)
    assert group.discuss.hasFocus()
    group.discuss.selectAll()
    qtbot.keyClicks(group.discuss, "8")
    press(qtbot, Qt.Key.Key_Return)
    assert services.calibration.centre_bands() == Bands(4, 8)
    assert services.calibration.default_bands("hand") == Bands(5, 10)  # its last session's

    window.enter_screen("calibration")
    screen.table.setFocus()
    press(qtbot, Qt.Key.Key_Insert)
    dialog = screen.dialog
    assert isinstance(dialog, CalibrationSessionDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()), timeout=TIMEOUT)
    assert QApplication.focusWidget() is dialog.title
    assert (dialog.acceptable.value(), dialog.discuss.value()) == (5.0, 10.0)
    assert dialog.expert.currentText() == "Leila Navabi (expert)"
    qtbot.keyClicks(dialog.title, "Week 12")
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.call.search
    qtbot.keyClicks(dialog.call.search, "call-0001")
    assert dialog.call.chosen_id() == built.calls[0].id
    # Nobody invited but the expert: refused, in the service's words; nothing is lost.
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text.text() == (
        "A calibration session compares at least two reviewers; invite another one."
    )
    assert dialog.title.text() == "Week 12" and dialog.call.chosen_id() == built.calls[0].id
    dialog.invited.toggle(people_of(built)["Omid Karimi"])
    with qtbot.waitSignal(screen.listed, timeout=TIMEOUT):
        press(qtbot, Qt.Key.Key_Return, CTRL)
    assert screen.dialog is None
    created = screen.selected()
    assert created is not None and created.title == "Week 12"
    assert (created.submitted, created.invited) == (0, 2)


def test_revealing_before_everyone_submits_names_who_is_missing(qtbot, centre, tmp_path) -> None:  # type: ignore[no-untyped-def]
    built, session_id, _clock = centre
    ids = people_of(built)
    for name in ("Leila Navabi", "Ali Rahimi", "Omid Karimi"):
        greet, verify, solve, empathy = ANSWERS[name]
        answers = {"greet": greet, "verify": verify, "solve": solve, "empathy": empathy}
        score(built.services, session_id, ids[name], answers)
    window = open_window(qtbot, built, tmp_path)
    screen = become(qtbot, window, built.expert.id)
    qtbot.keyClick(screen, Qt.Key.Key_R, ALT)
    qtbot.waitUntil(lambda: isinstance(screen.dialog, QMessageBox), timeout=TIMEOUT)
    box = screen.dialog
    assert isinstance(box, QMessageBox)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert box.text() == (
        "2 reviewers have not submitted: Mina Sadr, Reza Amini. Reveal anyway? Their scores "
        "will not count in this session, and nobody can score it after the reveal."
    )
    with qtbot.waitSignal(screen.detailShown, timeout=TIMEOUT):
        box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: screen.detail_pages.currentWidget() is screen.revealed_view)
    revealed = screen.revealed_view
    assert revealed.missing.text() == (
        "Did not submit before the reveal, so not compared: Mina Sadr, Reza Amini."
    )
    assert revealed.matrix_model.columnCount() == 2 + 3 + len(MatrixModel.AFTER)


def test_editing_a_session_shows_what_is_stored_and_keeps_the_scored_call(
    qtbot, centre, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    built, session_id, _clock = centre
    ids = people_of(built)
    score(
        built.services,
        session_id,
        ids["Ali Rahimi"],
        dict.fromkeys(("greet", "verify", "solve"), "yes") | {"empathy": "4"},
    )
    window = open_window(qtbot, built, tmp_path)
    screen = become(qtbot, window, built.expert.id)
    assert not screen.open_view.delete_button.isEnabled()  # someone has scored
    qtbot.keyClick(screen, Qt.Key.Key_T, ALT)
    qtbot.waitUntil(lambda: isinstance(screen.dialog, CalibrationSessionDialog), timeout=TIMEOUT)
    dialog = screen.dialog
    assert isinstance(dialog, CalibrationSessionDialog)
    assert dialog.title.text() == "Billing calls, week 11"
    assert not dialog.call.isEnabled()  # Ali scored this call: it stays the session's
    assert set(dialog.invited.selected()) == {
        ids[n] for n in ("Ali Rahimi", "Mina Sadr", "Omid Karimi", "Reza Amini")
    }
    dialog.title.setText("Billing calls, week 11 (repeat)")
    with qtbot.waitSignal(screen.detailShown, timeout=TIMEOUT):
        dialog.save()
    assert screen.open_view.title.text() == "Billing calls, week 11 (repeat)"
    assert screen.status.text() == "The session is saved."


def test_ctrl_shift_e_exports_the_revealed_sessions(qtbot, centre, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The screen's Export to Excel… (Ctrl+Shift+E) starts the calibration workbook."""
    from qa_monitor.ui.dialogs import calibration_export

    built, _session_id, _clock = centre
    calls: list[object] = []

    def fake(_parent: object, session: object) -> None:
        calls.append(session)

    monkeypatch.setattr(calibration_export, "start_calibration_export", fake)
    window = open_window(qtbot, built, tmp_path)
    screen = become(qtbot, window, built.expert.id)
    press(qtbot, Qt.Key.Key_E, CTRL_SHIFT)
    assert calls == [window.session]
    assert "Ctrl+Shift+E" in screen.export_button.toolTip()


def test_the_list_keeps_the_services_order_open_first_then_newest(qtbot, centre, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Not the titles' order: 'Calibration 10' is newer than 'Calibration 9' (the demo
    listed it after 'Calibration 2', sorted by title, descending)."""
    built, session_id, _clock = centre
    # The open session first whatever its title: one that sorts last by title.
    built.services.db.execute(
        "UPDATE calibration_sessions SET title = 'Aardvark calls' WHERE id = ?", [session_id]
    )
    window = open_window(qtbot, built, tmp_path)
    screen = become(qtbot, window, built.expert.id)
    expected = [s.title for s in built.services.calibration.sessions()]
    assert expected[0] == "Aardvark calls" and len(expected) > 1
    proxy = screen.table.model()
    shown = [str(proxy.index(r, 0).data()).strip("\u2068\u2069") for r in range(proxy.rowCount())]
    assert shown == expected
