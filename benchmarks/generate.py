"""Build a QA Monitor database of N evaluations (30 answers each) to measure scale.

    python benchmarks/generate.py N [--out PATH] [--seed S] [--agents A] [--replace]
                                    [--keep-indexes] [--old-rollups]

The centre grows with N: about sqrt(N) agents (at most ~10 evaluations per agent per
month, at most 8 years), one team per 20 agents, one reviewer per 50. N=1,000,000
gives 1,000 agents in 50 teams, 20 reviewers and 8 years of history. Agents join and
leave, a few improve or decline, every month has a calibration session, and
evaluations move through submitted / acknowledged / disputed / resolved. Customers call
again within 7 days as the demo's model says (``services/demo_effects.repeat_chance``:
mostly after a call answered "not resolved"), so FCR from repeat contacts has data.

How it is fast: answers are drawn as integer codes (``bench_scoring``), scores come
from ``score_evaluation`` through caches keyed by answer pattern, rows are built as
tuples and appended with ``storage.bulk_load`` (executemany, ~200k answer rows per
flush) in one transaction with ``synchronous=OFF``. The secondary indexes of
interactions, evaluations and audit_log are dropped for the load and recreated from
the schema's own statements at its end (``bulk_load.deferred_indexes``, same
transaction), the dashboard roll-ups are rebuilt (``storage.rollups``, a month of
evaluations at a time; ``--old-rollups`` uses the previous single-pass rebuild kept in
``bench_rollups.py``, to compare), then ANALYZE runs and the WAL is checkpointed.
Every 1,000th evaluation is re-scored with ``score_evaluation`` from scratch as a check.

Prints progress every ~10% and a table of rows per table, seconds per phase, the
total and the file size.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT.parent)]  # run from a checkout without installing

from bench_centre import Centre, build_centre  # noqa: E402
from bench_load import Loader, Writer  # noqa: E402
from bench_scoring import FastForm  # noqa: E402

from qa_monitor.services import Services  # noqa: E402
from qa_monitor.services.demo_data import DEMO_ANCHOR, DEMO_TIMEZONE  # noqa: E402
from qa_monitor.storage import bulk_load  # noqa: E402

TABLES = (
    "teams",
    "agents",
    "reviewers",
    "form_versions",
    "form_questions",
    "interactions",
    "evaluations",
    "answers",
    "section_scores",
    "audit_log",
)
MAX_MONTHS = 96
MAX_PER_AGENT_MONTH = 10.5


def scale(n: int, agents: int | None) -> tuple[int, int, int, int]:
    """(agents, teams, reviewers, months) for ``n`` evaluations."""
    if agents is None:
        agents = max(10, round(math.sqrt(n)), math.ceil(n / (MAX_MONTHS * MAX_PER_AGENT_MONTH)))
    months = max(1, min(MAX_MONTHS, math.ceil(n / (agents * 8))))
    teams = max(1, round(agents / 20))
    reviewers = max(5, min(200, round(agents / 50)))
    return agents, teams, reviewers, months


def _args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of evaluations")
    parser.add_argument("--out", type=Path, help="database file (default: bench_N.db here)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--agents", type=int, help="number of agents (default: scaled to N)")
    parser.add_argument("--replace", action="store_true", help="overwrite --out if it exists")
    parser.add_argument(
        "--keep-indexes", action="store_true", help="load with the secondary indexes in place"
    )
    parser.add_argument(
        "--old-rollups",
        action="store_true",
        help="rebuild the roll-ups with the previous algorithm (bench_rollups.py), to compare",
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    args.out = args.out or Path(f"bench_{args.n}.db")
    if args.out.exists():
        if not args.replace:
            parser.error(f"{args.out} exists; pass --replace to overwrite it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.out}{suffix}").unlink(missing_ok=True)
    return args


def _fmt_table(title: str, rows: list[tuple[str, str]]) -> str:
    width = max(len(k) for k, _v in rows) + 2
    value_width = max(len(v) for _k, v in rows)
    lines = [title]
    lines += [f"  {k:<{width}}{v:>{value_width}}" for k, v in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = _args(argv)
    if args.old_rollups:
        # bulk_mode calls the name it imported; swapping it changes only the rebuild.
        from bench_rollups import old_rebuild_rollups

        bulk_load.rebuild_rollups = old_rebuild_rollups
    agents, teams, reviewers, months = scale(args.n, args.agents)
    print(
        f"{args.n:,} evaluations: {agents:,} agents, {teams} teams, {reviewers} reviewers, "
        f"{months} months -> {args.out}",
        flush=True,
    )
    phases: dict[str, float] = {}
    started = time.perf_counter()
    zone = ZoneInfo(DEMO_TIMEZONE)
    anchor: date = DEMO_ANCHOR
    rng = random.Random(args.seed)
    first_day = _months_back(anchor, months - 1)
    clock_now = datetime.combine(first_day - timedelta(days=30), datetime.min.time(), zone)
    with Services.open(args.out, clock=lambda: clock_now.astimezone(UTC)) as services:
        services.settings.set_timezone(DEMO_TIMEZONE)
        services.settings.set_week_start(5)
        centre: Centre = build_centre(
            services, rng, agents=agents, teams=teams, reviewers=reviewers, months=months
        )
        fast = FastForm(centre.version.form, args.seed)
        phases["setup (people, form)"] = time.perf_counter() - started

        db = services.db
        defer = () if args.keep_indexes else ("interactions", "evaluations", "audit_log")
        first_ids = (bulk_load.next_id(db, "interactions"), bulk_load.next_id(db, "evaluations"))
        loader = Loader(centre, fast, rng, zone, first_day, anchor, args.n, first_ids)
        t = time.perf_counter()
        with Writer(db, defer) as writer:
            loader.sink = writer.write
            loader.run()
        phases["load (wall clock)"] = time.perf_counter() - t
        phases["  generating rows (Python)"] = loader.generate_seconds
        phases["  inserting rows (SQLite)"] = writer.seconds["insert"]
        phases["  recreating indexes"] = writer.seconds["indexes"]
        phases["  rebuilding roll-ups"] = writer.seconds["rollups"]
        phases["  sealing (tamper evidence)"] = writer.seconds.get("evidence", 0.0)
        phases["  committing"] = writer.seconds["commit"]
        t = time.perf_counter()
        bulk_load.analyze(db)
        phases["analyze"] = time.perf_counter() - t
        t = time.perf_counter()
        bulk_load.checkpoint(db)
        phases["checkpoint"] = time.perf_counter() - t
        counts = bulk_load.table_counts(db, TABLES)
    total = time.perf_counter() - started
    size = sum(
        Path(f"{args.out}{s}").stat().st_size
        for s in ("", "-wal")
        if Path(f"{args.out}{s}").exists()
    )
    print()
    print(_fmt_table("rows", [(k, f"{v:,}") for k, v in counts.items()]))
    print(_fmt_table("seconds", [(k, f"{v:,.1f}") for k, v in phases.items()]))
    print(f"  total: {total:,.1f} s   file: {size / 1e6:,.1f} MB   ({args.out})")
    print(
        f"  score_evaluation calls: {fast.score_calls:,} for {args.n:,} evaluations"
        f" (pattern caches); {loader.verified:,} re-checked from scratch"
    )
    return 0


def _months_back(anchor: date, months: int) -> date:
    year, month = anchor.year, anchor.month - months
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, 1)


if __name__ == "__main__":
    sys.exit(main())
