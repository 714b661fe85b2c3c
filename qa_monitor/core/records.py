"""What storage hands back: people, interactions, form versions, evaluations, audit entries.

Pure data (frozen dataclasses and enums), so the UI, reports and tests can use
them without a database. Datetimes are timezone-aware; local dates are plain
``date`` objects in the centre's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Channel, Form, InteractionFacts
from qa_monitor.core.forms import Direction as Direction  # defined beside the form conditions
from qa_monitor.core.scoring import QuestionStatus, SectionScore


class EvaluationKind(StrEnum):
    REGULAR = "regular"
    CALIBRATION = "calibration"  # several reviewers score the same interaction blind
    SELF = "self"  # the agent reviews their own interaction


class EvaluationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    DISPUTED = "disputed"
    RESOLVED = "resolved"


_TRANSITIONS: dict[EvaluationStatus, frozenset[EvaluationStatus]] = {
    EvaluationStatus.DRAFT: frozenset({EvaluationStatus.SUBMITTED}),
    EvaluationStatus.SUBMITTED: frozenset(
        {EvaluationStatus.ACKNOWLEDGED, EvaluationStatus.DISPUTED}
    ),
    EvaluationStatus.ACKNOWLEDGED: frozenset(),
    EvaluationStatus.DISPUTED: frozenset({EvaluationStatus.RESOLVED}),
    EvaluationStatus.RESOLVED: frozenset(),
}


def allowed_transitions(status: EvaluationStatus) -> frozenset[EvaluationStatus]:
    """Statuses an evaluation may move to from ``status``.

    draft → submitted → (acknowledged | disputed → resolved); nothing moves back.
    """
    return _TRANSITIONS[status]


def can_transition(old: EvaluationStatus, new: EvaluationStatus) -> bool:
    return new in _TRANSITIONS[old]


class Retention(StrEnum):
    RETAINED = "retained"
    LOST = "lost"
    UNDECIDED = "undecided"


class FormStatus(StrEnum):
    """A form is a draft until its first version is published; a version is draft or published."""

    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class AuditAction(StrEnum):
    EDIT = "edit"
    STATUS = "status"
    SUBMIT = "submit"
    DELETE = "delete"
    # The agent's answer and its re-review (core/disputes.py).
    RESPOND = "respond"
    DISPUTE = "dispute"
    ASSIGN = "assign"
    DECIDE = "decide"


@dataclass(frozen=True, slots=True)
class Team:
    id: int
    name: str
    active: bool = True


@dataclass(frozen=True, slots=True)
class Agent:
    id: int
    name: str
    team_id: int | None = None
    active: bool = True
    hire_date: date | None = None
    # The agent's id in the phone/chat system, used to match imported interactions.
    external_id: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Reviewer:
    id: int
    name: str
    active: bool = True
    # The benchmark reviewer calibration sessions compare the others with.
    is_expert: bool = False
    # The reviewer's own team (a team leader's), and their agent record when they also
    # take calls: the review queue never gives reviewers their own calls, and a rule
    # may keep them off their own team's.
    team_id: int | None = None
    agent_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class InteractionData:
    """The facts of an interaction as the phone/chat system or a reviewer gives them."""

    channel: Channel
    started_at: datetime
    agent_id: int
    team_id: int | None = None  # None: the agent's team when stored
    external_id: str | None = None
    direction: Direction = Direction.INBOUND
    duration_s: float | None = None
    queue: str | None = None
    customer_ref: str | None = None
    contact_reason: str | None = None
    recording_path: str | None = None
    transcript: str | None = None
    # Outcome fields: filled by evaluations (questions with an outcome_field) or imports.
    resolved_first_contact: bool | None = None
    retention: Retention | None = None
    churn_risk: str | float | None = None
    churn_reason: str | None = None
    callback_promised_at: datetime | None = None
    callback_kept: bool | None = None
    # Survey results, linked later.
    csat: int | None = None  # 1–5
    nps: int | None = None  # 0–10
    ces: int | None = None  # 1–7
    survey_at: datetime | None = None
    source: str = "manual"

    @property
    def facts(self) -> InteractionFacts:
        """What a form's questions may be conditioned on (``show_if: {interaction: ...}``)."""
        return InteractionFacts(self.channel, self.direction)


@dataclass(frozen=True, slots=True, kw_only=True)
class Interaction(InteractionData):
    """A stored interaction: its facts plus where its local date comes from."""

    id: int
    local_date: date  # started_at's date in ``timezone``
    timezone: str  # the IANA zone used for local_date
    created_at: datetime


@dataclass(frozen=True, slots=True)
class FormVersionSummary:
    id: int
    form_id: str
    version: int
    status: FormStatus  # draft or published
    checksum: str
    created_at: datetime
    published_at: datetime | None
    published_by: int | None
    evaluation_count: int = 0


@dataclass(frozen=True, slots=True)
class FormVersion:
    """One version of a form; once published its definition never changes."""

    id: int
    form_id: str
    version: int
    status: FormStatus  # draft or published
    checksum: str
    created_at: datetime
    published_at: datetime | None
    published_by: int | None
    form: Form
    evaluation_count: int = 0

    @property
    def is_published(self) -> bool:
        return self.status is FormStatus.PUBLISHED


@dataclass(frozen=True, slots=True)
class FormInfo:
    form_id: str
    title: str
    status: FormStatus
    created_at: datetime
    retired_at: datetime | None
    versions: tuple[FormVersionSummary, ...] = ()  # oldest first

    @property
    def latest_published(self) -> FormVersionSummary | None:
        published = [v for v in self.versions if v.status is FormStatus.PUBLISHED]
        return published[-1] if published else None

    @property
    def latest_version(self) -> int | None:
        latest = self.latest_published
        return latest.version if latest else None

    @property
    def draft(self) -> FormVersionSummary | None:
        return next((v for v in self.versions if v.status is FormStatus.DRAFT), None)

    @property
    def evaluation_count(self) -> int:
        return sum(v.evaluation_count for v in self.versions)


@dataclass(frozen=True, slots=True)
class AnswerScore:
    """What submitting stored for one question (full precision)."""

    question_id: str
    section_id: str
    status: QuestionStatus
    earned: float
    possible: float
    failing: bool


@dataclass(frozen=True, slots=True)
class Evaluation:
    id: int
    interaction_id: int
    form_id: str
    form_version_id: int
    reviewer_id: int
    agent_id: int
    team_id: int | None
    channel: Channel
    interaction_date: date
    kind: EvaluationKind
    status: EvaluationStatus
    answers: dict[str, Answer]
    overall_comment: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None = None
    # Stored on submit (None on drafts); full precision, round only for display.
    score: float | None = None
    score_before_critical: float | None = None
    passed: bool | None = None
    band: str | None = None
    critical_failed: bool = False
    auto_failed: bool = False
    earned: float | None = None
    possible: float | None = None
    revision: int = 0
    sections: tuple[SectionScore, ...] = ()
    answer_scores: tuple[AnswerScore, ...] = ()

    @property
    def is_draft(self) -> bool:
        return self.status is EvaluationStatus.DRAFT


@dataclass(frozen=True, slots=True)
class EvaluationRow:
    """One line of an evaluation list."""

    id: int
    interaction_id: int
    agent_id: int
    agent_name: str
    team_id: int | None
    team_name: str | None
    reviewer_id: int
    reviewer_name: str
    form_id: str
    form_version_id: int
    form_title: str
    form_version: int
    interaction_external_id: str | None
    interaction_date: date
    channel: Channel
    status: EvaluationStatus
    kind: EvaluationKind
    score: float | None
    passed: bool | None
    critical_failed: bool
    submitted_at: datetime | None
    updated_at: datetime


class EvaluationSort(StrEnum):
    INTERACTION_DATE = "interaction_date"
    SUBMITTED_AT = "submitted_at"
    UPDATED_AT = "updated_at"
    SCORE = "score"
    AGENT = "agent"
    TEAM = "team"
    REVIEWER = "reviewer"
    FORM = "form"
    STATUS = "status"
    CHANNEL = "channel"
    KIND = "kind"


@dataclass(frozen=True, slots=True)
class EvaluationFilter:
    """Which evaluations a list shows. Empty tuples and None mean "any"."""

    date_from: date | None = None  # interaction local date, inclusive
    date_to: date | None = None  # inclusive
    agent_ids: tuple[int, ...] = ()
    team_ids: tuple[int, ...] = ()
    form_ids: tuple[str, ...] = ()
    form_version_ids: tuple[int, ...] = ()
    reviewer_ids: tuple[int, ...] = ()
    statuses: tuple[EvaluationStatus, ...] = ()
    kinds: tuple[EvaluationKind, ...] = ()
    channels: tuple[Channel, ...] = ()
    score_min: float | None = None  # inclusive; drafts have no score and drop out
    score_max: float | None = None  # inclusive
    critical_failed: bool | None = None
    # Exactly these evaluations (a dashboard drill-down); empty means any.
    evaluation_ids: tuple[int, ...] = ()
    # Part of an agent, team, reviewer or form name or of an interaction's external id
    # (ASCII case ignored), or an evaluation id.
    search: str = ""
    sort: EvaluationSort = EvaluationSort.INTERACTION_DATE
    descending: bool = True


@dataclass(frozen=True, slots=True)
class NewAuditEntry:
    """One change to an evaluation, before it is stored.

    ``field`` names what changed: a question id (``old``/``new`` are the answer as a
    JSON object with value, na, comment and timestamp_ms where set), ``overall_comment``,
    ``score`` / ``passed`` (full-precision text), or ``status``.
    """

    evaluation_id: int
    at: datetime
    actor_id: int | None
    action: AuditAction
    field: str | None = None
    old: str | None = None
    new: str | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class AuditEntry(NewAuditEntry):
    """A stored audit entry: the change plus the id storage gave it."""

    id: int = field(kw_only=True)


@dataclass(frozen=True, slots=True)
class CentreSettings:
    timezone: str = "UTC"  # IANA name
    week_start: int = 0  # date.weekday() of the first day of the week: 0 = Monday
    current_reviewer_id: int | None = None
