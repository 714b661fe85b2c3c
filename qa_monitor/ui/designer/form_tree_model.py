"""The form as a tree: the form, its sections, their questions; with problems and drag-and-drop.

Items are addressed by position (a ``Selection``), not id, because ids can be duplicated
while the user types one. While the shape (how many sections and questions) stays the same
the items are updated in place, so the view keeps its selection, expansion and scroll while
the user types; a structural change rebuilds the tree.

Drops do not move rows themselves: the model emits ``moveRequested`` and the editor turns
that into an undoable edit, after which the tree is rebuilt from the new form.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel

from qa_monitor.core.form_validation import FormProblem
from qa_monitor.core.forms import Form, Question, Section
from qa_monitor.ui.designer import designer_labels as labels
from qa_monitor.ui.designer.designer_labels import tr
from qa_monitor.ui.designer.problem_places import Placed, problems_at
from qa_monitor.ui.designer.undo_commands import Selection
from qa_monitor.ui.widgets.widget_style import ltr

MIME = "application/x-qa-monitor-designer-item"
KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # which of these an item is:
FORM_ROW, SECTION_ROW, QUESTION_ROW = "form", "section", "question"
_ModelIndex = QModelIndex | QPersistentModelIndex
_F = Qt.ItemFlag
_BASE = _F.ItemIsEnabled | _F.ItemIsSelectable


def _points(value: float) -> str:
    return ltr(f"{value:g}")


def problem_text(problems: Sequence[FormProblem]) -> str:
    """Problems as tooltip lines: what is wrong, then how to fix it."""
    lines = []
    for p in problems:
        message = p.message[:1].upper() + p.message[1:]
        lines.append(f"⚠ {message}" + (f" — {p.hint}" if p.hint else ""))
    return "\n".join(lines)


class FormTreeModel(QStandardItemModel):
    # (what was dragged, (target section index or None for a section, final index))
    moveRequested = Signal(object, object)

    def __init__(self, text_color: QColor, danger_color: QColor, parent=None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels([tr("Form"), tr("Points")])
        self._text = text_color
        self._danger = danger_color
        self._shape: tuple[int, ...] | None = None
        self._form: Form | None = None

    # ------------------------------------------------------------------ filling
    def set_form(self, form: Form, placed: Placed) -> bool:
        """Show ``form`` with its problems (placed on their items); returns True when the
        tree was rebuilt rather than updated in place."""
        shape = tuple(len(s.questions) for s in form.sections)
        rebuilt = shape != self._shape
        self._form, self._shape = form, shape
        if rebuilt:
            self.removeRows(0, self.rowCount())
            self.appendRow([QStandardItem(), QStandardItem()])
        root = self.item(0)
        own = problems_at(placed, Selection())
        self._fill(0, None, root, FORM_ROW, own, len(placed) - len(own))
        self._set_points(root, 1, sum_points(form.sections))
        for s_index, section in enumerate(form.sections):
            if rebuilt:
                root.appendRow([QStandardItem(), QStandardItem()])
            sec_item = root.child(s_index)
            own = problems_at(placed, Selection(s_index))
            below = sum(1 for _p, at in placed if at.section == s_index and at.is_question)
            self._fill(s_index, section, sec_item, SECTION_ROW, own, below)
            self._set_points(sec_item, 1, sum_points([section]))
            for q_index, question in enumerate(section.questions):
                if rebuilt:
                    sec_item.appendRow([QStandardItem(), QStandardItem()])
                q_item = sec_item.child(q_index)
                mine = problems_at(placed, Selection(s_index, q_index))
                self._fill_question(s_index, q_index, question, q_item, mine)
        return rebuilt

    def _fill(
        self, s_index: int, section: Section | None, item: QStandardItem, kind: str,
        own: list[FormProblem], below: int,
    ) -> None:  # fmt: skip
        assert self._form is not None
        if section is None:
            text = self._form.title.strip() or tr("(untitled form)")
            tip = tr("Form settings: title, scoring, pass mark and bands")
            icon_name = labels.FORM_ICON if not below else "mdi6.clipboard-alert-outline"
            flags = _BASE | _F.ItemIsDropEnabled
        else:
            title = section.title.strip() or tr("(no title)")
            category = labels.category_label(section.category)
            text = f"{ltr(str(s_index + 1))}. {title} · {category}"
            tip = tr("Section %1 · %2").replace("%1", section.id).replace("%2", category)
            icon_name = labels.SECTION_ICON if not below else "mdi6.folder-alert-outline"
            flags = _BASE | _F.ItemIsDragEnabled | _F.ItemIsDropEnabled
        if below:
            tip += "\n" + tr("Problems inside: %1").replace("%1", str(below))
        self._decorate(item, text, tip, icon_name, own, bool(below))
        item.setData(kind, KIND_ROLE)
        item.setFlags(flags)

    def _fill_question(
        self, s_index: int, q_index: int, question: Question, item: QStandardItem,
        problems: list[FormProblem],
    ) -> None:  # fmt: skip
        number = ltr(f"{s_index + 1}.{q_index + 1}")
        text = f"{number}  {question.text.strip() or tr('(no text)')}"
        tip = f"{question.text}\n{labels.type_label(question.type)} · {question.id}"
        self._decorate(item, text, tip, labels.TYPE_ICONS[question.type], problems, False)
        item.setData(QUESTION_ROW, KIND_ROLE)
        item.setFlags(_BASE | _F.ItemIsDragEnabled | _F.ItemIsDropEnabled)
        parent = item.parent()
        assert parent is not None
        if not question.scored:
            points = "—"
            points_tip = tr("Not scored")
        elif question.bonus:
            points = "+" + _points(question.points)
            points_tip = tr("Bonus points")
        else:
            points = _points(question.points)
            points_tip = tr("Points")
        cell = parent.child(item.row(), 1)
        assert cell is not None
        cell.setText(points)
        cell.setToolTip(points_tip)
        cell.setFlags(_BASE | _F.ItemIsDragEnabled)
        cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _decorate(
        self, item: QStandardItem, text: str, tip: str, icon_name: str,
        problems: list[FormProblem], warn: bool,
    ) -> None:  # fmt: skip
        if problems:
            tip = problem_text(problems) + "\n\n" + tip
            icon_name = labels.PROBLEM_ICON
        color = self._danger if problems or warn else self._text
        if item.text() != text:
            item.setText(text)
        if item.toolTip() != tip:
            item.setToolTip(tip)
            item.setIcon(labels.icon(icon_name, color))
            accessible = text + (". " + tr("Has problems") if problems else "")
            item.setData(accessible, Qt.ItemDataRole.AccessibleTextRole)

    def _set_points(self, item: QStandardItem, column: int, value: float) -> None:
        parent = item.parent() or self.invisibleRootItem()
        cell = parent.child(item.row(), column)
        assert cell is not None
        cell.setText(_points(value))
        cell.setToolTip(tr("Possible points (bonus points not included)"))
        cell.setFlags(_BASE)
        cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    # ------------------------------------------------------------------ positions
    def selection_at(self, index: _ModelIndex) -> Selection | None:
        if not index.isValid():
            return None
        index = index.siblingAtColumn(0)
        kind = index.data(KIND_ROLE)
        if kind == FORM_ROW:
            return Selection()
        if kind == SECTION_ROW:
            return Selection(index.row())
        return Selection(index.parent().row(), index.row())

    def index_of(self, selection: Selection) -> QModelIndex:
        root = self.index(0, 0)
        if not root.isValid() or selection.section is None:
            return root
        section = self.index(selection.section, 0, root)
        if selection.question is None or not section.isValid():
            return section
        return self.index(selection.question, 0, section)

    # ------------------------------------------------------------------ drag and drop
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        selection = self.selection_at(indexes[0]) if indexes else None
        if selection is not None and not selection.is_form:
            text = f"{selection.section} {'' if selection.question is None else selection.question}"
            data.setData(MIME, QByteArray(text.strip().encode()))
        return data

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return self.drop_target(data, row, parent) is not None

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        target = self.drop_target(data, row, parent)
        if target is not None:
            self.moveRequested.emit(*target)
        # Always "not handled": the view must not remove the dragged row; the editor moves
        # the item in the form and the tree is rebuilt from it.
        return False

    def drop_target(
        self, data: QMimeData, row: int, parent: _ModelIndex
    ) -> tuple[Selection, tuple[int | None, int]] | None:
        """Where a drop of ``data`` at ``row`` under ``parent`` moves the item, or None."""
        if self._form is None or not data.hasFormat(MIME):
            return None
        try:
            numbers = [int(n) for n in bytes(data.data(MIME).data()).decode().split()]
        except ValueError:
            return None
        source = Selection(numbers[0], numbers[1] if len(numbers) > 1 else None)
        target = self.selection_at(parent) if parent.isValid() else None
        if target is None:
            return None
        sections = self._form.sections
        if source.is_section:
            assert source.section is not None
            if target.is_form:
                position = row if row >= 0 else len(sections)
            elif target.is_section:
                assert target.section is not None
                position = target.section
            else:
                return None
            final = position - 1 if position > source.section else position
            return None if final == source.section else (source, (None, final))
        if target.is_form:
            return None
        assert target.section is not None and source.question is not None
        s_index = target.section
        if target.is_question:
            assert target.question is not None
            position = target.question
        else:
            position = row if row >= 0 else len(sections[s_index].questions)
        if s_index == source.section and position > source.question:
            position -= 1
        if (s_index, position) == (source.section, source.question):
            return None
        return source, (s_index, position)


def sum_points(sections: Sequence[Section]) -> float:
    return sum(q.points for s in sections for q in s.questions if q.scored and not q.bonus)
