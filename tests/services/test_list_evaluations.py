"""Listing evaluations: every filter field, sorting, paging and counting, and the
indexes the list queries are meant to use."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pytest

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Channel
from qa_monitor.core.records import (
    EvaluationFilter,
    EvaluationKind,
    EvaluationSort,
    EvaluationStatus,
)
from qa_monitor.services import Services
from tests.factories import (
    FakeClock,
    failing_answers,
    interaction_data,
    passing_answers,
    sample_form,
)


@dataclass(frozen=True)
class World:
    ids: dict[str, int]  # e1..e5 -> evaluation id
    agents: dict[str, int]
    teams: dict[str, int]
    reviewers: dict[str, int]
    versions: dict[str, int]


def _evaluate(
    services: Services,
    name: str,
    agent_id: int,
    reviewer_id: int,
    version_id: int,
    day: date,
    channel: Channel,
    kind: EvaluationKind,
    answers: dict[str, Answer] | None,
) -> int:
    interaction = services.interactions.create_interaction(
        interaction_data(
            agent_id,
            external_id=f"call-{name}",
            channel=channel,
            started_at=datetime(day.year, day.month, day.day, 10, tzinfo=UTC),
        )
    )
    evaluation = services.evaluations.start_evaluation(
        interaction.id, version_id, reviewer_id, kind
    )
    if answers is not None:
        services.evaluations.save_draft(evaluation.id, answers)
        assert services.evaluations.submit(evaluation.id).ok
    return evaluation.id


@pytest.fixture
def world(services: Services, clock: FakeClock) -> World:
    services.settings.set_timezone("UTC")
    people = services.people
    teams = {"t1": people.add_team("Billing").id, "t2": people.add_team("Retention").id}
    agents = {
        "a": people.add_agent("Sara Ahmadi", team_id=teams["t1"]).id,
        "b": people.add_agent("Reza Tehrani", team_id=teams["t1"]).id,
        "c": people.add_agent("Mina Rostami", team_id=teams["t2"]).id,
    }
    reviewers = {"r1": people.add_reviewer("Omid").id, "r2": people.add_reviewer("Leila").id}
    versions = {
        "f1": services.forms.publish_form(sample_form(), reviewers["r1"]).id,
        "f2": services.forms.publish_form(sample_form("escalation", "Escalation"), None).id,
    }
    good, bad = passing_answers(), failing_answers()
    a, b, c = agents["a"], agents["b"], agents["c"]
    r1, r2 = reviewers["r1"], reviewers["r2"]
    f1, f2 = versions["f1"], versions["f2"]
    regular, calibration = EvaluationKind.REGULAR, EvaluationKind.CALIBRATION
    ids = {
        "e1": _evaluate(services, "1", a, r1, f1, date(2026, 3, 1), Channel.PHONE, regular, good),
        "e2": _evaluate(services, "2", b, r2, f1, date(2026, 3, 5), Channel.CHAT, calibration, bad),
        "e3": _evaluate(
            services, "3", c, r1, f2, date(2026, 3, 10), Channel.EMAIL, EvaluationKind.SELF, None
        ),
        "e4": _evaluate(services, "4", a, r2, f2, date(2026, 3, 15), Channel.PHONE, regular, good),
        "e5": _evaluate(services, "5", c, r1, f1, date(2026, 2, 20), Channel.SOCIAL, regular, bad),
    }
    clock.advance(hours=1)
    services.evaluations.set_status(ids["e4"], EvaluationStatus.DISPUTED, r1, "agent disagrees")
    return World(ids, agents, teams, reviewers, versions)


def _names(services: Services, world: World, flt: EvaluationFilter) -> list[str]:
    by_id = {v: k for k, v in world.ids.items()}
    rows = services.evaluations.list_evaluations(flt, 0, 100)
    assert services.evaluations.count_evaluations(flt) == len(rows)
    return [by_id[r.id] for r in rows]


def test_each_filter_field(services: Services, world: World) -> None:
    w = world

    def names(**kw: object) -> set[str]:
        return set(_names(services, w, EvaluationFilter(**kw)))  # type: ignore[arg-type]

    assert names() == {"e1", "e2", "e3", "e4", "e5"}
    assert names(date_from=date(2026, 3, 1), date_to=date(2026, 3, 10)) == {"e1", "e2", "e3"}
    assert names(date_from=date(2026, 3, 10)) == {"e3", "e4"}
    assert names(date_to=date(2026, 2, 28)) == {"e5"}
    assert names(agent_ids=(w.agents["a"],)) == {"e1", "e4"}
    assert names(team_ids=(w.teams["t2"],)) == {"e3", "e5"}
    assert names(form_ids=("escalation",)) == {"e3", "e4"}
    assert names(form_version_ids=(w.versions["f1"],)) == {"e1", "e2", "e5"}
    assert names(reviewer_ids=(w.reviewers["r2"],)) == {"e2", "e4"}
    assert names(statuses=(EvaluationStatus.DRAFT,)) == {"e3"}
    assert names(statuses=(EvaluationStatus.DISPUTED, EvaluationStatus.SUBMITTED)) == {
        "e1",
        "e2",
        "e4",
        "e5",
    }
    assert names(kinds=(EvaluationKind.CALIBRATION, EvaluationKind.SELF)) == {"e2", "e3"}
    assert names(channels=(Channel.EMAIL, Channel.SOCIAL)) == {"e3", "e5"}
    assert names(score_min=50.0) == {"e1", "e4"}
    assert names(score_max=50.0) == {"e2", "e5"}
    assert names(score_min=27.0, score_max=28.0) == {"e2", "e5"}
    assert names(critical_failed=True) == {"e2", "e5"}
    assert names(critical_failed=False) == {"e1", "e3", "e4"}
    assert names(search="sara") == {"e1", "e4"}  # agent name, any case
    assert names(search="retention") == {"e3", "e5"}  # team name
    assert names(search="leila") == {"e2", "e4"}  # reviewer name
    assert names(search="Escalation") == {"e3", "e4"}  # form title
    assert names(search="call-3") == {"e3"}  # interaction external id
    assert names(search=str(w.ids["e2"])) >= {"e2"}  # evaluation id
    assert names(search="100%_") == set()  # LIKE wildcards are taken literally
    assert names(agent_ids=(w.agents["a"],), channels=(Channel.PHONE,), score_min=90) == {
        "e1",
        "e4",
    }


def test_rows_carry_names_and_stored_numbers(services: Services, world: World) -> None:
    flt = EvaluationFilter(agent_ids=(world.agents["b"],))
    (row,) = services.evaluations.list_evaluations(flt)
    stored = services.evaluations.get_evaluation(world.ids["e2"])
    assert (row.agent_name, row.team_name, row.reviewer_name) == (
        "Reza Tehrani",
        "Billing",
        "Leila",
    )
    assert (row.form_title, row.form_version, row.interaction_external_id) == (
        "Support call",
        1,
        "call-2",
    )
    assert (row.interaction_date, row.channel, row.kind) == (
        date(2026, 3, 5),
        Channel.CHAT,
        EvaluationKind.CALIBRATION,
    )
    assert (row.score, row.passed, row.critical_failed, row.submitted_at) == (
        stored.score,
        False,
        True,
        stored.submitted_at,
    )


def test_sorting(services: Services, world: World) -> None:
    def order(sort: EvaluationSort, descending: bool) -> list[str]:
        return _names(services, world, EvaluationFilter(sort=sort, descending=descending))

    assert order(EvaluationSort.INTERACTION_DATE, True) == ["e4", "e3", "e2", "e1", "e5"]
    assert order(EvaluationSort.INTERACTION_DATE, False) == ["e5", "e1", "e2", "e3", "e4"]
    # Equal scores fall back to the id; drafts (no score) come last both ways.
    assert order(EvaluationSort.SCORE, False) == ["e2", "e5", "e1", "e4", "e3"]
    assert order(EvaluationSort.SCORE, True) == ["e4", "e1", "e5", "e2", "e3"]
    assert order(EvaluationSort.AGENT, False) == ["e3", "e5", "e2", "e1", "e4"]
    assert order(EvaluationSort.REVIEWER, False)[:2] == ["e2", "e4"]  # Leila before Omid
    assert order(EvaluationSort.TEAM, True)[:2] == ["e5", "e3"]  # Retention, then Billing
    assert order(EvaluationSort.FORM, False)[:2] == ["e3", "e4"]  # Escalation first
    assert order(EvaluationSort.STATUS, False) == ["e4", "e3", "e1", "e2", "e5"]
    assert order(EvaluationSort.CHANNEL, False) == ["e2", "e3", "e1", "e4", "e5"]
    assert order(EvaluationSort.KIND, False) == ["e2", "e1", "e4", "e5", "e3"]
    assert order(EvaluationSort.SUBMITTED_AT, True)[-1] == "e3"
    assert order(EvaluationSort.UPDATED_AT, True)[0] == "e4"


def test_paging_and_count(services: Services, world: World) -> None:
    flt = EvaluationFilter()
    pages = [services.evaluations.list_evaluations(flt, offset, 2) for offset in (0, 2, 4)]
    assert [[r.id for r in page] for page in pages] == [
        [world.ids["e4"], world.ids["e3"]],
        [world.ids["e2"], world.ids["e1"]],
        [world.ids["e5"]],
    ]
    assert services.evaluations.list_evaluations(flt, 10, 2) == []
    assert services.evaluations.count_evaluations(flt) == 5
    assert services.evaluations.count_evaluations(EvaluationFilter(search="nobody")) == 0


def test_two_step_pages_match_one_sorted_statement(services: Services, world: World) -> None:
    """Pages are read as sorted ids, then rows: every sort, both ways, any page, must
    equal sorting the full rows in one statement (the reference)."""
    from qa_monitor.storage import evaluation_query as q

    def reference(flt: EvaluationFilter, offset: int, limit: int) -> list[int]:
        where, params = q.where_clause(flt)
        sql = f"{q._SELECT} WHERE {where} ORDER BY {q._order_by(flt)} LIMIT ? OFFSET ?"
        return [r["id"] for r in services.db.query(sql, [*params, limit, offset])]

    for sort in EvaluationSort:
        for descending in (False, True):
            for base in (EvaluationFilter(), EvaluationFilter(score_min=20.0)):
                flt = replace(base, sort=sort, descending=descending)
                for offset, limit in ((0, 100), (1, 2), (3, 5)):
                    rows = services.evaluations.list_evaluations(flt, offset, limit)
                    assert [r.id for r in rows] == reference(flt, offset, limit), (sort, offset)


def _plan(services: Services, flt: EvaluationFilter, count: bool = False) -> str:
    from qa_monitor.storage import evaluation_query as q

    where, params = q.where_clause(flt)
    if count:
        sql = f"SELECT count(*) FROM evaluations e WHERE {where}"
    else:
        sql = (
            f"SELECT e.id FROM evaluations e {q._SORT_JOIN.get(flt.sort, '')}"
            f" WHERE {where} ORDER BY {q._order_by(flt)} LIMIT 200"
        )
    return " | ".join(r[-1] for r in services.db.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_list_queries_use_the_indexes_meant_for_them(services: Services) -> None:
    """SQLite has no statistics here, so it trusts any usable index: the score and
    critical indexes must serve sorting by score and "critical failures only", and must
    not replace the date index when the filter is a score range or "no critical"."""
    for descending in (True, False):
        plan = _plan(services, EvaluationFilter(sort=EvaluationSort.SCORE, descending=descending))
        assert "evaluations_score" in plan and "TEMP B-TREE" not in plan, plan
    assert "evaluations_critical" in _plan(services, EvaluationFilter(critical_failed=True), True)
    for flt in (
        EvaluationFilter(date_from=date(2026, 3, 1), score_min=0.0),
        EvaluationFilter(date_from=date(2026, 3, 1), score_max=90.0),
        EvaluationFilter(date_from=date(2026, 3, 1), critical_failed=False),
    ):
        for count in (True, False):
            plan = _plan(services, flt, count)
            assert "evaluations_date" in plan, plan
            assert "evaluations_score" not in plan and "evaluations_critical" not in plan, plan


def test_search_finds_part_of_a_call_id(services: Services, world: World) -> None:
    """"02962" finds CALL-0029625 (any case); the start of an id is found as before; a
    text with no digit looks only at the start of ids (names never pay for the scan);
    an export's one statement (``where_clause`` without the matches read) agrees."""
    from qa_monitor.storage.evaluation_query import where_clause

    seeded = world.agents["a"]
    wanted = {}
    for external in ("CALL-0029625", "chat-1102962-x", "CALL-0030000"):
        interaction = services.interactions.create_interaction(
            interaction_data(seeded, external_id=external)
        )
        wanted[external] = services.evaluations.start_evaluation(
            interaction.id, world.versions["f1"], world.reviewers["r1"]
        ).id

    def found(text: str) -> set[int]:
        flt = EvaluationFilter(search=text)
        listed = {r.id for r in services.evaluations.list_evaluations(flt, 0, 100)}
        assert services.evaluations.count_evaluations(flt) == len(listed)
        where, params = where_clause(flt)  # the matches read inside the statement
        in_sql = {i for (i,) in services.db.execute(
            f"SELECT e.id FROM evaluations e WHERE {where}", params
        )}  # fmt: skip
        assert in_sql == listed
        return listed

    assert found("02962") == {wanted["CALL-0029625"], wanted["chat-1102962-x"]}
    assert found("call-00296") == {wanted["CALL-0029625"]}  # ASCII case ignored
    assert found("CALL-003") == {wanted["CALL-0030000"]}  # the start, as before
    assert found("ALL-") == set()  # no digit: only the start of an id
    assert found("2962-X") == {wanted["chat-1102962-x"]}


def test_a_part_most_call_ids_hold_is_looked_for_at_their_start_only(
    services: Services, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ``ID_MATCH_LIMIT`` ids holding the text, it is no one call's: the search
    keeps the ids that start with it (through the index), in the list and in SQL."""
    from qa_monitor.storage import evaluation_query
    from qa_monitor.storage.evaluation_query import where_clause

    monkeypatch.setattr(evaluation_query, "ID_MATCH_LIMIT", 2)
    ids = {}
    for external in ("7-a", "x-7-b", "y-7-c"):
        interaction = services.interactions.create_interaction(
            interaction_data(world.agents["a"], external_id=external)
        )
        ids[external] = services.evaluations.start_evaluation(
            interaction.id, world.versions["f1"], world.reviewers["r1"]
        ).id
    flt = EvaluationFilter(search="7-")
    listed = {r.id for r in services.evaluations.list_evaluations(flt, 0, 100)}
    assert listed == {ids["7-a"]}
    where, params = where_clause(flt)
    in_sql = {i for (i,) in services.db.execute(f"SELECT e.id FROM evaluations e WHERE {where}",
                                                params)}  # fmt: skip
    assert in_sql == listed
