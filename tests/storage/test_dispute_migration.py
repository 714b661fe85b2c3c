"""Migration m010 widens the audit log's action rule in place: a database from before it
keeps every row and accepts the dispute entries afterwards."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from qa_monitor.services import Services
from qa_monitor.storage.database import open_database
from qa_monitor.storage.migrations import _NEW_ACTIONS, _OLD_ACTIONS
from tests.factories import FakeClock, passing_answers, seed


def _as_before_m010(path: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN")
        (version,) = conn.execute("PRAGMA schema_version").fetchone()
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE name = 'audit_log'",
            [_NEW_ACTIONS, _OLD_ACTIONS],
        )
        conn.execute(f"PRAGMA schema_version = {version + 1}")
        conn.execute("PRAGMA writable_schema = OFF")
        conn.execute("DROP INDEX evaluations_open_disputes")
        conn.execute("DROP INDEX audit_log_dispute_entries")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm010_dispute_actions'")
        conn.execute("COMMIT")


def test_an_older_database_accepts_dispute_entries_after_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "qa.db"
    with Services.open(path, clock=FakeClock()) as services:
        first = seed(services)
        ev = services.evaluations.start_evaluation(
            first.interaction.id, first.version.id, first.reviewer.id
        )
        services.evaluations.save_draft(ev.id, passing_answers())
        assert services.evaluations.submit(ev.id).ok
    _as_before_m010(path)
    with closing(sqlite3.connect(path)) as plain, pytest.raises(sqlite3.IntegrityError):
        plain.execute(
            "INSERT INTO audit_log (evaluation_id, at, action) VALUES (1, 'x', 'dispute')"
        )
    assert Services.pending_upgrades(path) == ["m010_dispute_actions"]
    db = open_database(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] >= 1
        indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"evaluations_open_disputes", "audit_log_dispute_entries"} <= indexes
        with db.atomic():
            db.execute(
                "INSERT INTO audit_log (evaluation_id, at, action, field, new)"
                " VALUES (1, '2026-03-02T09:00:00.000Z', 'dispute', 'greet', 'I did')"
            )
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO audit_log (evaluation_id, at, action) VALUES (1, 'x', 'zap')")
    finally:
        db.close()
