"""Working days, deadlines and reading a dispute back from audit entries (no Qt, no
database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from qa_monitor.core.disputes import (
    Decision,
    ReceivedVia,
    add_working_days,
    agent_response,
    response_payload,
    weekend,
    working_days_between,
)
from qa_monitor.core.records import AuditAction, AuditEntry

MONDAY = date(2026, 3, 2)
SATURDAY = date(2026, 2, 28)


def test_the_weekend_is_the_two_days_before_the_week_starts() -> None:
    assert weekend(0) == {5, 6}  # Monday start: Saturday and Sunday
    assert weekend(6) == {4, 5}  # Sunday start: Friday and Saturday
    assert weekend(5) == {3, 4}  # Saturday start (Iran): Thursday and Friday


@pytest.mark.parametrize(
    ("start", "days", "week_start", "expected"),
    [
        (MONDAY, 5, 0, date(2026, 3, 9)),  # Mon + 5 working days = next Mon
        (date(2026, 3, 6), 1, 0, date(2026, 3, 9)),  # Friday + 1 = Monday
        (date(2026, 3, 7), 1, 0, date(2026, 3, 9)),  # disputed on a Saturday
        (SATURDAY, 5, 5, date(2026, 3, 7)),  # Sat + 5 in Tehran = next Saturday
        (date(2026, 3, 4), 1, 5, date(2026, 3, 7)),  # Wednesday + 1 skips Thu and Fri
        (MONDAY, 0, 0, MONDAY),
    ],
)
def test_deadlines_count_working_days(
    start: date, days: int, week_start: int, expected: date
) -> None:
    assert add_working_days(start, days, week_start) == expected


def test_age_in_working_days_matches_the_deadline_count() -> None:
    for week_start in (0, 5, 6):
        for days in range(0, 30):
            end = add_working_days(MONDAY, days, week_start)
            assert working_days_between(MONDAY, end, week_start) == days
    assert working_days_between(MONDAY, MONDAY, 0) == 0
    assert working_days_between(MONDAY, date(2026, 3, 1), 0) == 0


def _entry(i: int, action: AuditAction, field: str, new: str, reason: str = "") -> AuditEntry:
    at = datetime(2026, 3, 2, 9, i, tzinfo=UTC)
    return AuditEntry(7, at, 1, action, field, None, new, reason, id=i)


def test_a_dispute_is_read_back_from_its_entries() -> None:
    payload = response_payload(MONDAY, ReceivedVia.EMAIL, date(2026, 3, 9))
    entries = [
        _entry(1, AuditAction.SUBMIT, "status", "submitted"),
        _entry(2, AuditAction.RESPOND, "disputed", payload, "by mail"),
        _entry(3, AuditAction.DISPUTE, "greet", "I did greet"),
        _entry(4, AuditAction.DISPUTE, "verify", "Verified at 0:40"),
        _entry(5, AuditAction.ASSIGN, "re_reviewer", "uuid-1"),
        _entry(6, AuditAction.ASSIGN, "re_reviewer", "uuid-2"),
        _entry(7, AuditAction.DECIDE, "greet", "upheld", "No greeting heard"),
    ]
    read = agent_response(7, entries)
    assert read.dispute is not None
    dispute = read.dispute
    assert (dispute.response.on, dispute.response.via) == (MONDAY, ReceivedVia.EMAIL)
    assert dispute.response.deadline == date(2026, 3, 9)
    assert [q.question_id for q in dispute.questions] == ["greet", "verify"]
    assert dispute.re_reviewer_uuid == "uuid-2"  # the later assignment wins
    assert not dispute.decided  # one question still waits
    entries.append(_entry(8, AuditAction.DECIDE, "verify", "overturned", "heard it"))
    dispute = agent_response(7, entries).dispute
    assert dispute is not None and dispute.decided
    assert dispute.overturned == ("verify",)
    assert dispute.questions[0].decision is Decision.UPHELD


def test_an_acknowledgement_has_no_dispute() -> None:
    payload = response_payload(MONDAY, ReceivedVia.IN_PERSON)
    read = agent_response(7, [_entry(1, AuditAction.RESPOND, "acknowledged", payload)])
    assert read.dispute is None
    assert read.response is not None and read.response.via is ReceivedVia.IN_PERSON
