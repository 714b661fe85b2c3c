"""New or edit a calibration session: its title, the call, the form version, the expert
(or consensus), the invited reviewers, the variance bands, the due date and a summary.

Rules:
- The call is picked from a list of the newest calls (optionally one agent's), which
  typing narrows by external id, agent, date or channel; an external id typed in full
  finds an older call too (``find_interaction``). Down goes from the search into the
  list.
- Form versions: the published versions of live forms, the latest of each first; a
  new session starts on the latest version of the first form. The bands start at
  ``CalibrationService.default_bands`` of the chosen form (its last session's, else the
  centre's) until the user changes them.
- Experts are listed first (with "Consensus — no expert" above them); the invited
  reviewers are the active ones, ticked in a drop-down list.
- Nothing is stored until Save (Ctrl+Enter); a refusal is shown in the dialog as the
  service's sentence, with every field kept as typed. ``saved_id`` and ``changes``
  say what was stored.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.calibration import Bands
from qa_monitor.core.records import Interaction
from qa_monitor.core.text_keys import name_key
from qa_monitor.services import Changes, Services, StorageError
from qa_monitor.services.calibration_service import SessionInput, SessionView
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.designer.designer_labels import channel_label
from qa_monitor.ui.dialogs.person_dialogs import FieldError, sentence
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.date_field_widget import set_up_date_edit
from qa_monitor.ui.widgets.multi_select_combo import MultiSelectCombo
from qa_monitor.ui.widgets.widget_style import em, muted_label, set_leading_text

log = logging.getLogger(__name__)
ID_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
CALLS_LISTED = 200
NO_DUE = QDate(2000, 1, 1)


class CallPicker(QWidget):
    """A search field over a list of calls (see the module rules)."""

    def __init__(self, services: Services, chosen: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self._chosen = chosen
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Type a call id, an agent or a date (yyyy-mm-dd)"))
        self.search.setAccessibleName(self.tr("Find a call"))
        self.search.installEventFilter(self)
        self.agent = QComboBox()
        self.agent.setAccessibleName(self.tr("Calls of"))
        self.agent.addItem(self.tr("Any agent"), None)
        for agent in sorted(services.people.list_agents(), key=lambda a: a.name.casefold()):
            self.agent.addItem(agent.name, agent.id)
        row.addWidget(self.search, 2)
        row.addWidget(self.agent, 1)
        column.addLayout(row)
        self.model = QStandardItemModel(self)
        self.view = QListView()
        self.view.setAccessibleName(self.tr("Calls"))
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(True)
        self.view.setMinimumHeight(em(self, 7))
        column.addWidget(self.view, 1)
        self.note = muted_label("")
        self.note.setWordWrap(True)
        column.addWidget(self.note)
        self._names = {a.id: a.name for a in services.people.list_agents()}
        self._calls: list[Interaction] = []
        self.search.textChanged.connect(lambda _t: self._fill())
        self.agent.currentIndexChanged.connect(lambda _i: self._read())
        self._read()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self.view.setFocus()
            if not self.view.currentIndex().isValid() and self.model.rowCount():
                self.view.setCurrentIndex(self.model.index(0, 0))
            return True
        return False

    def describe(self, call: Interaction) -> str:
        parts = [
            call.external_id or self.tr("no call id"),
            self._names.get(call.agent_id, "?"),
            date_text(call.local_date),
            channel_label(call.channel),
        ]
        return " · ".join(parts)

    def _read(self) -> None:
        chosen = self.chosen_id() or self._chosen
        self._calls = self.services.interactions.list_interactions(
            agent_id=self.agent.currentData(), limit=CALLS_LISTED
        )
        if chosen is not None and all(c.id != chosen for c in self._calls):
            with contextlib.suppress(LookupError):  # deleted meanwhile
                self._calls.insert(0, self.services.interactions.get_interaction(chosen))
        self._chosen = chosen
        self._fill()

    def _fill(self) -> None:
        chosen = self.chosen_id() or self._chosen
        typed = self.search.text().strip()
        calls = list(self._calls)
        if typed:
            found = self.services.interactions.find_interaction(typed)
            if found is not None and all(c.id != found.id for c in calls):
                calls.insert(0, found)
        wanted = name_key(typed)
        self.model.clear()
        for call in calls:
            text = self.describe(call)
            if wanted and wanted not in name_key(text):
                continue
            item = QStandardItem(text)
            item.setData(call.id, ID_ROLE)
            self.model.appendRow(item)
        row = next(
            (r for r in range(self.model.rowCount()) if self.model.item(r).data(ID_ROLE) == chosen),
            0 if typed else -1,
        )
        if self.model.rowCount() and row >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))
        if not self.model.rowCount():
            set_leading_text(
                self.note, self.tr("No call matches; type its whole call id to find an older one.")
            )
        elif len(self._calls) >= CALLS_LISTED:
            set_leading_text(
                self.note,
                self.tr(
                    "The newest {0} calls are listed; type to narrow them, or type a whole "
                    "call id to find an older one."
                ).format(CALLS_LISTED),
            )
        else:
            set_leading_text(
                self.note, self.tr("%n call(s); type to narrow them.", "", len(self._calls))
            )

    def chosen_id(self) -> int | None:
        index = self.view.currentIndex()
        return int(index.data(ID_ROLE)) if index.isValid() else None


class CalibrationSessionDialog(QDialog):
    def __init__(
        self, session: Session, session_id: int | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.session = session
        self.services = session.services
        self.session_id = session_id
        self.saved_id: int | None = None
        self.changes: Changes | None = None
        calibration = self.services.calibration
        shown = calibration.view(session_id) if session_id is not None else None
        stored = shown.record if shown is not None else None
        self._bands_touched = stored is not None
        title = (
            self.tr("Edit calibration session") if stored else self.tr("New calibration session")
        )
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        outer = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(form, 1)

        self.title = QLineEdit(stored.title if stored else "")
        self.title.setAccessibleName(self.tr("Title"))
        self.title.setPlaceholderText(self.tr("Such as: Billing calls, week 49"))
        self._row(form, self.tr("&Title:"), self.title)

        self.call = CallPicker(self.services, stored.interaction_id if stored else None)
        self._row(form, self.tr("&Call:"), self.call, self.call.search)
        if shown is not None and shown.submitted:
            self.call.setEnabled(False)
            self.call.setToolTip(
                self.tr("Reviewers have scored this call already; it stays the session's call.")
            )

        self.version = QComboBox()
        self.version.setAccessibleName(self.tr("Form version"))
        self._fill_versions(stored.form_version_id if stored else None)
        self._row(form, self.tr("&Form:"), self.version)

        self.expert = QComboBox()
        self.expert.setAccessibleName(self.tr("Expert"))
        self.invited = MultiSelectCombo(self.tr("Nobody yet"), self.tr("{0} reviewers"))
        self.invited.setAccessibleName(self.tr("Invited reviewers"))
        self._fill_people(shown)
        if stored is not None:
            self.invited.set_selected(stored.reviewer_ids, emit=False)
        self._row(form, self.tr("E&xpert:"), self.expert)
        self._row(form, self.tr("&Reviewers:"), self.invited)

        bands = Bands(stored.acceptable, stored.discuss) if stored else self._default_bands()
        self.acceptable = self._band_box(self.tr("Acceptable within"), bands.acceptable)
        self.discuss = self._band_box(self.tr("Discuss within"), bands.discuss)
        bands_row = QWidget()
        line = QHBoxLayout(bands_row)
        line.setContentsMargins(0, 0, 0, 0)
        discuss_caption = QLabel(self.tr("di&scuss within:"))
        discuss_caption.setBuddy(self.discuss)
        line.addWidget(self.acceptable)
        line.addWidget(discuss_caption)
        line.addWidget(self.discuss)
        line.addStretch(1)
        self._row(form, self.tr("&Acceptable within:"), bands_row, self.acceptable)
        self.bands_hint = muted_label(
            self.tr(
                "Points of score between a reviewer and the benchmark: within the first the "
                "reviewer is acceptable, within the second discussed, beyond it recalibrated."
            )
        )
        self.bands_hint.setWordWrap(True)
        set_leading_text(self.bands_hint, self.bands_hint.text())
        form.addRow("", self.bands_hint)

        self.due = QDateEdit()
        self.due.setAccessibleName(self.tr("Due date"))
        set_up_date_edit(self.due)
        self.due.setMinimumDate(NO_DUE)
        self.due.setSpecialValueText(self.tr("no due date"))
        week_start = self.services.settings.centre().week_start
        self.due.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek(week_start + 1))
        due = stored.due_date if stored else None
        self.due.setDate(QDate(due.year, due.month, due.day) if due else NO_DUE)
        self._row(form, self.tr("D&ue:"), self.due)

        self.summary = QPlainTextEdit(stored.summary if stored else "")
        self.summary.setTabChangesFocus(True)
        self.summary.setAccessibleName(self.tr("Summary"))
        self.summary.setPlaceholderText(self.tr("What the session is for, or what it concluded"))
        self.summary.setMaximumHeight(em(self, 5))
        self._row(form, self.tr("Su&mmary:"), self.summary)

        self.error = FieldError()
        outer.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Create session") if stored is None else self.tr("Save"))
        self.save_button.setToolTip(self.tr("Store the session (Ctrl+Enter)"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        self.version.currentIndexChanged.connect(lambda _i: self._form_changed())
        for box in (self.acceptable, self.discuss):
            box.valueChanged.connect(lambda _v: self._touch_bands())
        self.title.textEdited.connect(lambda _t: self.error.clear())
        self.invited.selectionChanged.connect(self.error.clear)
        self.resize(em(self, 46), em(self, 38))
        self.title.setFocus()

    # ---------------------------------------------------------------- building
    def _row(
        self, form: QFormLayout, label: str, field: QWidget, buddy: QWidget | None = None
    ) -> None:
        caption = QLabel(label)
        caption.setBuddy(buddy or field)
        form.addRow(caption, field)

    def _band_box(self, name: str, value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(0.0, 100.0)
        box.setDecimals(1)
        box.setSingleStep(1.0)
        box.setSuffix(self.tr(" points"))
        box.setAccessibleName(name)
        box.setValue(value)
        return box

    def _fill_versions(self, chosen: int | None) -> None:
        versions = self.services.forms.published_versions(latest_only=False)
        by_form: dict[str, list] = {}
        for v in versions:
            by_form.setdefault(v.form_id, []).append(v)
        for form_id in sorted(by_form, key=lambda f: by_form[f][0].form.title.casefold()):
            ordered = sorted(by_form[form_id], key=lambda v: -v.version)
            for position, v in enumerate(ordered):
                text = (
                    self.tr("{0}, version {1} (latest)")
                    if position == 0
                    else self.tr("{0}, version {1}")
                ).format(v.form.title, v.version)
                self.version.addItem(text, v.id)
        if chosen is not None and self.version.findData(chosen) < 0:
            stored = self.services.forms.get_version(chosen)
            self.version.addItem(
                self.tr("{0}, version {1}").format(stored.form.title, stored.version), chosen
            )
        self.version.setCurrentIndex(max(0, self.version.findData(chosen)))

    def _fill_people(self, session_view: SessionView | None) -> None:
        reviewers = self.services.people.list_reviewers()
        stored = session_view.record if session_view is not None else None
        editing = stored is not None
        expert_id = stored.expert_id if stored is not None else None
        # A deactivated reviewer already invited stays offered (and ticked).
        kept = set(stored.invited) if stored is not None else set()
        shown = [r for r in reviewers if r.active or r.id in kept]
        shown.sort(key=lambda r: (not r.is_expert, r.name.casefold()))
        self.expert.addItem(self.tr("Consensus — no expert"), None)
        for r in shown:
            text = self.tr("{0} (expert)").format(r.name) if r.is_expert else r.name
            self.expert.addItem(text, r.id)
        if editing:
            self.expert.setCurrentIndex(max(0, self.expert.findData(expert_id)))
        else:
            me = self.session.reviewer_id
            first_expert = next((r.id for r in shown if r.is_expert), None)
            mine = next((r for r in shown if r.id == me and r.is_expert), None)
            default = mine.id if mine else first_expert
            self.expert.setCurrentIndex(max(0, self.expert.findData(default)))
        self.invited.set_choices(
            [(r.name, r.id) for r in sorted(shown, key=lambda r: r.name.casefold())]
        )

    def _default_bands(self) -> Bands:
        version_id = self.version.currentData()
        if version_id is None:
            return self.services.calibration.centre_bands()
        form_id = self.services.forms.get_version(int(version_id)).form_id
        return self.services.calibration.default_bands(form_id)

    def _form_changed(self) -> None:
        self.error.clear()
        if self._bands_touched:
            return
        bands = self._default_bands()
        for box, value in ((self.acceptable, bands.acceptable), (self.discuss, bands.discuss)):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)

    def _touch_bands(self) -> None:
        self._bands_touched = True
        self.error.clear()

    # ---------------------------------------------------------------- saving
    def given(self) -> SessionInput | None:
        call = self.call.chosen_id()
        if call is None:
            self.error.show_message(
                self.tr("Choose the call the reviewers will score: type its id to find it.")
            )
            self.call.search.setFocus()
            return None
        if self.version.currentData() is None:
            self.error.show_message(
                self.tr("No published form yet: publish a form on the Forms screen first.")
            )
            return None
        day = self.due.date()
        due = None if day == NO_DUE else day.toPython()
        assert due is None or isinstance(due, date)
        expert = self.expert.currentData()
        return SessionInput(
            title=self.title.text(),
            interaction_id=call,
            form_version_id=int(self.version.currentData()),
            expert_id=None if expert is None else int(expert),
            reviewer_ids=tuple(int(r) for r in self.invited.selected()),  # type: ignore[call-overload]
            bands=Bands(self.acceptable.value(), self.discuss.value()),
            due_date=due,
            summary=self.summary.toPlainText(),
        )

    def save(self) -> None:
        self.error.clear()
        given = self.given()
        if given is None:
            return
        calibration = self.services.calibration
        try:
            if self.session_id is None:
                self.saved_id, self.changes = calibration.create(given)
            else:
                self.changes = calibration.update(self.session_id, given)
                self.saved_id = self.session_id
        except (ValueError, LookupError, StorageError) as exc:
            log.info("Refused to save a calibration session: %s", exc)
            self.error.show_message(sentence(str(exc)))
            return
        self.accept()
