"""What tamper evidence costs: a submit with and without the chain, and the check.

    python benchmarks/bench_evidence.py submit [--n 200]
    python benchmarks/bench_evidence.py check PATH     # e.g. a generate.py database

``submit`` times ``EvaluationService.submit`` (score, store, status, audit; one
transaction) on a fresh database, alternating a submit with the chain's triggers on
the connection and one with them dropped (the app as it was), and prints the median
and 95th percentile of each. ``check`` runs ``check_evidence`` on PATH and prints the
seconds of each step, the number of links and the chain's size on disk.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from qa_monitor.services import Services
from qa_monitor.services.evidence_check import check_evidence
from qa_monitor.storage import evidence
from qa_monitor.storage.database import open_database


def _submit_times(n: int) -> dict[str, list[float]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.factories import FakeClock, interaction_data, passing_answers, seed

    times: dict[str, list[float]] = {"with chain": [], "without chain": []}
    with (
        tempfile.TemporaryDirectory() as folder,
        Services.open(Path(folder) / "bench.db", clock=FakeClock()) as services,
    ):
        first = seed(services)
        for i in range(n):
            armed = i % 2 == 0
            if armed:
                evidence.arm(services.db.conn)
            else:
                evidence.disarm(services.db.conn)
            call = services.interactions.create_interaction(
                interaction_data(first.agent.id, external_id=f"call-{i}")
            )
            ev = services.evaluations.start_evaluation(call.id, first.version.id, first.reviewer.id)
            services.evaluations.save_draft(ev.id, passing_answers())
            started = time.perf_counter()
            assert services.evaluations.submit(ev.id).ok
            elapsed = time.perf_counter() - started
            times["with chain" if armed else "without chain"].append(elapsed)
        evidence.arm(services.db.conn)
        logging.disable(logging.WARNING)  # the check logs the unsealed half
        assert check_evidence(services.db) != []
    return times


def _ms(values: list[float], q: float) -> str:
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000:7.2f}"


def run_submit(n: int) -> None:
    times = _submit_times(n)
    print(f"submit, {n // 2} each (ms)        median      p95")
    for name, values in times.items():
        print(f"  {name:<26} {statistics.median(values) * 1000:7.2f}  {_ms(values, 0.95)}")


def run_check(path: Path) -> None:
    db = open_database(path)
    marks: list[tuple[str, float]] = []
    started = time.perf_counter()

    def progress(step: str) -> bool:
        if not marks or marks[-1][0] != step:  # long steps report again every 10,000
            marks.append((step, time.perf_counter()))
        return True

    try:
        findings = check_evidence(db, progress)
        total = time.perf_counter() - started
        (links,) = db.execute("SELECT count(*) FROM evidence").fetchone()
        (evaluations,) = db.execute("SELECT count(*) FROM evaluations").fetchone()
        try:
            (size,) = db.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name IN ('evidence', 'evidence_record')"
            ).fetchone()
        except Exception:  # dbstat is an optional SQLite module
            size = None
    finally:
        db.close()
    steps = [("schema", started), *marks]
    print(f"check of {path} ({evaluations:,} evaluations, {links:,} links)")
    ends = [t for _s, t in steps[1:]] + [started + total]
    for (name, t0), t1 in zip(steps, ends, strict=True):
        label = "safeguards (schema)" if name == "schema" else name
        print(f"  {label:<24} {t1 - t0:8.2f} s")
    print(f"  {'total':<24} {total:8.2f} s")
    if size is not None:
        print(f"  chain on disk: {size / 1e6:,.1f} MB")
    print(f"  findings: {len(findings)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    submit = sub.add_parser("submit")
    submit.add_argument("--n", type=int, default=200)
    check = sub.add_parser("check")
    check.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    if args.what == "submit":
        run_submit(args.n)
    else:
        run_check(args.path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
