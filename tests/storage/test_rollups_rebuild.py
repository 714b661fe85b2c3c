"""The chunked roll-up rebuild gives exactly the naive recomputation, whatever the chunks.

The data spans fourteen months across a year boundary, with two forms (one of them in
two versions), phone and chat interactions, a teamless agent, drafts that never
count, edits, status changes, interactions moved to other months and deletes.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from qa_monitor.core.forms import Channel
from qa_monitor.core.records import EvaluationKind, EvaluationStatus, InteractionData
from qa_monitor.services import Services
from qa_monitor.storage.rollup_specs import CUBES, recompute_select
from qa_monitor.storage.rollups import rebuild_rollups, rollup_differences, trigger_names
from tests.factories import FakeClock, failing_answers, random_answers, sample_form

DAY0 = date(2025, 11, 1)
DAYS = 426  # 1 November 2025 to 31 December 2026: fourteen months
CHANNELS = (Channel.PHONE, Channel.CHAT)


def _interaction(rng: random.Random, agents: list[int]) -> InteractionData:
    # Month and year edges on purpose: the first and last days of months sit next to
    # chunk bounds (1 Nov, 1 Dec, 31 Dec, 1 Jan, 31 Jan, 31 Dec).
    edge = rng.random() < 0.3
    day = DAY0 + timedelta(
        days=rng.choice([0, 30, 60, 61, 91, DAYS - 1]) if edge else rng.randrange(DAYS)
    )
    return InteractionData(
        channel=rng.choice(CHANNELS),
        started_at=datetime.combine(day, time(rng.randrange(8, 18)), UTC),
        agent_id=rng.choice(agents),
    )


def _populate(services: Services, seed: int) -> None:
    rng = random.Random(seed)
    services.settings.set_timezone("UTC")
    teams = [services.people.add_team(f"T{i}").id for i in range(3)]
    agents = [services.people.add_agent(f"Agent {i}", team_id=teams[i % 3]).id for i in range(5)]
    agents.append(services.people.add_agent("Agent without team").id)
    reviewers = [services.people.add_reviewer(f"Rev {i}").id for i in range(3)]
    versions = [services.forms.publish_form(sample_form(), reviewers[0]).id]
    versions.append(services.forms.publish_form(sample_form(), reviewers[0]).id)
    versions.append(
        services.forms.publish_form(sample_form("sales_call", "Sales call"), reviewers[1]).id
    )
    evaluations = services.evaluations
    drafts: list[int] = []
    submitted: list[int] = []
    for _step in range(300):
        action = rng.random()
        if action < 0.45 or not (drafts or submitted):
            interaction = services.interactions.create_interaction(_interaction(rng, agents))
            started = evaluations.start_evaluation(
                interaction.id,
                rng.choice(versions),
                rng.choice(reviewers),
                rng.choice(list(EvaluationKind)),
            )
            evaluations.save_draft(started.id, random_answers(rng))
            drafts.append(started.id)
        elif action < 0.7 and drafts:
            eid = drafts.pop(rng.randrange(len(drafts)))
            if evaluations.submit(eid).ok:
                submitted.append(eid)
            else:
                drafts.append(eid)
        elif action < 0.8 and submitted:
            eid = rng.choice(submitted)
            evaluations.edit_submitted(eid, random_answers(rng), "edited", None, "re-scored")
        elif action < 0.86 and submitted:
            eid = rng.choice(submitted)
            if evaluations.get_evaluation(eid).status is EvaluationStatus.SUBMITTED:
                evaluations.set_status(eid, EvaluationStatus.DISPUTED, None, "because")
        elif action < 0.93 and submitted:
            # Moves the evaluation to another day, month, agent, team or channel.
            eid = rng.choice(submitted)
            interaction_id = evaluations.get_evaluation(eid).interaction_id
            services.interactions.update_interaction(interaction_id, _interaction(rng, agents))
        elif submitted:
            eid = submitted.pop(rng.randrange(len(submitted)))
            services.db.execute("DELETE FROM evaluations WHERE id = ?", [eid])
    assert len(submitted) > 30 and drafts


def _tables(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    return {
        cube.table: sorted(conn.execute(f"SELECT * FROM {cube.table}").fetchall()) for cube in CUBES
    }


def _naive(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every roll-up recomputed from the raw rows in one GROUP BY each."""
    return {cube.table: sorted(conn.execute(recompute_select(cube)).fetchall()) for cube in CUBES}


def _without_zero_rows(
    tables: dict[str, list[tuple[object, ...]]],
) -> dict[str, list[tuple[object, ...]]]:
    measures = {c.table: len(c.family.measure_names) for c in CUBES}
    return {
        table: [r for r in rows if any(r[-measures[table] :])] for table, rows in tables.items()
    }


def _schema(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    path = tmp_path_factory.mktemp("rebuild") / "qa.db"
    with Services.open(path, clock=FakeClock()) as opened:
        _populate(opened, 20261124)
        yield opened


def test_data_spans_many_months_and_both_kinds_of_team(services: Services) -> None:
    conn = services.db.conn
    (months,) = conn.execute(
        "SELECT count(DISTINCT substr(interaction_date, 1, 7)) FROM evaluations"
        " WHERE status <> 'draft'"
    ).fetchone()
    assert months >= 12
    (teamless,) = conn.execute(
        "SELECT count(*) FROM evaluations WHERE status <> 'draft' AND team_id IS NULL"
    ).fetchone()
    assert teamless > 0


@pytest.mark.parametrize("months_per_chunk", [1, 3, 1000])
def test_chunked_rebuild_equals_naive_recomputation(
    services: Services, months_per_chunk: int
) -> None:
    conn = services.db.conn
    kept_by_triggers = _tables(conn)
    schema = _schema(conn)
    naive = _naive(conn)
    assert _without_zero_rows(kept_by_triggers) == naive

    rebuild_rollups(conn, months_per_chunk=months_per_chunk)

    # Exactly the naive rows: no zero rows left over, nothing missing, same sums.
    assert _tables(conn) == naive
    assert rollup_differences(conn) == {}
    # Same tables, indexes and triggers as before the rebuild.
    assert _schema(conn) == schema
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert set(trigger_names()) <= names
    assert not conn.in_transaction


def test_rebuilt_rollups_keep_following_changes(services: Services) -> None:
    conn = services.db.conn
    rebuild_rollups(conn)
    (eid,) = conn.execute(
        "SELECT id FROM evaluations WHERE status <> 'draft' ORDER BY id LIMIT 1"
    ).fetchone()
    services.evaluations.edit_submitted(eid, failing_answers(), "again", None, "re-scored")
    assert rollup_differences(conn) == {}


def test_child_keys_missing_from_form_questions_still_count(services: Services) -> None:
    """Rows whose question or section is not in form_questions (hand-edited or imported
    databases) are numbered when first met, not dropped."""
    conn = services.db.conn
    eid, section = conn.execute(
        "SELECT s.evaluation_id, s.section_id FROM section_scores s"
        " JOIN evaluations e ON e.id = s.evaluation_id WHERE e.status <> 'draft' LIMIT 1"
    ).fetchone()
    with services.db.atomic():
        conn.execute(
            "INSERT INTO answers (evaluation_id, question_id, section_id, earned, possible,"
            " status, failing) VALUES (?, 'zz_unlisted', ?, 1.25, 2.5, 'scored', 0)",
            (eid, section),
        )
        conn.execute(
            "UPDATE section_scores SET category = 'unlisted' WHERE evaluation_id = ?"
            " AND section_id = ?",
            (eid, section),
        )
    naive = _naive(conn)
    assert any(r[5] == "zz_unlisted" for r in naive["rollup_question_day"])
    rebuild_rollups(conn, months_per_chunk=2)
    assert _tables(conn) == naive


def test_rebuild_of_an_empty_database(tmp_path: Path) -> None:
    with Services.open(tmp_path / "empty.db", clock=FakeClock()) as opened:
        rebuild_rollups(opened.db)
        assert all(not rows for rows in _tables(opened.db.conn).values())


def test_months_per_chunk_must_be_positive(services: Services) -> None:
    with pytest.raises(ValueError, match="months_per_chunk"):
        rebuild_rollups(services.db, months_per_chunk=0)
    assert rollup_differences(services.db) == {}
