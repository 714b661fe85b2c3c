"""The form's own settings: title, id, description, channels, scoring mode, pass mark, bands
and the bonus cap. The id is editable only while the form was never published (reports
follow a form across versions by its id)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QWidget

from qa_monitor.core.form_validation import FormProblem
from qa_monitor.core.forms import Channel, Form, ScoringMode
from qa_monitor.ui.designer import designer_labels as labels
from qa_monitor.ui.designer.bands_editor_widget import BandsEditorWidget
from qa_monitor.ui.designer.designer_labels import tr
from qa_monitor.ui.designer.property_fields import (
    PropertyPanel,
    combo_value,
    number_box,
    set_check,
    set_combo,
    set_line,
    set_number,
    set_plain,
    text_box,
)


class FormPropertiesWidget(PropertyPanel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Form settings"), parent)
        body = self.widget()
        self.title_edit = self.add_line(tr("&Title:"), "title")
        self.id_note = tr("Fixed once the form is published: reports follow the form by its id.")
        self.id_edit = self.add_line(tr("&Id:"), "id", note=self.id_note)
        self.description_edit = text_box(body, 3)
        self.description_edit.textChanged.connect(
            lambda: self.emit_edit("description", description=self.description_edit.toPlainText())
        )
        self.add_row(tr("Descriptio&n:"), self.description_edit, "description")
        channels = QWidget(body)
        grid = QGridLayout(channels)
        grid.setContentsMargins(0, 0, 0, 0)
        self.channel_boxes: dict[Channel, QCheckBox] = {}
        for index, channel in enumerate(Channel):
            box = QCheckBox(labels.channel_label(channel), channels)
            box.toggled.connect(self._channels_toggled)
            self.channel_boxes[channel] = box
            grid.addWidget(box, index // 2, index % 2)
        grid.setColumnStretch(2, 1)
        channels.setAccessibleName(tr("Channels"))
        self.add_row(tr("Channels:"), channels, "channels", note=tr("None ticked: any channel."))
        self.mode_combo = QComboBox(body)
        for mode in ScoringMode:
            self.mode_combo.addItem(labels.scoring_label(mode), mode)
        self.mode_combo.activated.connect(
            lambda _i: self.emit_edit(
                "scoring_mode", scoring_mode=combo_value(self.mode_combo, ScoringMode)
            )
        )
        self.add_row(tr("&Scoring:"), self.mode_combo, "scoring_mode")
        self.pass_spin = number_box(body, 100, 1)
        self.pass_spin.valueChanged.connect(lambda v: self.emit_edit("pass_mark", pass_mark=v))
        self.add_row(
            tr("&Pass mark:"),
            self.pass_spin,
            "pass_mark",
            note=tr("A critical failure always fails, whatever the score."),
        )
        self.bands_editor = BandsEditorWidget(body)
        self.bands_editor.bandsEdited.connect(lambda b: self.emit_edit("bands", bands=b))
        self.add_row(
            tr("Bands:"),
            self.bands_editor,
            "bands",
            note=tr("A score gets the band with the highest start it reaches; start one at 0."),
        )
        self.cap_box = QCheckBox(tr("Cap the score at 100"), body)
        self.cap_box.toggled.connect(lambda on: self.emit_edit("cap_bonus", cap_bonus=on))
        self.add_row(
            tr("Bonus:"),
            self.cap_box,
            "cap_bonus",
            note=tr("Bonus points can lift a score past 100 unless it is capped."),
        )
        self.partial_box = QCheckBox(tr("A Partial answer on a critical question fails it"), body)
        self.partial_box.toggled.connect(
            lambda on: self.emit_edit("partial_fails", partial_fails=on)
        )
        self.add_row(
            tr("Partial:"),
            self.partial_box,
            "partial_fails",
            note=tr(
                "Yes / Partial / No and Pass / Partial / Fail questions: unticked, only No or "
                "Fail triggers a critical rule."
            ),
        )

    def _channels_toggled(self) -> None:
        chosen = tuple(c for c, box in self.channel_boxes.items() if box.isChecked())
        self.emit_edit("channels", channels=chosen)

    def show_form(self, form: Form, problems: list[FormProblem], *, id_editable: bool) -> None:
        settings = form.settings
        with self.loading():
            set_line(self.title_edit, form.title)
            set_line(self.id_edit, form.id)
            set_plain(self.description_edit, form.description)
            for channel, box in self.channel_boxes.items():
                set_check(box, channel in form.channels)
            set_combo(self.mode_combo, settings.scoring_mode)
            set_number(self.pass_spin, settings.pass_mark)
            self.bands_editor.set_bands(settings.bands)
            set_check(self.cap_box, settings.cap_bonus)
            set_check(self.partial_box, settings.partial_fails)
        self.id_edit.setReadOnly(not id_editable)
        self.id_edit.setToolTip("" if id_editable else self.id_note)
        self.set_problems(problems)
