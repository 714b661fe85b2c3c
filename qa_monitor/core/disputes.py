"""An agent's answer to an evaluation: acknowledged, or disputed question by question,
re-reviewed by another reviewer who upholds or overturns each disputed question.

Rules:
- Everything is recorded as audit entries of the evaluation (``AuditAction`` RESPOND,
  DISPUTE, ASSIGN, DECIDE), next to its status changes and edits: the history is one
  list, it travels with team sync like every audit entry (append-only, so two sites
  never conflict over it), and the tamper-evidence chain covers it.
  - RESPOND: field ``acknowledged`` or ``disputed``; ``new`` is a JSON object with the
    date the agent answered (``on``), how it was received (``via``) and, for a
    dispute, its deadline; ``reason`` is the note of whoever recorded it.
  - DISPUTE: one per disputed question (``field`` = question id, ``new`` = the
    agent's reason).
  - ASSIGN: ``field`` = ``re_reviewer``, ``new`` = the uuid of the reviewer asked to
    re-review (a uuid, so every site names the same person).
  - DECIDE: one per disputed question (``new`` = ``upheld`` or ``overturned``,
    ``reason`` = why). An overturned question's answer changes through the audited
    edit of a submitted evaluation, so the score and its audit follow.
- "Upheld" means the original answer stands; "overturned" means it was wrong and is
  replaced.
- The deadline is a number of working days after the day the agent disputed
  (default 5). The weekend is the two days before the centre's first day of the
  week: Saturday and Sunday for a week starting on Monday, Friday and Saturday for
  one starting on Sunday, Thursday and Friday for one starting on Saturday.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from qa_monitor.core.records import AuditAction, AuditEntry

DEFAULT_DEADLINE_DAYS = 5
MAX_REASON_CHARS = 2000


class ReceivedVia(StrEnum):
    """How the agent's answer reached whoever recorded it."""

    IN_PERSON = "in_person"
    EMAIL = "email"
    PHONE = "phone"
    CHAT = "chat"
    AGENT_LOGIN = "agent_login"
    OTHER = "other"


class Decision(StrEnum):
    UPHELD = "upheld"  # the original answer stands
    OVERTURNED = "overturned"  # the original answer was wrong and is replaced


RESPONSE_ACKNOWLEDGED = "acknowledged"
RESPONSE_DISPUTED = "disputed"
RE_REVIEWER_FIELD = "re_reviewer"


def weekend(week_start: int) -> frozenset[int]:
    """The two weekdays (``date.weekday()``) before the first day of the week."""
    return frozenset({(week_start - 1) % 7, (week_start - 2) % 7})


def add_working_days(start: date, days: int, week_start: int = 0) -> date:
    """The date ``days`` working days after ``start`` (the same day for 0)."""
    off = weekend(week_start)
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() not in off:
            left -= 1
    return current


def working_days_between(start: date, end: date, week_start: int = 0) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not
    after ``start``): a dispute opened on Monday is 1 working day old on Tuesday."""
    if end <= start:
        return 0
    off = weekend(week_start)
    full_weeks, rest = divmod((end - start).days, 7)
    count = full_weeks * (7 - len(off))
    for i in range(1, rest + 1):
        if (start + timedelta(days=full_weeks * 7 + i)).weekday() not in off:
            count += 1
    return count


@dataclass(frozen=True, slots=True)
class Response:
    """The agent's answer as recorded: acknowledged or disputed."""

    kind: str  # RESPONSE_ACKNOWLEDGED or RESPONSE_DISPUTED
    on: date
    via: ReceivedVia
    recorded_by: int | None
    recorded_at: datetime
    note: str
    deadline: date | None = None


@dataclass(frozen=True, slots=True)
class DisputedQuestion:
    question_id: str
    reason: str
    decision: Decision | None = None
    decision_reason: str = ""
    decided_by: int | None = None


@dataclass(frozen=True, slots=True)
class Dispute:
    evaluation_id: int
    response: Response
    questions: tuple[DisputedQuestion, ...]
    re_reviewer_uuid: str | None = None
    assigned_by: int | None = None
    decided_at: datetime | None = None
    decided_by: int | None = None

    @property
    def decided(self) -> bool:
        return self.decided_at is not None

    @property
    def overturned(self) -> tuple[str, ...]:
        return tuple(q.question_id for q in self.questions if q.decision is Decision.OVERTURNED)


@dataclass(frozen=True, slots=True)
class AgentResponse:
    """Everything an evaluation's audit says about the agent's answer."""

    response: Response | None = None
    dispute: Dispute | None = None


def response_payload(on: date, via: ReceivedVia, deadline: date | None = None) -> str:
    data: dict[str, str] = {"on": on.isoformat(), "via": via.value}
    if deadline is not None:
        data["deadline"] = deadline.isoformat()
    return json.dumps(data, sort_keys=True)


def read_response(entry: AuditEntry) -> Response | None:
    """The agent's answer a RESPOND entry records (None: written differently by another
    version, or not a RESPOND entry)."""
    if entry.action is not AuditAction.RESPOND:
        return None
    try:
        data = json.loads(entry.new or "{}")
        return Response(
            kind=str(entry.field),
            on=date.fromisoformat(data["on"]),
            via=ReceivedVia(data.get("via", ReceivedVia.OTHER.value)),
            recorded_by=entry.actor_id,
            recorded_at=entry.at,
            note=entry.reason,
            deadline=date.fromisoformat(data["deadline"]) if data.get("deadline") else None,
        )
    except (ValueError, KeyError, TypeError):
        return None  # an entry another version wrote differently: the history shows it


def agent_response(evaluation_id: int, entries: Iterable[AuditEntry]) -> AgentResponse:
    """The agent's answer and its dispute, read from the evaluation's audit entries
    (oldest first). A later response or assignment replaces an earlier one."""
    response: Response | None = None
    questions: dict[str, DisputedQuestion] = {}
    re_reviewer: str | None = None
    assigned_by: int | None = None
    decided_at: datetime | None = None
    decided_by: int | None = None
    for entry in entries:
        if entry.action is AuditAction.RESPOND:
            response = read_response(entry) or response
        elif entry.action is AuditAction.DISPUTE and entry.field:
            questions[entry.field] = DisputedQuestion(entry.field, entry.new or "")
        elif entry.action is AuditAction.ASSIGN and entry.field == RE_REVIEWER_FIELD:
            re_reviewer, assigned_by = entry.new, entry.actor_id
        elif entry.action is AuditAction.DECIDE and entry.field in questions:
            try:
                decision = Decision(entry.new or "")
            except ValueError:
                continue
            q = questions[entry.field]
            questions[entry.field] = DisputedQuestion(
                q.question_id, q.reason, decision, entry.reason, entry.actor_id
            )
            decided_at, decided_by = entry.at, entry.actor_id
    if response is None or response.kind != RESPONSE_DISPUTED:
        return AgentResponse(response)
    all_decided = bool(questions) and all(q.decision is not None for q in questions.values())
    dispute = Dispute(
        evaluation_id,
        response,
        tuple(questions.values()),
        re_reviewer,
        assigned_by,
        decided_at if all_decided else None,
        decided_by if all_decided else None,
    )
    return AgentResponse(response, dispute)
