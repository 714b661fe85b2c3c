"""The Rules tab of My queue: the sampling rules, each described in words.

Rules:
- New (Ctrl+N or Ins, while the focus is in the tab: it wins over the window's New
  evaluation there), Edit (Enter, F2), Deactivate (Ctrl+Shift+D), Reactivate
  (Ctrl+Shift+R), Delete (Del, asked once), Build queue… (Ctrl+B).
- A refusal of the service (a rule that queued calls cannot be deleted; a reviewer's
  login on the team server) is shown as its sentence under the list.
- The rules are few: they are read on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.sampling import SamplingRule
from qa_monitor.services import Changes, DatabaseBusyError, StorageError
from qa_monitor.ui.dialogs.build_queue_dialog import BuildQueueDialog
from qa_monitor.ui.dialogs.person_dialogs import sentence
from qa_monitor.ui.dialogs.sampling_rule_dialog import SamplingRuleDialog
from qa_monitor.ui.models.queue_table_models import RulesModel
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.record_table import (
    action_button,
    empty_label,
    fit_columns,
    on_enter,
    record_table,
    select_id,
    selected_id,
    shortcut,
)

log = logging.getLogger(__name__)
GUI_WRITE_WAIT_S = 0.05
NEW_KEY = QKeySequence("Ctrl+N")


class RulesTab(QWidget):
    changed = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.dialog: QDialog | None = None
        layout = QVBoxLayout(self)
        self.model = RulesModel(self)
        self.table = record_table(self.tr("Sampling rules"), self.model, self)
        on_enter(self.table, self.edit_selected)
        # The filters take the spare width (they are the longest texts), not the state.
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.installEventFilter(self)
        self.empty = empty_label(
            self.tr(
                "No sampling rules yet. A rule says which calls go into the review queue "
                "and on which form they are scored; add one with Ctrl+N."
            )
        )
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages, 1)
        row = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Status"))
        row.addWidget(self.status, 1)
        self.new_button = action_button(
            self.tr("&New…"), self.tr("Add a sampling rule (Ctrl+N)"), self.new_rule
        )
        self.edit_button = action_button(
            self.tr("Ed&it…"), self.tr("Change the selected rule (Enter)"), self.edit_selected
        )
        self.active_button = action_button(
            self.tr("Deac&tivate"),
            self.tr("Stop or restart queueing with the rule (Ctrl+Shift+D / Ctrl+Shift+R)"),
            self.toggle_active,
        )
        self.delete_button = action_button(
            self.tr("De&lete…"),
            self.tr("Delete a rule that has queued nothing (Del)"),
            self.delete_selected,
        )
        self.build_button = action_button(
            self.tr("Build &queue…"),
            self.tr("Queue the calls of a period from the sampling rules (Ctrl+B)"),
            self.build_queue,
        )
        for button in (
            self.new_button, self.edit_button, self.active_button, self.delete_button,
            self.build_button,
        ):  # fmt: skip
            row.addWidget(button)
        layout.addLayout(row)
        for keys, slot in (
            ("Ins", self.new_rule),
            ("F2", self.edit_selected),
            ("Ctrl+Shift+D", lambda: self.set_active(False)),
            ("Ctrl+Shift+R", lambda: self.set_active(True)),
            ("Ctrl+B", self.build_queue),
        ):
            shortcut(keys, self, slot)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.delete_selected)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    # Ctrl+N is the window's New evaluation; in this tab's list it adds a rule.
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() in (
            QEvent.Type.ShortcutOverride,
            QEvent.Type.KeyPress,
        ):
            assert isinstance(event, QKeyEvent)
            if QKeySequence(event.keyCombination()) == NEW_KEY:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    self.new_rule()
                return True
        return super().eventFilter(watched, event)

    # ---------------------------------------------------------------- loading
    def load(self) -> None:
        services = self.session.services
        keep = selected_id(self.table)
        teams = {t.id: t.name for t in services.people.list_teams()}
        forms = {f.form_id: f.title for f in services.forms.list_forms()}
        rules = sorted(services.queue.rules(), key=lambda r: (not r.active, r.name.casefold()))
        self.model.set_rules(rules, teams, forms)
        self.pages.setCurrentIndex(0 if rules else 1)
        self.refit()
        select_id(self.table, keep)
        self._update_buttons()

    def refit(self) -> None:
        fit_columns(self.table, RulesModel.ELASTIC)
        spare = self.table.viewport().width() - self.table.horizontalHeader().length()
        if spare > 0:
            filters = RulesModel.FILTERS
            self.table.setColumnWidth(filters, self.table.columnWidth(filters) + spare)

    # ---------------------------------------------------------------- actions
    def selected_rule(self) -> SamplingRule | None:
        row = self.model.row_of(selected_id(self.table))
        return self.model.row_at(row) if row >= 0 else None

    def _update_buttons(self) -> None:
        rule = self.selected_rule()
        for button in (self.edit_button, self.active_button, self.delete_button):
            button.setEnabled(rule is not None)
        if rule is not None and not rule.active:
            self.active_button.setText(self.tr("Re&activate"))
        else:
            self.active_button.setText(self.tr("Deac&tivate"))
        self.active_button.setAccessibleName(self.active_button.text().replace("&", ""))

    def _open(self, dialog: SamplingRuleDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))

        def done() -> None:
            saved = dialog.saved
            if saved is not None:
                self.status.setText(self.tr("The rule '{0}' is saved.").format(saved.name))
                self.load()
                select_id(self.table, saved.id)
                self.table.setFocus()
            self.changed.emit(dialog.changes)

        dialog.accepted.connect(done)
        dialog.open()

    def new_rule(self) -> None:
        if self.dialog is None:
            self._open(SamplingRuleDialog(self.session.services, None, self))

    def edit_selected(self) -> None:
        rule = self.selected_rule()
        if rule is not None and self.dialog is None:
            self._open(SamplingRuleDialog(self.session.services, rule, self))

    def toggle_active(self) -> None:
        rule = self.selected_rule()
        if rule is not None:
            self.set_active(not rule.active)

    def _write(self, work: Callable[[], object], done_text: str) -> bool:
        services = self.session.services
        try:
            with services.waiting_at_most(GUI_WRITE_WAIT_S):
                changes = work()
        except DatabaseBusyError:
            self.status.setText(
                self.tr("Another import or sync is writing; nothing was changed. Try again.")
            )
            return False
        except (ValueError, StorageError) as exc:
            self.status.setText(sentence(str(exc)))
            return False
        self.status.setText(done_text)
        self.load()
        self.changed.emit(changes if isinstance(changes, Changes) else Changes(programme=True))
        return True

    def set_active(self, active: bool) -> None:
        rule = self.selected_rule()
        if rule is None or rule.id is None or rule.active == active:
            return
        rule_id = rule.id
        text = (
            self.tr("The rule '{0}' is active again; the next build queues with it.")
            if active
            else self.tr("The rule '{0}' is deactivated; its queued calls stay in the queue.")
        ).format(rule.name)
        self._write(lambda: self.session.services.queue.set_rule_active(rule_id, active), text)

    def delete_selected(self) -> None:
        rule = self.selected_rule()
        if rule is None or rule.id is None:
            return
        rule_id = rule.id
        answer = QMessageBox.question(
            self,
            self.tr("Delete the rule"),
            self.tr("Delete the sampling rule '{0}'? This cannot be undone.").format(rule.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.confirm_delete(rule_id, rule.name)

    def confirm_delete(self, rule_id: int, name: str) -> bool:
        """Delete without asking (the question is answered); the refusal is shown."""
        return self._write(
            lambda: self.session.services.queue.delete_rule(rule_id),
            self.tr("The rule '{0}' is deleted.").format(name),
        )

    def build_queue(self) -> None:
        if self.dialog is not None:
            return
        dialog = BuildQueueDialog(self.session, None, self)
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.built.connect(self.changed)
        dialog.open()
