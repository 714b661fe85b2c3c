"""The editor's toolbar and shortcuts, and the one question it ever asks before deleting.

Structural shortcuts (Insert, Shift+Insert, Ctrl+D, Delete, Ctrl+Up/Down) act when the tree
has the focus, so Delete and Ctrl+D keep their usual meaning while typing in a field; undo and
redo work anywhere in the editor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QToolBar, QToolButton, QWidget

from qa_monitor.core.form_edit import dependents
from qa_monitor.core.forms import Form, QuestionType
from qa_monitor.ui import icons
from qa_monitor.ui.designer import designer_labels as labels
from qa_monitor.ui.designer.designer_labels import tr
from qa_monitor.ui.designer.undo_commands import Selection
from qa_monitor.ui.widgets.widget_style import ltr

if TYPE_CHECKING:
    from qa_monitor.ui.designer.form_editor_widget import FormEditorWidget


def _with_keys(text: str, keys: list[QKeySequence]) -> str:
    shown = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
    return f"{text} ({shown})" if shown else text


class EditorActions:
    def __init__(self, editor: FormEditorWidget) -> None:
        self.editor = editor
        self.last_type = QuestionType.YES_NO  # what Insert adds: the type chosen last
        color = editor.palette().color(editor.foregroundRole())
        rtl = editor.layoutDirection() == Qt.LayoutDirection.RightToLeft
        self.toolbar = QToolBar(tr("Form editor"), editor)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setAccessibleName(tr("Form editor actions"))

        def action(icon: str, text: str, keys: list[str], slot, *, on_tree: bool = True) -> QAction:
            act = QAction(labels.icon(icon, color), text, editor)
            sequences = [QKeySequence(k) for k in keys]
            act.setShortcuts(sequences)
            act.setToolTip(_with_keys(text, sequences))
            act.triggered.connect(lambda _checked=False: slot())
            # Added to the tree only: Delete in a text field must delete a character.
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            (editor.tree if on_tree else editor).addAction(act)
            return act

        self.add_section = action(
            "mdi6.folder-plus-outline", tr("Add section"), ["Shift+Ins"], editor.add_section_here
        )
        self.add_question = action(
            "mdi6.playlist-plus",
            tr("Add question"),
            ["Ins"],
            lambda: editor.add_question_of_type(self.last_type),
        )
        menu = QMenu(editor)
        for qtype in QuestionType:
            type_action = menu.addAction(
                labels.icon(labels.TYPE_ICONS[qtype], color), labels.type_label(qtype)
            )
            type_action.setData(qtype)
            type_action.triggered.connect(lambda _c=False, t=qtype: self._add_typed(t))
        self.type_menu = menu
        self.duplicate = action(
            "mdi6.content-duplicate", tr("Duplicate"), ["Ctrl+D"], editor.duplicate_selected
        )
        self.delete = action("mdi6.delete-outline", tr("Delete"), ["Del"], editor.delete_selected)
        self.move_up = action(
            "mdi6.arrow-up", tr("Move up"), ["Ctrl+Up"], lambda: editor.move_selected(-1)
        )
        self.move_down = action(
            "mdi6.arrow-down", tr("Move down"), ["Ctrl+Down"], lambda: editor.move_selected(1)
        )
        stack = editor.undo_stack
        self.undo = stack.createUndoAction(editor, tr("Undo"))
        self.redo = stack.createRedoAction(editor, tr("Redo"))
        for act, icon, keys in (
            (self.undo, "mdi6.undo", [QKeySequence(QKeySequence.StandardKey.Undo)]),
            (self.redo, "mdi6.redo", [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]),
        ):
            # Undo's arrow points back: leftwards in a left-to-right layout, rightwards in RTL.
            act.setIcon(icons.icon(icon, color=color, hflip=rtl))
            act.setShortcuts(keys)
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            editor.addAction(act)
        # The undo text changes with the stack ("Undo change points"): keep the keys in view.
        relay = editor.stack_relay
        relay.undoTextChanged.connect(lambda _t: self._retip(self.undo, "Ctrl+Z"))
        relay.redoTextChanged.connect(lambda _t: self._retip(self.redo, "Ctrl+Shift+Z"))
        self._retip(self.undo, "Ctrl+Z")
        self._retip(self.redo, "Ctrl+Shift+Z")

        for act in (self.add_section, self.add_question):
            self.toolbar.addAction(act)
        button = self.toolbar.widgetForAction(self.add_question)
        if isinstance(button, QToolButton):
            button.setMenu(menu)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.toolbar.addSeparator()
        for act in (self.duplicate, self.delete, self.move_up, self.move_down):
            self.toolbar.addAction(act)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.undo)
        self.toolbar.addAction(self.redo)

    def _retip(self, act: QAction, keys: str) -> None:
        tip = _with_keys(act.text(), [QKeySequence(keys)])
        if act.toolTip() != tip:
            act.setToolTip(tip)

    def _add_typed(self, qtype: QuestionType) -> None:
        self.last_type = qtype
        self.editor.add_question_of_type(qtype)

    def update(self) -> None:
        """Enable what makes sense for the current selection."""
        sel = self.editor.selection()
        form = self.editor.form()
        item = not sel.is_form
        self.duplicate.setEnabled(item)
        self.delete.setEnabled(item)
        first = sel.section == 0 and (sel.question in (None, 0))
        if sel.is_question:
            assert sel.section is not None and sel.question is not None
            last_section = sel.section == len(form.sections) - 1
            last = last_section and sel.question == len(form.sections[sel.section].questions) - 1
        else:
            last = sel.section == len(form.sections) - 1
        self.move_up.setEnabled(item and not first)
        self.move_down.setEnabled(item and not last)


def confirm_delete(parent: QWidget, form: Form, sel: Selection) -> bool:
    """Ask before deleting an item other questions' conditions depend on (True: go ahead).

    Everything else is deleted at once: it can be undone.
    """
    assert sel.section is not None
    section = form.sections[sel.section]
    if sel.question is not None:
        question = section.questions[sel.question]
        gone = {question.id}
        name = tr("question %1 “%2”").replace("%1", ltr(f"{sel.section + 1}.{sel.question + 1}"))
        name = name.replace("%2", question.text)
    else:
        gone = {q.id for q in section.questions}
        name = tr("section %1 “%2”").replace("%1", ltr(str(sel.section + 1)))
        name = name.replace("%2", section.title)
    affected = dependents(form, gone)
    if not affected:
        return True
    listed = "\n".join(f"• {q.text}" for q in affected)
    text = "\n\n".join(
        [
            tr("Delete %1?").replace("%1", name),
            tr("These questions are shown only depending on its answer:") + "\n" + listed,
            tr(
                "Their condition will be removed, so they will always be shown. "
                "Undo (Ctrl+Z) brings everything back."
            ),
        ]
    )
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Delete"), text, parent=parent)
    delete = box.addButton(tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is delete
