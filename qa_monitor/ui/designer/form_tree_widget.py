"""The tree of the form's sections and questions: select, drag to reorder, keyboard actions."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from qa_monitor.core.forms import Form
from qa_monitor.ui.designer.designer_labels import tr
from qa_monitor.ui.designer.form_tree_model import FormTreeModel
from qa_monitor.ui.designer.problem_places import Placed
from qa_monitor.ui.designer.undo_commands import Selection
from qa_monitor.ui.widgets.widget_style import danger_color, em


class FormTreeView(QTreeView):
    selectionMoved = Signal(object)  # Selection: the user (or select()) chose another item

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        text = self.palette().color(QPalette.ColorRole.Text)
        self.tree_model = FormTreeModel(text, danger_color(self.palette()), self)
        self.setModel(self.tree_model)
        self.setAccessibleName(tr("Sections and questions"))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(self.tree_model.supportedDropActions())
        self.setUniformRowHeights(True)
        self.setMinimumWidth(em(self, 14))
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._collapsed: set[str] = set()  # section ids the user folded
        self._form: Form | None = None
        self.collapsed.connect(self._remember_collapsed)
        self.expanded.connect(self._remember_expanded)
        self.selectionModel().currentRowChanged.connect(self._current_changed)

    def set_form(self, form: Form, placed: Placed) -> None:
        self._form = form
        if self.tree_model.set_form(form, placed):
            root = self.tree_model.index(0, 0)
            # Expanding is remembered per section id, so folds survive a rebuild.
            self.blockSignals(True)
            self.setExpanded(root, True)
            for row, section in enumerate(form.sections):
                index = self.tree_model.index(row, 0, root)
                self.setExpanded(index, section.id not in self._collapsed)
            self.blockSignals(False)

    def select(self, selection: Selection) -> None:
        """Make ``selection`` current (silently when it already is)."""
        index = self.tree_model.index_of(selection)
        if not index.isValid():
            return
        if index.parent().isValid():
            self.setExpanded(index.parent(), True)
        if self.currentIndex().siblingAtColumn(0) != index:
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            self.selectionModel().setCurrentIndex(index, flags)
        self.scrollTo(index)

    def current_selection(self) -> Selection:
        return self.tree_model.selection_at(self.currentIndex()) or Selection()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        selection = self.tree_model.selection_at(current)
        if selection is not None:
            self.selectionMoved.emit(selection)

    def _section_id(self, index: QModelIndex) -> str | None:
        selection = self.tree_model.selection_at(index)
        if self._form is None or selection is None or not selection.is_section:
            return None
        assert selection.section is not None
        return self._form.sections[selection.section].id

    def _remember_collapsed(self, index: QModelIndex) -> None:
        section_id = self._section_id(index)
        if section_id:
            self._collapsed.add(section_id)

    def _remember_expanded(self, index: QModelIndex) -> None:
        section_id = self._section_id(index)
        if section_id:
            self._collapsed.discard(section_id)
