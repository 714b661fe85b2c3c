"""Bulk loading: rows land, the connection's settings come back, the schema stays whole,
and the scale generator runs end to end on a small size."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from qa_monitor.core.records import EvaluationKind, EvaluationStatus
from qa_monitor.core.scoring import score_evaluation
from qa_monitor.services import Services
from qa_monitor.services.demo_rows import (
    EvaluationMeta,
    evaluation_row,
    scored_answer_rows,
    section_rows,
)
from qa_monitor.storage import Database, bulk_load
from qa_monitor.storage.rollups import rollup_differences, trigger_names
from qa_monitor.storage.values import utc_text
from tests.factories import START, FakeClock, Seed, passing_answers, seed

REPO = Path(__file__).resolve().parents[2]


def _pragmas(db: Database) -> tuple[object, ...]:
    return tuple(db.pragma(name) for name in ("synchronous", "cache_size", "temp_store"))


def _load(db: Database, s: Seed, count: int) -> None:
    """``count`` submitted evaluations of the seed's agent, each on its own interaction."""
    form = s.version.form
    answers = passing_answers()
    result = score_evaluation(form, answers)
    first_interaction = bulk_load.next_id(db, "interactions")
    first_evaluation = bulk_load.next_id(db, "evaluations")
    interactions, evaluations, answer_rows, sections, audit = [], [], [], [], []
    for n in range(count):
        iid, eid = first_interaction + n, first_evaluation + n
        started = START + timedelta(hours=n)
        interactions.append(
            {
                "id": iid,
                "channel": "phone",
                "started_at": utc_text(started),
                "local_date": started.date().isoformat(),
                "timezone": "UTC",
                "agent_id": s.agent.id,
                "team_id": s.team.id,
                "created_at": utc_text(started),
            }
        )
        meta = EvaluationMeta(
            eid,
            iid,
            form.id,
            s.version.id,
            s.reviewer.id,
            s.agent.id,
            s.team.id,
            "phone",
            started.date().isoformat(),
            EvaluationKind.REGULAR,
            EvaluationStatus.SUBMITTED,
            started,
            started,
            started,
        )
        evaluations.append(evaluation_row(meta, result))
        answer_rows.extend(scored_answer_rows(eid, form, answers, result))
        sections.extend(section_rows(eid, result))
        audit.append((eid, utc_text(started), s.reviewer.id, "submit", "score", None, "1", ""))
    with bulk_load.bulk_mode(db):
        assert bulk_load.insert_interactions(db, interactions, batch_size=7) == count
        assert bulk_load.insert_evaluations(db, evaluations, batch_size=7) == count
        bulk_load.insert_answers(db, answer_rows, batch_size=7)
        bulk_load.insert_section_scores(db, iter(sections))
        bulk_load.insert_audit_entries(db, audit)


@pytest.fixture
def seeded(db: Database) -> Seed:
    return seed(Services(db, clock=FakeClock()))


def test_columns_match_the_schema(db: Database) -> None:
    for table, columns in bulk_load.TABLE_COLUMNS.items():
        stored = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        expected = set(columns) | ({"id"} if table == "audit_log" else set())
        # A bulk load leaves uuids to one UPDATE per table at its end (sync_schema), and
        # the repeat contacts to one set-based pass (storage/repeat_contacts.py).
        assert stored - {"uuid", "next_contact_at"} == expected, table


def test_small_load_lands_and_restores_settings(db: Database, seeded: Seed) -> None:
    before = _pragmas(db)
    _load(db, seeded, 20)
    assert _pragmas(db) == before
    assert db.pragma("journal_mode") == "wal"
    assert not db.conn.in_transaction
    counts = bulk_load.table_counts(db, ("interactions", "evaluations", "section_scores"))
    assert counts == {"interactions": 21, "evaluations": 20, "section_scores": 80}
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # Roll-up triggers were suspended for the load, then the roll-ups rebuilt and the
    # triggers put back.
    assert rollup_differences(db) == {}
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert set(trigger_names()) <= triggers
    # The repositories read bulk-loaded rows like any others.
    services = Services(db, clock=FakeClock())
    evaluation = services.evaluations.get_evaluation(bulk_load.next_id(db, "evaluations") - 1)
    assert evaluation.score == score_evaluation(seeded.version.form, passing_answers()).score
    assert evaluation.answers == passing_answers()


def test_failed_load_rolls_back_and_restores_settings(db: Database, seeded: Seed) -> None:
    before = _pragmas(db)
    with pytest.raises(Exception, match="FOREIGN KEY"), bulk_load.bulk_mode(db):
        bulk_load.insert_section_scores(db, [(999, "s", 0, "process", 1.0, 1.0, 1.0, 1.0, 0)])
    assert _pragmas(db) == before
    assert bulk_load.table_counts(db, ("section_scores",)) == {"section_scores": 0}
    with pytest.raises(ValueError, match="unknown columns"):
        bulk_load.insert_interactions(db, [{"nope": 1}])
    with pytest.raises(ValueError, match="expected"):
        bulk_load.insert_answers(db, [(1, 2)])


def test_deferred_indexes_come_back_identical(db: Database, seeded: Seed) -> None:
    schema = bulk_load.secondary_indexes(db)
    assert any(name == "evaluations_agent_date" for name, _sql in schema)
    with bulk_load.bulk_mode(db), bulk_load.deferred_indexes(db):
        assert bulk_load.secondary_indexes(db) == []
        _load_inside(db, seeded)
    assert bulk_load.secondary_indexes(db) == schema
    bulk_load.analyze(db)
    assert db.execute("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def _load_inside(db: Database, s: Seed) -> None:
    iid = bulk_load.next_id(db, "interactions")
    row = dict.fromkeys(bulk_load.INTERACTION_COLUMNS)
    row.update(
        id=iid,
        channel="chat",
        direction="inbound",
        started_at=utc_text(START),
        local_date=START.date().isoformat(),
        timezone="UTC",
        agent_id=s.agent.id,
        source="test",
        created_at=utc_text(START),
    )
    assert bulk_load.insert_interactions(db, [tuple(row.values())]) == 1


def test_generator_runs_small(tmp_path: Path) -> None:
    out = tmp_path / "bench.db"
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), "500", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert "evaluations" in done.stdout and "total" in done.stdout
    with Services.open(out) as services:
        counts = bulk_load.table_counts(services.db, ("evaluations", "answers"))
        assert counts == {"evaluations": 500, "answers": 500 * 30}
        assert services.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert rollup_differences(services.db) == {}
        for evaluation_id in range(1, 501, 7):
            evaluation = services.evaluations.get_evaluation(evaluation_id)
            result = score_evaluation(services.evaluations.form_of(evaluation), evaluation.answers)
            assert (evaluation.score, evaluation.sections) == (result.score, result.sections)
            assert len(evaluation.answer_scores) == 30


def test_a_bulk_load_gives_every_row_a_uuid_and_keeps_the_sync_triggers(
    db: Database, seeded: Seed
) -> None:
    _load(db, seeded, 20)
    for table in ("interactions", "evaluations", "audit_log"):
        (missing,) = db.execute(f"SELECT count(*) FROM {table} WHERE uuid IS NULL").fetchone()
        assert missing == 0, table
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert {"sync_evaluation_enter", "sync_interaction_insert", "sync_audit_insert"} <= names


def test_the_backfill_reads_every_row_once_and_again_after_a_bulk_load(
    db: Database, seeded: Seed
) -> None:
    from qa_monitor.storage.sync_journal import SyncJournal

    journal = SyncJournal(db)
    journal.backfill()
    (before,) = db.execute("SELECT count(*) FROM sync_journal").fetchone()
    # Done once at this schema version: the next sync does not read every row again.
    assert db.execute("SELECT value FROM settings WHERE key = 'sync.backfilled'").fetchone()
    assert journal.backfill() == 0
    # A bulk load with the triggers off makes the next backfill journal its rows.
    _load(db, seeded, 5)
    assert not db.execute("SELECT 1 FROM settings WHERE key = 'sync.backfilled'").fetchone()
    assert journal.backfill() == 5 + 5 + 5  # calls, evaluations, audit entries
    (after,) = db.execute("SELECT count(*) FROM sync_journal").fetchone()
    assert after == before + 15
    assert journal.backfill() == 0
