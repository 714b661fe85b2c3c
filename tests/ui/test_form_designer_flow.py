"""The form designer from end to end, as a QA lead would use it, on a real database.

Build a form from nothing in the Forms screen's editor (two sections, a conditional
question, a critical one), publish it as version 1, score an evaluation with it through
the services, edit it in the screen (new points, a new question) and publish version 2:
the first evaluation keeps its version and score, and a new one scores with the new points.
Then an Excel scorecard with two bad rows: both named, the good rows become the draft.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Category, Condition, CriticalLevel, QuestionType
from qa_monitor.services import Services
from qa_monitor.ui.dialogs.new_form_dialog import NewFormDialog
from qa_monitor.ui.dialogs.scorecard_import_dialog import ScorecardImportDialog
from qa_monitor.ui.dialogs.version_diff_dialog import PublishDialog
from qa_monitor.ui.models.scorecard_rows_model import BAD_ROLE
from qa_monitor.ui.screens.forms_screen import FormsScreen
from qa_monitor.ui.session import Session
from tests.factories import interaction_data

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


class Answerer:
    """Plays the user in front of the screen's dialogs; records what each one said."""

    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.seen: list[QDialog] = []
        self.title = "Billing call"

    def __call__(self, dialog: QDialog) -> int:
        self.seen.append(dialog)
        if isinstance(dialog, NewFormDialog):
            self.qtbot.keyClicks(dialog.identity.title, self.title)
            assert dialog.ok.isEnabled(), dialog.problem()
            self.qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        elif isinstance(dialog, PublishDialog):
            self.qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
        else:
            raise AssertionError(f"unexpected dialog {type(dialog).__name__}: {dialog}")
        return dialog.result()


@pytest.fixture
def services(tmp_path: Path):
    with Services.open(tmp_path / "flow.db") as opened:
        yield opened


def answers(**values: str) -> dict[str, Answer]:
    return {qid: Answer(qid, value) for qid, value in values.items()}


def evaluate(services: Services, version_id: int, agent_id: int, reviewer_id: int, **values):
    interaction = services.interactions.create_interaction(interaction_data(agent_id))
    evaluation = services.evaluations.start_evaluation(interaction.id, version_id, reviewer_id)
    services.evaluations.save_draft(evaluation.id, answers(**values))
    result = services.evaluations.submit(evaluation.id)
    assert result.ok, result.problems
    return result.evaluation


def test_build_publish_evaluate_edit_republish(qtbot, services: Services) -> None:
    people = services.people
    agent = people.add_agent("Sara Ahmadi", team_id=people.add_team("Billing").id)
    reviewer = people.add_reviewer("Leila Navabi", is_expert=True)
    screen = FormsScreen(Session(services, services.path, reviewer.id))
    qtbot.addWidget(screen)
    screen.resize(1400, 900)
    screen.show()
    user = Answerer(qtbot)
    screen.prompter.run = user  # type: ignore[method-assign]

    # -- build a form from nothing --------------------------------------------------------
    screen.new_blank_action.trigger()
    assert screen.is_editing()
    page, editor = screen.editing, screen.editing.editor
    assert page.form_id == "billing_call"
    assert "Billing call" in page.title.text() and "version 1" in page.title.text()
    opening = editor.add_section("Opening", Category.SOFT_SKILLS)
    greeted = editor.add_question(opening, "Greeted the customer", QuestionType.YES_NO)
    editor.set_question(greeted, points=10)
    verified = editor.add_question(opening, "Verified identity", QuestionType.YES_NO)
    editor.set_question(verified, points=10, critical=CriticalLevel.FORM)
    resolution = editor.add_section("Resolution", Category.OUTCOME)
    resolved = editor.add_question(resolution, "Resolved the issue", QuestionType.YES_NO)
    editor.set_question(resolved, points=20)
    callback = editor.add_question(resolution, "Offered a callback", QuestionType.YES_NO)
    editor.set_question(callback, points=5, condition=Condition(resolved, ("no",)))
    assert page.is_dirty()
    assert page.problems_button.text() == "No problems"
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert not page.is_dirty()
    draft = services.forms.get_draft("billing_call")
    assert draft is not None and draft.form.question_count == 4

    # -- publish version 1 through the screen ---------------------------------------------
    with qtbot.waitSignal(screen.changed) as published:
        qtbot.mouseClick(page.publish_button, Qt.MouseButton.LeftButton)
    assert published.args[0].forms
    assert isinstance(user.seen[-1], PublishDialog)
    assert "version 1" in user.seen[-1].windowTitle() + user.seen[-1].publish_button.text()
    assert not screen.is_editing()
    v1 = services.forms.latest_published("billing_call")
    assert v1 is not None and v1.version == 1 and v1.published_by == reviewer.id
    form1 = v1.form
    assert form1.question(verified).critical is CriticalLevel.FORM  # type: ignore[union-attr]
    assert form1.question(callback).condition == Condition(resolved, ("no",))  # type: ignore[union-attr]
    assert [s.title for s in form1.sections] == ["Opening", "Resolution"]

    # -- score an evaluation with version 1 ------------------------------------------------
    first = evaluate(
        services, v1.id, agent.id, reviewer.id,
        **{greeted: "yes", verified: "yes", resolved: "no", callback: "yes"},
    )  # fmt: skip
    assert first.score == pytest.approx(25 / 45 * 100)  # 10 + 10 + 0 + 5 of 45

    # -- edit the published form in the screen: new points, a new question -----------------
    screen.refresh()
    assert screen.select("billing_call")
    screen.edit_action.trigger()
    assert screen.is_editing()
    assert "new draft of version 2" in page.title.text()
    # Through the property panel, as a QA lead would: select, type the new points.
    assert editor.select(resolution, callback)
    points = editor.question_panel.points_spin
    points.setFocus()
    qtbot.keyClick(points, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(points, "10")
    qtbot.keyClick(points, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: editor.form().question(callback).points == 10)  # type: ignore[union-attr]
    summary = editor.add_question(resolution, "Summarised the next steps", QuestionType.YES_NO)
    editor.set_question(summary, points=5)
    qtbot.mouseClick(page.publish_button, Qt.MouseButton.LeftButton)
    confirm = user.seen[-1]
    assert isinstance(confirm, PublishDialog)
    texts = [confirm.view.model.index(r, 1).data() for r in range(confirm.view.model.rowCount())]
    assert any("Summarised the next steps" in t for t in texts), texts
    assert any("5 → 10" in t for t in texts), texts
    assert not screen.is_editing()

    # -- history is untouched; version 2 scores with the new points --------------------------
    v2 = services.forms.latest_published("billing_call")
    assert v2 is not None and v2.version == 2
    assert v2.form.question(callback).points == 10  # type: ignore[union-attr]
    assert v2.form.question(summary) is not None
    again = services.evaluations.get_evaluation(first.id)
    assert again.form_version_id == v1.id
    assert again.score == pytest.approx(25 / 45 * 100)
    assert services.forms.get_version(v1.id).form == form1
    second = evaluate(
        services, v2.id, agent.id, reviewer.id,
        **{greeted: "yes", verified: "yes", resolved: "no", callback: "yes", summary: "yes"},
    )  # fmt: skip
    assert second.score == pytest.approx(35 / 55 * 100)  # 10 + 10 + 0 + 10 + 5 of 55
    info = services.forms.form_info("billing_call")
    assert [(v.version, v.evaluation_count) for v in info.versions] == [(1, 1), (2, 1)]


# ---------------------------------------------------------------- scorecard import
HEADER = ["Section", "Category", "Question", "Type", "Points", "N/A allowed", "Critical"]
ROWS = [
    ["Opening", "Soft skills", "Greeted the customer", "Yes/No", 5, "N", ""],
    [None, None, "Used the customer's name", "1-5", "ten", "Y", ""],  # row 3: bad points
    ["Compliance", "Compliance", "Verified identity", "Yes/No", 10, "", "auto-fail"],
    [None, None, "Read the disclosure", "Pass/Fail", 5, "", ""],
    ["Resolution", "Outcome", "Resolved on first contact", "stars", 20, "", ""],  # row 6: type
    [None, None, "Offered self-service help", "Yes/No", 5, "", ""],
]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Scorecard"
    for row in rows:
        sheet.append(row)
    book.create_sheet("Notes").append(["how to fill this in"])
    book.save(path)
    return path


def test_scorecard_import_names_both_bad_rows_and_imports_the_good_ones(
    qtbot, services: Services, tmp_path: Path
) -> None:
    screen = FormsScreen(Session(services, services.path, None))
    qtbot.addWidget(screen)
    screen.show()
    path = write_xlsx(tmp_path / "inbound_card.xlsx", [HEADER, *ROWS])
    report = tmp_path / "report.txt"

    def check_and_import(dialog: QDialog) -> int:
        assert isinstance(dialog, ScorecardImportDialog)
        problems = dialog.problems_model.stringList()
        assert len(problems) == 2
        assert problems[0].startswith("row 3") and "'ten' is not a number" in problems[0]
        assert problems[1].startswith("row 6") and "'stars'" in problems[1]
        bad = [
            dialog.model.row_at(r).row
            for r in range(dialog.model.rowCount())
            if dialog.model.index(r, 0).data(BAD_ROLE)
        ]
        assert bad == [3, 6]
        assert dialog.model.index(1, 1).data() == "Left out"  # a word, not only a tint
        assert "ten" in dialog.model.index(1, 7).data()
        assert not dialog.sheet.isHidden() and dialog.sheet.currentText() == "Scorecard"
        assert dialog.import_button.text() == "Import 4 good rows as a draft"
        assert dialog.import_button.isEnabled()
        assert dialog.save_report()
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    screen.prompter.run = check_and_import  # type: ignore[method-assign]
    screen.prompter.save_path = lambda *_a: report  # type: ignore[method-assign]
    assert screen.import_scorecard(path)
    lines = report.read_text(encoding="utf-8")
    assert "row 3" in lines and "row 6" in lines
    assert screen.is_editing() and screen.editing.form_id == "inbound_card"
    draft = services.forms.get_draft("inbound_card")
    assert draft is not None and draft.form.question_count == 4


def test_scorecard_without_usable_rows_cannot_be_imported(qtbot, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "empty.xlsx", [HEADER, ["Opening", "", "Greeted", "stars", 5]])
    dialog = ScorecardImportDialog(set())
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    dialog.load(path)
    assert not dialog.import_button.isEnabled()
    assert dialog.import_button.text() == "Import 0 good rows as a draft"
    assert "row 2" in dialog.problems_model.stringList()[0]
    assert dialog.result_form() is None
