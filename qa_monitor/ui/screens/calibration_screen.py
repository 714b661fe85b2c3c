"""Calibration: the sessions (open ones first), and the selected one — blind while
open, compared question by question once revealed.

Rules:
- The list and the selected session are read off the GUI thread
  (``CalibrationLoader``: the service's own read-only connection, one worker thread).
  Each request has a generation; a newer one cancels the older, whose answer is
  dropped. What is shown stays until the new answer arrives; "Loading…" shows only
  after ``LOADING_NOTICE_MS``; the selected session stays selected while listed.
- The screen reads only while visible: ``refresh`` while hidden marks it stale.
- Keyboard: Insert (or Alt+N) a new session, when allowed (Ctrl+N is the window's
  New evaluation, which a screen's own Ctrl+N would make ambiguous); "Only mine"
  (Alt+O); F9 shows or hides the list; Enter on a
  session does its main thing (score it when it is yours to score, else the keyboard
  goes into the session), Delete deletes it (asked once). The session's buttons have
  Alt keys.
- Actions call ``CalibrationService`` on the GUI thread (each one short write) and
  say what happened, or the service's refusal as its sentence; what changed is
  emitted as ``changed``. "Score this call" asks the window to open the draft on
  Evaluate (``openEvaluationRequested``); "Put the note into a form draft" asks it to
  show the form's draft on Forms (``formDraftRequested``). Dialogs are opened with
  ``open()`` and kept in ``dialog`` for tests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.answers import Answer
from qa_monitor.services import Changes, StorageError
from qa_monitor.services.calibration_list_service import (
    CalibrationListService,
    ListedSession,
    RevealView,
    SessionView,
)
from qa_monitor.ui import icons
from qa_monitor.ui.dialogs.calibration_session_dialog import CalibrationSessionDialog
from qa_monitor.ui.dialogs.person_dialogs import sentence
from qa_monitor.ui.models.calibration_models import CalibrationLoader, SessionsTableModel
from qa_monitor.ui.screens.calibration_open_view import OpenSessionView
from qa_monitor.ui.screens.calibration_reveal_view import RevealedSessionView
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.record_table import (
    empty_label,
    fit_columns,
    on_enter,
    record_table,
    select_id,
    selected_id,
    shortcut,
    table_pages,
)
from qa_monitor.ui.widgets.widget_style import em

log = logging.getLogger(__name__)
LOADING_NOTICE_MS = 200
LIST_LIMIT = 500
EMPTY, OPEN, REVEALED = range(3)


class CalibrationScreen(QWidget):
    changed = Signal(object)  # Changes
    openEvaluationRequested = Signal(int)  # evaluation id
    formDraftRequested = Signal(str, str)  # form id, question id
    listed = Signal()  # the list of the latest request is shown
    detailShown = Signal()  # the selected session of the latest request is shown

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.dialog: QDialog | QMessageBox | None = None
        self.detail: SessionView | RevealView | None = None
        self.loader = CalibrationLoader(CalibrationListService(session.path), self)
        self.loader.listed.connect(self._on_listed)
        self.loader.detailed.connect(self._on_detail)
        self.loader.failed.connect(self._on_failed)
        self._list_generation = 0
        self._detail_generation = 0
        self._loading = False
        self._stale = True
        self._keep_selected: int | None = None
        self._focus_detail = False
        self._closed = False
        self._loading_notice = QTimer(self, singleShot=True, interval=LOADING_NOTICE_MS)
        self._loading_notice.timeout.connect(self._say_loading)
        self._refit_later = QTimer(self, singleShot=True, interval=0)
        self._refit_later.timeout.connect(self._refit)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        title = QLabel(self.tr("Calibration"))
        title.setProperty("role", "pageTitle")
        top.addWidget(title)
        top.addStretch(1)
        # A session's matrix wants the width: the list can step aside while it is read.
        self.list_toggle = QPushButton(
            icons.icon("mdi6.format-list-bulleted", color=self.palette().text().color()),
            self.tr("Sessions list"),
        )
        self.list_toggle.setCheckable(True)
        self.list_toggle.setChecked(True)
        self.list_toggle.setToolTip(self.tr("Show or hide the list of sessions (F9)"))
        self.list_toggle.setAccessibleName(self.tr("Show the list of sessions"))
        self.list_toggle.toggled.connect(self._show_list)
        top.addWidget(self.list_toggle)
        layout.addLayout(top)
        shortcut("F9", self, self.list_toggle.toggle)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.list_pane = self._list_pane()
        self.splitter.addWidget(self.list_pane)
        self.splitter.addWidget(self._detail_pane())
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        layout.addWidget(self.splitter, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Status"))
        layout.addWidget(self.status)
        self._update_buttons()

    # ---------------------------------------------------------------- building
    def _list_pane(self) -> QWidget:
        pane = QWidget()
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.only_mine = QCheckBox(self.tr("&Only mine"))
        self.only_mine.setToolTip(self.tr("Only the sessions you are invited to score (Alt+O)"))
        self.only_mine.toggled.connect(lambda _c: self.reload())
        bar.addWidget(self.only_mine)
        bar.addStretch(1)
        self.count = QLabel()
        self.count.setAccessibleName(self.tr("Calibration sessions"))
        bar.addWidget(self.count)
        column.addLayout(bar)
        self.model = SessionsTableModel(self)
        self.table: QTableView = record_table(self.tr("Calibration sessions"), self.model, self)
        self.table.setSortingEnabled(False)  # open first, then revealed, newest first
        # Turning sorting on (record_table) already sorted the proxy by the first column,
        # descending, and turning it off keeps that: back to the service's order.
        self.table.model().sort(-1)
        self.table.setTabKeyNavigation(False)
        on_enter(self.table, self.enter_selected)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.empty = empty_label()
        self.pages = table_pages(self.table, self.empty)
        column.addWidget(self.pages, 1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        self.new_button = self._button(
            self.tr("&New session…"),
            "mdi6.account-multiple-check-outline",
            self.tr(
                "Set up a calibration session: a call, a form and the reviewers (Insert or Alt+N)"
            ),
            self.new_session,
        )
        actions.addWidget(self.new_button)
        self.export_button = self._button(
            self.tr("E&xport to Excel…"),
            "mdi6.microsoft-excel",
            self.tr(
                "Write the revealed sessions to a workbook: the sessions, each reviewer's "
                "deviation and band, and a matrix per session (Ctrl+Shift+E)"
            ),
            self.export_workbook,
        )
        actions.insertWidget(0, self.export_button)
        column.addLayout(actions)
        shortcut("Ins", self, self.new_session)
        shortcut("Ctrl+Shift+E", self, self.export_workbook)
        return pane

    def export_workbook(self) -> None:
        """The calibration workbook of every revealed session (the newest 100), off the
        GUI thread (ui/dialogs/calibration_export.py)."""
        from qa_monitor.ui.dialogs.calibration_export import start_calibration_export

        self._export_run = start_calibration_export(self, self.session)

    def _button(self, text: str, icon: str, tip: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(icons.icon(icon, color=self.palette().text().color()), text)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(lambda _c=False: slot())
        return button

    def _detail_pane(self) -> QWidget:
        self.detail_pages = QStackedWidget()
        self.detail_empty = empty_label()
        self.open_view = OpenSessionView()
        self.open_view.scoreRequested.connect(self.score)
        self.open_view.editRequested.connect(self.edit_selected)
        self.open_view.deleteRequested.connect(self.delete_selected)
        self.open_view.revealRequested.connect(self.reveal)
        self.revealed_view = RevealedSessionView()
        self.revealed_view.noteSaveRequested.connect(self.save_note)
        self.revealed_view.guidanceDraftRequested.connect(self.guidance_draft)
        self.revealed_view.summarySaveRequested.connect(self.save_summary)
        for page in (self.detail_empty, self.open_view, self.revealed_view):
            self.detail_pages.addWidget(page)
        return self.detail_pages

    # ---------------------------------------------------------------- loading
    def refresh(self, changes: Changes | None = None) -> None:
        """Read the sessions again (now if shown, else when next shown)."""
        if changes is not None and not (
            changes.programme or changes.evaluations or changes.people or changes.settings
        ):
            return
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self.resizeEvent(QResizeEvent(self.size(), self.size()))
        if self._stale:
            self.reload()

    def reload(self) -> int:
        """Ask for the list (and then the selected session); returns the generation."""
        if self._closed:  # its database is going (a switch): nothing more is read
            return self._list_generation
        self._stale = False
        self._list_generation += 1
        self._loading = True
        self.loader.load_list(self._list_generation, self.only_mine.isChecked(), LIST_LIMIT)
        self._loading_notice.start()
        self._update_buttons()
        return self._list_generation

    def _say_loading(self) -> None:
        if self._loading:
            self.count.setText(self.tr("Loading the calibration sessions…"))

    def _on_listed(self, generation: int, rows: list[ListedSession]) -> None:
        if generation != self._list_generation or self._closed:
            return
        self._loading = False
        keep = self._keep_selected or self.selected_id()
        self._keep_selected = None
        self.model.set_rows(rows)
        self.count.setText(self.tr("%n session(s)", "", len(rows)))
        if not rows:
            self.empty.setText(self._empty_text())
        self.pages.setCurrentIndex(0 if rows else 1)
        self.table.blockSignals(True)
        self.table.selectionModel().blockSignals(True)
        select_id(self.table, keep)
        self.table.selectionModel().blockSignals(False)
        self.table.blockSignals(False)
        self._fit_list()
        self._selection_changed()
        self.listed.emit()

    def _empty_text(self) -> str:
        if self.only_mine.isChecked():
            return self.tr(
                "You are invited to no calibration session. Untick Only mine (Alt+O) to see "
                "every session."
            )
        if self.session.services.calibration.may_create():
            return self.tr(
                "No calibration sessions yet. Set one up with New session (Insert): a call, "
                "a form, an expert and the reviewers who score it blind."
            )
        return self.tr(
            "No calibration sessions yet. A supervisor or an expert reviewer sets them up; "
            "the ones you are invited to appear here."
        )

    def _on_failed(self, generation: int, kind: str, error: str) -> None:
        if kind == "list" and generation == self._list_generation:
            self._loading = False
            self._stale = True
            self.count.setText(
                self.tr(
                    "The calibration sessions could not be read: {0} The rows shown are the "
                    "previous ones; show the screen again to retry."
                ).format(sentence(error))
            )
        elif kind == "detail" and generation == self._detail_generation:
            self._show_empty(
                self.tr("This session could not be read: {0} Choose it again to retry.").format(
                    sentence(error)
                )
            )
            self.detailShown.emit()

    def _load_detail(self, session_id: int) -> None:
        if self._closed:
            return
        self._detail_generation += 1
        self.loader.load_detail(self._detail_generation, session_id)

    def _on_detail(self, generation: int, detail: SessionView | RevealView) -> None:
        if generation != self._detail_generation or self._closed:
            return
        self.detail = detail
        if isinstance(detail, RevealView):
            self.revealed_view.zone = self.session.services.settings.centre().timezone
            self.revealed_view.show_view(detail)
            self.detail_pages.setCurrentIndex(REVEALED)
        else:
            self.open_view.show_view(detail)
            self.detail_pages.setCurrentIndex(OPEN)
        if self._focus_detail:
            self._focus_detail = False
            self.current_view().first_focus().setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_buttons()
        self.detailShown.emit()

    def _show_empty(self, text: str) -> None:
        self.detail = None
        self.detail_empty.setText(text)
        self.detail_pages.setCurrentIndex(EMPTY)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closed when its database goes: a stack that shows it again meanwhile, or an
        # answer still queued, must not reach the closed database.
        self._closed = True
        self._list_generation += 1
        self._detail_generation += 1
        self.loader.cancel()
        self.loader.wait()
        super().closeEvent(event)

    # ---------------------------------------------------------------- layout
    def _show_list(self, shown: bool) -> None:
        focused = QApplication.focusWidget()
        had_focus = focused is not None and self.list_pane.isAncestorOf(focused)
        self.list_pane.setVisible(shown)
        if shown:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        elif had_focus and self.detail is not None:
            self.current_view().first_focus().setFocus(Qt.FocusReason.OtherFocusReason)
        self._refit_later.start()

    def _fit_list(self) -> None:
        fit_columns(self.table, elastic=SessionsTableModel.ELASTIC)

    def _refit(self) -> None:
        self._fit_list()
        if self.detail_pages.currentIndex() == REVEALED:
            self.revealed_view.fit_matrix()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._sized and self.isVisible():
            self._sized = True
            # The session gets the room: its matrix has a column per reviewer.
            width = self.splitter.width()
            listed = max(em(self, 20), min(em(self, 30), int(width * 0.3)))
            self.splitter.setSizes([listed, max(width - listed, 1)])
        self._refit_later.start()

    _sized = False

    # ---------------------------------------------------------------- selection
    def selected_id(self) -> int | None:
        return selected_id(self.table)

    def selected(self) -> ListedSession | None:
        session_id = self.selected_id()
        row = self.model.row_of(session_id) if session_id is not None else -1
        return self.model.row_at(row) if row >= 0 else None

    def _selection_changed(self) -> None:
        session_id = self.selected_id()
        if session_id is None:
            self._show_empty(
                self.tr("Choose a session on the left to see who has scored it, or its answers.")
                if self.model.rowCount()
                else ""
            )
            self.detailShown.emit()
        else:
            # Read again even when it is the session shown: a list read after a change
            # is followed by its session's.
            self._load_detail(session_id)
        self._update_buttons()

    def _detail_id(self) -> int | None:
        if self.detail is None:
            return None
        if isinstance(self.detail, RevealView):
            return self.detail.view.record.id
        return self.detail.record.id

    def current_view(self) -> OpenSessionView | RevealedSessionView:
        return self.revealed_view if isinstance(self.detail, RevealView) else self.open_view

    def _update_buttons(self) -> None:
        if not self._closed:
            self.new_button.setVisible(self.session.services.calibration.may_create())

    def show_session(self, session_id: int) -> int:
        """List every session with ``session_id`` selected; returns the generation."""
        self._keep_selected = session_id
        if self.only_mine.isChecked():
            self.only_mine.blockSignals(True)
            self.only_mine.setChecked(False)
            self.only_mine.blockSignals(False)
        generation = self.reload()
        self.table.setFocus()
        return generation

    def enter_selected(self) -> None:
        """Enter on a session: score it when it is yours to score, else go into it."""
        detail = self.detail
        if (
            isinstance(detail, SessionView)
            and detail.record.id == self.selected_id()
            and detail.my_state in ("waiting", "draft")
        ):
            self.score()
            return
        if self._detail_id() == self.selected_id() and self.detail is not None:
            self.current_view().first_focus().setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self._focus_detail = True

    # ---------------------------------------------------------------- actions
    def _say(self, message: str) -> None:
        self.status.setText(message)
        self.status.setAccessibleDescription(message)

    def _attempt(self, action: Callable[[], Changes], done: str) -> bool:
        try:
            changes = action()
        except (ValueError, LookupError, StorageError) as exc:
            log.info("Calibration action refused: %s", exc)
            self._say(sentence(str(exc)))
            return False
        self._say(done)
        self._after_change(changes)
        return True

    def _after_change(self, changes: Changes) -> None:
        self._keep_selected = self._detail_id() or self.selected_id()
        self.refresh()
        self.changed.emit(changes)

    def new_session(self) -> None:
        if self.dialog is not None or not self.session.services.calibration.may_create():
            return
        dialog = CalibrationSessionDialog(self.session, parent=self)
        self._open_dialog(dialog, lambda: self._saved(dialog, self.tr("The session is set up.")))

    def edit_selected(self) -> None:
        session_id = self._detail_id()
        if session_id is None or self.dialog is not None:
            return
        try:
            dialog = CalibrationSessionDialog(self.session, session_id, parent=self)
        except (LookupError, StorageError):
            self._say(self.tr("This session was deleted meanwhile; the list is read again."))
            self.refresh()
            return
        self._open_dialog(dialog, lambda: self._saved(dialog, self.tr("The session is saved.")))

    def _open_dialog(self, dialog: QDialog | QMessageBox, on_accepted: Callable[[], None]) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.accepted.connect(on_accepted)
        dialog.open()

    def _saved(self, dialog: CalibrationSessionDialog, message: str) -> None:
        self._say(message)
        if dialog.changes is not None:
            self._keep_selected = dialog.saved_id
            self.refresh()
            self.changed.emit(dialog.changes)

    def delete_selected(self) -> None:
        detail = self.detail
        if not isinstance(detail, SessionView) or self.dialog is not None:
            return
        if not detail.can_manage:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete calibration session"))
        box.setText(
            self.tr("Delete the calibration session '{0}'? This cannot be undone.").format(
                detail.record.title
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        session_id = detail.record.id

        def delete() -> None:
            self._attempt(
                lambda: self.session.services.calibration.delete(session_id),
                self.tr("The session is deleted."),
            )

        self._open_dialog(box, delete)

    def score(self) -> None:
        """Open the current reviewer's calibration draft of the session on Evaluate."""
        detail = self.detail
        if not isinstance(detail, SessionView):
            return
        try:
            evaluation_id = self.session.services.calibration.start(detail.record.id)
        except (ValueError, LookupError, StorageError) as exc:
            self._say(sentence(str(exc)))
            return
        self._stale = True
        self.changed.emit(Changes(evaluations=True, programme=True))
        self.openEvaluationRequested.emit(evaluation_id)

    def reveal(self) -> None:
        detail = self.detail
        if not isinstance(detail, SessionView) or self.dialog is not None:
            return
        session_id = detail.record.id
        waiting = [p.name for p in detail.participants if p.state != "submitted"]
        done = self.tr("The session is revealed: everyone's answers are side by side.")
        calibration = self.session.services.calibration
        if not waiting:
            self._focus_detail = True
            self._attempt(lambda: calibration.reveal(session_id), done)
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Reveal the session"))
        box.setText(
            self.tr(
                "%n reviewer(s) have not submitted: {0}. Reveal anyway? Their scores will "
                "not count in this session, and nobody can score it after the reveal.",
                "",
                len(waiting),
            ).format(", ".join(waiting))
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def force() -> None:
            self._focus_detail = True
            self._attempt(lambda: calibration.reveal(session_id, force=True), done)

        self._open_dialog(box, force)

    def save_note(self, question_id: str, agreed: Answer | None, note: str, guidance: bool) -> None:
        detail = self.detail
        if not isinstance(detail, RevealView):
            return
        session_id = detail.view.record.id
        self._attempt(
            lambda: self.session.services.calibration.set_note(
                session_id, question_id, agreed, note, guidance
            ),
            self.tr("The agreed answer and the note are saved."),
        )

    def save_summary(self, summary: str) -> None:
        detail = self.detail
        if not isinstance(detail, RevealView):
            return
        session_id = detail.view.record.id
        self._attempt(
            lambda: self.session.services.calibration.set_summary(session_id, summary),
            self.tr("The session's summary is saved."),
        )

    def guidance_draft(self, question_id: str) -> None:
        detail = self.detail
        if not isinstance(detail, RevealView):
            return
        try:
            form_id = self.session.services.calibration.guidance_draft(
                detail.view.record.id, question_id
            )
        except (ValueError, LookupError, StorageError) as exc:
            self._say(sentence(str(exc)))
            return
        self._say(
            self.tr("The note is in the question's guidance in a draft of '{0}'.").format(
                detail.view.form_title
            )
        )
        self.changed.emit(Changes(forms=True))
        self.formDraftRequested.emit(form_id, question_id)

    def flush(self) -> None:
        """Store an agreed answer or note still being typed (the window is closing)."""
        if self.revealed_view.pending():
            self.revealed_view.save_current()
