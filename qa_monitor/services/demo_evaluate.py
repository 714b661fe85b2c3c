"""Evaluating one planned demo call: answers, scores, statuses, audit, outcome and survey.

Scores always come from ``core.scoring.score_evaluation`` on the generated answers;
the outcome fields of the interaction come from ``outcomes.outcome_values`` on its
main evaluation, exactly as submitting through the services would set them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from qa_monitor.core.answers import Answer
from qa_monitor.core.disputes import (
    DEFAULT_DEADLINE_DAYS,
    RESPONSE_ACKNOWLEDGED,
    RESPONSE_DISPUTED,
    Decision,
    ReceivedVia,
    add_working_days,
    response_payload,
)
from qa_monitor.core.forms import Channel, Direction, Form, InteractionFacts, QuestionType
from qa_monitor.core.records import AuditAction, EvaluationKind, EvaluationStatus
from qa_monitor.core.scoring import QuestionStatus, ScoreResult, score_evaluation
from qa_monitor.services import demo_effects
from qa_monitor.services.demo_answers import AnswerModel, CallContext, Draws
from qa_monitor.services.demo_rows import (
    EvaluationMeta,
    RowTuple,
    draft_answer_rows,
    evaluation_row,
    outcome_columns,
    scored_answer_rows,
    section_rows,
)
from qa_monitor.services.demo_text import (
    CONTACT_REASONS,
    DISPUTE_REASONS,
    OVERALL_COMMENTS,
    RESOLUTION_NOTES,
    TRANSCRIPTS,
)
from qa_monitor.services.outcomes import outcome_values
from qa_monitor.storage.values import utc_text

SURVEY_RATE = 0.4
OVERALL_COMMENT_RATE = 0.45


@dataclass(frozen=True, slots=True)
class EvalSpec:
    reviewer_id: int
    strictness: float
    kind: EvaluationKind
    draft: bool = False


@dataclass(slots=True)
class Call:
    agent_id: int
    team_id: int
    team_name: str
    form_id: str
    version_id: int
    form: Form
    channel: str
    started: datetime  # aware, centre's zone
    duration_s: float | None
    outbound: bool
    skill: float
    evals: list[EvalSpec] = field(default_factory=list)
    id: int = 0
    customer_ref: str = ""
    repeat: bool = False
    resolved: bool | None = None
    imported: datetime | None = None
    outcomes: dict[str, object] = field(default_factory=dict)
    contact_reason: str | None = None
    transcript: str | None = None
    recording_path: str | None = None
    survey: tuple[int, int, int, datetime] | None = None


@dataclass(slots=True)
class RowBatch:
    interactions: list[RowTuple] = field(default_factory=list)
    evaluations: list[RowTuple] = field(default_factory=list)
    answers: list[RowTuple] = field(default_factory=list)
    section_scores: list[RowTuple] = field(default_factory=list)
    audit: list[RowTuple] = field(default_factory=list)


def full_marks(result: ScoreResult | None) -> set[str]:
    """The questions that earned full marks (scored, with points to earn)."""
    if result is None:
        return set()
    return {
        q.question_id
        for q in result.questions
        if q.status is QuestionStatus.SCORED and q.possible > 0 and q.earned >= q.possible
    }


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


class Evaluator:
    def __init__(
        self,
        models: dict[int, AnswerModel],
        zone: str,
        anchor_end: datetime,
        rng: random.Random,
        agent_names: dict[int, str],
        reviewer_ids: list[int] | None = None,
        week_start: int = 0,
    ):
        self.reviewer_ids = reviewer_ids or []
        self.week_start = week_start
        self.models = models
        self.agent_names = agent_names
        self.zone = zone
        self.anchor_end = anchor_end
        self.rng = rng
        self.batch = RowBatch()
        self.next_id = 1

    def _before_end(self, moment: datetime, margin_min: float = 1.0) -> datetime:
        return min(moment, self.anchor_end - timedelta(minutes=margin_min))

    def evaluate(self, call: Call) -> None:
        """Generate the call's evaluations and fill in its outcome, survey and text."""
        rng = self.rng
        end = call.started + timedelta(seconds=call.duration_s or 0)
        imported = end + timedelta(minutes=rng.uniform(2, 60))
        call.imported = max(call.started, min(imported, self.anchor_end))
        model = self.models[call.version_id]
        facts = InteractionFacts(
            Channel(call.channel), Direction.OUTBOUND if call.outbound else Direction.INBOUND
        )
        context = CallContext(call.started, call.duration_s, facts)
        draws = model.draw(rng)
        skill = _clamp(call.skill + rng.gauss(0.0, 0.035), 0.3, 0.995)
        main: tuple[dict[str, Answer], ScoreResult] | None = None
        for spec in call.evals:
            own = self._jitter(draws) if spec.kind is EvaluationKind.CALIBRATION else draws
            answers = model.answers(skill, rng, context, strictness=spec.strictness, draws=own)
            evaluation_id = self.next_id
            self.next_id += 1
            if spec.draft:
                self._draft(call, spec, evaluation_id, answers)
                continue
            result = score_evaluation(call.form, answers, facts)
            self._submitted(call, spec, evaluation_id, answers, result)
            if main is None and spec.kind is not EvaluationKind.SELF:
                main = (answers, result)
        if main is not None:
            self._outcomes(call, *main, skill)
        self._extras(call, None if main is None else main[1])

    def _jitter(self, draws: Draws) -> Draws:
        gauss = self.rng.gauss
        return tuple((a, _clamp(b + gauss(0.0, 0.06), 0.0, 0.9999), c) for a, b, c in draws)

    def _meta(
        self,
        call: Call,
        spec: EvalSpec,
        evaluation_id: int,
        status: EvaluationStatus,
        created: datetime,
        updated: datetime,
        submitted: datetime | None,
        comment: str = "",
    ) -> EvaluationMeta:
        return EvaluationMeta(
            evaluation_id,
            call.id,
            call.form_id,
            call.version_id,
            spec.reviewer_id,
            call.agent_id,
            call.team_id,
            call.channel,
            call.started.date().isoformat(),
            spec.kind,
            status,
            created,
            updated,
            submitted,
            comment,
        )

    def _draft(
        self, call: Call, spec: EvalSpec, evaluation_id: int, answers: dict[str, Answer]
    ) -> None:
        assert call.imported is not None
        rng = self.rng
        created = self._before_end(call.started + timedelta(hours=rng.uniform(1, 20)), 30)
        created = max(created, call.imported + timedelta(minutes=2))
        updated = created + timedelta(minutes=rng.uniform(2, 15))
        order = [q.id for _s, q in call.form.questions()]
        cut = int(len(order) * rng.uniform(0.3, 0.8))
        partial = {qid: answers[qid] for qid in order[:cut] if qid in answers}
        meta = self._meta(call, spec, evaluation_id, EvaluationStatus.DRAFT, created, updated, None)
        self.batch.evaluations.append(evaluation_row(meta, None))
        self.batch.answers.extend(draft_answer_rows(evaluation_id, call.form, partial))

    def _submitted(
        self,
        call: Call,
        spec: EvalSpec,
        evaluation_id: int,
        answers: dict[str, Answer],
        result: ScoreResult,
    ) -> None:
        assert call.imported is not None
        rng = self.rng
        if spec.kind is EvaluationKind.CALIBRATION:
            delay = timedelta(days=rng.uniform(2, 6))
        elif spec.kind is EvaluationKind.SELF:
            delay = timedelta(days=rng.uniform(1, 3))
        else:
            delay = timedelta(hours=rng.uniform(2, 72))
        created = self._before_end(call.started + delay, 45)
        created = max(created, call.imported + timedelta(minutes=5))
        submitted = created + timedelta(minutes=rng.uniform(8, 40))
        audit: list[RowTuple] = [
            (
                evaluation_id,
                utc_text(submitted),
                spec.reviewer_id,
                AuditAction.SUBMIT.value,
                "score",
                None,
                repr(result.score),
                "",
            )
        ]
        status, updated = EvaluationStatus.SUBMITTED, submitted
        if spec.kind is EvaluationKind.REGULAR:
            status, updated = self._workflow(evaluation_id, spec, result, submitted, audit)
        comment = ""
        if rng.random() < OVERALL_COMMENT_RATE:
            comment = rng.choice(OVERALL_COMMENTS[_mood(result)])
        meta = self._meta(call, spec, evaluation_id, status, created, updated, submitted, comment)
        self.batch.evaluations.append(evaluation_row(meta, result))
        self.batch.answers.extend(scored_answer_rows(evaluation_id, call.form, answers, result))
        self.batch.section_scores.extend(section_rows(evaluation_id, result))
        self.batch.audit.extend(audit)

    def _workflow(
        self,
        evaluation_id: int,
        spec: EvalSpec,
        result: ScoreResult,
        submitted: datetime,
        audit: list[RowTuple],
    ) -> tuple[EvaluationStatus, datetime]:
        """draft → submitted → (acknowledged | disputed → resolved), as far as time allows,
        with the agent's answer recorded as the app records it (core/disputes.py): the
        day and way it was received, the disputed questions with reasons, and a
        different reviewer's decisions (the demo's re-reviews uphold the answers, so
        its scores stay as generated)."""
        rng = self.rng
        low = result.critical_failed or (result.score or 0.0) < 70
        steps: list[tuple[EvaluationStatus, datetime, int | None, str]] = []
        if rng.random() < (0.18 if low else 0.03):
            disputed = submitted + timedelta(hours=rng.uniform(6, 48))
            steps.append((EvaluationStatus.DISPUTED, disputed, None, rng.choice(DISPUTE_REASONS)))
            if rng.random() < 0.75:
                resolved = disputed + timedelta(days=rng.uniform(1, 4))
                note = rng.choice(RESOLUTION_NOTES)
                steps.append((EvaluationStatus.RESOLVED, resolved, spec.reviewer_id, note))
        elif rng.random() < 0.9:
            acknowledged = submitted + timedelta(hours=rng.uniform(4, 72))
            steps.append((EvaluationStatus.ACKNOWLEDGED, acknowledged, None, ""))
        # Details come from their own generator, so the main one's sequence (and with it
        # every other figure of the demo) does not move.
        details = random.Random(evaluation_id * 7919 + 17)
        re_reviewer = self._re_reviewer(spec.reviewer_id, details)
        disputed_questions = _disputable(result, details)
        status, updated = EvaluationStatus.SUBMITTED, submitted
        for new, at, actor, reason in steps:
            if at > self.anchor_end:
                break
            if new is EvaluationStatus.RESOLVED:
                actor = re_reviewer
            audit.extend(
                self._response_rows(evaluation_id, new, at, reason, disputed_questions, details)
            )
            if new is EvaluationStatus.RESOLVED:
                audit.extend(
                    (
                        evaluation_id,
                        utc_text(at),
                        actor,
                        AuditAction.DECIDE.value,
                        q,
                        None,
                        Decision.UPHELD.value,
                        reason,
                    )
                    for q, _why in disputed_questions
                )
            audit.append(
                (
                    evaluation_id,
                    utc_text(at),
                    actor,
                    AuditAction.STATUS.value,
                    "status",
                    status.value,
                    new.value,
                    reason,
                )
            )
            status, updated = new, at
        return status, updated

    def _re_reviewer(self, reviewer_id: int, details: random.Random) -> int:
        others = [r for r in self.reviewer_ids if r != reviewer_id]
        return details.choice(others) if others else reviewer_id

    def _response_rows(
        self,
        evaluation_id: int,
        new: EvaluationStatus,
        at: datetime,
        reason: str,
        disputed: list[tuple[str, str]],
        details: random.Random,
    ) -> list[RowTuple]:
        if new not in (EvaluationStatus.ACKNOWLEDGED, EvaluationStatus.DISPUTED):
            return []
        on = at.astimezone(ZoneInfo(self.zone)).date()
        via = details.choice(list(ReceivedVia)[:4])
        stamp = utc_text(at)
        if new is EvaluationStatus.ACKNOWLEDGED:
            payload = response_payload(on, via)
            return [
                (
                    evaluation_id,
                    stamp,
                    None,
                    AuditAction.RESPOND.value,
                    RESPONSE_ACKNOWLEDGED,
                    None,
                    payload,
                    "",
                )
            ]
        deadline = add_working_days(on, DEFAULT_DEADLINE_DAYS, self.week_start)
        rows: list[RowTuple] = [
            (
                evaluation_id,
                stamp,
                None,
                AuditAction.RESPOND.value,
                RESPONSE_DISPUTED,
                None,
                response_payload(on, via, deadline),
                reason,
            )
        ]
        rows += [
            (evaluation_id, stamp, None, AuditAction.DISPUTE.value, q, None, why, "")
            for q, why in disputed
        ]
        return rows

    def _outcomes(
        self, call: Call, answers: dict[str, Answer], result: ScoreResult, skill: float
    ) -> None:
        values = outcome_values(call.form, answers, result, self.zone)
        call.outcomes = outcome_columns(values)
        rfc = values.get("resolved_first_contact")
        call.resolved = rfc if isinstance(rfc, bool) else None
        promised = values.get("callback_promised_at")
        if isinstance(promised, datetime) and promised < self.anchor_end:
            call.outcomes["callback_kept"] = int(self.rng.random() < 0.55 + 0.4 * skill)
        for _section, question in call.form.questions():
            answer = answers.get(question.id)
            if question.type is QuestionType.TAG and question.id == "contact_reason" and answer:
                option = question.option(str(answer.value))
                call.contact_reason = option.label if option else None

    def _extras(self, call: Call, result: ScoreResult | None) -> None:
        rng = self.rng
        if call.contact_reason is None:
            kind = "retention" if "retention" in call.form_id else "service"
            if call.channel in ("chat", "email"):
                kind = "digital"
            call.contact_reason = rng.choice(CONTACT_REASONS[kind])
        chance = 0.05 if call.channel in ("chat", "email") else 0.006
        if rng.random() < chance and call.transcript is None:
            first_name = self.agent_names.get(call.agent_id, "").split(" ")[0] or "Alex"
            call.transcript = rng.choice(TRANSCRIPTS).replace("{agent}", first_name)
        survey_at = call.started + timedelta(hours=rng.uniform(1, 48))
        if rng.random() < SURVEY_RATE and survey_at < self.anchor_end:
            # The planted model (demo_effects.py): only named questions move it.
            csat, nps, ces = demo_effects.survey(call.form_id, full_marks(result), rng)
            call.survey = (csat, nps, ces, survey_at)

    def rows(self, calls: list[Call]) -> RowBatch:
        """The interaction rows (after repeat contacts are linked) and every other row."""
        prefix = {"phone": "CALL", "chat": "CHAT", "email": "MAIL", "social": "MSG"}
        for c in calls:
            assert c.imported is not None
            o: dict[str, Any] = c.outcomes
            survey = c.survey
            self.batch.interactions.append(
                (
                    c.id,
                    f"{prefix[c.channel]}-{c.started:%Y%m%d}-{c.id:05d}",
                    c.channel,
                    "outbound" if c.outbound else "inbound",
                    utc_text(c.started),
                    c.started.date().isoformat(),
                    self.zone,
                    c.duration_s,
                    c.agent_id,
                    c.team_id,
                    _queue(c),
                    c.customer_ref,
                    c.contact_reason,
                    c.recording_path,
                    c.transcript,
                    o.get("resolved_first_contact"),
                    o.get("retention"),
                    o.get("churn_risk"),
                    o.get("churn_reason"),
                    o.get("callback_promised_at"),
                    o.get("callback_kept"),
                    *(survey[:3] if survey else (None, None, None)),
                    utc_text(survey[3]) if survey else None,
                    "demo",
                    utc_text(c.imported),
                )
            )
        return self.batch


def _disputable(result: ScoreResult, details: random.Random) -> list[tuple[str, str]]:
    """One or two of the questions that lost points, with the agent's words."""
    lost = [q.question_id for q in result.questions if q.counts and q.earned < q.possible]
    if not lost:
        lost = [q.question_id for q in result.questions if q.counts][:1]
    chosen = details.sample(lost, min(len(lost), details.choice((1, 1, 2))))
    return [(q, details.choice(DISPUTE_REASONS)) for q in chosen]


def _queue(call: Call) -> str:
    if call.channel == "email":
        return "email-support"
    if call.channel == "chat":
        return "chat-support"
    return "retention-desk" if "retention" in call.form_id else "care-line"


def _mood(result: ScoreResult) -> str:
    if result.critical_failed:
        return "critical"
    score = result.score or 0.0
    return "high" if score >= 90 else "mid" if score >= 75 else "low"
