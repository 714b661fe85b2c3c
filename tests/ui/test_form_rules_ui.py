"""Issue 11 item 5 in the UI: a question for outbound calls only is not shown when scoring an
inbound call, and the designer shows warnings (which never block publishing) and edits
interaction conditions and section maximums."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from qa_monitor.core.forms import (
    Channel,
    Direction,
    Form,
    InteractionCondition,
    ScoringMode,
)
from qa_monitor.core.records import EvaluationStatus
from qa_monitor.core.scoring import QuestionStatus
from qa_monitor.services import Services
from qa_monitor.ui.designer.form_editor_widget import FormEditorWidget
from qa_monitor.ui.designer.undo_commands import Selection
from qa_monitor.ui.screens.evaluate_screen import EvaluateScreen
from qa_monitor.ui.session import Session
from tests.factories import Seed, interaction_data, sample_form, seed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
OUTBOUND_PHONE = InteractionCondition((Channel.PHONE,), (Direction.OUTBOUND,))


def outbound_disclosure_form() -> Form:
    """The sample form (weighted: 1 + 2 + 1.5 + 1) with the recording disclosure asked only
    on outbound phone calls."""
    form = sample_form("outbound_rules", "Outbound rules")
    sections = tuple(
        replace(
            s,
            questions=tuple(
                replace(q, interaction_condition=OUTBOUND_PHONE) if q.id == "disclosure" else q
                for q in s.questions
            ),
        )
        for s in form.sections
    )
    return replace(form, sections=sections)


# ---------------------------------------------------------------------- scoring an interaction
@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    with Services.open(tmp_path / "qa.db") as opened:
        yield opened


@pytest.fixture
def seeded(services: Services) -> Seed:
    return seed(services)


@pytest.fixture
def screen(qtbot, services: Services, seeded: Seed, tmp_path: Path) -> EvaluateScreen:
    widget = EvaluateScreen(Session(services, tmp_path / "qa.db", seeded.reviewer.id))
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def open_call(qtbot, screen, services: Services, seeded: Seed, direction: Direction) -> int:
    version = services.forms.publish_form(outbound_disclosure_form(), seeded.expert.id)
    interaction = services.interactions.create_interaction(
        interaction_data(seeded.agent.id, external_id=f"call-{direction}", direction=direction)
    )
    draft = services.evaluations.start_evaluation(interaction.id, version.id, seeded.reviewer.id)
    screen.open_evaluation(draft.id)
    qtbot.waitUntil(screen.form_widget.is_fully_built, timeout=5000)
    return draft.id


def press(qtbot, *keys) -> None:
    for key in keys:
        target = QApplication.focusWidget()
        assert target is not None, "keyboard focus was lost"
        qtbot.keyClick(target, key)


def test_an_inbound_call_does_not_show_the_outbound_only_question(
    qtbot, screen, services, seeded
):
    evaluation_id = open_call(qtbot, screen, services, seeded, Direction.INBOUND)
    form_widget = screen.form_widget
    disclosure = form_widget.card("disclosure")
    assert disclosure is not None and not disclosure.isVisible()
    assert form_widget.card("empathy").isVisible()  # type: ignore[union-attr]
    # Keyboard scoring goes straight from empathy to the outcome, past the hidden question.
    form_widget.focus_question("greet")
    press(qtbot, Qt.Key.Key_Y, Qt.Key.Key_4, Qt.Key.Key_Y, Qt.Key.Key_P, Qt.Key.Key_5)
    assert form_widget.current_question_id() == "resolved"
    press(qtbot, Qt.Key.Key_Y, Qt.Key.Key_1)
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    stored = services.evaluations.get_evaluation(evaluation_id)
    assert stored.status is EvaluationStatus.SUBMITTED
    status = {a.question_id: a.status for a in stored.answer_scores}
    assert status["disclosure"] is QuestionStatus.HIDDEN


def test_an_outbound_call_shows_it(qtbot, screen, services, seeded):
    open_call(qtbot, screen, services, seeded, Direction.OUTBOUND)
    disclosure = screen.form_widget.card("disclosure")
    assert disclosure is not None and disclosure.isVisible()


# ---------------------------------------------------------------------- the designer
@pytest.fixture
def editor(qtbot) -> FormEditorWidget:
    widget = FormEditorWidget()
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.load(outbound_disclosure_form())
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def plain(text: str) -> str:
    """Text without the marks that keep numbers left-to-right in right-to-left layouts."""
    return "".join(c for c in text if c not in "\u2066\u2069\u200f")


def click_box(qtbot, editor, box) -> None:
    # Laid out (the rows appear when the condition is switched on) and scrolled to.
    qtbot.waitUntil(lambda: box.height() >= box.sizeHint().height())
    editor.question_panel.ensureWidgetVisible(box)
    # On the tick mark: a check box reacts to its mark and label, not its whole row.
    mark = QPoint(box.height() // 2, box.height() // 2)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=mark)


def click_item(qtbot, editor, section: int | None, question: int | None = None) -> None:
    tree = editor.tree
    index = tree.tree_model.index_of(Selection(section, question))
    tree.scrollTo(index)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(index).center()
    )
    assert editor.selection() == Selection(section, question)


def test_a_weights_warning_is_shown_and_does_not_block_publishing(qtbot, editor):
    assert editor.form().settings.scoring_mode is ScoringMode.WEIGHTED
    assert editor.problems() == []  # what publishing checks: nothing
    listing = editor.problems_list
    assert "No problems — this form can be published" in listing.heading.text()
    assert listing.warnings_note.isVisible()
    assert listing.warnings_note.text() == "1 warning — worth a look; it does not stop publishing"
    assert listing.view.isVisible()
    first = listing.view.model().index(0, 0)
    assert first.data() == (
        "Form (warning): The scored sections' weights add up to 5.5, not 100"
    )
    assert [w.field for w in editor.warnings()] == ["weight"]


def test_typing_a_section_maximum_warns_until_the_points_agree(qtbot, editor):
    click_item(qtbot, editor, 0)  # greeting: 5 + 10 points
    edit = editor.section_panel.max_points_edit
    edit.setFocus()
    qtbot.keyClicks(edit, "20")
    assert editor.form().sections[0].max_points == 20
    texts = [plain(editor.problems_list.view.model().index(r, 0).data()) for r in range(2)]
    assert (
        "Section 1 (warning): The questions add up to 15 points, but the section "
        "declares max_points 20"
    ) in texts
    assert editor.problems_list.warnings_note.text().startswith("2 warnings")
    # Clicking the warning puts the cursor back in the field at fault.
    view = editor.problems_list.view
    row = texts.index(next(t for t in texts if t.startswith("Section 1")))
    click_item(qtbot, editor, 1)
    at = view.visualRect(view.model().index(row, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert editor.selection() == Selection(0)
    assert QApplication.focusWidget() is edit
    edit.selectAll()
    qtbot.keyClicks(edit, "15")
    assert [w.field for w in editor.warnings()] == ["weight"]


def test_the_question_panel_edits_the_interaction_condition(qtbot, editor):
    click_item(qtbot, editor, 0, 0)  # greet: no condition
    widget = editor.question_panel.interaction_condition
    assert not widget.enabled_box.isChecked()
    assert not widget.channel_boxes[Channel.PHONE].isVisibleTo(editor)
    click_box(qtbot, editor, widget.enabled_box)
    greet = editor.form().question("greet")
    assert greet is not None
    assert greet.interaction_condition == InteractionCondition((), (Direction.OUTBOUND,))
    click_box(qtbot, editor, widget.channel_boxes[Channel.PHONE])
    greet = editor.form().question("greet")
    assert greet is not None and greet.interaction_condition == OUTBOUND_PHONE
    assert editor.problems() == []
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    greet = editor.form().question("greet")
    assert greet is not None and greet.interaction_condition is None
    assert not widget.enabled_box.isChecked()
    # The disclosure shows its own condition ticked.
    click_item(qtbot, editor, 2, 0)
    assert widget.enabled_box.isChecked()
    assert widget.channel_boxes[Channel.PHONE].isChecked()
    assert widget.direction_boxes[Direction.OUTBOUND].isChecked()
    assert not widget.direction_boxes[Direction.INBOUND].isChecked()
