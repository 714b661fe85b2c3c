"""Evaluating interactions: drafts, submitting, editing after submission, status changes.

Rules:
- An evaluation uses one published version of a live (not retired) form, for good;
  a version whose definition no longer matches its stored checksum is refused
  (``FormChangedError``) whenever it is used.
- A draft's answers are saved as they are, in one short transaction (autosave).
- Every change reads what it checks inside its own write transaction (``BEGIN
  IMMEDIATE``), so two windows or processes cannot both submit one draft; a submit or
  an edit is committed with ``synchronous=FULL`` (``Database.durable``): once it
  returns, a power cut cannot undo it.
- Submitting and editing score with the interaction's channel and direction, so a
  question shown only on some interactions is hidden (N/A) on the others.
- Submitting checks the answers (``check_answers``); with any problem nothing is
  stored and the problems are returned. Otherwise, in one transaction: the scores
  of ``score_evaluation`` (per question, per section, overall, full precision), the
  submitted status, the outcome answers onto the interaction and a 'submit' audit
  entry.
- A submitted evaluation changes only with a reason, re-checked and re-scored with
  the same form version; each changed answer and score is audited and the revision
  goes up by one.
- Status moves only along ``allowed_transitions``; disputing and resolving need a
  reason.
- Only drafts can be discarded; submitted evaluations are history.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from qa_monitor.core.answer_checks import AnswerProblem, check_answers
from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Form
from qa_monitor.core.records import (
    AuditAction,
    AuditEntry,
    Evaluation,
    EvaluationFilter,
    EvaluationKind,
    EvaluationRow,
    EvaluationStatus,
    FormStatus,
    Interaction,
    InteractionData,
    NewAuditEntry,
    allowed_transitions,
    can_transition,
)
from qa_monitor.core.scoring import ScoreResult, score_evaluation
from qa_monitor.services.common import NO_CHANGES, Changes, Clock, NotAllowedError
from qa_monitor.services.form_service import FormCache
from qa_monitor.services.interaction_service import InteractionService
from qa_monitor.services.outcomes import outcome_values
from qa_monitor.storage.repos import Repos

EVALUATIONS_CHANGED = Changes(evaluations=True)
_REASON_NEEDED = {EvaluationStatus.DISPUTED, EvaluationStatus.RESOLVED}


@dataclass(frozen=True, slots=True)
class SubmitResult:
    """Either the problems that blocked the change (nothing stored) or the stored result."""

    evaluation: Evaluation
    problems: tuple[AnswerProblem, ...] = ()
    score: ScoreResult | None = None
    changes: Changes = NO_CHANGES

    @property
    def ok(self) -> bool:
        return not self.problems


def answer_audit_text(answer: Answer | None) -> str | None:
    """An answer as the JSON object audit entries keep (only the parts that are set)."""
    if answer is None:
        return None
    data: dict[str, object] = {}
    if answer.value is not None:
        data["value"] = list(answer.value) if isinstance(answer.value, tuple) else answer.value
    if answer.na:
        data["na"] = True
    if answer.comment:
        data["comment"] = answer.comment
    if answer.timestamp_ms is not None:
        data["timestamp_ms"] = answer.timestamp_ms
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def answer_from_audit_text(question_id: str, text: str | None) -> Answer | None:
    """The answer an audit entry keeps as ``answer_audit_text`` wrote it (None: no
    answer, or text that is not such an object)."""
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    value = data.get("value")
    if isinstance(value, list):
        value = tuple(str(v) for v in value)
    elif not isinstance(value, str | int | float) or isinstance(value, bool):
        value = None
    stamp = data.get("timestamp_ms")
    return Answer(
        question_id,
        value,
        na=bool(data.get("na", False)),
        comment=str(data.get("comment") or ""),
        timestamp_ms=stamp if isinstance(stamp, int) and not isinstance(stamp, bool) else None,
    )


def _number_text(value: float | bool | None) -> str | None:
    return None if value is None else repr(value)


def _normalise(form: Form, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """Answers keyed by their question id, refusing questions the form does not have."""
    result: dict[str, Answer] = {}
    for key, answer in answers.items():
        if key != answer.question_id:
            raise ValueError(f"answer for '{answer.question_id}' is filed under '{key}'")
        if form.question(answer.question_id) is None:
            raise ValueError(f"question '{answer.question_id}' is not on form '{form.id}'")
        if not (answer.is_empty and not answer.comment and answer.timestamp_ms is None):
            result[key] = answer
    return result


class EvaluationService:
    def __init__(
        self, repos: Repos, clock: Clock, forms: FormCache, interactions: InteractionService
    ):
        self._db = repos.db
        self._clock = clock
        self._forms = forms
        self._interactions = interactions
        self._evaluations = repos.evaluations
        self._query = repos.evaluation_query
        self._interaction_repo = repos.interactions
        self._form_repo = repos.forms
        self._people = repos.people
        self._audit = repos.audit
        self._settings = repos.settings
        # Calibration sessions (CalibrationService): a submitted calibration evaluation
        # joins its open session, and one in a revealed session is kept as scored.
        self.on_submit: list[Callable[[int], None]] = []
        self.edit_guards: list[Callable[[int], None]] = []

    # -- interactions ---------------------------------------------------------------------
    def create_interaction(self, data: InteractionData) -> Interaction:
        """Store a new interaction (rules in ``interaction_service``)."""
        return self._interactions.create_interaction(data)

    # -- drafts ----------------------------------------------------------------------------
    def form_of(self, evaluation: Evaluation) -> Form:
        """The exact form version the evaluation is scored with."""
        return self._forms.form(evaluation.form_version_id)

    def start_evaluation(
        self,
        interaction_id: int,
        form_version_id: int,
        reviewer_id: int,
        kind: EvaluationKind = EvaluationKind.REGULAR,
    ) -> Evaluation:
        """A new draft of ``reviewer_id`` on the interaction with a published, live version."""
        interaction = self._interaction_repo.get(interaction_id)
        version = self._form_repo.get_version(form_version_id)
        if not version.is_published:
            raise NotAllowedError(
                f"version {version.version} of form '{version.form_id}' is a draft; "
                "publish it before evaluating with it"
            )
        if self._form_repo.form_head(version.form_id)[1] is FormStatus.RETIRED:
            raise NotAllowedError(f"form '{version.form_id}' is retired; choose a live form")
        self._forms.form(version.id)  # refuses a version changed outside QA Monitor
        reviewer = self._people.get_reviewer(reviewer_id)
        if not reviewer.active:
            raise NotAllowedError(f"reviewer '{reviewer.name}' is deactivated")
        evaluation_id = self._evaluations.create(
            interaction, version.form_id, version.id, reviewer_id, kind, self._clock()
        )
        return self._evaluations.get(evaluation_id)

    def save_draft(
        self, evaluation_id: int, answers: Mapping[str, Answer], overall_comment: str = ""
    ) -> Changes:
        """Replace the draft's answers and overall comment (autosave; one transaction)."""
        with self._db.atomic():
            status, version_id = self._evaluations.head(evaluation_id)
            if status is not EvaluationStatus.DRAFT:
                raise NotAllowedError(
                    f"evaluation {evaluation_id} is {status.value}; change it with a reason instead"
                )
            kept = _normalise(self._forms.form(version_id), answers)
            self._evaluations.save_answers(
                evaluation_id,
                kept,
                self._forms.section_of(version_id),
                overall_comment,
                self._clock(),
            )
        return EVALUATIONS_CHANGED

    def discard_draft(self, evaluation_id: int, actor_id: int | None = None) -> Changes:
        """Delete a draft (audited); submitted evaluations cannot be deleted."""
        with self._db.atomic():
            evaluation = self._evaluations.get(evaluation_id)
            if not evaluation.is_draft:
                raise NotAllowedError(
                    f"evaluation {evaluation_id} is {evaluation.status.value} and is kept "
                    "as history"
                )
            entry = NewAuditEntry(
                evaluation_id,
                self._clock(),
                evaluation.reviewer_id if actor_id is None else actor_id,
                AuditAction.DELETE,
            )
            self._evaluations.delete_draft(evaluation_id)
            self._audit.add([entry])
        return EVALUATIONS_CHANGED

    # -- submitting and editing -------------------------------------------------------------
    def submit(self, evaluation_id: int, actor_id: int | None = None) -> SubmitResult:
        """Check, score and store a draft (see the module rules)."""
        with self._db.durable():
            return self._submit(evaluation_id, actor_id)

    def _submit(self, evaluation_id: int, actor_id: int | None) -> SubmitResult:
        evaluation = self._evaluations.get(evaluation_id)
        if not evaluation.is_draft:
            raise NotAllowedError(f"evaluation {evaluation_id} is already submitted")
        form = self._forms.form(evaluation.form_version_id)
        facts = self._interaction_repo.get(evaluation.interaction_id).facts
        result = score_evaluation(form, evaluation.answers, facts)
        problems = check_answers(form, evaluation.answers, result, facts)
        if problems:
            return SubmitResult(evaluation, tuple(problems), result)
        now = self._clock()
        outcomes = outcome_values(
            form, evaluation.answers, result, self._settings.centre_timezone()
        )
        entry = NewAuditEntry(
            evaluation_id,
            now,
            evaluation.reviewer_id if actor_id is None else actor_id,
            AuditAction.SUBMIT,
            field="score",
            new=_number_text(result.score),
        )
        with self._db.atomic():
            self._evaluations.store_scores(evaluation_id, result, now)
            self._evaluations.set_status(
                evaluation_id, EvaluationStatus.SUBMITTED, now, submitted_at=now
            )
            self._interaction_repo.set_outcomes(evaluation.interaction_id, outcomes)
            self._audit.add([entry])
            for hook in self.on_submit:
                hook(evaluation_id)
        changes = Changes(evaluations=True, interactions=bool(outcomes))
        return SubmitResult(self._evaluations.get(evaluation_id), (), result, changes)

    def edit_submitted(
        self,
        evaluation_id: int,
        answers: Mapping[str, Answer],
        overall_comment: str,
        actor_id: int | None,
        reason: str,
    ) -> SubmitResult:
        """Change a submitted evaluation (see the module rules); ``reason`` is required."""
        if not reason.strip():
            raise ValueError(
                "a reason is required to change a submitted evaluation "
                "(say why, e.g. 'dispute upheld: the greeting was given')"
            )
        with self._db.durable():
            return self._edit_submitted(evaluation_id, answers, overall_comment, actor_id, reason)

    def _edit_submitted(
        self,
        evaluation_id: int,
        answers: Mapping[str, Answer],
        overall_comment: str,
        actor_id: int | None,
        reason: str,
    ) -> SubmitResult:
        old = self._evaluations.get(evaluation_id)
        if old.is_draft:
            raise NotAllowedError(f"evaluation {evaluation_id} is a draft; save it as a draft")
        for guard in self.edit_guards:
            guard(evaluation_id)
        form = self._forms.form(old.form_version_id)
        new_answers = _normalise(form, answers)
        facts = self._interaction_repo.get(old.interaction_id).facts
        result = score_evaluation(form, new_answers, facts)
        problems = check_answers(form, new_answers, result, facts)
        if problems:
            return SubmitResult(old, tuple(problems), result)
        now = self._clock()
        entries = self._edit_entries(old, form, new_answers, overall_comment, result)
        if not entries:
            return SubmitResult(old, (), result)
        stamped = [
            NewAuditEntry(evaluation_id, now, actor_id, AuditAction.EDIT, f, o, n, reason.strip())
            for f, o, n in entries
        ]
        outcomes = outcome_values(form, new_answers, result, self._settings.centre_timezone())
        with self._db.atomic():
            self._evaluations.save_answers(
                evaluation_id,
                new_answers,
                self._forms.section_of(old.form_version_id),
                overall_comment,
                now,
            )
            self._evaluations.store_scores(evaluation_id, result, now)
            self._evaluations.bump_revision(evaluation_id)
            self._interaction_repo.set_outcomes(old.interaction_id, outcomes)
            self._audit.add(stamped)
        changes = Changes(evaluations=True, interactions=bool(outcomes))
        return SubmitResult(self._evaluations.get(evaluation_id), (), result, changes)

    @staticmethod
    def _edit_entries(
        old: Evaluation,
        form: Form,
        answers: dict[str, Answer],
        overall_comment: str,
        result: ScoreResult,
    ) -> list[tuple[str, str | None, str | None]]:
        """(field, old, new) for every answer, comment and score that changed, in form order."""
        entries = []
        for _section, question in form.questions():
            before, after = old.answers.get(question.id), answers.get(question.id)
            if before != after:
                entries.append((question.id, answer_audit_text(before), answer_audit_text(after)))
        if overall_comment != old.overall_comment:
            entries.append(("overall_comment", old.overall_comment, overall_comment))
        if result.score != old.score:
            entries.append(("score", _number_text(old.score), _number_text(result.score)))
        if result.passed != old.passed:
            entries.append(("passed", _number_text(old.passed), _number_text(result.passed)))
        return entries

    def set_status(
        self,
        evaluation_id: int,
        new_status: EvaluationStatus,
        actor_id: int | None,
        reason: str = "",
    ) -> Changes:
        """Move a submitted evaluation along its workflow (audited)."""
        with self._db.atomic():
            return self._set_status(evaluation_id, new_status, actor_id, reason)

    def _set_status(
        self,
        evaluation_id: int,
        new_status: EvaluationStatus,
        actor_id: int | None,
        reason: str,
    ) -> Changes:
        status, _version = self._evaluations.head(evaluation_id)
        if status is EvaluationStatus.DRAFT:
            raise NotAllowedError(f"evaluation {evaluation_id} is a draft; submit it first")
        if not can_transition(status, new_status):
            allowed = ", ".join(sorted(s.value for s in allowed_transitions(status))) or "nothing"
            raise NotAllowedError(
                f"an evaluation that is {status.value} cannot become {new_status.value} "
                f"(it can become: {allowed})"
            )
        if new_status in _REASON_NEEDED and not reason.strip():
            raise ValueError(f"a reason is required to mark an evaluation {new_status.value}")
        now = self._clock()
        entry = NewAuditEntry(
            evaluation_id,
            now,
            actor_id,
            AuditAction.STATUS,
            "status",
            status.value,
            new_status.value,
            reason.strip(),
        )
        with self._db.atomic():
            self._evaluations.set_status(evaluation_id, new_status, now)
            self._audit.add([entry])
        return EVALUATIONS_CHANGED

    # -- reading ------------------------------------------------------------------------------
    def get_evaluation(self, evaluation_id: int) -> Evaluation:
        return self._evaluations.get(evaluation_id)

    def list_evaluations(
        self, flt: EvaluationFilter, offset: int = 0, limit: int = 100
    ) -> list[EvaluationRow]:
        """One page of evaluations matching ``flt`` in its sort order."""
        return self._query.rows(flt, offset, limit)

    def count_evaluations(self, flt: EvaluationFilter) -> int:
        return self._query.count(flt)

    def audit_trail(self, evaluation_id: int) -> list[AuditEntry]:
        """Every change to the evaluation, oldest first."""
        return self._audit.for_evaluation(evaluation_id)
