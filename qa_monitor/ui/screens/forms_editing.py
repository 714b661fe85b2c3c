"""The forms screen's editing session: open a draft, save it, publish it, leave it safely.

Editing a published form starts a new draft from its latest version; nothing is stored
until the first save. Publishing shows what changed since the latest published version
and refuses, listing every problem, a form that is not valid. Leaving with unsaved
changes asks Save / Discard / Keep editing; ``flush`` saves without asking (closing).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QStackedWidget

from qa_monitor.core.form_diff import diff_forms
from qa_monitor.core.form_validation import FormInvalidError, FormProblem, validate_form
from qa_monitor.core.forms import Form
from qa_monitor.core.records import FormVersion
from qa_monitor.services import NotFoundError, StorageError
from qa_monitor.services.form_service import FORMS_CHANGED
from qa_monitor.ui.dialogs.version_diff_dialog import PublishDialog
from qa_monitor.ui.screens.form_editing_page import FormEditingPage
from qa_monitor.ui.screens.forms_prompts import (
    Leave,
    Prompter,
    error_box,
    info_box,
    problems_box,
    unsaved_box,
)
from qa_monitor.ui.session import Session

log = logging.getLogger(__name__)


class FormsEditing:
    """Mixed into ``FormsScreen`` (a QWidget, which provides ``tr``)."""

    session: Session
    prompter: Prompter
    pages: QStackedWidget
    editing: FormEditingPage
    tr: Callable[[str], str]
    say: Callable[[str], None]
    finish: Callable[..., None]
    refresh: Callable[..., None]
    selected: Callable[[], object]

    # ---------------------------------------------------------------- opening
    def is_editing(self) -> bool:
        return self.pages.currentWidget() is self.editing

    def edit_selected(self) -> None:
        found = self.selected()
        if found is not None:
            self.open_form(found[0].form_id)  # type: ignore[index]

    def open_form(self, form_id: str) -> bool:
        """Edit the form's draft, or a new draft from its latest published version."""
        if self.is_editing() and not self.maybe_leave():
            return False
        forms = self.session.services.forms
        draft = forms.get_draft(form_id)
        if draft is not None:
            self.editing.start(draft.form, draft.version, stored=True)
        else:
            latest = forms.latest_published(form_id)
            if latest is None:
                self.say(self.tr("The form '{0}' has no version to edit.").format(form_id))
                return False
            self.editing.start(latest.form, latest.version + 1, stored=False)
        self.pages.setCurrentWidget(self.editing)
        self.editing.editor.setFocus()
        return True

    def show_draft(self, form_id: str, question_id: str | None = None) -> bool:
        """Edit the form's draft (read again: another screen may have just written it,
        as Calibration's guidance notes do) with the question and its guidance in view."""
        if not self.is_editing():
            self.refresh()
        elif self.editing.form_id == form_id and not self.editing.is_dirty():
            self.pages.setCurrentIndex(0)  # reopened below from what is stored
        if not self.open_form(form_id):
            return False
        if question_id is not None and self.editing.editor.select(None, question_id):
            self.editing.editor.focus_field("guidance")
        return True

    def create_form(self, form: Form, message: str) -> bool:
        """Store ``form`` as the draft of a new form (or a new draft of one) and edit it."""
        try:
            result = self.session.services.forms.save_form_draft(form)
        except FormInvalidError as exc:
            self._refuse(self.tr("Cannot create the form"), exc.problems)
            return False
        except (ValueError, StorageError) as exc:
            self._error(self.tr("Cannot create the form"), str(exc))
            return False
        self.finish(message, result.changes, (form.id, result.version.id))
        return self.open_form(form.id)

    # ---------------------------------------------------------------- leaving
    def back(self) -> None:
        self.maybe_leave()

    def maybe_leave(self) -> bool:
        """Leave the editor, asking first about unsaved changes; False if the user stays.

        The main window calls this before switching database or closing.
        """
        if not self.is_editing():
            return True
        if self.editing.is_dirty():
            box, answers = unsaved_box(self.editing, self.editing.form().title)
            self.prompter.run(box)
            answer = answers.get(box.clickedButton(), Leave.CANCEL)  # type: ignore[arg-type]
            if answer is Leave.CANCEL:
                return False
            if answer is Leave.SAVE and not self.save_draft():
                return False
        self._show_list()
        return True

    def flush(self) -> None:
        """Keep unsaved edits as the draft without asking (the window is closing)."""
        if not (self.is_editing() and self.editing.is_dirty()):
            return
        try:
            result = self.session.services.forms.save_form_draft(self.editing.form())
        except (ValueError, StorageError):
            log.exception("Could not keep the form draft while closing")
            return
        self.editing.saved(result.version.version)

    def _show_list(self) -> None:
        form_id = self.editing.form_id
        self.pages.setCurrentIndex(0)
        self.refresh()
        if form_id:
            self.select(form_id)  # type: ignore[attr-defined]
        self.tree.setFocus()  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- saving
    def save_draft(self) -> bool:
        """Store the editor's form as the draft (Ctrl+S); its problems are only reported."""
        if not self.is_editing():
            return False
        form = self.editing.form()
        try:
            result = self.session.services.forms.save_form_draft(form)
        except FormInvalidError as exc:
            self._refuse(self.tr("Cannot save the draft"), exc.problems)
            return False
        except (ValueError, StorageError) as exc:
            self._error(self.tr("Cannot save the draft"), str(exc))
            return False
        self.editing.saved(result.version.version)
        count = len(result.problems)
        message = self.tr("Saved the draft of “{0}” (version {1}).").format(
            form.title, result.version.version
        )
        if count:
            message += " " + self.tr("Fix %n problem(s) before publishing.", "", count)
        self.finish(message, result.changes, (form.id, result.version.id))
        return True

    # ---------------------------------------------------------------- publishing
    def publish_editing(self) -> bool:
        if not self.is_editing():
            return False
        return self.publish(self.editing.form(), from_editor=True)

    def publish(self, form: Form, *, from_editor: bool = False) -> bool:
        """Publish ``form`` after showing what changes; refuse it, listing why, if invalid."""
        problems = validate_form(form)
        if problems:
            self._refuse(self.tr("“{0}” cannot be published yet").format(form.title), problems)
            if from_editor and problems[0].section_id:
                self.editing.editor.select(problems[0].section_id, problems[0].question_id)
            return False
        forms = self.session.services.forms
        latest = forms.latest_published(form.id)
        diff = diff_forms(latest.form, form) if latest is not None else None
        if latest is not None and diff is not None and diff.is_empty:
            self.prompter.run(
                info_box(
                    self,  # type: ignore[arg-type]
                    self.tr("Nothing to publish"),
                    self.tr("“{0}” is the same as version {1}, which is already published.").format(
                        form.title, latest.version
                    ),
                    self.tr("Change something first, or discard the draft."),
                )
            )
            return False
        try:
            earlier = forms.form_info(form.id).evaluation_count
        except NotFoundError:
            earlier = 0
        number = latest.version + 1 if latest is not None else 1
        dialog = PublishDialog(
            form,
            number,
            latest.version if latest else None,
            diff,
            earlier,
            self,  # type: ignore[arg-type]
        )
        if self.prompter.run(dialog) != QDialog.DialogCode.Accepted:
            return False
        try:
            version = forms.publish_form(form, self.session.reviewer_id)
        except FormInvalidError as exc:
            self._refuse(self.tr("“{0}” cannot be published yet").format(form.title), exc.problems)
            return False
        except (ValueError, StorageError) as exc:
            self._error(self.tr("Cannot publish the form"), str(exc))
            return False
        if from_editor:
            self.editing.editor.mark_saved()
            self._show_list()
        self._published(form, version)
        return True

    def _published(self, form: Form, version: FormVersion) -> None:
        self.set_undo(None)  # type: ignore[attr-defined]
        message = self.tr(
            "Published “{0}” as version {1}. New evaluations use it; earlier evaluations "
            "keep the version they were scored with."
        ).format(form.title, version.version)
        self.finish(message, FORMS_CHANGED, (form.id, version.id))

    # ---------------------------------------------------------------- refusals
    def _refuse(self, title: str, problems: list[FormProblem]) -> None:
        count = len(problems)
        text = self.tr("Fix these %n problem(s) first; the draft is kept as it is.", "", count)
        self.prompter.run(problems_box(self, title, text, [str(p) for p in problems]))  # type: ignore[arg-type]

    def _error(self, title: str, message: str) -> None:
        text = message[:1].upper() + message[1:]
        if not text.endswith("."):
            text += "."
        self.prompter.run(error_box(self, title, text))  # type: ignore[arg-type]
