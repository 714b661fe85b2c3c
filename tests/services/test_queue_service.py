"""Sampling rules and the review queue on a real database: reproducible queues, rules
that filter, assignment that respects who may review what, coverage that counts."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from qa_monitor.core.records import Channel
from qa_monitor.core.sampling import PeriodKind, RuleError, RuleKind, SamplingRule
from qa_monitor.services import Services
from qa_monitor.services.common import NotAllowedError
from qa_monitor.storage.settings_repo import TEAM_ROLE, SettingsRepo
from tests.factories import FakeClock, Seed, interaction_data, passing_answers, seed

MONDAY = date(2026, 3, 2)
CHANNELS = (Channel.PHONE, Channel.PHONE, Channel.CHAT, Channel.PHONE, Channel.EMAIL)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 9, 9, 0, tzinfo=UTC))


@pytest.fixture
def centre(tmp_path: Path, clock: FakeClock):  # type: ignore[no-untyped-def]
    """Two teams of three agents, each with ten calls in the week of 2 March (phone,
    chat and email), three reviewers (one of them a Billing team leader who also takes
    calls as an agent)."""
    with Services.open(tmp_path / "qa.db", clock=clock) as services:
        first = seed(services)
        sales = services.people.add_team("Sales")
        agents = [first.agent]
        agents += [
            services.people.add_agent(n, team_id=first.team.id)
            for n in ("Reza Tehrani", "Mina Jafari")
        ]
        agents += [
            services.people.add_agent(n, team_id=sales.id)
            for n in ("Ali Rostami", "Nazanin Ebadi", "Kaveh Moradi")
        ]
        leader = services.people.add_reviewer(
            "Reza Tehrani", team_id=first.team.id, agent_id=agents[1].id
        )
        for k, agent in enumerate(agents):
            for i in range(10):
                services.interactions.create_interaction(
                    interaction_data(
                        agent.id,
                        external_id=f"c-{k}-{i:02d}",
                        channel=CHANNELS[i % len(CHANNELS)],
                        started_at=datetime(2026, 3, 2 + i % 5, 10, i, tzinfo=UTC),
                        csat=1 + (i + k) % 5,
                        duration_s=120.0 + 60 * i,
                        contact_reason="Cancellation request" if i == 3 else "Billing question",
                    )
                )
        yield services, first, agents, leader


def _rule(first: Seed, **kw: object) -> SamplingRule:
    base: dict[str, object] = {
        "id": None,
        "name": "Weekly sample",
        "form_id": first.version.form_id,
        "per_agent": 4,
        "seed": 11,
    }
    base.update(kw)
    return SamplingRule(**base)  # type: ignore[arg-type]


def test_the_same_rule_and_seed_give_the_same_queue(centre) -> None:  # type: ignore[no-untyped-def]
    services, first, _agents, _leader = centre
    services.queue.save_rule(_rule(first))
    preview = services.queue.preview(MONDAY)
    again = services.queue.preview(MONDAY + timedelta(days=3))  # same week, another day
    ids = [p.interaction_ids for p in preview.plans]
    assert ids == [p.interaction_ids for p in again.plans]
    assert len(ids[0]) == 24  # 6 agents x 4
    assert [a.reviewer_id for a in preview.plans[0].assignments] == [
        a.reviewer_id for a in again.plans[0].assignments
    ]
    built = services.queue.build(MONDAY)
    assert built.added == 24
    queued = services.queue._repo.period_items(MONDAY, MONDAY)
    assert {q.interaction_id for q in queued} == set(ids[0])
    # Building again in the same week adds nothing: every quota is met.
    assert services.queue.build(MONDAY).added == 0


def test_another_seed_takes_other_calls(centre) -> None:  # type: ignore[no-untyped-def]
    services, first, _agents, _leader = centre
    rule = services.queue.save_rule(_rule(first, per_agent=3))
    one = set(services.queue.preview(MONDAY).plans[0].interaction_ids)
    services.queue.save_rule(_rule(first, id=rule.id, per_agent=3, seed=99))
    other = set(services.queue.preview(MONDAY).plans[0].interaction_ids)
    assert len(one) == len(other) == 18
    assert one != other


def test_every_rules_filter_by_csat_reason_and_duration(centre) -> None:  # type: ignore[no-untyped-def]
    services, first, _agents, _leader = centre
    services.queue.save_rule(_rule(first, name="Unhappy", kind=RuleKind.EVERY, max_csat=2))
    services.queue.save_rule(
        _rule(first, name="Cancellations", kind=RuleKind.EVERY, contact_reason="cancel")
    )
    services.queue.save_rule(
        _rule(first, name="Long calls", kind=RuleKind.EVERY, min_duration_s=600)
    )
    result = services.queue.build(MONDAY)
    by_rule = {p.rule.name: p for p in result.plans}
    rows = {r.interaction_id: r for r in services.queue._repo.period_items(MONDAY, MONDAY)}
    calls = {i: services.interactions.get_interaction(i) for i in rows}
    # Each rule queued only calls that pass its filter...
    assert all(calls[i].csat <= 2 for i in by_rule["Unhappy"].interaction_ids)
    assert all(
        rows[i].external_id.endswith("-03") for i in by_rule["Cancellations"].interaction_ids
    )
    assert all(calls[i].duration_s >= 600 for i in by_rule["Long calls"].interaction_ids)
    # ...and every call that passes one of them is queued once (a call two rules want
    # goes to the first, in the rules' uuid order).
    week = services.db.execute(
        "SELECT id, csat, duration_s, contact_reason FROM interactions"
        " WHERE local_date BETWEEN '2026-03-02' AND '2026-03-08'"
    ).fetchall()
    unhappy = {i for i, csat, _d, _r in week if csat <= 2}
    assert len(unhappy) == 24  # 6 agents x (CSAT 1 or 2 on 4 of 10 calls)
    cancellations = {i for i, _c, _d, reason in week if "cancel" in reason.lower()}
    assert len(cancellations) == 6
    long_calls = {i for i, _c, duration, _r in week if duration >= 600}
    assert len(long_calls) == 6 * 2  # calls 8 and 9: 600 s and 660 s
    assert set(rows) == unhappy | cancellations | long_calls
    assert result.added == len(rows)


def test_agents_in_their_first_days_get_their_own_quota(centre, clock) -> None:  # type: ignore[no-untyped-def]
    services, first, agents, _leader = centre
    services.people.update_agent(replace(agents[2], hire_date=date(2026, 1, 15)))
    services.people.update_agent(replace(agents[3], hire_date=date(2020, 1, 1)))
    rule = services.queue.save_rule(_rule(first, name="New starters", per_agent=8, tenure_days=90))
    plan = services.queue.preview(MONDAY).plans[0]
    assert plan.rule.id == rule.id
    agents_taken = Counter(a.pick.candidate.agent_id for a in plan.assignments)
    assert agents_taken == {agents[2].id: 8}


def test_shortfalls_are_sentences_and_the_calls_there_are_still_queued(centre) -> None:  # type: ignore[no-untyped-def]
    services, first, _agents, _leader = centre
    services.queue.save_rule(
        _rule(first, per_agent=12, team_id=first.team.id, min_channel="social", min_channel_count=1)
    )
    result = services.queue.build(MONDAY)
    assert result.added == 30  # 3 Billing agents x all 10 calls
    assert (
        "Sara Ahmadi had 10 calls in the week of 2026-03-02 that rule 'Weekly sample' may take;"
        " it asks for 12, so all 10 are queued."
    ) in result.problems
    assert (
        "Sara Ahmadi had 0 social calls in the week of 2026-03-02 for rule 'Weekly sample',"
        " which asks for at least 1; the other places went to other calls."
    ) in result.problems


def test_assignment_keeps_reviewers_off_their_own_calls_and_team(centre) -> None:  # type: ignore[no-untyped-def]
    services, first, agents, leader = centre
    services.queue.save_rule(_rule(first, exclude_own_team=True))
    services.queue.build(MONDAY)
    items = services.queue._repo.period_items(MONDAY, MONDAY)
    own = [q for q in items if q.reviewer_id == leader.id]
    assert own and all(q.team_name == "Sales" for q in own)
    loads = Counter(q.reviewer_id for q in items)
    assert set(loads) == {first.reviewer.id, first.expert.id, leader.id}
    assert max(loads.values()) - min(loads.values()) <= 1
    # Due five working days after Sunday 8 March.
    assert {q.due_date for q in items} == {date(2026, 3, 13)}
    with pytest.raises(NotAllowedError) as refused:
        sara_call = next(q for q in items if q.agent_id == agents[1].id)
        services.queue.reassign(sara_call.id, leader.id)
    assert "is Reza Tehrani's own call; a reviewer never scores their own calls." in str(
        refused.value
    )


def test_my_queue_next_item_skip_and_coverage(centre, clock) -> None:  # type: ignore[no-untyped-def]
    services, first, _agents, _leader = centre
    services.queue.save_rule(_rule(first, per_agent=2))
    services.queue.build(MONDAY)
    mine = services.queue.my_queue(first.reviewer.id)
    assert mine and all(q.reviewer_id == first.reviewer.id for q in mine)
    nxt = services.queue.next_for(first.reviewer.id)
    assert nxt is not None and nxt.id == mine[0].id
    # Score it: the call is done, wherever the evaluation came from.
    version = services.forms.latest_published(nxt.form_id)
    assert version is not None
    ev = services.evaluations.start_evaluation(nxt.interaction_id, version.id, first.reviewer.id)
    assert services.queue.item(nxt.id).started
    services.evaluations.save_draft(ev.id, passing_answers())
    assert services.evaluations.submit(ev.id).ok
    assert services.queue.item(nxt.id).done
    after = services.queue.next_for(first.reviewer.id)
    assert after is not None and after.id != nxt.id
    with pytest.raises(NotAllowedError) as refused:
        services.queue.skip(after.id, "   ")
    assert str(refused.value).startswith("Say why the call is skipped")
    services.queue.skip(after.id, "recording missing")
    assert services.queue.item(after.id).status == "skipped"
    with pytest.raises(NotAllowedError):
        services.queue.skip(nxt.id, "late")  # done already
    coverage = services.queue.coverage(MONDAY)
    assert coverage.target == 12 and coverage.done == 1
    by_agent = {a.agent_id: a for a in coverage.agents}
    done_agent = services.queue.item(nxt.id).agent_id
    assert by_agent[done_agent].done == 1 and by_agent[done_agent].evaluated == 1
    assert sum(a.skipped for a in coverage.agents) == 1
    # Monday 16 March: every open call of the week is overdue (due Friday the 13th).
    clock.now = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
    coverage = services.queue.coverage(MONDAY)
    assert len(coverage.overdue) == 12 - 1 - 1
    load = {r.reviewer_id: r for r in coverage.reviewers}
    assert sum(r.overdue for r in load.values()) == 10
    assert load[first.reviewer.id].done_in_period == 1


def test_rules_that_cannot_be_met_or_stored_are_refused(centre) -> None:  # type: ignore[no-untyped-def]
    services, first, _agents, _leader = centre
    with pytest.raises(RuleError) as refused:
        services.queue.save_rule(_rule(first, form_id="no_such_form"))
    assert str(refused.value) == (
        "Rule 'Weekly sample': the form 'no_such_form' has no published version; publish it"
        " first or choose another form."
    )
    rule = services.queue.save_rule(_rule(first))
    services.queue.build(MONDAY)
    with pytest.raises(NotAllowedError) as in_use:
        services.queue.delete_rule(rule.id)  # type: ignore[arg-type]
    assert str(in_use.value).startswith("Rule 'Weekly sample' queued 24 calls")


def test_a_reviewers_login_may_not_build_the_queue(centre) -> None:  # type: ignore[no-untyped-def]
    services, first, _agents, _leader = centre
    services.queue.save_rule(_rule(first))
    SettingsRepo(services.db).set(TEAM_ROLE, "reviewer")
    with pytest.raises(NotAllowedError) as refused:
        services.queue.build(MONDAY)
    assert str(refused.value) == (
        "On the team server, a supervisor's login builds the review queue; ask a supervisor"
        " to do it."
    )


def test_a_monthly_rule_uses_the_calendar_month(centre) -> None:  # type: ignore[no-untyped-def]
    services, first, _agents, _leader = centre
    services.queue.save_rule(_rule(first, period=PeriodKind.MONTH, per_agent=1))
    result = services.queue.build(MONDAY)
    assert (result.period.start, result.period.end) == (date(2026, 3, 1), date(2026, 3, 31))
    items = services.queue._repo.period_items(date(2026, 3, 1), date(2026, 3, 1))
    assert len(items) == 6
    assert {q.due_date for q in items} == {date(2026, 4, 7)}


def test_my_draft_is_the_reviewers_own_regular_draft_of_the_call(centre) -> None:  # type: ignore[no-untyped-def]
    services, first, _agents, leader = centre
    call = first.interaction.id
    assert services.queue.my_draft(call, first.reviewer.id) is None
    theirs = services.evaluations.start_evaluation(call, first.version.id, leader.id)
    assert services.queue.my_draft(call, first.reviewer.id) is None
    mine = services.evaluations.start_evaluation(call, first.version.id, first.reviewer.id)
    assert services.queue.my_draft(call, first.reviewer.id) == mine.id
    assert services.queue.my_draft(call, leader.id) == theirs.id
    services.evaluations.save_draft(mine.id, passing_answers())
    assert services.evaluations.submit(mine.id).ok
    assert services.queue.my_draft(call, first.reviewer.id) is None  # submitted: not a draft


def test_a_built_queue_is_journalled_as_the_trigger_would(centre) -> None:  # type: ignore[no-untyped-def]
    """The build writes its rows with the sync insert trigger dropped and journals them
    by set: one entry per row, the row's fields as the trigger writes them, sequence
    numbers and clock continuing the journal, and the trigger back afterwards."""
    import json

    from qa_monitor.storage.sync_schema import QUEUE_ITEM, trigger_names

    services, first, _agents, _leader = centre
    services.queue.save_rule(_rule(first, per_agent=2))
    (seq_before, hlc_before) = services.db.execute("SELECT seq, hlc FROM sync_state").fetchone()
    assert services.queue.build(MONDAY).added == 12
    entries = services.db.execute(
        "SELECT seq, hlc, uuid, fields FROM sync_journal WHERE entity = 'queue_item' ORDER BY seq"
    ).fetchall()
    assert [e[0] for e in entries] == list(range(seq_before + 1, seq_before + 13))
    assert all(b[1] > a[1] for a, b in itertools.pairwise(entries))
    assert entries[0][1] > hlc_before
    (seq_after,) = services.db.execute("SELECT seq FROM sync_state").fetchone()
    assert seq_after == seq_before + 12
    for _seq, _hlc, uuid, fields in entries:
        (expected,) = services.db.execute(
            f"SELECT {QUEUE_ITEM.object_sql('r')} FROM queue_items r WHERE r.uuid = ?", [uuid]
        ).fetchone()
        assert json.loads(fields) == json.loads(expected)
    names = {
        r[0] for r in services.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    assert set(trigger_names(QUEUE_ITEM)) <= names
    # A later change goes through the triggers again.
    item = services.queue.my_queue(first.reviewer.id)[0]
    services.queue.skip(item.id, "recording missing")
    (last,) = services.db.execute(
        "SELECT fields FROM sync_journal WHERE entity = 'queue_item' ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert json.loads(last) == {"status": "skipped", "note": "recording missing"}
