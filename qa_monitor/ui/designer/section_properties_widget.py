"""Properties of one section: title, id, category, weight, declared maximum and description."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from qa_monitor.core.forms import Category, Section
from qa_monitor.ui.designer import designer_labels as labels
from qa_monitor.ui.designer.designer_labels import tr
from qa_monitor.ui.designer.property_fields import (
    PropertyPanel,
    combo_value,
    number_box,
    set_combo,
    set_line,
    set_number,
    set_plain,
    text_box,
)
from qa_monitor.ui.designer.question_properties_widget import bound_text, parse_bound


class SectionPropertiesWidget(PropertyPanel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Section"), parent)
        body = self.widget()
        self.title_edit = self.add_line(tr("&Title:"), "title")
        self.id_edit = self.add_line(
            tr("&Id:"), "id", note=tr("Reports follow the section by its id across versions.")
        )
        self.category_combo = QComboBox(body)
        for category in Category:
            self.category_combo.addItem(labels.category_label(category), category)
        self.category_combo.activated.connect(
            lambda _i: self.emit_edit(
                "category", category=combo_value(self.category_combo, Category)
            )
        )
        self.add_row(
            tr("&Category:"),
            self.category_combo,
            "category",
            note=tr("Reports add up each category across forms."),
        )
        self.weight_spin = number_box(body, 1000)
        self.weight_spin.valueChanged.connect(lambda v: self.emit_edit("weight", weight=v))
        self.add_row(
            tr("&Weight:"),
            self.weight_spin,
            "weight",
            note=tr("Used in weighted scoring; in points mode a section counts by its points."),
        )
        # Empty: no declared maximum. A line edit, not a spin box, so "none" can be typed.
        self.max_points_edit = QLineEdit(body)
        self.max_points_edit.setPlaceholderText(tr("None"))
        self.max_points_edit.textEdited.connect(self._max_points_edited)
        self.add_row(
            tr("&Maximum points:"),
            self.max_points_edit,
            "max_points",
            note=tr("Optional: what the questions should add up to; a warning shows if not."),
        )
        self.description_edit = text_box(body, 3)
        self.description_edit.textChanged.connect(
            lambda: self.emit_edit("description", description=self.description_edit.toPlainText())
        )
        self.add_row(tr("Descriptio&n:"), self.description_edit, "description")

    def show_section(self, section: Section, number: int) -> None:
        """Show ``section``, number ``number`` in the form."""
        with self.loading():
            self.title_label.setText(tr("Section %1").replace("%1", str(number)))
            set_line(self.title_edit, section.title)
            set_line(self.id_edit, section.id)
            set_combo(self.category_combo, section.category)
            set_number(self.weight_spin, section.weight)
            set_plain(self.description_edit, section.description)
            if parse_bound(self.max_points_edit.text()) != (True, section.max_points):
                set_line(self.max_points_edit, bound_text(section.max_points))

    def _max_points_edited(self, text: str) -> None:
        valid, value = parse_bound(text)
        if valid:
            self.emit_edit("max_points", max_points=value)
