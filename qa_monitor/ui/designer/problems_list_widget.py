"""Every problem that stops the form from being published, then every warning (worth a look,
never blocking); click one to go and fix it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QVBoxLayout, QWidget

from qa_monitor.core.form_validation import FormProblem
from qa_monitor.ui.designer import designer_labels as labels
from qa_monitor.ui.designer.designer_labels import tr
from qa_monitor.ui.designer.problem_places import Placed
from qa_monitor.ui.designer.undo_commands import Selection
from qa_monitor.ui.widgets.widget_style import (
    danger_color,
    em,
    is_dark,
    ltr,
    muted_label,
    scaled_font,
    set_text_color,
    success_color,
)

PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1


def warning_color(palette: QPalette) -> QColor:
    # Amber, one tone per scheme, readable on that scheme's background.
    return QColor("#fdd663") if is_dark(palette) else QColor("#8a5300")


def where(at: Selection) -> str:
    """'Question 1.2' / 'Section 3' / 'Form' — the place as the tree numbers it."""
    if at.is_question:
        assert at.section is not None and at.question is not None
        return tr("Question %1").replace("%1", ltr(f"{at.section + 1}.{at.question + 1}"))
    if at.is_section:
        assert at.section is not None
        return tr("Section %1").replace("%1", ltr(str(at.section + 1)))
    return tr("Form")


class ProblemsListWidget(QWidget):
    problemActivated = Signal(object, object)  # FormProblem, the Selection it is about

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, em(self, 0.3), 0, 0)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setFont(scaled_font(self.font(), bold=True))
        layout.addWidget(self.heading)
        self.warnings_note = muted_label("", self)
        self.warnings_note.setWordWrap(True)
        self.warnings_note.hide()
        layout.addWidget(self.warnings_note)
        self.model = QStandardItemModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(tr("Problems"))
        self.view.setWordWrap(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        self.view.clicked.connect(self._activated)
        self.view.activated.connect(self._activated)
        layout.addWidget(self.view)
        self._placed: Placed = []

    def set_problems(self, placed: Placed, warnings: Placed | None = None) -> None:
        """Show the problems (they block publishing) and, after them, the warnings."""
        warnings = list(warnings or [])
        count = len(placed)
        if count:
            self.heading.setText(
                tr("1 problem — fix it before publishing")
                if count == 1
                else tr("%1 problems — fix them before publishing").replace("%1", str(count))
            )
            set_text_color(self.heading, danger_color(self.palette()))
        else:
            self.heading.setText("✔ " + tr("No problems — this form can be published"))
            set_text_color(self.heading, success_color(self.palette()))
        self.warnings_note.setVisible(bool(warnings))
        if warnings:
            self.warnings_note.setText(
                tr("1 warning — worth a look; it does not stop publishing")
                if len(warnings) == 1
                else tr("%1 warnings — worth a look; they do not stop publishing").replace(
                    "%1", str(len(warnings))
                )
            )
        shown = [*placed, *warnings]
        self.view.setVisible(bool(shown))
        if shown == self._placed:
            return
        self._placed = shown
        current = self.view.currentIndex().row()
        self.model.clear()
        icon = labels.icon(labels.PROBLEM_ICON, danger_color(self.palette()))
        warning_icon = labels.icon(labels.WARNING_ICON, warning_color(self.palette()))
        text_color = self.palette().color(QPalette.ColorRole.Text)
        for problem, at in shown:
            message = problem.message[:1].upper() + problem.message[1:]
            if problem.is_warning:
                text = tr("%1 (warning): %2").replace("%1", where(at)).replace("%2", message)
            else:
                text = f"{where(at)}: {message}"
            item = QStandardItem(warning_icon if problem.is_warning else icon, text)
            item.setToolTip(text + (f"\n{problem.hint}" if problem.hint else ""))
            item.setData((problem, at), PROBLEM_ROLE)
            item.setForeground(text_color)
            self.model.appendRow(item)
        if 0 <= current < len(shown):
            self.view.setCurrentIndex(self.model.index(current, 0))
        # As tall as the problems, up to about six lines; more scroll.
        rows = sum(self.view.sizeHintForRow(r) for r in range(len(shown)))
        self.view.setFixedHeight(min(rows + 2 * self.view.frameWidth() + 2, em(self, 9)))

    def _activated(self, index: QModelIndex) -> None:
        data = index.data(PROBLEM_ROLE)
        if isinstance(data, tuple) and isinstance(data[0], FormProblem):
            self.problemActivated.emit(*data)
