"""Designing, publishing and retiring evaluation forms.

Rules: a draft may be incomplete (its problems are reported, not refused); only a
form without problems is published; publishing creates version N+1, immutable
from then on, unless the definition equals the latest published version, which is
then returned as it is. Retiring a form stops new evaluations with it; evaluations
already made keep their version.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from qa_monitor.core.form_codec import form_to_data
from qa_monitor.core.form_validation import (
    ID_HINT,
    ID_PATTERN,
    FormInvalidError,
    FormProblem,
    validate_form,
)
from qa_monitor.core.forms import Form
from qa_monitor.core.records import FormInfo, FormVersion
from qa_monitor.services.common import Changes, Clock, NotAllowedError
from qa_monitor.storage.form_repo import FormRepo

FORMS_CHANGED = Changes(forms=True)
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FormDraftResult:
    version: FormVersion
    # What would stop publishing; the draft is saved either way.
    problems: tuple[FormProblem, ...]
    changes: Changes = FORMS_CHANGED

    @property
    def publishable(self) -> bool:
        return not self.problems


class FormChangedError(NotAllowedError):
    """A form version's stored definition no longer matches its stored checksum: it was
    changed outside QA Monitor, and scoring with it would give numbers nobody published."""


class FormCache:
    """Forms of published versions by id (what evaluations use); they never change.

    A version is checked against its stored checksum when it is first used (opening,
    starting, saving or scoring an evaluation with it): a mismatch is logged and
    refused with ``FormChangedError``, so nothing is scored with an altered form.
    """

    def __init__(self, repo: FormRepo):
        self._repo = repo
        self._forms: dict[int, Form] = {}
        self._sections: dict[int, dict[str, str]] = {}

    def form(self, version_id: int) -> Form:
        form = self._forms.get(version_id)
        if form is None:
            stored = self._repo.stored_definition(version_id)
            if stored.form is None:
                message = (
                    f"Version {stored.version} of the form '{stored.title}' was changed outside "
                    "QA Monitor (its questions no longer match the checksum stored when it was "
                    "saved), so it cannot be used to score; restore a backup made before the "
                    "change, or publish the form again as a new version."
                )
                log.error("%s (%s)", message, self._repo.db.path)
                raise FormChangedError(message)
            form = stored.form
            self._forms[version_id] = form
        return form

    def section_of(self, version_id: int) -> dict[str, str]:
        """Question id -> section id for the version's form."""
        mapping = self._sections.get(version_id)
        if mapping is None:
            mapping = {q.id: s.id for s, q in self.form(version_id).questions()}
            self._sections[version_id] = mapping
        return mapping


class FormService:
    def __init__(self, repo: FormRepo, clock: Clock):
        self._repo = repo
        self._clock = clock

    def save_form_draft(self, form: Form) -> FormDraftResult:
        """Keep ``form`` as the form's draft version (created or overwritten).

        Refused only when the form cannot be stored at all (an invalid form id, or a
        definition that cannot be encoded); every other problem is returned.
        """
        if not ID_PATTERN.match(form.id):
            raise FormInvalidError(
                [FormProblem(f"form id '{form.id}' is not a valid id", ID_HINT, field="id")]
            )
        form_to_data(form)  # raises on a definition that cannot be encoded
        version = self._repo.save_draft(form, self._clock())
        return FormDraftResult(version, tuple(validate_form(form)))

    def publish_form(self, form: Form, publisher_id: int | None) -> FormVersion:
        """Publish ``form`` as a new immutable version (see the module rules).

        Raises FormInvalidError listing every problem when ``validate_form`` finds any.
        """
        problems = validate_form(form)
        if problems:
            raise FormInvalidError(problems)
        return self._repo.publish(form, publisher_id, self._clock())

    def retire_form(self, form_id: str) -> Changes:
        """No new evaluations with this form; publishing it again brings it back."""
        info = self._repo.form_info(form_id)
        if info.latest_published is None:
            raise NotAllowedError(
                f"form '{form_id}' was never published; discard its draft instead of retiring it"
            )
        self._repo.retire(form_id, self._clock())
        return FORMS_CHANGED

    def discard_form_draft(self, form_id: str) -> Changes:
        """Drop the working draft; published versions stay."""
        return FORMS_CHANGED if self._repo.discard_draft(form_id) else Changes()

    def list_forms(self, *, include_retired: bool = True) -> list[FormInfo]:
        """Every form with its versions and each version's evaluation count."""
        return self._repo.list_forms(include_retired=include_retired)

    def form_info(self, form_id: str) -> FormInfo:
        return self._repo.form_info(form_id)

    def published_versions(
        self, *, include_retired: bool = False, latest_only: bool = True
    ) -> list[FormVersion]:
        """What a reviewer can start an evaluation with: by default the latest
        published version of each form that is not retired."""
        return self._repo.published_versions(
            include_retired=include_retired, latest_only=latest_only
        )

    def get_version(self, version_id: int) -> FormVersion:
        return self._repo.get_version(version_id)

    def get_draft(self, form_id: str) -> FormVersion | None:
        return self._repo.draft_of(form_id)

    def latest_published(self, form_id: str) -> FormVersion | None:
        return self._repo.latest_published(form_id)
