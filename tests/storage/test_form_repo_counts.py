"""A version's evaluation count stays cheap at a million evaluations: the drafts are
counted through the status index even when the statistics say a status holds a
quarter of the rows (measured: 1.0 s on every evaluation opened before, 24 ms after;
benchmarks/bench_calibration.py's database)."""

from __future__ import annotations

from pathlib import Path

from qa_monitor.services import Services
from tests.factories import seed

# sqlite_stat1 as ANALYZE wrote it for the million-evaluation benchmark database.
_STATS = (
    ("evaluations", "evaluations_version_date", "1000000 1000000 402"),
    ("evaluations", "evaluations_status", "1000000 250000 1"),
    ("evaluations", "evaluations_form_date", "1000000 1000000 402"),
    ("evaluations", "evaluations_date", "1000000 402"),
)


def test_drafts_are_counted_through_the_status_index(tmp_path: Path) -> None:
    with Services.open(tmp_path / "qa.db") as services:
        first = seed(services)
        db = services.db
        db.execute("ANALYZE")
        db.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'evaluations'")
        db.conn.executemany("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", _STATS)
        db.execute("ANALYZE sqlite_schema")  # reload the statistics
        statements: list[str] = []
        db.conn.set_trace_callback(statements.append)
        try:
            services.repos.forms.get_version(first.version.id)
        finally:
            db.conn.set_trace_callback(None)
        drafts = [s for s in statements if "status = 'draft'" in s]
        assert drafts, statements
        plan = " ".join(str(r) for r in db.execute("EXPLAIN QUERY PLAN " + drafts[0]))
        assert "evaluations_status" in plan, plan
