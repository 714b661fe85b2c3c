"""Settings ▸ Calibration: the centre's variance bands, which a new calibration
session starts from when its form has had no session yet (a form's next session
starts from its last one's bands).

Rules:
- Stored in the database (a team setting that travels with team sync); a reviewer's
  or an agent's login to a team server may not change it, and the group says so.
- A value is stored once the arrow-key steps pause, on Enter, or on leaving the field;
  a refusal ("discuss" below "acceptable") is said under the fields and nothing is
  stored.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.calibration import Bands
from qa_monitor.services import Changes, StorageError
from qa_monitor.ui.calibration_texts import points
from qa_monitor.ui.dialogs.person_dialogs import FieldError, sentence
from qa_monitor.ui.session import Session

PAUSE_MS = 600


class CalibrationSettingsGroup(QGroupBox):
    said = Signal(str)  # a sentence for the screen's status line
    changed = Signal(object)  # Changes

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(self.tr("Calibration"), parent)
        self.session = session
        self.setObjectName("calibrationSettings")
        self.setAccessibleName(self.tr("Calibration"))
        self.captions: list[QLabel] = []
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "Variance bands of calibration sessions: a reviewer whose score is within "
                "the first number of points of the benchmark is acceptable, within the "
                "second is discussed, beyond it recalibrates. A session starts from its "
                "form's last session's bands, else from these."
            )
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        layout.addWidget(hint)
        self.locked = QLabel(
            self.tr(
                "Your team's supervisors choose these on the team server; ask one of them "
                "to change them."
            )
        )
        self.locked.setWordWrap(True)
        self.locked.setProperty("role", "muted")
        self.locked.hide()
        layout.addWidget(self.locked)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        self.acceptable = self._box(
            form, self.tr("Acceptable w&ithin:"), self.tr("Acceptable within")
        )
        self.discuss = self._box(form, self.tr("Discuss within:"), self.tr("Discuss within"))
        self.error = FieldError()
        layout.addWidget(self.error)
        self._pause = QTimer(self, singleShot=True, interval=PAUSE_MS)
        self._pause.timeout.connect(self.apply)

    def _box(self, form: QFormLayout, caption: str, name: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(0.0, 100.0)
        box.setDecimals(1)
        box.setSingleStep(1.0)
        box.setSuffix(self.tr(" points"))
        box.setAccessibleName(name)
        box.valueChanged.connect(lambda _v: self._pause.start())
        box.editingFinished.connect(self.apply)
        label = QLabel(caption)
        label.setBuddy(box)
        self.captions.append(label)
        form.addRow(label, box)
        return box

    def refresh(self) -> None:
        bands = self.session.services.calibration.centre_bands()
        blockers = [QSignalBlocker(w) for w in (self.acceptable, self.discuss)]
        self.acceptable.setValue(bands.acceptable)
        self.discuss.setValue(bands.discuss)
        del blockers
        allowed = self.session.services.settings.team_choices_allowed()
        for box in (self.acceptable, self.discuss):
            box.setEnabled(allowed)
        self.locked.setVisible(not allowed)

    def apply(self) -> None:
        self._pause.stop()
        calibration = self.session.services.calibration
        bands = Bands(self.acceptable.value(), self.discuss.value())
        if bands == calibration.centre_bands():
            self.error.clear()
            return
        try:
            changes: Changes = calibration.set_centre_bands(bands)
        except (ValueError, StorageError) as exc:
            self.error.show_message(sentence(str(exc)) + " " + self.tr("Nothing was changed."))
            return
        self.error.clear()
        self.said.emit(
            self.tr(
                "Saved: new calibration sessions are acceptable within {0} points and "
                "discussed within {1}."
            ).format(points(bands.acceptable), points(bands.discuss))
        )
        self.changed.emit(changes)

    def stop(self) -> None:
        """Store a value still waiting for its pause (the screen is closing)."""
        if self._pause.isActive():
            self.apply()
