"""Yes / Partial / No questions in the UI: scored with Y / P / N on the evaluation form, and
chosen, edited and made strict in the form designer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from qa_monitor.core.forms import (
    Category,
    CriticalLevel,
    Form,
    FormSettings,
    Question,
    QuestionType,
    Section,
    default_options,
)
from qa_monitor.ui.designer.form_editor_widget import FormEditorWidget
from qa_monitor.ui.designer.undo_commands import Selection
from qa_monitor.ui.widgets.answer_editors import OptionButton
from qa_monitor.ui.widgets.evaluation_form_widget import EvaluationFormWidget

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
YPN = QuestionType.YES_PARTIAL_NO


def ypn_form(*, partial_fails: bool = False) -> Form:
    def q(qid: str, text: str, points: float, **kw) -> Question:
        return Question(qid, text, YPN, points, default_options(YPN), **kw)

    return Form(
        "ypn",
        "Yes / Partial / No call",
        (
            Section("soft", "Soft skills", Category.SOFT_SKILLS, 1.0, (
                q("empathy", "Showed empathy", 10),
                q("plain", "Explained in plain words", 10, allow_na=True),
            )),
            Section("comp", "Compliance", Category.COMPLIANCE, 1.0, (
                q("disclosure", "Read the disclosure", 20, critical=CriticalLevel.SECTION),
            )),
        ),
        FormSettings(pass_mark=80, partial_fails=partial_fails),
    )  # fmt: skip


@pytest.fixture
def form_widget(qtbot):
    widget = EvaluationFormWidget()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.set_form(ypn_form())
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.is_fully_built)
    return widget


def press(qtbot, key) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key)


def test_the_buttons_show_y_p_n(form_widget):
    buttons = form_widget.card("empathy").findChildren(OptionButton)
    assert [(b.text(), b.key) for b in buttons] == [("Yes", "Y"), ("Partial", "P"), ("No", "N")]


def test_a_ypn_evaluation_is_scored_by_key_presses(qtbot, form_widget):
    assert form_widget.focus_question("empathy")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    with qtbot.waitSignal(form_widget.answersChanged):
        press(qtbot, Qt.Key.Key_P)  # Partial: 5 of 10
    assert form_widget.answers()["empathy"].value == "partial"
    assert form_widget.current_question_id() == "plain"
    press(qtbot, Qt.Key.Key_A)  # N/A: left out of earned and possible
    assert form_widget.answers()["plain"].na
    assert form_widget.current_question_id() == "disclosure"
    press(qtbot, Qt.Key.Key_P)  # Partial on the critical question: 10 of 20, no failure
    result = form_widget.score_result()
    # (5 + 10) of (10 + 20) = 50.0
    assert result.score == 50.0
    assert not result.critical_failed
    assert form_widget.card("empathy").findChildren(OptionButton)[1].isChecked()
    # Change the critical answer to No: the compliance section is zeroed, the form fails.
    assert form_widget.focus_question("disclosure")
    press(qtbot, Qt.Key.Key_N)
    assert form_widget.answers()["disclosure"].value == "no"
    result = form_widget.score_result()
    assert result.critical_failed and result.passed is False
    # (5 + 0) of (10 + 20) = 16.67
    assert result.score == pytest.approx(50 / 3)


@pytest.fixture
def editor(qtbot):
    widget = FormEditorWidget()
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.load(ypn_form())
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def test_the_designer_offers_the_type_and_makes_partial_strict(qtbot, editor):
    tree = editor.tree

    def click(section, question=None):
        index = tree.tree_model.index_of(Selection(section, question))
        tree.scrollTo(index)
        qtbot.mouseClick(
            tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(index).center()
        )

    click(1, 0)  # the critical disclosure question
    panel = editor.question_panel
    combo = panel.type_combo
    assert combo.currentData() == YPN
    assert combo.currentText() == "Yes / Partial / No"
    # Down to yes/no and back with the keyboard: the standard three options return.
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert editor.form().question("disclosure").options == default_options(QuestionType.YES_NO)
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    question = editor.form().question("disclosure")
    assert (question.type, question.options) == (YPN, default_options(YPN))
    fails = panel.options_editor.model
    assert [fails.item(r, 3).checkState() for r in range(3)] == [
        Qt.CheckState.Unchecked, Qt.CheckState.Unchecked, Qt.CheckState.Checked,
    ]  # fmt: skip
    click(None)  # the form's own settings
    box = editor.form_panel.partial_box
    assert not box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert editor.form().settings.partial_fails is True
    click(1, 0)
    assert [fails.item(r, 3).checkState() for r in range(3)] == [
        Qt.CheckState.Unchecked, Qt.CheckState.Checked, Qt.CheckState.Checked,
    ]  # fmt: skip
    editor.undo_stack.undo()
    assert editor.form().settings.partial_fails is False
