"""Imports read, then write: with a deferred transaction a concurrent writer's commit
made them fail at once with SQLITE_BUSY_SNAPSHOT (10 of 12 failed). With BEGIN
IMMEDIATE and the fair lock wait every one succeeds (issue 13, item 3)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from qa_monitor.services import Services
from qa_monitor.services.import_mapping import ImportKind
from qa_monitor.services.import_service import ImportService
from tests.factories import seed

ROOT = Path(__file__).resolve().parents[2]


def _calls(path: Path, prefix: str, rows: int) -> Path:
    lines = ["Call ID,Start time,Agent ID"]
    lines += [f"{prefix}{i:05d},2026-03-02 09:{i % 60:02d},ext-17" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_six_concurrent_cli_imports_all_succeed(tmp_path: Path) -> None:
    db = tmp_path / "qa.db"
    with Services.open(db) as services:
        seed(services)
    files = [_calls(tmp_path / f"calls-{n}.csv", f"P{n}-", 500) for n in range(6)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "qa_monitor", "--db", str(db), "import", "interactions", str(f)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    results = [(p.wait(timeout=300), p.communicate()) for p in procs]
    assert [code for code, _out in results] == [0] * 6, [err for _c, (_o, err) in results]
    with Services.open(db) as services:
        (count,) = services.db.execute(
            "SELECT count(*) FROM interactions WHERE external_id GLOB 'P*'"
        ).fetchone()
    assert count == 6 * 500


def test_a_large_import_commits_in_chunks(tmp_path: Path) -> None:
    """Another writer waits for one chunk, not for the whole file."""
    db = tmp_path / "qa.db"
    calls = _calls(tmp_path / "calls.csv", "C", 6000)
    with Services.open(db) as services:
        seed(services)
        commits: list[str] = []
        services.db.conn.set_trace_callback(
            lambda sql: commits.append(sql) if sql.strip().upper() == "COMMIT" else None
        )
        report = ImportService.from_services(services).run_import(calls, ImportKind.INTERACTIONS)
        services.db.conn.set_trace_callback(None)
    assert report.created == 6000
    assert len(commits) >= 3
