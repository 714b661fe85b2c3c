"""Migration m009_evidence fills the tamper-evidence chain of a database that had none,
so an upgraded database checks clean and is protected from then on."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from qa_monitor.services import Services
from qa_monitor.services.evidence_check import check_evidence
from qa_monitor.storage.database import open_database
from tests.factories import FakeClock
from tests.services.test_tamper_evidence import _work


def _as_before_m009(path: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("DROP TABLE evidence")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_evidence'")
        conn.execute("PRAGMA user_version = 8")


def test_an_upgraded_database_gets_a_whole_chain(tmp_path: Path) -> None:
    path = tmp_path / "qa.db"
    with Services.open(path, clock=FakeClock()) as services:
        ids = _work(services)
    _as_before_m009(path)
    db = open_database(path)
    try:
        assert check_evidence(db) == []
        counts = dict(db.execute("SELECT kind, count(*) FROM evidence GROUP BY kind"))
        (audit,) = db.execute("SELECT count(*) FROM audit_log").fetchone()
        (submitted,) = db.execute(
            "SELECT count(*) FROM evaluations WHERE status <> 'draft'"
        ).fetchone()
        assert counts == {"audit": audit, "evaluation": submitted, "form_version": 1}
        # From now on, a change outside the app shows.
        with closing(sqlite3.connect(path, isolation_level=None)) as plain:
            plain.execute("UPDATE evaluations SET score = 100 WHERE id = ?", [ids["failing"]])
        assert len(check_evidence(db)) == 1
    finally:
        db.close()
