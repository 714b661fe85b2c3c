"""A Yes / Partial / No scorecard from Excel, end to end: imported through the scorecard
import dialog (both bad rows named by sheet row and column), published, then one
evaluation scored by key presses on the evaluation form and submitted; the app's score
is the one worked out by hand below."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from qa_monitor.core.forms import QuestionType
from qa_monitor.core.scoring import displayed_score
from qa_monitor.services import Services
from qa_monitor.ui.dialogs.scorecard_import_dialog import ScorecardImportDialog
from qa_monitor.ui.models.scorecard_rows_model import BAD_ROLE
from qa_monitor.ui.screens.forms_screen import FormsScreen
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.evaluation_form_widget import EvaluationFormWidget
from tests.factories import interaction_data
from tests.formfiles.data.ypn_scorecard import BAD_CELLS, GOOD_QUESTIONS, write_ypn_scorecard

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

# One key per good question, in form order (Y yes, P partial, N no, A N/A; on the one
# pass/fail question P is Pass). The points are the sheet's.
KEYS = [
    # Soft skills: 10 Y, 5 P, 10 Y, 5 P, 5 Y, 5 N/A, 5 N, 5 Y
    "Y", "P", "Y", "P", "Y", "A", "N", "Y",
    # Process: 10 P, 10 Y, 5 Y, 5 N/A, 5 P, 5 Y (yes/no), 5 N
    "P", "Y", "Y", "A", "P", "Y", "N",
    # Compliance: 10 Y (form-critical), 10 P (section-critical: Partial is no failure),
    # 10 Y (section-critical), 5 Pass, 5 P
    "Y", "P", "Y", "P", "P",
    # Outcome: 15 Y, 10 P, 10 Y, 10 N, 5 N/A
    "Y", "P", "Y", "N", "A",
]  # fmt: skip
# Worked out by hand (Partial = half the points; N/A leaves earned and possible):
#   soft skills  10 + 2.5 + 10 + 2.5 + 5 + 0 + 5      = 35    of 10+5+10+5+5+5+5 = 45
#   process       5 + 10 + 5 + 2.5 + 5 + 0            = 27.5  of 10+10+5+5+5+5   = 40
#   compliance   10 + 5 + 10 + 5 + 2.5                = 32.5  of 10+10+10+5+5    = 40
#   outcome      15 + 5 + 10 + 0                      = 30    of 15+10+10+10     = 45
#   total        35 + 27.5 + 32.5 + 30 = 125 of 45 + 40 + 40 + 45 = 170
#   score        125 / 170 × 100 = 73.529…, shown 73.5: below the pass mark of 80 → fail
HAND_EARNED, HAND_POSSIBLE = 125.0, 170.0
HAND_SCORE = HAND_EARNED / HAND_POSSIBLE * 100


@pytest.fixture
def services(tmp_path: Path):
    with Services.open(tmp_path / "ypn.db") as opened:
        yield opened


def test_a_ypn_scorecard_imports_through_the_dialog_and_scores_by_hand(
    qtbot, services: Services, tmp_path: Path
) -> None:
    people = services.people
    agent = people.add_agent("Sara Ahmadi", team_id=people.add_team("Retention").id)
    reviewer = people.add_reviewer("Leila Navabi", is_expert=True)
    screen = FormsScreen(Session(services, services.path, reviewer.id))
    qtbot.addWidget(screen)
    screen.show()
    path = write_ypn_scorecard(tmp_path / "ypn_scorecard.xlsx")

    def check_and_import(dialog: QDialog) -> int:
        assert isinstance(dialog, ScorecardImportDialog)
        problems = dialog.problems_model.stringList()
        assert len(problems) == 2, problems
        (type_row, type_column), (points_row, points_column) = BAD_CELLS
        assert problems[0].startswith(f"row {type_row}, column '{type_column}': ")
        assert "'Good/Bad/Ugly' is not a question type QA Monitor knows" in problems[0]
        # The message lists the types it knows and which of them offer a partial answer.
        assert "Yes/Partial/No" in problems[0] and "offer a partial answer" in problems[0]
        assert problems[1].startswith(f"row {points_row}, column '{points_column}': ")
        assert "'ten' is not a number" in problems[1]
        bad = [
            dialog.model.row_at(r).row
            for r in range(dialog.model.rowCount())
            if dialog.model.index(r, 0).data(BAD_ROLE)
        ]
        assert bad == [type_row, points_row]
        expected = f"Import {GOOD_QUESTIONS} good rows as a draft"
        assert dialog.import_button.text() == expected
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    screen.prompter.run = check_and_import  # type: ignore[method-assign]
    assert screen.import_scorecard(path)
    form_id = screen.editing.form_id
    draft = services.forms.get_draft(form_id)
    assert draft is not None
    form = draft.form
    assert form.question_count == GOOD_QUESTIONS == len(KEYS)
    assert [s.category.value for s in form.sections] == [
        "soft_skills", "process", "compliance", "outcome",
    ]  # fmt: skip
    types = [q.type for _s, q in form.questions()]
    assert types.count(QuestionType.YES_PARTIAL_NO) == 19  # every wording of the scale
    version = services.forms.publish_form(form, reviewer.id)

    # Score one evaluation as a reviewer would: one key per question.
    widget = EvaluationFormWidget()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.set_form(version.form)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.is_fully_built)
    first = next(q.id for _s, q in version.form.questions())
    assert widget.focus_question(first)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    for key in KEYS:
        qtbot.keyClick(QApplication.focusWidget(), getattr(Qt.Key, f"Key_{key}"))
    answers = widget.answers()
    assert len(answers) == GOOD_QUESTIONS
    live = widget.score_result()
    assert (live.earned, live.possible) == (HAND_EARNED, HAND_POSSIBLE)
    assert live.score == pytest.approx(HAND_SCORE)
    assert not live.critical_failed  # Partial on a section-critical question: no failure

    # Submitted through the services, the stored evaluation carries the same figures.
    interaction = services.interactions.create_interaction(interaction_data(agent.id))
    evaluation = services.evaluations.start_evaluation(interaction.id, version.id, reviewer.id)
    services.evaluations.save_draft(evaluation.id, answers)
    submitted = services.evaluations.submit(evaluation.id)
    assert submitted.ok, submitted.problems
    stored = services.evaluations.get_evaluation(evaluation.id)
    assert stored.score == pytest.approx(HAND_SCORE)
    assert displayed_score(stored.score) == 73.5
    assert stored.passed is False
