"""'Ask this question only on outbound phone calls' — a condition on the interaction itself.

Ticked channels and directions limit the question to interactions that have one of each
ticked kind; a kind with nothing ticked puts no limit. Questions hidden this way count as
N/A when scoring (``InteractionCondition`` in the core).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from qa_monitor.core.forms import Channel, Direction, InteractionCondition
from qa_monitor.ui.designer import designer_labels as labels
from qa_monitor.ui.designer.designer_labels import tr
from qa_monitor.ui.widgets.widget_style import em, muted_label


class InteractionConditionWidget(QWidget):
    conditionEdited = Signal(object)  # InteractionCondition | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._condition: InteractionCondition | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(em(self, 0.2))
        self.enabled_box = QCheckBox(tr("Ask only on some interactions…"), self)
        self.enabled_box.toggled.connect(self._toggled)
        layout.addWidget(self.enabled_box)
        self.channels_label = QLabel(tr("…on these channels (none ticked: any):"), self)
        layout.addWidget(self.channels_label)
        self.channel_boxes: dict[Channel, QCheckBox] = {}
        for channel in Channel:
            box = QCheckBox(labels.channel_label(channel), self)
            box.toggled.connect(self._ticked)
            self.channel_boxes[channel] = box
            layout.addWidget(box)
        self.directions_label = QLabel(tr("…in these directions (none ticked: any):"), self)
        layout.addWidget(self.directions_label)
        self.direction_boxes: dict[Direction, QCheckBox] = {}
        for direction in Direction:
            box = QCheckBox(labels.direction_label(direction), self)
            box.toggled.connect(self._ticked)
            self.direction_boxes[direction] = box
            layout.addWidget(box)
        self.note = muted_label(
            tr("Hidden questions count as N/A. The designer's preview shows them all."), self, 0.9
        )
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self._update_visibility()

    def set_condition(self, condition: InteractionCondition | None) -> None:
        self._loading = True
        self._condition = condition
        self.enabled_box.setChecked(condition is not None)
        for channel, box in self.channel_boxes.items():
            box.setChecked(condition is not None and channel in condition.channels)
        for direction, box in self.direction_boxes.items():
            box.setChecked(condition is not None and direction in condition.directions)
        self._loading = False
        self._update_visibility()

    def condition(self) -> InteractionCondition | None:
        return self._condition

    def _update_visibility(self) -> None:
        on = self.enabled_box.isChecked()
        widgets: list[QWidget] = [self.channels_label, self.directions_label, self.note]
        widgets += [*self.channel_boxes.values(), *self.direction_boxes.values()]
        for widget in widgets:
            widget.setVisible(on)

    def _toggled(self, on: bool) -> None:
        self._update_visibility()
        if self._loading:
            return
        if not on:
            self._emit(None)
            return
        # Start from the usual case: a check only the agent who makes the call must do.
        self._loading = True
        self.direction_boxes[Direction.OUTBOUND].setChecked(True)
        self._loading = False
        self._ticked()

    def _ticked(self, _on: bool = False) -> None:
        if self._loading or not self.enabled_box.isChecked():
            return
        self._emit(
            InteractionCondition(
                tuple(c for c, box in self.channel_boxes.items() if box.isChecked()),
                tuple(d for d, box in self.direction_boxes.items() if box.isChecked()),
            )
        )

    def _emit(self, condition: InteractionCondition | None) -> None:
        if condition == self._condition:
            return
        self._condition = condition
        self.conditionEdited.emit(condition)
