"""Settings ▸ Churn reasons: the centre's list of reasons customers leave, the teams
that can act on each (the first is the one the Outcomes screen groups it under) and
the words its files use for it.

Rules:
- The list is edited here and stored with "Save reasons" (one team-wide setting that
  travels with team sync); a refusal (``ChurnReasonsError``) is said under the fields
  and nothing is stored. A reviewer's or an agent's login to a team server may not
  change it, and the group says so.
- An existing reason's code is read-only (answers and imported events name it); a new
  reason's code is typed once. "other" cannot be removed: text that matches no reason
  is counted under it. "Restore defaults" puts the shipped list back in the fields.
- Teams and words are typed separated by semicolons.
- Keyboard: the list (Alt+E) chooses a reason; Tab goes on to its fields; Insert adds a reason
  and Delete removes the chosen one while the list has the focus.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.churn_reasons import (
    DEFAULT_REASONS,
    OTHER,
    ChurnReason,
    ChurnReasons,
    ChurnReasonsError,
)
from qa_monitor.services import Changes, StorageError
from qa_monitor.ui import outcome_texts as texts
from qa_monitor.ui.dialogs.person_dialogs import FieldError, sentence
from qa_monitor.ui.session import Session

SEPARATOR = "; "


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


class _ReasonList(QListWidget):
    insertPressed = Signal()
    deletePressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Insert:
            self.insertPressed.emit()
        elif event.key() == Qt.Key.Key_Delete:
            self.deletePressed.emit()
        else:
            super().keyPressEvent(event)


class ChurnReasonsSettingsGroup(QGroupBox):
    said = Signal(str)  # a sentence for the screen's status line
    changed = Signal(object)  # Changes

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(self.tr("Churn reasons"), parent)
        self.session = session
        self.setObjectName("churnReasonSettings")
        self.setAccessibleName(self.tr("Churn reasons"))
        self.captions: list[QLabel] = []
        self.reasons: list[ChurnReason] = list(DEFAULT_REASONS)
        self._stored: tuple[ChurnReason, ...] = DEFAULT_REASONS
        self._new_codes: set[str] = set()
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "Why customers leave, and which team can act on each reason: the Outcomes "
                "screen groups its churn Pareto by the first team. Words are other ways your "
                "files name a reason; separate teams and words with semicolons."
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

        self.list = _ReasonList()
        self.list.setAccessibleName(self.tr("Churn reasons"))
        self.list.setMaximumHeight(self.fontMetrics().height() * 9)
        self.list.currentRowChanged.connect(self._show_reason)
        self.list.insertPressed.connect(self.add_reason)
        self.list.deletePressed.connect(self.remove_reason)
        list_caption = QLabel(self.tr("Rea&sons:"))
        list_caption.setBuddy(self.list)
        layout.addWidget(list_caption)
        layout.addWidget(self.list)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.code = self._field(form, self.tr("Code:"), self.tr("Code"))
        self.label = self._field(form, self.tr("Label:"), self.tr("Label"))
        self.teams = self._field(form, self.tr("Acting teams:"), self.tr("Acting teams"))
        self.words = self._field(form, self.tr("Words:"), self.tr("Words"))
        layout.addLayout(form)
        self.error = FieldError()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add reason"))
        self.add_button.setToolTip(self.tr("Add a reason (Insert in the list)"))
        self.add_button.clicked.connect(self.add_reason)
        self.remove_button = QPushButton(self.tr("Remove reason"))
        self.remove_button.setToolTip(self.tr("Remove the chosen reason (Delete in the list)"))
        self.remove_button.clicked.connect(self.remove_reason)
        self.defaults_button = QPushButton(self.tr("Restore defaults"))
        self.defaults_button.clicked.connect(self.restore_defaults)
        self.save_button = QPushButton(self.tr("Save reasons"))
        self.save_button.clicked.connect(self.save)
        for button in (self.add_button, self.remove_button, self.defaults_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

    def _field(self, form: QFormLayout, caption: str, name: str) -> QLineEdit:
        field = QLineEdit()
        field.setAccessibleName(name)
        field.textEdited.connect(lambda _t: self._take_fields())
        label = QLabel(caption)
        label.setBuddy(field)
        self.captions.append(label)
        form.addRow(label, field)
        return field

    # ---------------------------------------------------------------- showing
    def refresh(self) -> None:
        try:
            stored = self.session.services.settings.churn_reasons()
        except ChurnReasonsError as exc:
            self.error.show_message(sentence(str(exc)))
            stored = ChurnReasons()
        self._stored = stored.reasons
        self._new_codes.clear()
        self._fill(list(stored.reasons))
        allowed = self.session.services.settings.team_choices_allowed()
        for widget in (
            self.list, self.label, self.teams, self.words, self.add_button,
            self.remove_button, self.defaults_button, self.save_button,
        ):  # fmt: skip
            widget.setEnabled(allowed)
        self.locked.setVisible(not allowed)

    def _fill(self, reasons: list[ChurnReason], row: int = 0) -> None:
        self.reasons = reasons
        blocker = QSignalBlocker(self.list)
        self.list.clear()
        for reason in reasons:
            self.list.addItem(self._item_text(reason))
        del blocker
        self.list.setCurrentRow(min(row, len(reasons) - 1))
        self._show_reason(self.list.currentRow())

    def _item_text(self, reason: ChurnReason) -> str:
        label = texts.reason_label(reason.code, reason.label)
        if not reason.acting_team:
            return label
        return self.tr("{0} — {1}").format(label, texts.team_label(reason.acting_team))

    def _show_reason(self, row: int) -> None:
        if not 0 <= row < len(self.reasons):
            return
        reason = self.reasons[row]
        blockers = [QSignalBlocker(w) for w in (self.code, self.label, self.teams, self.words)]
        self.code.setText(reason.code)
        self.label.setText(reason.label)
        self.teams.setText(SEPARATOR.join(reason.teams))
        self.words.setText(SEPARATOR.join(reason.words))
        del blockers
        # Answers and imported churn events name a reason by its code.
        self.code.setReadOnly(reason.code not in self._new_codes)
        self.code.setToolTip(
            self.tr("Codes of saved reasons cannot change: answers and imports use them.")
            if self.code.isReadOnly()
            else self.tr("A short code for the new reason, used by files and answers.")
        )
        self.remove_button.setEnabled(reason.code != OTHER)

    def _take_fields(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.reasons):
            return
        old = self.reasons[row]
        code = self.code.text().strip() if old.code in self._new_codes else old.code
        if code != old.code:
            self._new_codes.discard(old.code)
            self._new_codes.add(code)
        self.reasons[row] = replace(
            old,
            code=code,
            label=self.label.text(),
            teams=_split(self.teams.text()),
            words=_split(self.words.text()),
        )
        item = self.list.item(row)
        if item is not None:
            item.setText(self._item_text(self.reasons[row]))

    # ---------------------------------------------------------------- editing
    def add_reason(self) -> None:
        codes = {r.code for r in self.reasons}
        n = 1
        while f"reason_{n}" in codes:
            n += 1
        code = f"reason_{n}"
        self._new_codes.add(code)
        reason = ChurnReason(code, self.tr("New reason"), ())
        at = max(0, len(self.reasons) - 1)  # before "other", which ends the list
        if not any(r.code == OTHER for r in self.reasons):
            at = len(self.reasons)
        self._fill([*self.reasons[:at], reason, *self.reasons[at:]], at)
        self.label.setFocus()
        self.label.selectAll()

    def remove_reason(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.reasons) or self.reasons[row].code == OTHER:
            return
        self._fill([r for i, r in enumerate(self.reasons) if i != row], row)
        self.list.setFocus()

    def restore_defaults(self) -> None:
        self._new_codes.clear()
        self._fill(list(DEFAULT_REASONS))
        self.said.emit(
            self.tr("The default churn reasons are back in the fields; save them to use them.")
        )

    def save(self) -> bool:
        self._take_fields()
        try:
            reasons = ChurnReasons(tuple(self.reasons))
            changes: Changes = self.session.services.settings.set_churn_reasons(reasons)
        except (ChurnReasonsError, ValueError, StorageError) as exc:
            self.error.show_message(sentence(str(exc)) + " " + self.tr("Nothing was changed."))
            return False
        self.error.clear()
        self._stored = reasons.reasons
        self._new_codes.clear()
        self._show_reason(self.list.currentRow())
        self.said.emit(self.tr("Saved: %n churn reason(s).", "", len(reasons.reasons)))
        self.changed.emit(changes)
        return True
