"""Dashboard roll-ups stay exactly equal to the sums recomputed from the raw rows."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from qa_monitor.core.forms import Channel
from qa_monitor.core.records import EvaluationKind, EvaluationStatus, InteractionData
from qa_monitor.services import Services
from qa_monitor.services.demo_data import build_demo_database
from qa_monitor.storage import open_database
from qa_monitor.storage.analytics_queries import (
    Scope,
    evaluation_sums,
    question_sums,
    section_sums,
    segments,
)
from qa_monitor.storage.rollups import (
    rebuild_rollups,
    rollup_differences,
    suspend_rollups,
    trigger_names,
)
from tests.factories import FakeClock, random_answers, sample_form

DAY0 = date(2026, 1, 1)
CHANNELS = (Channel.PHONE, Channel.CHAT)


def _interaction(rng: random.Random, agents: list[int]) -> InteractionData:
    day = DAY0 + timedelta(days=rng.randrange(120))
    return InteractionData(
        channel=rng.choice(CHANNELS),
        started_at=datetime.combine(day, time(rng.randrange(8, 18)), UTC),
        agent_id=rng.choice(agents),
    )


def test_rollups_stay_exact_under_random_changes(tmp_path: Path) -> None:
    rng = random.Random(20261123)
    with Services.open(tmp_path / "qa.db", clock=FakeClock()) as services:
        services.settings.set_timezone("UTC")
        teams = [services.people.add_team(f"T{i}").id for i in range(3)]
        agents = [
            services.people.add_agent(f"Agent {i}", team_id=teams[i % 3]).id for i in range(6)
        ]
        services.people.add_agent("Agent without team")
        reviewers = [services.people.add_reviewer(f"Rev {i}").id for i in range(3)]
        version = services.forms.publish_form(sample_form(), reviewers[0]).id
        evaluations = services.evaluations
        drafts: list[int] = []
        submitted: list[int] = []
        for step in range(160):
            action = rng.random()
            if action < 0.35 or not (drafts or submitted):
                interaction = services.interactions.create_interaction(_interaction(rng, agents))
                kind = rng.choice(list(EvaluationKind))
                started = evaluations.start_evaluation(
                    interaction.id, version, rng.choice(reviewers), kind
                )
                evaluations.save_draft(started.id, random_answers(rng))
                drafts.append(started.id)
            elif action < 0.6 and drafts:
                eid = drafts.pop(rng.randrange(len(drafts)))
                if evaluations.submit(eid).ok:
                    submitted.append(eid)
                else:
                    drafts.append(eid)
            elif action < 0.72 and submitted:
                eid = rng.choice(submitted)
                evaluations.edit_submitted(eid, random_answers(rng), "edited", None, "re-scored")
            elif action < 0.8 and submitted:
                eid = rng.choice(submitted)
                status = evaluations.get_evaluation(eid).status
                if status is EvaluationStatus.SUBMITTED:
                    new = rng.choice([EvaluationStatus.ACKNOWLEDGED, EvaluationStatus.DISPUTED])
                    evaluations.set_status(eid, new, None, "because")
                elif status is EvaluationStatus.DISPUTED:
                    evaluations.set_status(eid, EvaluationStatus.RESOLVED, None, "done")
            elif action < 0.88 and drafts:
                evaluations.discard_draft(drafts.pop(rng.randrange(len(drafts))))
            elif submitted:
                # Moving an interaction moves its evaluations (agent, team, channel, date).
                eid = rng.choice(submitted)
                interaction_id = evaluations.get_evaluation(eid).interaction_id
                services.interactions.update_interaction(interaction_id, _interaction(rng, agents))
            if step % 8 == 0:
                assert rollup_differences(services.db) == {}, f"after step {step}"
        assert rollup_differences(services.db) == {}
        assert len(submitted) > 20

        # A submitted evaluation deleted behind the services' back is subtracted too.
        services.db.execute("DELETE FROM evaluations WHERE id = ?", [submitted[0]])
        assert rollup_differences(services.db) == {}

        # Every query answers the same from roll-ups as from the raw rows.
        for _ in range(25):
            lo = DAY0 + timedelta(days=rng.randrange(-10, 120))
            scope = Scope(
                date_from=lo if rng.random() < 0.9 else None,
                date_to=lo + timedelta(days=rng.randrange(0, 200)),
                team_ids=tuple(rng.sample(teams, 1)) if rng.random() < 0.3 else (),
                agent_ids=tuple(rng.sample(agents, 2)) if rng.random() < 0.2 else (),
                reviewer_ids=tuple(rng.sample(reviewers, 1)) if rng.random() < 0.2 else (),
                channels=("chat",) if rng.random() < 0.2 else (),
                kinds=("regular",) if rng.random() < 0.5 else (),
            )
            for grain in (None, "day", "month", "year"):
                for by in ((), ("agent_id",), ("team_id", "reviewer_id")):
                    fast = evaluation_sums(services.db, scope, by, grain)  # type: ignore[arg-type]
                    raw = evaluation_sums(services.db, scope, by, grain, use_rollups=False)  # type: ignore[arg-type]
                    assert fast == raw, (scope, grain, by)
                assert question_sums(services.db, scope, grain=grain) == question_sums(  # type: ignore[arg-type]
                    services.db,
                    scope,
                    grain=grain,
                    use_rollups=False,  # type: ignore[arg-type]
                )
                assert section_sums(services.db, scope, grain=grain) == section_sums(  # type: ignore[arg-type]
                    services.db,
                    scope,
                    grain=grain,
                    use_rollups=False,  # type: ignore[arg-type]
                )


def test_bulk_loads_rebuild_the_rollups(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    build_demo_database(path)
    db = open_database(path)
    try:
        assert rollup_differences(db) == {}
        (count,) = db.execute("SELECT sum(n) FROM rollup_eval_day").fetchone()
        (expected,) = db.execute(
            "SELECT count(*) FROM evaluations WHERE status <> 'draft'"
        ).fetchone()
        assert count == expected > 1000
        present = {
            r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        assert set(trigger_names()) <= present
    finally:
        db.close()


def test_suspend_then_rebuild_restores_triggers_and_sums(tmp_path: Path) -> None:
    db = open_database(tmp_path / "qa.db")
    try:
        with db.atomic():
            suspend_rollups(db)
            names = {
                r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            }
            assert not names & set(trigger_names())
            rebuild_rollups(db)
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert set(trigger_names()) <= names
    finally:
        db.close()


@given(
    st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=2000),
    st.sampled_from([("year", "month", "day"), ("month", "day"), ("day",), ("year", "day")]),
)
def test_segments_cover_the_range_exactly_once(
    lo: date, length: int, grains: tuple[str, ...]
) -> None:
    hi = lo + timedelta(days=length)
    parts = segments(lo, hi, grains)  # type: ignore[arg-type]
    assert parts[0].first == lo and parts[-1].last == hi
    for before, after in itertools.pairwise(parts):
        assert before.last is not None and after.first == before.last + timedelta(days=1)
    for part in parts:
        assert part.first is not None and part.last is not None and part.first <= part.last
        if part.grain == "month":
            assert part.first.day == 1 and (part.last + timedelta(days=1)).day == 1
        if part.grain == "year":
            assert (part.first.month, part.first.day) == (1, 1)
            assert (part.last.month, part.last.day) == (12, 31)
