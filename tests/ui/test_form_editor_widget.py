"""The form editor driven as a QA lead would: click the tree, type in the fields, press the
shortcuts, drag items; then check the form, the problems shown and the undo stack."""

from __future__ import annotations

from dataclasses import replace

import pytest
from factories import sample_form
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Category, Condition, Form, QuestionType, default_options
from qa_monitor.ui.designer.form_editor_widget import FormEditorWidget
from qa_monitor.ui.designer.form_tree_model import KIND_ROLE
from qa_monitor.ui.designer.undo_commands import Selection
from tests.ui.unicode_keys import type_unicode

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def editor(qtbot):
    widget = FormEditorWidget()
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.load(sample_form())
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def order(form) -> list[list[str]]:
    return [[q.id for q in s.questions] for s in form.sections]


def click_item(qtbot, editor, section: int | None, question: int | None = None) -> None:
    tree = editor.tree
    index = tree.tree_model.index_of(Selection(section, question))
    tree.scrollTo(index)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(index).center()
    )
    assert editor.selection() == Selection(section, question)


def type_into(qtbot, widget, text: str) -> None:
    """Replace the field's content by typing, as a user selecting all and typing would."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(widget, text)


def key(qtbot, key_, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key_, modifier)


def plain(text: str) -> str:
    """Text without the marks that keep numbers left-to-right in right-to-left layouts."""
    return "".join(c for c in text if c not in "\u2066\u2069\u200f")


def undo_text(editor) -> str:
    return editor.editor_actions.undo.text()


# ---------------------------------------------------------------------- loading
def test_load_shows_every_item_and_starts_clean(editor):
    model = editor.tree.tree_model
    root = model.index(0, 0)
    assert root.data() == "Support call"
    assert model.rowCount(root) == 4
    outcome = model.index(3, 0, root)
    assert "Outcome" in outcome.data()
    assert model.rowCount(outcome) == 5
    assert model.index(0, 0, outcome).data(KIND_ROLE) == "question"
    assert not editor.is_dirty()
    assert editor.undo_stack.count() == 0
    assert editor.problems() == []
    assert "No problems" in editor.problems_list.heading.text()
    assert editor.selection() == Selection(0)  # the first section, ready to work on


# ---------------------------------------------------------------------- typing and undo
def test_typing_the_question_text_is_one_undo_step(qtbot, editor):
    click_item(qtbot, editor, 0, 0)
    panel = editor.question_panel
    type_into(qtbot, panel.text_edit, "Greeted warmly")
    assert editor.form().question("greet").text == "Greeted warmly"
    assert editor.undo_stack.count() == 1
    assert undo_text(editor) == "Undo change question text"
    assert editor.is_dirty()
    # Ctrl+Z in the field undoes the form edit (not the field's own undo).
    key(qtbot, Qt.Key.Key_Z, CTRL)
    assert editor.form().question("greet").text == "Greeted the customer"
    assert panel.text_edit.toPlainText() == "Greeted the customer"
    assert editor.selection() == Selection(0, 0)
    key(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    assert editor.form().question("greet").text == "Greeted warmly"
    key(qtbot, Qt.Key.Key_Z, CTRL)
    key(qtbot, Qt.Key.Key_Y, CTRL)
    assert editor.form().question("greet").text == "Greeted warmly"


def test_leaving_a_field_starts_a_new_undo_step(qtbot, editor):
    click_item(qtbot, editor, 0, 0)
    panel = editor.question_panel
    type_into(qtbot, panel.text_edit, "One")
    type_into(qtbot, panel.guidance_edit, "Say hello")
    type_into(qtbot, panel.text_edit, "Two")
    assert editor.undo_stack.count() == 3
    assert undo_text(editor) == "Undo change question text"
    editor.undo_stack.undo()
    assert editor.form().question("greet").text == "One"


def test_undo_restores_the_selection_of_the_edit(qtbot, editor):
    click_item(qtbot, editor, 1, 2)
    type_into(qtbot, editor.question_panel.points_spin, "7")
    click_item(qtbot, editor, 3)
    editor.undo_stack.undo()
    assert editor.form().question("empathy").points == 3
    assert editor.selection() == Selection(1, 2)
    assert editor.panels.currentWidget() is editor.question_panel


# ---------------------------------------------------------------------- problems
def test_problems_show_on_the_tree_the_field_and_the_list(qtbot, editor):
    click_item(qtbot, editor, 1, 1)  # history
    panel = editor.question_panel
    type_into(qtbot, panel.points_spin, "0")
    assert "Points must be more than 0" in panel.problem_shown("points")
    type_into(qtbot, panel.id_edit, "verify")
    assert "used 2 times" in panel.problem_shown("id")
    assert editor.selection() == Selection(1, 1)  # still the item being typed in
    model = editor.tree.tree_model
    item = model.index_of(Selection(1, 1))
    assert "Points must be more than 0" in item.data(Qt.ItemDataRole.ToolTipRole)
    assert "Has problems" in item.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "3 problems" in editor.problems_list.heading.text()
    # Clicking a problem selects its item and puts the cursor in the field at fault.
    view = editor.problems_list.view
    first = view.model().index(0, 0)
    assert plain(first.data()).startswith("Question 2.1")
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(first).center()
    )
    assert editor.selection() == Selection(1, 0)
    assert QApplication.focusWidget() is panel.id_edit


def test_an_empty_section_is_flagged_on_its_tree_item(qtbot, editor):
    editor.add_section("Empty one", Category.PROCESS)
    index = editor.tree.tree_model.index_of(editor.selection())
    assert "has no questions" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert "has no questions" in editor.section_panel.general_problems()


# ---------------------------------------------------------------------- structure by keyboard
def test_keyboard_moves_questions_within_and_across_sections(qtbot, editor):
    click_item(qtbot, editor, 1, 0)  # verify
    editor.tree.setFocus()
    key(qtbot, Qt.Key.Key_Down, CTRL)
    assert order(editor.form())[1] == ["history", "verify", "empathy"]
    assert editor.selection() == Selection(1, 1)
    key(qtbot, Qt.Key.Key_Up, CTRL)
    key(qtbot, Qt.Key.Key_Up, CTRL)  # past the top: to the end of the previous section
    assert order(editor.form())[0] == ["greet", "name_used", "verify"]
    assert editor.selection() == Selection(0, 2)
    assert undo_text(editor) == "Undo move question"
    editor.undo_stack.undo()
    assert order(editor.form())[1] == ["verify", "history", "empathy"]
    assert editor.selection() == Selection(1, 0)


def test_keyboard_moves_sections(qtbot, editor):
    click_item(qtbot, editor, 0)
    editor.tree.setFocus()
    key(qtbot, Qt.Key.Key_Down, CTRL)
    assert [s.id for s in editor.form().sections][:2] == ["process", "greeting"]
    assert editor.selection() == Selection(1)


def test_insert_adds_a_question_whose_id_follows_its_text(qtbot, editor):
    click_item(qtbot, editor, 0, 1)
    editor.tree.setFocus()
    key(qtbot, Qt.Key.Key_Insert)
    assert editor.selection() == Selection(0, 2)
    added = editor.form().sections[0].questions[2]
    assert (added.text, added.type, added.id) == (
        "New question",
        QuestionType.YES_NO,
        "new_question",
    )
    # The text is selected in its field: typing replaces it, and the new id follows.
    assert QApplication.focusWidget() is editor.question_panel.text_edit
    qtbot.keyClicks(editor.question_panel.text_edit, "Offered a callback")
    added = editor.form().sections[0].questions[2]
    assert (added.text, added.id) == ("Offered a callback", "offered_a_callback")
    assert editor.undo_stack.count() == 2
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert order(editor.form()) == order(sample_form())


def test_shift_insert_adds_a_section_ready_to_name(qtbot, editor):
    click_item(qtbot, editor, 1, 0)
    editor.tree.setFocus()
    key(qtbot, Qt.Key.Key_Insert, SHIFT)
    assert editor.selection() == Selection(2)
    assert editor.form().sections[2].category is Category.PROCESS  # like the one it follows
    assert QApplication.focusWidget() is editor.section_panel.title_edit
    qtbot.keyClicks(editor.section_panel.title_edit, "Wrap-up")
    assert (editor.form().sections[2].title, editor.form().sections[2].id) == ("Wrap-up", "wrap_up")
    assert "has no questions" in editor.section_panel.general_problems()


def test_number_bounds_are_typed_and_checked(qtbot, editor):
    editor.select("outcome", "notes")
    editor.set_question("notes", type=QuestionType.NUMBER)
    panel = editor.question_panel
    type_into(qtbot, panel.min_edit, "10")
    panel.max_edit.setFocus()
    type_unicode(panel.max_edit, "۵")  # a Persian 5
    question = editor.form().question("notes")
    assert (question.minimum, question.maximum) == (10, 5)
    assert "Minimum 10 is above maximum 5" in panel.problem_shown("minimum")
    type_into(qtbot, panel.max_edit, "abc")  # not a number: the form keeps the last number
    assert editor.form().question("notes").maximum == 5


def test_published_ids_never_follow_the_text(qtbot):
    form = sample_form()
    form = replace(
        form,
        sections=(
            replace(form.sections[0], questions=(form.sections[0].questions[0],)),
            *form.sections[1:],
        ),
    )
    widget = FormEditorWidget()
    qtbot.addWidget(widget)
    question = replace(form.sections[0].questions[0], id="greeted", text="Greeted")
    widget.load(
        replace(
            form, sections=(replace(form.sections[0], questions=(question,)), *form.sections[1:])
        ),
        id_editable=False,
    )
    widget.set_question("greeted", text="Welcomed")
    assert widget.form().sections[0].questions[0].id == "greeted"


def test_the_type_menu_adds_a_question_of_that_type(qtbot, editor):
    click_item(qtbot, editor, 3, 4)
    action = next(
        a for a in editor.editor_actions.type_menu.actions() if a.data() == QuestionType.TAG
    )
    action.trigger()
    added = editor.form().sections[3].questions[5]
    assert added.type is QuestionType.TAG
    assert len(added.options) == 2
    assert editor.problems() == []


def test_duplicate_and_delete_by_keyboard(qtbot, editor):
    click_item(qtbot, editor, 1, 1)
    editor.tree.setFocus()
    key(qtbot, Qt.Key.Key_D, CTRL)
    assert order(editor.form())[1] == ["verify", "history", "history_2", "empathy"]
    assert editor.selection() == Selection(1, 2)
    key(qtbot, Qt.Key.Key_Delete)  # nothing depends on it: no question asked
    assert order(editor.form())[1] == ["verify", "history", "empathy"]
    assert undo_text(editor) == "Undo delete question"


def _answer_message_box(qtbot, button_text: str) -> list[str]:
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        button = next(b for b in box.buttons() if b.text().replace("&", "") == button_text)
        button.click()

    QTimer.singleShot(0, answer)
    return seen


def test_deleting_a_question_others_depend_on_asks_first(qtbot, editor):
    click_item(qtbot, editor, 3, 1)  # retention: churn_reason is shown only if it is "lost"
    editor.tree.setFocus()
    seen = _answer_message_box(qtbot, "Cancel")
    key(qtbot, Qt.Key.Key_Delete)
    assert "Why was the customer lost?" in seen[0]
    assert editor.form().question("retention") is not None
    editor.activateWindow()  # the closed message box had the focus
    qtbot.waitUntil(editor.isActiveWindow)
    _answer_message_box(qtbot, "Delete")
    qtbot.keyClick(editor.tree, Qt.Key.Key_Delete)
    assert editor.form().question("retention") is None
    assert editor.form().question("churn_reason").condition is None
    editor.undo_stack.undo()
    assert editor.form().question("churn_reason").condition == Condition("retention", ("lost",))
    assert editor.selection() == Selection(3, 1)


# ---------------------------------------------------------------------- drag and drop
def test_dropping_a_question_on_another_section_moves_it(qtbot, editor):
    model = editor.tree.tree_model
    data = model.mimeData([model.index_of(Selection(0, 0))])
    compliance = model.index_of(Selection(2))
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 1, 0, compliance)
    model.dropMimeData(data, Qt.DropAction.MoveAction, 1, 0, compliance)
    qtbot.waitUntil(lambda: editor.undo_stack.count() == 1)
    assert order(editor.form())[2] == ["disclosure", "greet"]
    assert editor.selection() == Selection(2, 1)
    # Questions never land outside a section; a section never lands inside one.
    root = model.index(0, 0)
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, root)
    section_data = model.mimeData([model.index_of(Selection(0))])
    assert not model.canDropMimeData(
        section_data, Qt.DropAction.MoveAction, 0, 0, model.index_of(Selection(1, 0))
    )


def test_dropping_a_section_reorders_sections(qtbot, editor):
    model = editor.tree.tree_model
    data = model.mimeData([model.index_of(Selection(3))])
    model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, model.index(0, 0))
    qtbot.waitUntil(lambda: editor.undo_stack.count() == 1)
    assert [s.id for s in editor.form().sections] == [
        "outcome",
        "greeting",
        "process",
        "compliance",
    ]
    editor.undo_stack.undo()
    assert editor.form().sections[0].id == "greeting"


# ---------------------------------------------------------------------- property widgets
def test_changing_the_type_with_the_keyboard_clears_what_it_does_not_use(qtbot, editor):
    click_item(qtbot, editor, 1, 0)  # verify: yes/no, section-critical
    panel = editor.question_panel
    combo = panel.type_combo
    combo.setFocus()
    while combo.currentData() != QuestionType.TEXT:
        key(qtbot, Qt.Key.Key_Down)
    question = editor.form().question("verify")
    assert (question.type, question.points, question.options) == (QuestionType.TEXT, 0, ())
    assert not panel.rows.isRowVisible(panel._row_of["points"])
    assert panel.rows.isRowVisible(panel._row_of["required"])
    assert editor.problems() == []
    assert undo_text(editor) == "Undo change question type"


def test_options_are_edited_in_the_table(qtbot, editor):
    click_item(qtbot, editor, 0, 0)
    panel = editor.question_panel
    table = panel.options_editor.table
    table.setFocus()
    table.edit(table.model().index(1, 0))  # "No"
    qtbot.keyClicks(QApplication.focusWidget(), "Not at all")
    key(qtbot, Qt.Key.Key_Return)  # the delegate commits on the next event-loop turn
    qtbot.waitUntil(lambda: editor.form().question("greet").options[1].label == "Not at all")
    assert editor.form().question("greet").options[1].id == "no"  # a standard id stays
    table.edit(table.model().index(1, 2))  # its share of the points
    spin = QApplication.focusWidget()
    qtbot.keyClick(spin, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(spin, "0.25")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.form().question("greet").options[1].fraction == 0.25)
    # A new option opens for typing its label; its id follows the label.
    qtbot.mouseClick(panel.options_editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), "Partly")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(editor.form().question("greet").options) == 3)
    qtbot.waitUntil(lambda: editor.form().question("greet").options[2].label == "Partly")
    assert editor.form().question("greet").options[2].id == "partly"
    assert panel.options_editor.reset_button.isEnabled()
    qtbot.mouseClick(panel.options_editor.reset_button, Qt.MouseButton.LeftButton)
    assert editor.form().question("greet").options == default_options(QuestionType.YES_NO)


def panel_problem(editor, field: str) -> str:
    return " ".join(p.message for p in editor.problems() if p.field == field)


def test_the_condition_builder_offers_only_earlier_questions_with_options(qtbot, editor):
    click_item(qtbot, editor, 3, 2)  # churn_reason: show if retention is lost
    builder = editor.question_panel.condition_builder
    offered = [builder.question_combo.itemData(i) for i in range(builder.question_combo.count())]
    assert offered == ["greet", "name_used", "verify", "history", "empathy", "disclosure",
                       "resolved", "retention"]  # fmt: skip
    assert builder.question_combo.currentData() == "retention"
    qtbot.mouseClick(builder.enabled_box, Qt.MouseButton.LeftButton)
    assert editor.form().question("churn_reason").condition is None
    qtbot.mouseClick(builder.enabled_box, Qt.MouseButton.LeftButton)
    # Back on: the condition starts empty, nothing is chosen for the user...
    assert editor.form().question("churn_reason").condition == Condition("", ())
    assert builder.question_combo.currentIndex() == -1
    assert builder.options_model.rowCount() == 0
    # ...and the problems say which field to fill.
    assert "the condition names no question" in panel_problem(editor, "condition")
    # Choose the question from the keyboard: still no answer ticked for the user.
    builder.question_combo.setFocus()
    qtbot.keyClick(builder.question_combo, Qt.Key.Key_End)
    assert editor.form().question("churn_reason").condition == Condition("retention", ())
    assert "the condition names no option" in panel_problem(editor, "condition")
    # Tick two answers, untick the first: shown when undecided.
    builder.options_model.item(0).setCheckState(Qt.CheckState.Checked)
    builder.options_model.item(2).setCheckState(Qt.CheckState.Checked)
    builder.options_model.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert editor.form().question("churn_reason").condition == Condition(
        "retention", ("undecided",)
    )
    assert panel_problem(editor, "condition") == ""
    assert editor.undo_stack.count() == 6


def test_section_and_settings_panels(qtbot, editor):
    click_item(qtbot, editor, 2)
    type_into(qtbot, editor.section_panel.title_edit, "Legal")
    type_into(qtbot, editor.section_panel.weight_spin, "4")
    section = editor.form().sections[2]
    assert (section.title, section.weight, section.id) == ("Legal", 4, "compliance")
    click_item(qtbot, editor, None)
    panel = editor.form_panel
    assert not panel.id_edit.isReadOnly()
    type_into(qtbot, panel.pass_spin, "85")
    assert editor.form().settings.pass_mark == 85
    assert undo_text(editor) == "Undo change form pass mark"
    qtbot.mouseClick(
        panel.channel_boxes[next(iter(panel.channel_boxes))], Qt.MouseButton.LeftButton
    )
    bands_before = len(editor.form().settings.bands)
    panel.bands_editor.add()
    assert len(editor.form().settings.bands) == bands_before + 1
    editor.load(sample_form(), id_editable=False)
    click_item(qtbot, editor, None)
    assert panel.id_edit.isReadOnly()
    assert not editor.is_dirty()


# ---------------------------------------------------------------------- preview and summary
def test_the_preview_follows_edits_and_keeps_sample_answers(qtbot, editor):
    preview = editor.preview
    assert preview.form_widget.form() == editor.form()
    qtbot.mouseClick(preview.try_button, Qt.MouseButton.LeftButton)
    assert not preview.form_widget.is_read_only()
    preview.form_widget.set_answers({"greet": Answer("greet", "yes")})
    editor.set_question("empathy", points=30)
    assert preview.is_pending()  # waits for the typing to pause
    qtbot.waitUntil(lambda: preview.form_widget.form() == editor.form(), timeout=2000)
    assert preview.form_widget.answers()["greet"].value == "yes"
    assert plain(preview.score_panel.score_label.text()) == "100.0%"
    editor.set_question("greet", type=QuestionType.TEXT)  # the answer no longer fits
    qtbot.waitUntil(lambda: preview.form_widget.form() == editor.form(), timeout=2000)
    assert "greet" not in preview.form_widget.answers()


def test_the_summary_shows_points_and_shares(editor):
    summary = editor.summary
    assert summary.sections_model.rowCount() == 4
    shares = [summary.sections_model.index(r, 6).data() for r in range(4)]
    assert plain(shares[1]) == "36.4%"  # weight 2 of 5.5
    editor.set_settings(scoring_mode=editor.form().settings.scoring_mode.POINTS)
    assert "Points mode" in summary.rule.text()
    assert plain(summary.sections_model.index(1, 4).data()) == "18"


# ---------------------------------------------------------------------- API for the Forms screen
def test_api_edits_are_undoable_and_signal(qtbot, editor):
    dirty: list[bool] = []
    editor.dirtyChanged.connect(dirty.append)
    with qtbot.waitSignal(editor.formChanged):
        section_id = editor.add_section("Закрытие звонка", Category.OUTCOME)
    assert section_id == "zakrytie_zvonka"
    question_id = editor.add_question(section_id, "آیا مشتری راضی بود؟", QuestionType.SCALE_1_5)
    assert question_id == "aya_mshtry_razy_bvd"
    editor.set_section(section_id, weight=2)
    editor.set_question(question_id, points=8, allow_na=True)
    editor.set_settings(title="Renamed", pass_mark=70)
    editor.move_question(question_id, "greeting", 0)
    assert editor.form().sections[0].questions[0].id == question_id
    assert editor.delete_item("outcome", "retention") == ("churn_reason",)
    assert editor.undo_stack.count() == 7
    assert dirty == [True]
    editor.mark_saved()
    assert not editor.is_dirty() and dirty == [True, False]
    assert editor.select("process", "history")
    assert editor.selected_ids() == ("process", "history")
    assert not editor.select("process", "no_such_question")  # nothing happens
    assert editor.selected_ids() == ("process", "history")
    while editor.undo_stack.canUndo():
        editor.undo_stack.undo()
    assert editor.form() == sample_form()


def test_a_new_form_takes_its_id_from_its_title_until_published(qtbot):
    widget = FormEditorWidget()
    qtbot.addWidget(widget)
    widget.load(Form("new_form", "New form"))
    assert "Nothing to preview yet" in widget.preview.empty.text()
    widget.set_settings(title="Billing calls")
    assert widget.form().id == "billing_calls"
    widget.set_settings(id="billing")  # typed by hand: the title no longer moves it
    widget.set_settings(title="Billing and payments")
    assert widget.form().id == "billing"
    widget.load(Form("new_form", "New form"), id_editable=False)
    widget.set_settings(title="Billing calls")
    assert widget.form().id == "new_form"
    # Adding a question to a form with no section adds the section too, in one step.
    widget.add_question(text="Greeted the customer")
    assert [len(s.questions) for s in widget.form().sections] == [1]
    assert widget.undo_stack.count() == 2


def test_right_to_left_layout(qtbot):
    app = QApplication.instance()
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        widget = FormEditorWidget()
        qtbot.addWidget(widget)
        widget.load(sample_form())
        assert widget.isRightToLeft()
        assert widget.tree.isRightToLeft()
        assert widget.splitter.widget(0).geometry().x() >= 0
    finally:
        app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def test_tree_model_passes_the_model_tester(qtmodeltester, editor):
    qtmodeltester.check(editor.tree.tree_model)
    editor.add_section("More", Category.OUTCOME)  # a rebuild
    qtmodeltester.check(editor.tree.tree_model)


def test_tree_index_round_trip(editor):
    model = editor.tree.tree_model
    for selection in (Selection(), Selection(2), Selection(3, 4)):
        assert model.selection_at(model.index_of(selection)) == selection
    assert model.selection_at(QModelIndex()) is None
