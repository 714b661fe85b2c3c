"""The people screen's actions: add, edit, deactivate, reactivate, delete, undo, profile.

Each goes through the people service, then ``_finish`` reloads the lists, selects who
changed and tells the other screens. Someone with history is offered deactivation
instead of deletion. Only the last change can be undone. Dialogs are opened with
``open()``, never ``exec()``, and the one showing is kept in ``dialog`` for tests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import QCheckBox, QDialog, QLineEdit, QPushButton

from qa_monitor.core.records import Agent, EvaluationFilter, Reviewer, Team
from qa_monitor.services import InUseError, StorageError
from qa_monitor.ui.dialogs.person_dialogs import (
    Person,
    add_again,
    confirm_delete_box,
    keep_history_box,
    person_dialog,
    sentence,
    store_back,
    usage_words,
)
from qa_monitor.ui.models.people_table_models import TeamTableModel
from qa_monitor.ui.session import Session

log = logging.getLogger(__name__)
Undo = Callable[[], int | None]  # undoes an action; returns the id to select afterwards


class PeopleActions:
    """Mixed into ``PeopleScreen`` (a QWidget, which provides ``tr``)."""

    session: Session
    dialog: QDialog | None
    _undo: Undo | None
    _undo_kind: str
    agentProfileRequested: SignalInstance
    search: QLineEdit
    show_inactive: QCheckBox
    undo_button: QPushButton
    team_model: TeamTableModel
    tr: Callable[[str], str]
    current_kind: Callable[[], str]
    show_kind: Callable[[str], None]
    selected_id: Callable[..., int | None]
    selected: Callable[..., Team | Agent | Reviewer | None]
    select: Callable[[str, int | None], bool]
    _finish: Callable[[str, int | None, str], None]
    _say: Callable[[str], None]

    def open_profile(self) -> None:
        if self.current_kind() == "agent" and (agent_id := self.selected_id("agent")) is not None:
            self.agentProfileRequested.emit(agent_id)

    def _show(self, dialog: QDialog, on_finished: Callable[[int], None]) -> None:
        # open(), not exec(): no nested event loop, and tests can drive the dialog directly.
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.finished.connect(on_finished)
        dialog.open()

    def add(self) -> None:
        kind = self.current_kind()
        dialog = person_dialog(self.session.services, kind, None, self)  # type: ignore[arg-type]

        def done(result: int) -> None:
            new_id = dialog.saved_id
            if result != QDialog.DialogCode.Accepted or new_id is None:
                return
            if self.search.text():  # the search might hide the newcomer
                self.search.clear()
            self._finish(kind, new_id, self.tr("Added “{0}”.").format(dialog.name.text().strip()))
            self._set_undo(kind, lambda: self._delete(kind, new_id))

        self._show(dialog, done)

    def edit_selected(self) -> None:
        kind, before = self.current_kind(), self.selected()
        if before is None:
            return
        dialog = person_dialog(self.session.services, kind, before, self)  # type: ignore[arg-type]

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                name = dialog.name.text().strip()
                self._finish(kind, before.id, self.tr("Saved “{0}”.").format(name))
                self._set_undo(kind, lambda: store_back(self.session.services, before))

        self._show(dialog, done)

    def deactivate_selected(self) -> None:
        self._set_active(False)

    def reactivate_selected(self) -> None:
        self._set_active(True)

    def _set_active(self, active: bool) -> None:
        kind, person = self.current_kind(), self.selected()
        if person is None or person.active == active:
            return
        try:
            self._apply_active(kind, person.id, active)
        except (ValueError, StorageError) as exc:
            log.info("Refused to change %s %s: %s", kind, person.id, exc)
            self._say(sentence(str(exc)))
            return
        if active:
            message = self.tr("Reactivated “{0}”: back in the pick-lists.")
        else:
            message = self.tr(
                "Deactivated “{0}”: gone from the pick-lists; their history stays in reports."
            )
            if not self.show_inactive.isChecked():
                message += " " + self.tr("Tick Show inactive to see them.")
        self._finish(kind, person.id, message.format(person.name))
        self._set_undo(kind, lambda: self._apply_active(kind, person.id, not active))

    def _apply_active(self, kind: str, person_id: int, active: bool) -> int:
        verb = "reactivate" if active else "deactivate"
        getattr(self.session.services.people, f"{verb}_{kind}")(person_id)
        return person_id

    def _delete(self, kind: str, person_id: int) -> None:
        getattr(self.session.services.people, f"delete_{kind}")(person_id)

    def delete_selected(self) -> None:
        """Ask once: delete someone without history, or deactivate someone with it."""
        kind, person = self.current_kind(), self.selected()
        if person is None:
            return
        if history := self._history(kind, person.id):
            self._offer_deactivate(kind, person, history)
            return
        box, delete = confirm_delete_box(person.name, self)  # type: ignore[arg-type]

        def done(_result: int) -> None:
            if box.clickedButton() is not delete:
                return
            try:
                self._delete(kind, person.id)
            except InUseError as exc:  # history the screen did not know of (interactions…)
                self._offer_deactivate(kind, person, usage_words(exc.usage))
                return
            self._finish(kind, None, self.tr("Deleted “{0}”.").format(person.name))
            self._set_undo(kind, lambda: add_again(self.session.services, person))

        self._show(box, done)

    def _history(self, kind: str, person_id: int) -> str:
        """The evaluations (and, for a team, agents) that refer to the person, in words."""
        key = {"team": "team_ids", "agent": "agent_ids", "reviewer": "reviewer_ids"}[kind]
        flt = EvaluationFilter(**{key: (person_id,)})  # type: ignore[arg-type]
        usage = {"evaluations": self.session.services.evaluations.count_evaluations(flt)}
        if kind == "team":
            usage["agents"] = self.team_model.agent_count(person_id)
        return usage_words({k: n for k, n in usage.items() if n})

    def _offer_deactivate(self, kind: str, person: Person, history: str) -> None:
        box, deactivate = keep_history_box(person.name, history, person.active, self)  # type: ignore[arg-type]

        def done(_result: int) -> None:
            if deactivate is not None and box.clickedButton() is deactivate:
                self.select(kind, person.id)
                self._set_active(False)

        self._show(box, done)

    # ---------------------------------------------------------------- undo
    def _set_undo(self, kind: str, undo: Undo | None) -> None:
        self._undo, self._undo_kind = undo, kind
        self.undo_button.setVisible(undo is not None)

    def undo(self) -> None:
        """Undo the last add, edit, (de/re)activation or delete made on this screen."""
        if self._undo is None:
            return
        undo, kind = self._undo, self._undo_kind
        self._set_undo(kind, None)
        try:
            person_id = undo()
        except (ValueError, StorageError) as exc:
            log.info("Could not undo on %s: %s", kind, exc)
            self._say(self.tr("Could not undo: {0}").format(sentence(str(exc))))
            return
        self.show_kind(kind)
        self._finish(kind, person_id, self.tr("Undone."))
