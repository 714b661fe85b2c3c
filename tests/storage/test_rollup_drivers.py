"""The drivers roll-up (customer outcomes per question, split by full marks) stays
exactly equal to the sums recomputed from the raw rows, whatever arrives first: the
evaluation or the survey, edits, status changes, moves and deletes; bulk loads
rebuild it."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from qa_monitor.core.forms import Channel
from qa_monitor.core.records import EvaluationKind, InteractionData, Retention
from qa_monitor.services import Services
from qa_monitor.storage import rollup_drivers
from qa_monitor.storage.drivers_queries import DriversQueries
from qa_monitor.storage.rollups import rebuild_rollups, rollup_differences
from tests.factories import FakeClock, random_answers, sample_form

DAY0 = date(2026, 1, 1)


def _interaction(rng: random.Random, agents: list[int]) -> InteractionData:
    day = DAY0 + timedelta(days=rng.randrange(90))
    return InteractionData(
        channel=rng.choice((Channel.PHONE, Channel.CHAT)),
        started_at=datetime.combine(day, time(rng.randrange(8, 18)), UTC),
        agent_id=rng.choice(agents),
    )


def _rows(services: Services) -> int:
    return int(services.db.execute(f"SELECT count(*) FROM {rollup_drivers.TABLE}").fetchone()[0])


def test_drivers_rollup_stays_exact_under_random_changes(tmp_path: Path) -> None:
    rng = random.Random(20261207)
    with Services.open(tmp_path / "qa.db", clock=FakeClock()) as services:
        services.settings.set_timezone("UTC")
        teams = [services.people.add_team(f"T{i}").id for i in range(2)]
        agents = [services.people.add_agent(f"A{i}", team_id=teams[i % 2]).id for i in range(4)]
        reviewer = services.people.add_reviewer("Rev").id
        version = services.forms.publish_form(sample_form(), reviewer).id
        evaluations = services.evaluations
        interactions: list[int] = []
        drafts: list[int] = []
        submitted: list[int] = []
        for step in range(200):
            action = rng.random()
            if action < 0.3 or not interactions:
                interaction = services.interactions.create_interaction(_interaction(rng, agents))
                interactions.append(interaction.id)
                kind = rng.choice(
                    [EvaluationKind.REGULAR, EvaluationKind.REGULAR, EvaluationKind.CALIBRATION]
                )
                started = evaluations.start_evaluation(interaction.id, version, reviewer, kind)
                evaluations.save_draft(started.id, random_answers(rng))
                drafts.append(started.id)
            elif action < 0.5 and drafts:
                eid = drafts.pop(rng.randrange(len(drafts)))
                (submitted if evaluations.submit(eid).ok else drafts).append(eid)
            elif action < 0.62 and submitted:
                eid = rng.choice(submitted)
                evaluations.edit_submitted(eid, random_answers(rng), "edited", None, "re-scored")
            elif action < 0.8:
                # A survey arrives (or changes) before or after the evaluation.
                services.interactions.link_survey(
                    rng.choice(interactions),
                    csat=rng.choice([None, 1, 3, 4, 5]),
                    nps=rng.choice([None, 0, 6, 8, 9, 10]),
                    ces=rng.choice([None, 2, 5, 7]),
                )
            elif action < 0.88:
                services.repos.interactions.set_outcomes(
                    rng.choice(interactions),
                    {
                        "retention": rng.choice([None, *Retention]),
                        "resolved_first_contact": rng.choice([None, True, False]),
                    },
                )
            elif action < 0.94 and submitted:
                eid = rng.choice(submitted)
                moved = evaluations.get_evaluation(eid).interaction_id
                services.interactions.update_interaction(moved, _interaction(rng, agents))
            elif drafts:
                evaluations.discard_draft(drafts.pop(rng.randrange(len(drafts))))
            if step % 10 == 0:
                assert rollup_differences(services.db) == {}, f"after step {step}"
        assert rollup_differences(services.db) == {}
        assert len(submitted) > 20 and _rows(services) > 0

        # Deleted behind the services' back: subtracted too.
        services.db.execute("DELETE FROM evaluations WHERE id = ?", [submitted[0]])
        assert rollup_differences(services.db) == {}

        # A rebuild gives the same table.
        before = services.db.execute(
            f"SELECT * FROM {rollup_drivers.TABLE} WHERE n_csat + n_nps + n_ces + n_fcr + n_ret > 0"
            " ORDER BY 1, 2, 3, 4, 5, 6"
        ).fetchall()
        rebuild_rollups(services.db)
        after = services.db.execute(
            f"SELECT * FROM {rollup_drivers.TABLE} ORDER BY 1, 2, 3, 4, 5, 6"
        ).fetchall()
        assert after == before


def test_the_analysis_reads_the_rollup_in_key_order(tmp_path: Path) -> None:
    """The drivers' tallies group by question and full marks in the roll-up's key order:
    no sort of the form's rows (all time at 1M evaluations: 0.7 s sorted, 0.3 s not)."""
    with Services.open(tmp_path / "qa.db", clock=FakeClock()) as services:
        statements: list[str] = []
        services.db.conn.set_trace_callback(statements.append)
        try:
            DriversQueries(services.db).tallies("support_call", date(2018, 1, 1), DAY0)
        finally:
            services.db.conn.set_trace_callback(None)
        (statement,) = [s for s in statements if rollup_drivers.TABLE in s]
        plan = [str(r[3]) for r in services.db.execute("EXPLAIN QUERY PLAN " + statement)]
        assert plan == [
            f"SEARCH {rollup_drivers.TABLE} USING PRIMARY KEY (form_id=? AND kind=?)"
        ], plan
