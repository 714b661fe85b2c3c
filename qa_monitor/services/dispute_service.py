"""Agents' acknowledgements and disputes, re-review, the dispute queue and rates, and an
evaluation's history (the rules are in core/disputes.py).

Each use case checks what it needs inside its own write transaction and, when the
request cannot be met, raises ``NotAllowedError`` (the evaluation's state forbids it)
or ``ValueError`` (the request itself is incomplete) with one sentence that names the
evaluation's date, the question or the person, and says what to do.

Until agents sign in themselves, whoever records an answer (a supervisor) is the
audit entries' actor, and the date and the way it was received are kept with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from qa_monitor.core.answers import Answer
from qa_monitor.core.disputes import (
    MAX_REASON_CHARS,
    RE_REVIEWER_FIELD,
    RESPONSE_ACKNOWLEDGED,
    RESPONSE_DISPUTED,
    AgentResponse,
    Decision,
    Dispute,
    ReceivedVia,
    Response,
    add_working_days,
    agent_response,
    read_response,
    response_payload,
    working_days_between,
)
from qa_monitor.core.forms import Form
from qa_monitor.core.records import (
    AuditAction,
    AuditEntry,
    Evaluation,
    EvaluationStatus,
    NewAuditEntry,
)
from qa_monitor.services.common import Changes, Clock, NotAllowedError
from qa_monitor.services.evaluation_service import EvaluationService, answer_from_audit_text
from qa_monitor.services.form_service import FormCache
from qa_monitor.services.settings_service import SettingsService
from qa_monitor.storage.dispute_repo import OpenDisputeRow, ReviewerDisputeCounts
from qa_monitor.storage.repos import Repos

CHANGED = Changes(evaluations=True)
# The audit actions core.disputes.agent_response reads (it skips every other).
DISPUTE_ACTIONS = (AuditAction.RESPOND, AuditAction.DISPUTE, AuditAction.ASSIGN, AuditAction.DECIDE)


@dataclass(frozen=True, slots=True)
class DecisionInput:
    """The re-reviewer's decision on one disputed question; ``answer`` replaces the
    original one when it is overturned."""

    decision: Decision
    reason: str
    answer: Answer | None = None


@dataclass(frozen=True, slots=True)
class QueueItem(OpenDisputeRow):
    """An open dispute as its queue shows it: the evaluation's row and the dispute."""

    disputed_on: date
    age_days: int  # working days since the agent disputed
    deadline: date
    overdue: bool
    questions: int
    re_reviewer_id: int | None
    re_reviewer_name: str | None


@dataclass(frozen=True, slots=True)
class ReviewerRates(ReviewerDisputeCounts):
    """A reviewer's dispute counts and the rates they give."""

    @property
    def dispute_rate(self) -> float | None:
        """Share of the reviewer's evaluations that agents disputed (None: none)."""
        return self.disputed / self.evaluations if self.evaluations else None

    @property
    def overturn_rate(self) -> float | None:
        """Share of the decided disputed questions that were overturned."""
        return (
            self.overturned_questions / self.decided_questions if self.decided_questions else None
        )


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One audit entry with the names a reader needs (``question`` is the question's
    text when the entry is about one), and what its stored text means: the answers
    before and after an edit of a question, the agent's answer of a RESPOND entry,
    the name of the reviewer an ASSIGN entry asks to re-review."""

    entry: AuditEntry
    actor_name: str | None
    question: str | None
    old_answer: Answer | None = None
    new_answer: Answer | None = None
    response: Response | None = None
    assignee_name: str | None = None


class DisputeService:
    def __init__(
        self,
        repos: Repos,
        clock: Clock,
        forms: FormCache,
        evaluations: EvaluationService,
        settings: SettingsService,
    ):
        self._db = repos.db
        self._repos = repos
        self._clock = clock
        self._forms = forms
        self._evaluations = evaluations
        self._settings = settings

    # -- reading ------------------------------------------------------------------------
    def response_of(self, evaluation_id: int) -> AgentResponse:
        return agent_response(evaluation_id, self._repos.audit.for_evaluation(evaluation_id))

    def dispute_of(self, evaluation_id: int) -> Dispute | None:
        return self.response_of(evaluation_id).dispute

    def queue(self, today: date) -> list[QueueItem]:
        """Open disputes, the oldest deadline first."""
        week_start = self._settings.centre().week_start
        days = self._settings.dispute_deadline_days()
        items = []
        rows = self._repos.disputes.open_disputes()
        # One read of every open dispute's entries, not one query per dispute.
        entries = self._repos.audit.for_evaluations(
            [r.evaluation_id for r in rows], DISPUTE_ACTIONS
        )
        for row in rows:
            dispute = agent_response(row.evaluation_id, entries.get(row.evaluation_id, ())).dispute
            if dispute is None:
                continue  # disputed by a version that kept no dispute entries
            opened = dispute.response.on
            deadline = dispute.response.deadline or add_working_days(opened, days, week_start)
            re_reviewer = self._repos.disputes.reviewer_by_uuid(dispute.re_reviewer_uuid)
            items.append(
                QueueItem(
                    **asdict(row),
                    disputed_on=opened,
                    age_days=working_days_between(opened, today, week_start),
                    deadline=deadline,
                    overdue=today > deadline,
                    questions=len(dispute.questions),
                    re_reviewer_id=re_reviewer[0] if re_reviewer else None,
                    re_reviewer_name=re_reviewer[1] if re_reviewer else None,
                )
            )
        return sorted(items, key=lambda i: (i.deadline, i.disputed_on, i.evaluation_id))

    def reviewer_rates(self, start: date, end: date) -> list[ReviewerRates]:
        """Dispute and overturn rates per reviewer over interactions dated ``start`` to
        ``end`` (regular evaluations)."""
        counts = self._repos.disputes.reviewer_counts(start, end)
        return [ReviewerRates(**asdict(c)) for c in counts]

    def history(self, evaluation_id: int) -> list[HistoryItem]:
        """Every audit entry of the evaluation, oldest first, with names."""
        evaluation = self._evaluations.get_evaluation(evaluation_id)
        form = self._forms.form(evaluation.form_version_id)
        names = {r.id: r.name for r in self._repos.people.list_reviewers(active_only=False)}
        out = []
        for entry in self._repos.audit.for_evaluation(evaluation_id):
            question = form.question(entry.field) if entry.field else None
            old = new = None
            if entry.action is AuditAction.EDIT and question is not None:
                old = answer_from_audit_text(question.id, entry.old)
                new = answer_from_audit_text(question.id, entry.new)
            assignee = None
            if entry.action is AuditAction.ASSIGN:
                found = self._repos.disputes.reviewer_by_uuid(entry.new)
                assignee = found[1] if found else None
            out.append(
                HistoryItem(
                    entry,
                    names.get(entry.actor_id) if entry.actor_id is not None else None,
                    question.text if question is not None else None,
                    old,
                    new,
                    read_response(entry),
                    assignee,
                )
            )
        return out

    def answer_days(self, evaluation_id: int) -> tuple[date, date]:
        """The first and the last day the agent's answer may be dated, in the centre's
        time zone: the day the evaluation was submitted, and today."""
        evaluation = self._evaluations.get_evaluation(evaluation_id)
        submitted = evaluation.submitted_at or evaluation.created_at
        return self._centre_day(submitted), self._centre_day(self._clock())

    def _centre_day(self, moment: datetime) -> date:
        # The centre's day, not the UTC one: an answer received just after midnight
        # in Tehran, or an evening in Bogotá, is dated as the people there date it.
        zone = ZoneInfo(self._settings.centre().timezone)
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone).date()

    # -- the agent's answer ---------------------------------------------------------------
    def acknowledge(
        self,
        evaluation_id: int,
        on: date,
        via: ReceivedVia,
        recorded_by: int | None,
        note: str = "",
    ) -> Changes:
        """Record that the agent acknowledged the evaluation on ``on``."""
        self._check_answer_allowed(recorded_by)
        with self._db.durable():
            evaluation = self._answerable(evaluation_id, on)
            now = self._clock()
            self._repos.audit.add(
                [
                    NewAuditEntry(
                        evaluation.id,
                        now,
                        recorded_by,
                        AuditAction.RESPOND,
                        RESPONSE_ACKNOWLEDGED,
                        None,
                        response_payload(on, via),
                        _clean(note, "note"),
                    )
                ]
            )
            self._evaluations.set_status(
                evaluation.id, EvaluationStatus.ACKNOWLEDGED, recorded_by, note.strip()
            )
        return CHANGED

    def open_dispute(
        self,
        evaluation_id: int,
        reasons: Mapping[str, str],
        on: date,
        via: ReceivedVia,
        recorded_by: int | None,
        note: str = "",
    ) -> Changes:
        """Record the agent's dispute of the questions in ``reasons`` (question id ->
        the agent's reason), raised on ``on``; its deadline is the configured number
        of working days later."""
        self._check_answer_allowed(recorded_by)
        with self._db.durable():
            evaluation = self._answerable(evaluation_id, on)
            form = self._forms.form(evaluation.form_version_id)
            if not reasons:
                raise ValueError(
                    "Choose at least one question the agent disputes, and say why for each."
                )
            cleaned: dict[str, str] = {}
            for question_id, reason in reasons.items():
                text = _question_text(form, question_id)
                if not reason.strip():
                    raise ValueError(f"Say why the agent disputes the question '{text}'.")
                cleaned[question_id] = _clean(reason, f"reason for '{text}'")
            deadline = add_working_days(
                on, self._settings.dispute_deadline_days(), self._settings.centre().week_start
            )
            now = self._clock()
            order = {q.id: i for i, (_s, q) in enumerate(form.questions())}
            entries = [
                NewAuditEntry(
                    evaluation.id,
                    now,
                    recorded_by,
                    AuditAction.RESPOND,
                    RESPONSE_DISPUTED,
                    None,
                    response_payload(on, via, deadline),
                    _clean(note, "note"),
                )
            ]
            entries += [
                NewAuditEntry(evaluation.id, now, recorded_by, AuditAction.DISPUTE, qid, None, why)
                for qid, why in sorted(cleaned.items(), key=lambda kv: order[kv[0]])
            ]
            self._repos.audit.add(entries)
            summary = note.strip() or "; ".join(
                f"{_question_text(form, q)}: {why}" for q, why in cleaned.items()
            )
            self._evaluations.set_status(
                evaluation.id, EvaluationStatus.DISPUTED, recorded_by, summary[:MAX_REASON_CHARS]
            )
        return CHANGED

    # -- the re-review --------------------------------------------------------------------
    def assign(self, evaluation_id: int, reviewer_id: int, actor_id: int | None) -> Changes:
        """Ask ``reviewer_id`` to re-review the disputed evaluation."""
        self._check_review_allowed()
        with self._db.atomic():
            evaluation, _dispute = self._open_dispute(evaluation_id)
            self._check_other_reviewer(evaluation, reviewer_id)
            self._repos.audit.add(
                [
                    NewAuditEntry(
                        evaluation.id,
                        self._clock(),
                        actor_id,
                        AuditAction.ASSIGN,
                        RE_REVIEWER_FIELD,
                        None,
                        self._repos.disputes.reviewer_uuid(reviewer_id),
                    )
                ]
            )
        return CHANGED

    def decide(
        self,
        evaluation_id: int,
        decisions: Mapping[str, DecisionInput],
        reviewer_id: int,
        note: str = "",
    ) -> Changes:
        """Uphold or overturn every disputed question; overturned answers are replaced
        through the audited edit (the score follows) and the evaluation is resolved."""
        self._check_review_allowed()
        if not note.strip():
            raise ValueError(
                "Write a short summary of the re-review: the agent reads it with the outcome."
            )
        with self._db.durable():
            evaluation, dispute = self._open_dispute(evaluation_id)
            self._check_other_reviewer(evaluation, reviewer_id)
            form = self._forms.form(evaluation.form_version_id)
            disputed = [q.question_id for q in dispute.questions]
            missing = [q for q in disputed if q not in decisions]
            if missing:
                raise ValueError(
                    f"Decide the question '{_question_text(form, missing[0])}' too: every "
                    "disputed question is upheld or overturned."
                )
            extra = [q for q in decisions if q not in disputed]
            if extra:
                raise ValueError(
                    f"The agent did not dispute the question '{_question_text(form, extra[0])}'; "
                    "only disputed questions are decided here."
                )
            answers = dict(evaluation.answers)
            for question_id in disputed:
                given = decisions[question_id]
                text = _question_text(form, question_id)
                if not given.reason.strip() and given.decision is Decision.UPHELD:
                    raise ValueError(f"Say why the original answer to '{text}' stands.")
                if not given.reason.strip():
                    raise ValueError(f"Say why the original answer to '{text}' is overturned.")
                if given.decision is Decision.OVERTURNED:
                    new = given.answer
                    if new is None or new.question_id != question_id:
                        raise ValueError(f"Choose the answer that replaces '{text}'.")
                    if new == answers.get(question_id):
                        raise ValueError(
                            f"The new answer to '{text}' is the same as the original one; "
                            "choose a different answer, or uphold the question."
                        )
                    answers[question_id] = new
            now = self._clock()
            overturned = [q for q in disputed if decisions[q].decision is Decision.OVERTURNED]
            if overturned:
                reason = "; ".join(
                    f"{_question_text(form, q)}: {decisions[q].reason.strip()}" for q in overturned
                )
                result = self._evaluations.edit_submitted(
                    evaluation.id,
                    answers,
                    evaluation.overall_comment,
                    reviewer_id,
                    reason[:MAX_REASON_CHARS],
                )
                if not result.ok:
                    raise ValueError(
                        "The new answers cannot be stored: "
                        + " ".join(p.message for p in result.problems)
                    )
            self._repos.audit.add(
                [
                    NewAuditEntry(
                        evaluation.id,
                        now,
                        reviewer_id,
                        AuditAction.DECIDE,
                        q,
                        None,
                        decisions[q].decision.value,
                        _clean(decisions[q].reason, "decision reason"),
                    )
                    for q in disputed
                ]
            )
            self._evaluations.set_status(
                evaluation.id, EvaluationStatus.RESOLVED, reviewer_id, _clean(note, "summary")
            )
        return CHANGED

    # -- checks ---------------------------------------------------------------------------
    def _check_answer_allowed(self, recorded_by: int | None) -> None:
        """The agent's answer is recorded by a supervisor (or an admin) on the agent's
        behalf, or by the agent's own login to the team server; a reviewer's login may
        not (the server would refuse it, and a refused change holds up every change
        sent after it)."""
        role = self._settings.team_role()
        if role == "reviewer":
            raise NotAllowedError(
                "On the team server, agents answer their evaluations with their own login, "
                "or a supervisor records the answer for them; a reviewer's login cannot."
            )
        if role == "agent" and recorded_by is not None:
            raise NotAllowedError(
                "An agent's login records the agent's own answer, in the agent's name; "
                "leave 'recorded by' empty."
            )

    def _check_review_allowed(self) -> None:
        if self._settings.team_role() in ("reviewer", "agent"):
            raise NotAllowedError(
                "On the team server, a supervisor's login assigns and records re-reviews of "
                "disputes; ask a supervisor to record this one."
            )

    def _answerable(self, evaluation_id: int, on: date) -> Evaluation:
        """The evaluation, if the agent may still acknowledge or dispute it on ``on``."""
        evaluation = self._evaluations.get_evaluation(evaluation_id)
        status = evaluation.status
        day = evaluation.interaction_date.isoformat()
        if status is EvaluationStatus.DRAFT:
            raise NotAllowedError(
                f"The evaluation of the interaction of {day} is still a draft; an agent "
                "answers it once it is submitted."
            )
        if status is not EvaluationStatus.SUBMITTED:
            response = self.response_of(evaluation_id).response
            when = response.on.isoformat() if response is not None else None
            raise NotAllowedError(_answered_already(status, day, when))
        submitted, today = self.answer_days(evaluation_id)
        if on > today:
            raise ValueError(
                f"The date the agent answered ({on.isoformat()}) is in the future; use "
                "the day it was received."
            )
        if on < submitted:
            raise ValueError(
                f"The date the agent answered ({on.isoformat()}) is before the evaluation "
                f"was submitted ({submitted.isoformat()}); use the day it was received."
            )
        return evaluation

    def _open_dispute(self, evaluation_id: int) -> tuple[Evaluation, Dispute]:
        evaluation = self._evaluations.get_evaluation(evaluation_id)
        dispute = self.dispute_of(evaluation_id)
        day = evaluation.interaction_date.isoformat()
        if evaluation.status is not EvaluationStatus.DISPUTED or dispute is None:
            if evaluation.status is EvaluationStatus.RESOLVED and dispute is not None:
                decided = (dispute.decided_at or self._clock()).date().isoformat()
                raise NotAllowedError(
                    f"The dispute of the evaluation of the interaction of {day} was resolved "
                    f"on {decided}; a resolved dispute is not re-reviewed again."
                )
            raise NotAllowedError(
                f"The evaluation of the interaction of {day} is not disputed, so there is "
                "nothing to re-review."
            )
        return evaluation, dispute

    def _check_other_reviewer(self, evaluation: Evaluation, reviewer_id: int) -> None:
        reviewer = self._repos.people.get_reviewer(reviewer_id)
        if reviewer_id == evaluation.reviewer_id:
            raise NotAllowedError(
                f"{reviewer.name} scored this evaluation; a different reviewer re-reviews "
                "the dispute."
            )


def _answered_already(status: EvaluationStatus, day: str, when: str | None) -> str:
    if status is EvaluationStatus.ACKNOWLEDGED and when:
        return (
            f"The agent acknowledged the evaluation of the interaction of {day} on {when}; "
            "an acknowledged evaluation is not disputed afterwards."
        )
    if status is EvaluationStatus.ACKNOWLEDGED:
        return (
            f"The agent already acknowledged the evaluation of the interaction of {day}; "
            "an acknowledged evaluation is not disputed afterwards."
        )
    if status is EvaluationStatus.DISPUTED and when:
        return (
            f"The agent disputed the evaluation of the interaction of {day} on {when}; "
            "its dispute waits in the dispute queue."
        )
    if status is EvaluationStatus.DISPUTED:
        return (
            f"The agent already disputed the evaluation of the interaction of {day}; its "
            "dispute waits in the dispute queue."
        )
    return (
        f"The dispute of the evaluation of the interaction of {day} is resolved; a "
        "resolved evaluation cannot be acknowledged or disputed again."
    )


def _question_text(form: Form, question_id: str) -> str:
    question = form.question(question_id)
    if question is None:
        raise ValueError(
            "The evaluation's form has no such question; choose one of the form's questions."
        )
    return question.text


def _clean(text: str, what: str) -> str:
    text = text.strip()
    if len(text) > MAX_REASON_CHARS:
        raise ValueError(
            f"The {what} is {len(text):,} characters long; keep it under "
            f"{MAX_REASON_CHARS:,} characters."
        )
    return text
