"""Score one interaction: recording beside the form, live score always in view, autosave.

Saving never freezes the window behind another writer (an import of 100,000 calls, a
team sync, another copy of the app): on the GUI thread a write waits at most
``GUI_WRITE_WAIT_S`` for the database's write lock; when it is still taken, the screen
says it is waiting, keeps every answer on screen and tries again every
``RETRY_MS``. Closing the screen or the window saves the draft waiting as long as it
takes (``flush``), so nothing typed is lost; a submit still waiting then is not sent,
and the evaluation stays a draft with all its answers.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.records import (
    Evaluation,
    EvaluationFilter,
    EvaluationSort,
    EvaluationStatus,
)
from qa_monitor.services import NO_CHANGES, Changes, DatabaseBusyError, StorageError
from qa_monitor.services.demo_recordings import resolve_recording
from qa_monitor.services.queue_service import QueueRow
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.dialogs.new_evaluation_dialog import NewEvaluationDialog
from qa_monitor.ui.screens.queue_open import open_queued_call
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.evaluation_form_widget import EvaluationFormWidget
from qa_monitor.ui.widgets.recording_player_widget import RecordingPlayerWidget
from qa_monitor.ui.widgets.score_panel_widget import PANEL_EMS, ScorePanelWidget
from qa_monitor.ui.widgets.shortcut_help_widget import (
    ShortcutGroup,
    ShortcutHelpDialog,
    form_shortcuts,
)
from qa_monitor.ui.widgets.widget_style import em

log = logging.getLogger(__name__)
AUTOSAVE_MS = 700
# The longest a write waits for the lock on the GUI thread before showing that it waits.
GUI_WRITE_WAIT_S = 0.05
RETRY_MS = 250
# After a submit, opens the next call of the reviewer's queue. Ctrl+Enter submits, so
# the same keys with Shift go on to the next one; nothing else in the window uses them.
NEXT_IN_QUEUE_KEYS = ("Ctrl+Shift+Return", "Ctrl+Shift+Enter")
OVERALL_COMMENT_KEYS = "Ctrl+Shift+O"  # O for overall
NARROW_EMS = 85  # below this window width (in font heights) the score panel is narrower


class _ReasonDialog(QInputDialog):
    """Asks why a submitted evaluation changes; stays open until a reason is written."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Change a submitted evaluation"))
        self._question = self.tr(
            "Why is this evaluation being changed? (recorded in the audit log)"
        )
        self.setLabelText(self._question)
        self.setInputMode(QInputDialog.InputMode.TextInput)

    def done(self, result: int) -> None:
        if result == QDialog.DialogCode.Accepted and not self.textValue().strip():
            self.setLabelText(
                self.tr(
                    "A reason is required to change a submitted evaluation: say why, "
                    "or press Esc to leave it as it is."
                )
            )
            return
        super().done(result)


class EvaluateScreen(QWidget):
    changed = Signal(object)  # Changes, for other screens to refresh

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.evaluation: Evaluation | None = None
        self._editing_reason: str | None = None
        self._dirty = False
        self.pages = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self.pages.addWidget(self._empty_page())
        self.pages.addWidget(self._work_page())
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        # A write that found the database busy: try again soon (submit, if it was one).
        self._retry = QTimer(self, singleShot=True, interval=RETRY_MS)
        self._retry.timeout.connect(self._retry_write)
        self._submit_waiting = False
        shortcuts = [
            (QKeySequence.StandardKey.Save, self.save_draft),
            ("Ctrl+Return", self.submit),
            ("Ctrl+Enter", self.submit),
            ("F1", self.show_shortcuts),
            ("Ctrl+Space", self.player.toggle_play),
            ("Ctrl+Left", lambda: self.player.skip(-5000)),
            ("Ctrl+Right", lambda: self.player.skip(5000)),
            ("Ctrl+T", self.insert_timestamp),
            (OVERALL_COMMENT_KEYS, self.focus_overall_comment),
        ]
        for keys, slot in shortcuts:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.next_item: QueueRow | None = None
        self._next_shortcuts = []
        for keys in NEXT_IN_QUEUE_KEYS:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.open_next_in_queue)
            shortcut.setEnabled(False)
            self._next_shortcuts.append(shortcut)

    # ---------------------------------------------------------------- layout
    def _empty_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        text = QLabel(
            self.tr(
                "No evaluation open.\nStart one with Ctrl+N, or open a draft "
                "from the Evaluations screen."
            )
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        button = QPushButton(self.tr("New evaluation…"))
        button.setToolTip(self.tr("New evaluation (Ctrl+N)"))
        button.clicked.connect(self.start_new)
        # After a relaunch: the reviewer's latest unfinished draft, offered first.
        self.resume_label = QLabel()
        self.resume_label.setWordWrap(True)
        self.resume_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.resume_button = QPushButton(self.tr("Resume the draft"))
        self.resume_button.setAutoDefault(True)  # Enter resumes, as Space does
        self.resume_button.setToolTip(self.tr("Open your latest unfinished draft (Enter)"))
        self.resume_button.clicked.connect(self._resume_draft)
        self._resume_id: int | None = None
        layout.addWidget(text)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(em(page, 1.5))
        layout.addWidget(self.resume_label)
        layout.addWidget(self.resume_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def refresh_resume_offer(self) -> None:
        """Offer the reviewer's latest unfinished draft while no evaluation is open."""
        reviewer_id = self.session.reviewer_id
        row = None
        if reviewer_id is not None and self.evaluation is None:
            rows = self.session.services.evaluations.list_evaluations(
                EvaluationFilter(
                    reviewer_ids=(reviewer_id,),
                    statuses=(EvaluationStatus.DRAFT,),
                    sort=EvaluationSort.UPDATED_AT,
                    descending=True,
                ),
                limit=1,
            )
            row = rows[0] if rows else None
        self._resume_id = row.id if row is not None else None
        self.resume_label.setVisible(row is not None)
        self.resume_button.setVisible(row is not None)
        if row is None:
            return
        day = date_text(row.interaction_date)
        self.resume_label.setText(
            self.tr(
                "You have an unfinished draft: call {call} of {agent} on {date}, scored with "
                "{form}. Press Enter to resume it."
            ).format(
                call=f"\u2066{row.interaction_external_id or '—'}\u2069",
                agent=row.agent_name,
                date=f"\u2066{day}\u2069",
                form=row.form_title,
            )
        )
        self.resume_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _resume_draft(self) -> None:
        if self._resume_id is not None:
            self.open_evaluation(self._resume_id)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The score panel's width depends on the window's alone, never on its text (it
        # must not move the cards while scoring); a laptop-sized window gives it less,
        # so the recording and the questions keep their room.
        super().resizeEvent(event)
        narrow = event.size().width() < em(self, NARROW_EMS)
        self.score_panel.setFixedWidth(em(self, 13 if narrow else PANEL_EMS))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.evaluation is None:
            self.refresh_resume_offer()

    def _work_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.header = QLabel()
        self.header.setProperty("role", "pageTitle")
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        self.next_bar = QLabel()
        self.next_bar.setProperty("role", "muted")
        self.next_bar.setWordWrap(True)
        self.next_bar.setAccessibleName(self.tr("Next in your queue"))
        self.next_bar.hide()
        layout.addWidget(self.next_bar)
        self.player = RecordingPlayerWidget()
        self.player.timestampRequested.connect(self._insert_ms)
        self.form_widget = EvaluationFormWidget()
        self.form_widget.answersChanged.connect(self._on_answers_changed)
        self.score_panel = ScorePanelWidget()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.player)
        splitter.addWidget(self.form_widget)
        splitter.addWidget(self.score_panel)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 6)
        splitter.setStretchFactor(2, 2)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        self.overall = QLineEdit(placeholderText=self.tr("Overall comment for the agent"))
        self.overall.setAccessibleName(self.tr("Overall comment"))
        self.overall.textEdited.connect(lambda _t: self._on_answers_changed())
        self.overall.setToolTip(
            self.tr("Overall comment for the agent ({keys})").format(keys=OVERALL_COMMENT_KEYS)
        )
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.overall)
        back.setContext(Qt.ShortcutContext.WidgetShortcut)
        back.activated.connect(
            lambda: self.form_widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        self.form_widget.leftForward.connect(self.focus_overall_comment)
        self.saved_label = QLabel()
        self.saved_label.setProperty("role", "muted")
        self.save_button = QPushButton(self.tr("Save draft"))
        self.save_button.setToolTip(self.tr("Save draft (Ctrl+S) — drafts also save themselves"))
        self.save_button.clicked.connect(self.save_draft)
        self.submit_button = QPushButton(self.tr("Submit"))
        self.submit_button.setToolTip(self.tr("Check and submit (Ctrl+Enter)"))
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self.submit)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setToolTip(
            self.tr("Change a submitted evaluation (a reason is asked and recorded)")
        )
        self.edit_button.clicked.connect(self.begin_edit)
        for w in (self.overall,):
            bottom.addWidget(w, 1)
        for w in (self.saved_label, self.save_button, self.edit_button, self.submit_button):
            bottom.addWidget(w)
        layout.addLayout(bottom)
        return page

    # ---------------------------------------------------------------- opening
    def start_new(self) -> None:
        services = self.session.services
        if self.session.reviewer_id is None:
            QMessageBox.information(
                self,
                self.tr("Choose a reviewer"),
                self.tr("Choose who is reviewing first (Evaluation ▸ Change reviewer)."),
            )
            return
        dialog = NewEvaluationDialog(services, self)
        if not dialog.exec() or dialog.form_version_id is None:
            return
        try:
            interaction_id = dialog.interaction_id
            if interaction_id is None:
                assert dialog.interaction_data is not None
                interaction_id = services.evaluations.create_interaction(dialog.interaction_data).id
            evaluation = services.evaluations.start_evaluation(
                interaction_id, dialog.form_version_id, self.session.reviewer_id, dialog.kind
            )
        except (ValueError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("Cannot start the evaluation"), str(exc))
            return
        self.open_evaluation(evaluation.id)
        self.changed.emit(None)

    def open_evaluation(self, evaluation_id: int) -> None:
        self.flush()
        services = self.session.services
        evaluation = services.evaluations.get_evaluation(evaluation_id)
        try:
            form = services.evaluations.form_of(evaluation)
        except ValueError as exc:  # FormChangedError: the version was altered outside the app
            QMessageBox.warning(self, self.tr("Cannot open the evaluation"), str(exc))
            return
        interaction = services.interactions.get_interaction(evaluation.interaction_id)
        agent = services.people.get_agent(evaluation.agent_id)
        self.evaluation = evaluation
        self._editing_reason = None
        self.saved_label.setText("")  # nothing said about the evaluation shown before
        self._set_next(None)
        self.form_widget.set_form(form, evaluation.answers, interaction.facts)
        self.overall.setText(evaluation.overall_comment)
        self.player.load(resolve_recording(interaction.recording_path))
        self.player.set_transcript(interaction.transcript or "")
        status = self.tr(evaluation.status.value.capitalize())
        version = services.forms.get_version(evaluation.form_version_id).version
        reviewer = services.people.get_reviewer(evaluation.reviewer_id).name
        self.header.setText(
            self.tr("{agent} · {form} v{version} · {date} · {status}").format(
                agent=agent.name,
                form=form.title,
                version=version,
                date=date_text(evaluation.interaction_date),
                status=status,
            )
        )
        self.header.setToolTip(
            self.tr("Scored by {reviewer} with version {version} of the form").format(
                reviewer=reviewer, version=version
            )
        )
        self._apply_mode()
        self._refresh_score()
        self.pages.setCurrentIndex(1)
        self.form_widget.setFocus()

    def _apply_mode(self) -> None:
        ev = self.evaluation
        draft = ev is not None and ev.is_draft
        editing = self._editing_reason is not None
        self.form_widget.set_read_only(not (draft or editing))
        self.overall.setReadOnly(not (draft or editing))
        self.save_button.setVisible(draft)
        self.submit_button.setVisible(draft or editing)
        self.submit_button.setText(self.tr("Save changes") if editing else self.tr("Submit"))
        self.edit_button.setVisible(not draft and not editing)
        if not draft and ev is not None and ev.score is not None and not editing:
            self.saved_label.setText(self.tr("Submitted — read only"))

    # ---------------------------------------------------------------- editing
    def _on_answers_changed(self) -> None:
        self._dirty = True
        self._refresh_score()
        if self.evaluation is not None and self.evaluation.is_draft:
            self._autosave.start()

    def _refresh_score(self) -> None:
        form = self.form_widget.form()
        result = self.form_widget.score_result()
        if form is not None and result is not None:
            self.score_panel.update_result(form, result)

    def save_draft(self, *, wait: bool = False) -> bool:
        """Write the draft now (autosave calls this about a second after each change).

        Without ``wait``, a database busy with another writer is shown and retried
        (module docstring); with it, the write waits for the lock (closing)."""
        self._autosave.stop()
        ev = self.evaluation
        if ev is None or not ev.is_draft or not self._dirty:
            return True
        services = self.session.services
        try:
            with nullcontext() if wait else services.waiting_at_most(GUI_WRITE_WAIT_S):
                services.evaluations.save_draft(
                    ev.id, self.form_widget.answers(), self.overall.text()
                )
        except DatabaseBusyError:
            self._show_waiting()
            return False
        except (ValueError, StorageError) as exc:
            log.exception("Autosave failed")
            self.saved_label.setText(self.tr("Not saved: {0}").format(exc))
            return False
        self._dirty = False
        now = QDateTime.currentDateTime().toString("HH:mm:ss")
        self.saved_label.setText(self.tr("Draft saved {0}").format(now))
        return True

    def _show_waiting(self) -> None:
        log.info("The database is busy with another writer; saving again shortly")
        self.saved_label.setText(
            self.tr(
                "Waiting for another import or sync to finish; your answers are kept "
                "and will be saved as soon as it is done."
            )
        )
        self._retry.start()

    def _retry_write(self) -> None:
        if self._submit_waiting:
            self.submit()
        else:
            self.save_draft()

    @property
    def waiting_to_write(self) -> bool:
        """Whether a save or a submit is waiting for another writer to finish."""
        return self._retry.isActive()

    def flush(self) -> None:
        """Save pending work before the screen or window goes away, waiting for the
        database if another writer holds it (module docstring)."""
        self._retry.stop()
        self._submit_waiting = False
        if self._autosave.isActive() or self._dirty:
            self.save_draft(wait=True)

    def submit(self) -> None:
        ev = self.evaluation
        if ev is None:
            return
        self._retry.stop()
        self._submit_waiting = False
        services = self.session.services.evaluations
        try:
            with self.session.services.waiting_at_most(GUI_WRITE_WAIT_S):
                if self._editing_reason is not None:
                    result = services.edit_submitted(
                        ev.id,
                        self.form_widget.answers(),
                        self.overall.text(),
                        self.session.reviewer_id,
                        self._editing_reason,
                    )
                else:
                    if not self.save_draft():
                        self._submit_waiting = self._retry.isActive()
                        return
                    result = services.submit(ev.id, self.session.reviewer_id)
        except DatabaseBusyError:
            self._submit_waiting = True
            self._show_waiting()
            return
        if not result.ok:
            self.form_widget.set_problems(list(result.problems))
            first = next((p.question_id for p in result.problems if p.question_id), None)
            if first:
                self.form_widget.focus_question(first)
            self.saved_label.setText(
                self.tr("%n problem(s) to fix before submitting", "", len(result.problems))
            )
            return
        self.form_widget.set_problems([])
        if self._editing_reason is not None and result.changes == NO_CHANGES:
            # Still editing: a "saved" with nothing saved would hide a forgotten change.
            self.saved_label.setText(
                self.tr(
                    "Nothing was changed, so nothing was saved. Change an answer or the "
                    "comment, then press Ctrl+Enter again."
                )
            )
            return
        self._dirty = False
        self.open_evaluation(ev.id)
        if self._editing_reason is None:
            self._offer_next_in_queue()
        self.changed.emit(result.changes)

    # ---------------------------------------------------------------- the queue
    def _offer_next_in_queue(self) -> None:
        """After a submit: name the reviewer's next queued call and bind its key."""
        reviewer_id = self.session.reviewer_id
        item = None if reviewer_id is None else self.session.services.queue.next_for(reviewer_id)
        self._set_next(item)
        if item is None:
            return
        day = date_text(item.due_date)
        keys = "Ctrl+Shift+Enter"  # as the tooltips and F1 spell Ctrl+Enter
        self.next_bar.setText(
            self.tr(
                "Next in your queue: call {call} of {agent}, due {date} — press {keys} to open it."
            ).format(
                call=f"\u2066{item.external_id or '—'}\u2069",
                agent=item.agent_name,
                date=f"\u2066{day}\u2069",
                keys=f"\u2066{keys}\u2069",
            )
        )

    def _set_next(self, item: QueueRow | None) -> None:
        self.next_item = item
        self.next_bar.setVisible(item is not None)
        for shortcut in self._next_shortcuts:
            shortcut.setEnabled(item is not None)

    def open_next_in_queue(self) -> None:
        """Open the call the bar names: resume the reviewer's draft of it or start one."""
        item, reviewer_id = self.next_item, self.session.reviewer_id
        if item is None or reviewer_id is None:
            return
        try:
            evaluation_id = open_queued_call(self.session.services, item, reviewer_id)
        except (ValueError, StorageError) as exc:
            self.saved_label.setText(str(exc))
            return
        self.open_evaluation(evaluation_id)
        self.changed.emit(Changes(evaluations=True, programme=True))

    def _ask_reason(self) -> str | None:
        """Why the submitted evaluation changes; None when the reviewer cancels."""
        dialog = _ReasonDialog(self)
        return dialog.textValue().strip() if dialog.exec() else None

    def begin_edit(self) -> None:
        reason = self._ask_reason()
        if not reason:
            return
        self._editing_reason = reason
        self._apply_mode()
        self.saved_label.setText(self.tr("Editing: {0}").format(self._editing_reason))

    # ---------------------------------------------------------------- player
    def _insert_ms(self, ms: int) -> None:
        if not self.form_widget.insert_timestamp_in_current_comment(ms):
            self.saved_label.setText(self.tr("Choose a question to put the timestamp on"))

    def insert_timestamp(self) -> None:
        self._insert_ms(self.player.position_ms())

    def focus_overall_comment(self) -> None:
        """The overall comment: after the last question, and from anywhere by its keys."""
        if self.evaluation is not None and not self.overall.isReadOnly():
            self.overall.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_shortcuts(self) -> None:
        """Every key the screen and its form bind, in one list (F1)."""
        ShortcutHelpDialog(self, self.shortcut_groups()).exec()  # it adds the Help keys

    def shortcut_groups(self) -> list[ShortcutGroup]:
        """The form's, the screen's and the player's keys (the main window's F1 adds
        the keys of every screen)."""
        screen_keys = (
            self.tr("Evaluation"),
            [
                (self.tr("New evaluation"), "Ctrl+N"),
                (self.tr("Save the draft now (it also saves itself)"), "Ctrl+S"),
                (self.tr("Go to the overall comment (Esc goes back)"), OVERALL_COMMENT_KEYS),
                (self.tr("Check and submit / save changes"), "Ctrl+Enter"),
                (
                    self.tr("Open the next call in your queue (offered after a submit)"),
                    "Ctrl+Shift+Enter",
                ),
            ],
        )
        player_keys = (
            self.tr("Recording"),
            [
                (self.tr("Play / pause"), "Ctrl+Space"),
                (self.tr("Back / forward 5 seconds"), "Ctrl+← / Ctrl+→"),
                (self.tr("Put the current time into the question's comment"), "Ctrl+T"),
                (self.tr("Previous match in the transcript search"), "Shift+Enter"),
            ],
        )
        team_keys = (
            self.tr("Team"),
            [(self.tr("Sync with the team now (File ▸ Sync now)"), "F5")],
        )
        return [form_shortcuts(), screen_keys, player_keys, team_keys]
