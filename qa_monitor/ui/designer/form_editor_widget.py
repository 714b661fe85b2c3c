"""The form designer's editor: tree | properties | preview and summary, with undo for every edit.

The editor holds one immutable ``Form``. Every change, from a keystroke in a property field
to a drag in the tree, becomes a ``FormEditCommand`` on ``undo_stack`` (edits live in
``editor_operations.py``); applying a command re-validates the form and refreshes every
pane from it, so the tree icons, the field messages, the problems list, the summary and
(after a short pause) the preview always describe the same form.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFrame,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.form_edit import follows_title, locate_question, locate_section
from qa_monitor.core.form_validation import FormProblem, validate_form
from qa_monitor.core.form_warnings import form_warnings
from qa_monitor.core.forms import Form, QuestionType
from qa_monitor.ui.designer.designer_labels import tr
from qa_monitor.ui.designer.editor_actions import EditorActions, confirm_delete
from qa_monitor.ui.designer.editor_operations import EditOperationsMixin
from qa_monitor.ui.designer.form_preview_widget import FormPreviewWidget
from qa_monitor.ui.designer.form_properties_widget import FormPropertiesWidget
from qa_monitor.ui.designer.form_summary_widget import FormSummaryWidget
from qa_monitor.ui.designer.form_tree_widget import FormTreeView
from qa_monitor.ui.designer.problem_places import Placed, place_problems, problems_at
from qa_monitor.ui.designer.problems_list_widget import ProblemsListWidget
from qa_monitor.ui.designer.property_fields import PropertyPanel
from qa_monitor.ui.designer.question_properties_widget import QuestionPropertiesWidget
from qa_monitor.ui.designer.section_properties_widget import SectionPropertiesWidget
from qa_monitor.ui.designer.undo_commands import FormEditCommand, Selection
from qa_monitor.ui.widgets.widget_style import em

EMPTY_FORM = Form("new_form", "")


class _UndoKeys(QObject):
    """Lets Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y in a property field reach the editor's undo stack
    instead of the field's own (which knows nothing of the form)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            redo_y = (
                event.key() == Qt.Key.Key_Y
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            )
            if (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
                or redo_y
            ):
                return True  # left unaccepted: the shortcut fires, the field never sees it
        return False


class _StackRelay(QObject):
    """Passes the undo stack's signals on. Created before the stack so that, as an older
    child, it is destroyed first: the stack's last signals (emitted while it is destroyed)
    then reach nobody instead of a half-destroyed editor."""

    dirtyChanged = Signal(bool)
    undoTextChanged = Signal(str)
    redoTextChanged = Signal(str)

    def clean_changed(self, clean: bool) -> None:
        self.dirtyChanged.emit(not clean)

    def undo_text(self, text: str) -> None:
        self.undoTextChanged.emit(text)

    def redo_text(self, text: str) -> None:
        self.redoTextChanged.emit(text)


class FormEditorWidget(EditOperationsMixin, QWidget):
    formChanged = Signal()
    dirtyChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._form = EMPTY_FORM
        self._problems: list[FormProblem] = []
        self._placed: Placed = []  # each problem with the item it is about
        self._warnings: Placed = []  # each warning (never blocking) with its item
        self._selection = Selection()
        self._id_editable = True
        self._form_id_follows = False
        self._fresh: set[str] = set()  # ids made here that may still follow their title
        self._merge_epoch = 0
        self._pushing = False
        self.stack_relay = _StackRelay(self)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self.stack_relay.clean_changed)
        self.undo_stack.undoTextChanged.connect(self.stack_relay.undo_text)
        self.undo_stack.redoTextChanged.connect(self.stack_relay.redo_text)
        self.stack_relay.dirtyChanged.connect(self.dirtyChanged)
        self.setAccessibleName(tr("Form editor"))
        self._build()
        self.editor_actions = EditorActions(self)
        self._undo_keys = _UndoKeys(self)
        for kind in (QLineEdit, QPlainTextEdit, QAbstractSpinBox):
            for editor in self.panels.findChildren(kind):
                editor.installEventFilter(self._undo_keys)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.editor_actions.toolbar)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self.restore(EMPTY_FORM, Selection())

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(em(self, 0.2))
        self.tree = FormTreeView(self)
        self.tree.selectionMoved.connect(self._tree_selected)
        self.tree.tree_model.moveRequested.connect(self._drop_requested)
        self.problems_list = ProblemsListWidget(self)
        self.problems_list.problemActivated.connect(self.go_to_problem)
        # The problems sit under the tree, only as tall as they need (one line when none).
        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.tree, 1)
        column.addWidget(self.problems_list)
        self.form_panel = FormPropertiesWidget()
        self.section_panel = SectionPropertiesWidget()
        self.question_panel = QuestionPropertiesWidget()
        self.panels = QStackedWidget(self)
        for panel in (self.form_panel, self.section_panel, self.question_panel):
            self.panels.addWidget(panel)
        self.form_panel.edited.connect(lambda f, c: self._change_form(c, f, merge=True))
        self.section_panel.edited.connect(self._section_panel_edited)
        self.question_panel.edited.connect(self._question_panel_edited)
        self.preview = FormPreviewWidget()
        self.summary = FormSummaryWidget()
        self.side_tabs = QTabWidget(self)
        self.side_tabs.addTab(self.preview, tr("Preview"))
        summary_scroll = QScrollArea(self)
        summary_scroll.setWidgetResizable(True)
        summary_scroll.setFrameShape(QFrame.Shape.NoFrame)
        summary_scroll.setWidget(self.summary)
        self.side_tabs.addTab(summary_scroll, tr("Points and weights"))
        self.side_tabs.setMinimumWidth(em(self, 20))
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.panels)
        self.splitter.addWidget(self.side_tabs)
        self.splitter.setChildrenCollapsible(False)
        # The preview gets the most room: its cards lay answers out up to ~38 em wide.
        for index, stretch in enumerate((2, 3, 5)):
            self.splitter.setStretchFactor(index, stretch)
        self.splitter.setSizes([em(self, 19), em(self, 23), em(self, 40)])
        layout.addWidget(self.splitter, 1)

    # ------------------------------------------------------------------ public API
    def load(self, form: Form, *, id_editable: bool = True) -> None:
        """Edit ``form`` from a clean slate: no undo history, nothing unsaved."""
        self._id_editable = id_editable
        # A never-published form whose id was made from its title keeps them together.
        self._form_id_follows = id_editable and follows_title(form.id, form.title, "form")
        self._fresh = set()
        self.undo_stack.clear()
        first = Selection(0) if form.sections else Selection()
        self.restore(form, first)
        self.preview.refresh_now()
        self.undo_stack.setClean()

    def form(self) -> Form:
        return self._form

    def problems(self) -> list[FormProblem]:
        return list(self._problems)

    def warnings(self) -> list[FormProblem]:
        """What is probably a mistake but does not stop publishing (``form_warnings``)."""
        return [p for p, _at in self._warnings]

    def is_dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def mark_saved(self) -> None:
        self.undo_stack.setClean()

    def select(self, section_id: str | None, question_id: str | None = None) -> bool:
        """Show the question (or section) with that id; both None shows the form settings.
        An id the form does not have selects nothing and returns False."""
        if question_id is not None:
            position = locate_question(self._form, question_id)
            if position is None:
                return False
            self._set_selection(Selection(*position))
        elif section_id is not None:
            index = locate_section(self._form, section_id)
            if index is None:
                return False
            self._set_selection(Selection(index))
        else:
            self._set_selection(Selection())
        return True

    def selection(self) -> Selection:
        return self._selection

    def selected_ids(self) -> tuple[str | None, str | None]:
        sel = self._selection
        if sel.section is None:
            return None, None
        section = self._form.sections[sel.section]
        question = section.questions[sel.question] if sel.question is not None else None
        return section.id, question.id if question else None

    # ------------------------------------------------------------------ applying edits
    def _push(
        self, text: str, form: Form, selection: Selection, merge_key: tuple | None = None
    ) -> None:
        if form == self._form and selection == self._selection:
            return
        before, after = (self._form, self._selection), (form, selection)
        self._pushing = True
        try:
            self.undo_stack.push(FormEditCommand(self, text, before, after, merge_key))
        finally:
            self._pushing = False

    def restore(self, form: Form, selection: Selection) -> None:
        """Show ``form`` with ``selection`` in every pane (what undo and redo call)."""
        if not self._pushing:
            self._merge_epoch += 1  # typing after an undo starts a new command
        self._form = form
        self._problems = validate_form(form)
        self._placed = place_problems(form, self._problems)
        self._warnings = place_problems(form, form_warnings(form))
        self.tree.set_form(form, self._placed)
        self.problems_list.set_problems(self._placed, self._warnings)
        self.summary.set_form(form)
        self._selection = _clamped(form, selection)
        self.tree.select(self._selection)
        self._show_panel()
        self.preview.schedule(form)
        self.editor_actions.update()
        self.formChanged.emit()

    def _set_selection(self, selection: Selection) -> None:
        selection = _clamped(self._form, selection)
        if selection != self._selection:
            self._selection = selection
            self._merge_epoch += 1
        self.tree.select(selection)
        self._show_panel()
        self.editor_actions.update()

    def _tree_selected(self, selection: Selection) -> None:
        if selection != self._selection:
            self._set_selection(selection)

    def _show_panel(self) -> None:
        form, sel = self._form, self._selection
        if sel.is_question:
            assert sel.section is not None and sel.question is not None
            section = form.sections[sel.section]
            question = section.questions[sel.question]
            problems = problems_at(self._placed, sel)
            share = (
                self.summary.summary.question_weights.get(question.id)
                if (self.summary.summary and question.scored and not question.bonus)
                else None
            )
            self.question_panel.show_question(form, (sel.section, sel.question), problems, share)
            self.panels.setCurrentWidget(self.question_panel)
            self.preview.scroll_to(question.id)
        elif sel.is_section:
            assert sel.section is not None
            section = form.sections[sel.section]
            self.section_panel.show_section(section, sel.section + 1)
            self.section_panel.set_problems(problems_at(self._placed, sel))
            self.panels.setCurrentWidget(self.section_panel)
        else:
            problems = problems_at(self._placed, sel)
            self.form_panel.show_form(form, problems, id_editable=self._id_editable)
            self.panels.setCurrentWidget(self.form_panel)

    def _question_panel_edited(self, field: str, changes: dict[str, Any]) -> None:
        sel = self._selection
        if sel.section is not None and sel.question is not None:
            self._change_question((sel.section, sel.question), changes, field, merge=True)

    def _section_panel_edited(self, field: str, changes: dict[str, Any]) -> None:
        if self._selection.section is not None:
            self._change_section(self._selection.section, changes, field, merge=True)

    def _focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        # Leaving a field ends its run of keystrokes: the next edit is a new undo step.
        if old is not None and self.panels.isAncestorOf(old):
            self._merge_epoch += 1

    # ------------------------------------------------------------------ user actions
    def add_question_of_type(self, qtype: QuestionType) -> None:
        """Add a question and put the cursor in its text, ready to type over."""
        self.add_question(qtype=qtype)
        self.focus_field("text")

    def add_section_here(self) -> None:
        self.add_section()
        self.focus_field("title")

    def focus_field(self, field: str | None) -> None:
        panel = self.panels.currentWidget()
        if isinstance(panel, PropertyPanel):
            panel.focus_field(field)
            editor = QApplication.focusWidget()
            if isinstance(editor, QLineEdit | QPlainTextEdit):
                editor.selectAll()

    def duplicate_selected(self) -> None:
        self._duplicate(self._selection)

    def delete_selected(self) -> None:
        """Delete the selected item; asks first when other questions' conditions use it."""
        sel = self._selection
        if sel.is_form:
            return
        if confirm_delete(self, self._form, sel):
            self._delete(sel)
        self.tree.setFocus()  # back where the Delete key was pressed

    def move_selected(self, step: int) -> None:
        self._step(self._selection, step)

    def _drop_requested(self, source: Selection, target: tuple[int | None, int]) -> None:
        # After the view has finished handling the drop: the tree is rebuilt by the move.
        QTimer.singleShot(0, self, lambda: self._move_to(source, target[0], target[1]))

    def go_to_problem(self, problem: FormProblem, at: Selection) -> None:
        """Select the item a problem is about and put the cursor in the field at fault."""
        self._set_selection(at)
        panel = self.panels.currentWidget()
        if isinstance(panel, PropertyPanel):
            panel.focus_field(problem.field)


def _clamped(form: Form, selection: Selection) -> Selection:
    """``selection`` if it exists in ``form``, else the nearest thing that does."""
    s, q = selection.section, selection.question
    if s is None or not form.sections:
        return Selection()
    s = min(s, len(form.sections) - 1)
    if q is None:
        return Selection(s)
    count = len(form.sections[s].questions)
    return Selection(s, min(q, count - 1)) if count else Selection(s)
