"""The three-process contention run, short (benchmarks/contention.py runs it for 90 s
with a 100,000-row import): submits, a repeated CLI import and exports + dashboard on
one database, with 0 failed writes and 0 acknowledged submits lost."""

from __future__ import annotations

from pathlib import Path

from benchmarks.contention import TARGET_MAX_SUBMIT_S, run


def test_three_processes_fail_nothing_and_lose_nothing(tmp_path: Path) -> None:
    outcome = run(tmp_path, seconds=5, rows=1000)
    assert outcome.failed == []
    assert outcome.lost == 0
    assert outcome.integrity == "ok"
    assert outcome.submits > 0 and outcome.imports > 0 and outcome.reads > 0
    # Generous here (a shared test machine); the benchmark holds it to the target.
    assert max(outcome.submit_seconds) < 5 * TARGET_MAX_SUBMIT_S
