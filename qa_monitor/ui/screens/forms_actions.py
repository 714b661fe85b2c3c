"""The forms screen's list actions: new forms (blank, template, YAML, Excel scorecard),
duplicate, discard a draft, retire / bring back, compare versions, export.

Each goes through the form service, then ``finish`` reloads the list, selects what
changed and tells the other screens. Discard, retire and bring back can be undone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog

from qa_monitor.core.form_validation import FormInvalidError
from qa_monitor.core.forms import Form
from qa_monitor.core.records import FormInfo, FormStatus, FormVersionSummary
from qa_monitor.formfiles import FormFileError, load_shipped_forms, save_form
from qa_monitor.services import StorageError
from qa_monitor.services.form_service import FORMS_CHANGED
from qa_monitor.ui.date_texts import moment_date_text
from qa_monitor.ui.dialogs.new_form_dialog import NewFormDialog, Source, read_form_file
from qa_monitor.ui.dialogs.version_diff_dialog import VersionDiffDialog
from qa_monitor.ui.screens.forms_prompts import (
    Prompter,
    confirm_box,
    existing_id_box,
    problems_box,
)
from qa_monitor.ui.session import Session
from qa_monitor.ui.workers import wait_for_worker

YAML_FILTER = "Form files (*.yaml *.yml);;All files (*)"
Selection = tuple[str, int | None]


class FormsActions:
    """Mixed into ``FormsScreen`` (a QWidget, which provides ``tr``)."""

    session: Session
    prompter: Prompter
    tr: Callable[[str], str]
    say: Callable[[str], None]
    finish: Callable[..., None]
    set_undo: Callable[..., None]
    selected: Callable[[], tuple[FormInfo, FormVersionSummary | None] | None]
    create_form: Callable[[Form, str], bool]
    publish: Callable[..., bool]
    _refuse: Callable[..., None]
    _error: Callable[[str, str], None]

    # ---------------------------------------------------------------- new forms
    def _taken_ids(self) -> set[str]:
        return {f.form_id for f in self.session.services.forms.list_forms()}

    def _choose_yaml(self) -> Path | None:
        return self.prompter.open_path(self.tr("Import a form file"), self.tr(YAML_FILTER))

    def _new_form_dialog(self, source: Source, base: Form | None = None) -> NewFormDialog:
        templates: list[Form] = []
        if base is None:
            try:
                templates = load_shipped_forms()
            except FormFileError as exc:  # a packaging fault: say so, still allow the rest
                self.say(self.tr("The shipped templates cannot be read: {0}").format(exc))
        return NewFormDialog(
            self._taken_ids(),
            templates,
            self,  # type: ignore[arg-type]
            source=source,
            base=base,
            choose_file=self._choose_yaml,
        )

    def _run_new(self, dialog: NewFormDialog) -> bool:
        if self.prompter.run(dialog) != QDialog.DialogCode.Accepted:
            return False
        form = dialog.form()
        if form is None:
            return False
        message = self.tr("Created the draft of “{0}” ({1}).").format(form.title, form.id)
        return self.create_form(form, message)

    def new_blank(self) -> bool:
        return self._run_new(self._new_form_dialog(Source.BLANK))

    def new_from_template(self) -> bool:
        return self._run_new(self._new_form_dialog(Source.TEMPLATE))

    def import_yaml(self, path: Path | None = None) -> bool:
        """Import a form file; its problems are listed with their lines, nothing imported."""
        path = path or self._choose_yaml()
        if path is None:
            return False
        form = wait_for_worker(
            self,  # type: ignore[arg-type]
            lambda: read_form_file(path),
            self.tr("Reading {0}…").format(path.name),
        )
        if isinstance(form, FormFileError):
            exc = form
            text = self.tr(
                "{0} cannot be imported: %n problem(s). Nothing was imported; fix the "
                "file and import it again.",
                "",
                len(exc.problems),
            ).format(path.name)
            box = problems_box(
                self,  # type: ignore[arg-type]
                self.tr("Cannot import the form file"),
                text,
                [str(p) for p in exc.problems],
            )
            self.prompter.run(box)
            return False
        forms = self.session.services.forms
        if form.id not in self._taken_ids():
            message = self.tr("Imported “{0}” from {1} as a draft.").format(form.title, path.name)
            return self.create_form(form, message)
        info = forms.form_info(form.id)
        draft = info.draft
        box, as_draft, as_new = existing_id_box(
            self,  # type: ignore[arg-type]
            form.id,
            info.title,
            draft.version if draft else None,
        )
        self.prompter.run(box)
        if box.clickedButton() is as_draft:
            message = self.tr("Imported {0} as the new draft of “{1}”.").format(
                path.name, info.title
            )
            return self.create_form(form, message)
        if box.clickedButton() is as_new:
            dialog = self._new_form_dialog(Source.FILE)
            dialog.load_file(path)
            return self._run_new(dialog)
        return False

    def import_scorecard(self, path: Path | None = None) -> bool:
        from qa_monitor.ui.dialogs.scorecard_import_dialog import ScorecardImportDialog

        dialog = ScorecardImportDialog(
            self._taken_ids(),
            self,  # type: ignore[arg-type]
            choose_file=lambda: self.prompter.open_path(
                self.tr("Import an Excel scorecard"),
                self.tr("Excel workbooks (*.xlsx *.xlsm);;All files (*)"),
            ),
            save_report=lambda suggested: self.prompter.save_path(
                self.tr("Save the import report"), suggested, self.tr("Text files (*.txt)")
            ),
        )
        if path is not None:
            dialog.load(path)
        if self.prompter.run(dialog) != QDialog.DialogCode.Accepted:
            return False
        form = dialog.result_form()
        if form is None:
            return False
        message = self.tr(
            "Imported “{0}” from the scorecard as a draft: %n question(s).", "", form.question_count
        ).format(form.title)
        return self.create_form(form, message)

    def duplicate_selected(self) -> bool:
        form = self._selected_form()
        if form is None:
            return False
        return self._run_new(self._new_form_dialog(Source.COPY, base=form))

    # ---------------------------------------------------------------- drafts and life
    def _selected_form(self) -> Form | None:
        """The selected version's form; on a form row its draft, else its latest version."""
        found = self.selected()
        if found is None:
            return None
        info, version = found
        forms = self.session.services.forms
        if version is not None:
            return forms.get_version(version.id).form
        chosen = forms.get_draft(info.form_id) or forms.latest_published(info.form_id)
        return chosen.form if chosen is not None else None

    def publish_selected(self) -> bool:
        found = self.selected()
        draft = self.session.services.forms.get_draft(found[0].form_id) if found else None
        if draft is None:
            self.say(self.tr("Nothing to publish: edit the form (F2) to start a draft."))
            return False
        return self.publish(draft.form)

    def discard_selected(self) -> bool:
        found = self.selected()
        if found is None or found[0].draft is None:
            return False
        info = found[0]
        draft = self.session.services.forms.get_draft(info.form_id)
        assert draft is not None
        if info.latest_published is None:
            informative = self.tr(
                "The form was never published, so it disappears from the list. You can undo this."
            )
        else:
            informative = self.tr(
                "Published versions and the evaluations made with them stay as they are. "
                "You can undo this."
            )
        box, discard = confirm_box(
            self,  # type: ignore[arg-type]
            self.tr("Discard draft"),
            self.tr("Discard the draft (version {0}) of “{1}”?").format(draft.version, info.title),
            informative,
            self.tr("&Discard draft"),
        )
        self.prompter.run(box)
        if box.clickedButton() is not discard:
            return False
        changes = self._attempt(
            self.tr("Cannot discard the draft"),
            lambda: self.session.services.forms.discard_form_draft(info.form_id),
        )
        if changes is None:
            return False
        kept = draft.form
        self.set_undo(lambda: self._restore_draft(kept))
        message = self.tr("Discarded the draft of “{0}”.").format(info.title)
        self.finish(message, changes, (info.form_id, None))
        return True

    def _restore_draft(self, form: Form) -> Selection:
        result = self.session.services.forms.save_form_draft(form)
        return form.id, result.version.id

    def retire_selected(self) -> bool:
        found = self.selected()
        if found is None or found[0].status is not FormStatus.PUBLISHED:
            return False
        info = found[0]
        box, retire = confirm_box(
            self,  # type: ignore[arg-type]
            self.tr("Retire form"),
            self.tr("Retire “{0}”?").format(info.title),
            self.tr(
                "Reviewers can no longer start evaluations with it. The %n evaluation(s) "
                "already made keep their version and stay in reports. You can bring it "
                "back at any time.",
                "",
                info.evaluation_count,
            ),
            self.tr("&Retire"),
        )
        self.prompter.run(box)
        if box.clickedButton() is not retire:
            return False
        forms = self.session.services.forms
        changes = self._attempt(
            self.tr("Cannot retire the form"), lambda: forms.retire_form(info.form_id)
        )
        if changes is None:
            return False
        self.set_undo(lambda: self._bring_back(info.form_id))
        message = self.tr(
            "Retired “{0}”: no new evaluations with it. Bring it back (Ctrl+Shift+B) to use it "
            "again."
        ).format(info.title)
        self.finish(message, changes, (info.form_id, None))
        return True

    def bring_back_selected(self) -> bool:
        found = self.selected()
        if found is None or found[0].status is not FormStatus.RETIRED:
            return False
        info = found[0]
        selection = self._attempt(
            self.tr("Cannot bring the form back"), lambda: self._bring_back(info.form_id)
        )
        if selection is None:
            return False
        self.set_undo(lambda: self._retire(info.form_id))
        message = self.tr("“{0}” is back: reviewers can start evaluations with it again.").format(
            info.title
        )
        self.finish(message, FORMS_CHANGED, selection)
        return True

    def _bring_back(self, form_id: str) -> Selection:
        """Publish the latest version again (no new version); a draft survives it."""
        forms = self.session.services.forms
        latest = forms.latest_published(form_id)
        if latest is None:
            raise ValueError(f"form '{form_id}' has no published version to bring back")
        draft = forms.get_draft(form_id)
        version = forms.publish_form(latest.form, self.session.reviewer_id)
        if draft is not None:  # publishing an unchanged version drops the draft: keep it
            forms.save_form_draft(draft.form)
        return form_id, version.id

    def _retire(self, form_id: str) -> Selection:
        self.session.services.forms.retire_form(form_id)
        return form_id, None

    def run_undo(self, undo: Callable[[], Selection | None]) -> None:
        selection = self._attempt(self.tr("Cannot undo"), undo)
        if selection is not None:
            self.finish(self.tr("Undone."), FORMS_CHANGED, selection)

    def _attempt(self, title: str, action: Callable[[], object]) -> object | None:
        """Run a service call; a refusal is shown as a sentence (None is returned)."""
        try:
            return action()
        except FormInvalidError as exc:
            self._refuse(title, exc.problems)
        except (ValueError, StorageError) as exc:
            self._error(title, str(exc))
        return None

    # ---------------------------------------------------------------- compare, export
    def compare_selected(self) -> bool:
        found = self.selected()
        if found is None or len(found[0].versions) < 2:
            return False
        info, chosen = found
        versions = list(info.versions)  # oldest first
        if chosen is None:
            chosen = info.draft or info.latest_published or versions[-1]
        at = next(i for i, v in enumerate(versions) if v.id == chosen.id)
        if at == 0:  # the first version: compare it with the next one
            chosen = versions[1]
            at = 1
        old = versions[at - 1]
        labels = [(self._version_label(v), v.id) for v in versions]
        forms = self.session.services.forms
        dialog = VersionDiffDialog(
            info.title,
            labels,
            lambda version_id: forms.get_version(version_id).form,
            old.id,
            chosen.id,
            self,  # type: ignore[arg-type]
        )
        self.prompter.run(dialog)
        return True

    def _version_label(self, version: FormVersionSummary) -> str:
        if version.status is FormStatus.DRAFT:
            return self.tr("Version {0} (draft)").format(version.version)
        published = version.published_at
        zone = self.session.services.settings.centre().timezone
        when = moment_date_text(published, zone) if published else ""
        return self.tr("Version {0} (published {1})").format(version.version, when)

    def export_selected(self) -> bool:
        found = self.selected()
        form = self._selected_form()
        if found is None or form is None:
            return False
        info, version = found
        number = version.version if version else (info.draft or info.latest_published).version  # type: ignore[union-attr]
        suggested = Path.home() / f"{form.id}-v{number}.yaml"
        path = self.prompter.save_path(self.tr("Export form file"), suggested, self.tr(YAML_FILTER))
        if path is None:
            return False
        if not path.suffix:
            path = path.with_suffix(".yaml")
        try:
            save_form(form, path)
        except OSError as exc:
            self._error(
                self.tr("Cannot export the form"),
                self.tr(
                    "Could not write {0}: {1}. Nothing was written; choose another folder."
                ).format(path, exc.strerror or exc),
            )
            return False
        self.say(self.tr("Exported version {0} of “{1}” to {2}.").format(number, info.title, path))
        return True
