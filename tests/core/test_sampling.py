"""The draw and the assignment without a database: reproducible, stratified, balanced."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from qa_monitor.core.sampling import (
    Candidate,
    PeriodKind,
    PickReason,
    ReviewerSlot,
    RuleError,
    RuleKind,
    SamplingRule,
    assign,
    check_rule,
    draw,
    due_date,
    period_of,
    rank_key,
)

MONDAY = date(2026, 3, 2)
WEEK = period_of(MONDAY, PeriodKind.WEEK, 0)


def _calls(agent: int, channels: str, team: int = 1) -> list[Candidate]:
    """One call per letter: p phone, c chat, e email."""
    names = {"p": "phone", "c": "chat", "e": "email"}
    return [
        Candidate(agent * 1000 + i, f"{agent:04d}-{i:04d}", agent, team, names[ch], MONDAY)
        for i, ch in enumerate(channels)
    ]


def _rule(**kw: object) -> SamplingRule:
    base: dict[str, object] = {"id": 1, "name": "Weekly sample", "form_id": "support_call"}
    base.update(kw)
    return SamplingRule(**base)  # type: ignore[arg-type]


def test_periods_follow_the_centres_first_day_and_the_calendar_month() -> None:
    assert (WEEK.start, WEEK.end) == (date(2026, 3, 2), date(2026, 3, 8))
    saturday_week = period_of(date(2026, 3, 4), PeriodKind.WEEK, 5)
    assert (saturday_week.start, saturday_week.end) == (date(2026, 2, 28), date(2026, 3, 6))
    month = period_of(date(2026, 2, 14), PeriodKind.MONTH)
    assert (month.start, month.end) == (date(2026, 2, 1), date(2026, 2, 28))
    # Due 5 working days after Sunday 8 March: Mon 9 .. Fri 13.
    assert due_date(WEEK, 5, 0) == date(2026, 3, 13)


def test_the_same_seed_and_week_take_the_same_calls_whatever_their_order() -> None:
    calls = _calls(1, "pppppppppp")
    first = draw(_rule(per_agent=4), WEEK, calls)
    again = draw(_rule(per_agent=4), WEEK, list(reversed(calls)))
    assert [p.candidate.uuid for p in first.picks] == [p.candidate.uuid for p in again.picks]
    assert len(first.picks) == 4
    # The picks are the four best-ranked calls by the documented hash.
    best = sorted(calls, key=lambda c: rank_key(0, WEEK.start, c.uuid))[:4]
    assert {p.candidate.uuid for p in first.picks} == {c.uuid for c in best}


def test_another_week_or_seed_ranks_the_same_calls_afresh() -> None:
    calls = _calls(1, "p" * 40)
    picked = {p.candidate.uuid for p in draw(_rule(per_agent=4), WEEK, calls).picks}
    next_week = period_of(MONDAY + timedelta(days=7), PeriodKind.WEEK)
    other_week = {p.candidate.uuid for p in draw(_rule(per_agent=4), next_week, calls).picks}
    other_seed = {p.candidate.uuid for p in draw(_rule(per_agent=4, seed=7), WEEK, calls).picks}
    assert picked != other_week
    assert picked != other_seed


def test_at_least_one_chat_is_served_first() -> None:
    calls = _calls(1, "ppppppppc")
    result = draw(_rule(per_agent=4, min_channel="chat", min_channel_count=1), WEEK, calls)
    channels = Counter(p.candidate.channel for p in result.picks)
    assert channels == {"chat": 1, "phone": 3}
    assert [p.reason for p in result.picks if p.candidate.channel == "chat"] == [PickReason.MINIMUM]
    assert result.shortfalls == ()


def test_a_missing_channel_and_too_few_calls_are_shortfalls() -> None:
    result = draw(
        _rule(per_agent=4, min_channel="chat", min_channel_count=1),
        WEEK,
        _calls(1, "pp"),
        agents=[1, 2],
    )
    assert len(result.picks) == 2
    short = {(s.agent_id, s.wanted, s.found, s.channel) for s in result.shortfalls}
    assert short == {(1, 1, 0, "chat"), (1, 4, 2, None), (2, 1, 0, "chat"), (2, 4, 0, None)}


def test_stratified_draws_follow_the_channel_mix() -> None:
    # 6 phone, 3 chat, 3 email; 4 places: shares 2, 1, 1 exactly.
    calls = _calls(1, "ppppppccceee")
    result = draw(_rule(per_agent=4, stratify=True), WEEK, calls)
    assert Counter(p.candidate.channel for p in result.picks) == {"phone": 2, "chat": 1, "email": 1}
    # A short channel leaves its places to the others: 1 chat and 9 phone, 5 places.
    short = draw(_rule(per_agent=5, stratify=True), WEEK, _calls(2, "pppppppppc"))
    assert Counter(p.candidate.channel for p in short.picks) == {"phone": 5} or Counter(
        p.candidate.channel for p in short.picks
    ) == {"phone": 4, "chat": 1}
    assert len(short.picks) == 5


def test_calls_queued_before_count_towards_the_quota() -> None:
    calls = _calls(1, "pppppp")
    result = draw(_rule(per_agent=4), WEEK, calls, already={1: ["phone", "phone", "phone"]})
    assert len(result.picks) == 1


def test_an_every_rule_takes_every_call() -> None:
    calls = _calls(1, "pce") + _calls(2, "pp")
    result = draw(_rule(kind=RuleKind.EVERY, per_agent=None), WEEK, calls, agents=[1, 2, 3])
    assert len(result.picks) == 5
    assert {p.reason for p in result.picks} == {PickReason.EVERY}
    assert result.shortfalls == ()


def test_assignment_balances_and_never_gives_reviewers_their_own_calls() -> None:
    calls = _calls(1, "p" * 10, team=1) + _calls(2, "p" * 10, team=2)
    picks = draw(_rule(per_agent=10), WEEK, calls).picks
    reviewers = [
        ReviewerSlot(10, "r-a", team_id=1, agent_id=1),  # also takes calls as agent 1
        ReviewerSlot(11, "r-b", team_id=2),
        ReviewerSlot(12, "r-c", team_id=None, open_items=3),
    ]
    out = assign(picks, reviewers)
    assert all(not (a.reviewer_id == 10 and a.pick.candidate.agent_id == 1) for a in out)
    counts = Counter(a.reviewer_id for a in out)
    # 20 calls; r-c starts with 3 open: the totals (with what they held) differ by <= 1.
    totals = {10: counts[10], 11: counts[11], 12: counts[12] + 3}
    assert max(totals.values()) - min(totals.values()) <= 1
    assert out == assign(picks, reviewers)  # reproducible
    own_team = assign(picks, reviewers, exclude_own_team=True)
    for a in own_team:
        team = a.pick.candidate.team_id
        assert a.reviewer_id != {1: 10, 2: 11}[team]


def test_a_call_nobody_may_take_stays_unassigned() -> None:
    picks = draw(_rule(per_agent=2), WEEK, _calls(1, "pp")).picks
    out = assign(picks, [ReviewerSlot(10, "r-a", agent_id=1)])
    assert [a.reviewer_id for a in out] == [None, None]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "Give the rule a name, for example 'Weekly sample'."),
        (
            {"per_agent": 0},
            "Rule 'Weekly sample': a sample takes 1 to 200 calls per agent per week.",
        ),
        (
            {"per_agent": 2, "min_channel": "chat", "min_channel_count": 3},
            "Rule 'Weekly sample': at least 3 chat calls cannot fit in a sample of 2; raise"
            " the sample or lower the minimum.",
        ),
        (
            {"min_channel_count": 1},
            "Rule 'Weekly sample': say which channel the minimum of calls is for.",
        ),
        (
            {"max_csat": 9},
            "Rule 'Weekly sample': CSAT is 1 to 5; 'at most' takes a value in that range.",
        ),
        (
            {"due_days": 90},
            "Rule 'Weekly sample': calls are due 0 to 60 working days after the period.",
        ),
    ],
)
def test_a_rule_that_cannot_work_is_refused_with_a_sentence(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(RuleError) as refused:
        check_rule(_rule(**changes))
    assert str(refused.value) == message


def test_filters_keep_only_matching_calls_and_a_missing_value_never_matches() -> None:
    from qa_monitor.core.sampling import PoolCall, matches

    call = PoolCall(
        1, "u-1", 7, 2, "phone", date(2026, 3, 10), 2, 660.0, "Wants to CANCEL the plan",
        date(2026, 1, 1),
    )  # fmt: skip
    assert matches(_rule(), call)
    assert matches(_rule(team_id=2, channel="phone", max_csat=2), call)
    assert not matches(_rule(team_id=3), call)
    assert not matches(_rule(channel="chat"), call)
    assert not matches(_rule(max_csat=1), call)
    assert matches(_rule(contact_reason="cancel"), call)  # any case
    assert not matches(_rule(contact_reason="refund"), call)
    assert matches(_rule(min_duration_s=600), call) and not matches(_rule(min_duration_s=661), call)
    # Hired 1 January: the call of 10 March is on day 68, inside 90 days, not 68.
    assert matches(_rule(tenure_days=90), call) and not matches(_rule(tenure_days=68), call)
    blank = call._replace(csat=None, duration_s=None, contact_reason=None, hire_date=None)
    for rule in (
        _rule(max_csat=5),
        _rule(min_duration_s=0),
        _rule(contact_reason="a"),
        _rule(tenure_days=3650),
    ):
        assert not matches(rule, blank)
