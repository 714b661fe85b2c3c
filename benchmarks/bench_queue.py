"""Time the review queue at scale: building a week's queue and opening coverage.

    python benchmarks/bench_queue.py DB [--calls-per-agent 60] [--runs 5] [--seed 3]
        [--work-dir DIR | --in-place]

DB is copied (with its -wal file) into ``--work-dir`` unless ``--in-place`` (a 1M
database is several GB; pass a throw-away copy). Opening it with ``Services.open``
applies pending migrations (m011 adds the programme's tables; its time is printed).

A generated database has every call evaluated already, so the bench first plants a
week of new calls after its last day: ``--calls-per-agent`` per active agent (phone,
chat and email, with CSAT on one call in ten, a few cancellations and long calls),
written through SQL with the sync triggers on, as an import would. Three rules are
saved through the service: "Weekly sample" (4 per agent per week, at least 1 chat),
"Unhappy customers" (every call with CSAT <= 1) and "New starters" (8 per week for
agents in their first 90 days). Then, as medians of ``--runs`` runs after a warm-up:

- ``preview`` of the week's queue (what the Build dialog shows; no writes);
- ``build`` of the week's queue, inside a transaction rolled back after each run, so
  every run starts from the same state (the write and its journal are counted);
- once built for good: ``coverage(week)`` (the Coverage tab), ``my_queue`` of the
  busiest reviewer (My queue) and ``next_for`` (the key after a submit).

The targets are the issue's: build <= 2 s (it runs off the GUI thread), coverage
<= 500 ms; a reviewer's queue <= 200 ms. The load average is printed before and after.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent)]  # run from a checkout without installing

from benchmarks.bench_timing import copy_database as _copy  # noqa: E402
from benchmarks.bench_timing import load_average as _load  # noqa: E402
from benchmarks.bench_timing import timed as _timed  # noqa: E402
from qa_monitor.core.sampling import RuleKind, SamplingRule  # noqa: E402
from qa_monitor.services import Services  # noqa: E402
from qa_monitor.services.queue_list_service import read_queue  # noqa: E402
from qa_monitor.storage.transactions import write_transaction  # noqa: E402

BUILD_TARGET_MS = 2000.0
COVERAGE_TARGET_MS = 500.0
MINE_TARGET_MS = 200.0


def _plant_week(services: Services, monday: date, per_agent: int, rng: random.Random) -> int:
    """A week of new calls for every active agent who has none in it; returns how many."""
    agents = services.db.execute(
        "SELECT id, team_id FROM agents a WHERE active = 1 AND NOT EXISTS (SELECT 1 FROM"
        " interactions i WHERE i.agent_id = a.id AND i.local_date BETWEEN ? AND ?) ORDER BY id",
        [monday.isoformat(), (monday + timedelta(days=6)).isoformat()],
    ).fetchall()
    now = datetime.now(UTC).isoformat()
    rows = []
    for agent_id, team_id in agents:
        for i in range(per_agent):
            day = monday + timedelta(days=i % 5)
            channel = rng.choices(("phone", "chat", "email"), (70, 20, 10))[0]
            rows.append(
                (
                    f"bench-q-{monday.isoformat()}-{agent_id}-{i}",
                    channel,
                    f"{day.isoformat()}T{8 + i % 9:02d}:{i % 60:02d}:00+00:00",
                    day.isoformat(),
                    "UTC",
                    rng.uniform(60, 1500),
                    agent_id,
                    team_id,
                    "Cancellation" if rng.random() < 0.05 else "Billing question",
                    rng.randint(1, 5) if rng.random() < 0.1 else None,
                    now,
                )
            )
    with write_transaction(services.db):
        services.db.conn.executemany(
            "INSERT INTO interactions (external_id, channel, started_at, local_date, timezone,"
            " duration_s, agent_id, team_id, contact_reason, csat, source, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?)",
            rows,
        )
    return len(rows)


def _rules(services: Services) -> list[SamplingRule]:
    form_id = services.db.execute(
        "SELECT form_id FROM form_versions WHERE status = 'published'"
        " GROUP BY form_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    wanted = [
        SamplingRule(id=None, name="Weekly sample", form_id=form_id, per_agent=4, seed=3,
                     min_channel="chat", min_channel_count=1),
        SamplingRule(id=None, name="Unhappy customers", form_id=form_id,
                     kind=RuleKind.EVERY, per_agent=None, max_csat=1),
        SamplingRule(id=None, name="New starters", form_id=form_id, per_agent=8,
                     tenure_days=90, seed=3),
    ]  # fmt: skip
    have = {r.name: r for r in services.queue.rules()}
    return [have.get(r.name) or services.queue.save_rule(r) for r in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--calls-per-agent", type=int, default=60)
    parser.add_argument(
        "--agents", type=int, default=1000, help="reactivate agents up to this many active"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=3)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--work-dir", type=Path, help="where the copy goes (default: temp)")
    where.add_argument("--in-place", action="store_true", help="plant into DB itself")
    args = parser.parse_args(argv)
    print(f"load average before: {_load()}")
    if args.in_place:
        path = args.db
    else:
        folder = args.work_dir or Path(tempfile.mkdtemp(prefix="bench-queue-"))
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        path = _copy(args.db, folder)
        print(f"copied {args.db} to {path} in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with Services.open(path) as probe:
        # The week after the last evaluated call: the same week on every run.
        (last,) = probe.db.execute("SELECT max(interaction_date) FROM evaluations").fetchone()
    print(f"opened (and migrated) in {time.perf_counter() - started:.1f} s")
    last_day = date.fromisoformat(last)
    monday = last_day + timedelta(days=7 - last_day.weekday())
    noon = datetime.combine(monday + timedelta(days=7), datetime.min.time(), UTC)
    with Services.open(path, clock=lambda: noon) as services:
        services.settings.set_week_start(0)
        # "A week's queue for 1,000 agents": a generated centre has agents who left.
        (active,) = services.db.execute("SELECT count(*) FROM agents WHERE active = 1").fetchone()
        for (agent_id,) in services.db.execute(
            "SELECT id FROM agents WHERE active = 0 ORDER BY id"
        ).fetchall():
            if active >= args.agents:
                break
            try:
                services.people.reactivate_agent(agent_id)
                active += 1
            except ValueError:
                continue  # an active agent has the same name
        (evaluations,) = services.db.execute("SELECT count(*) FROM evaluations").fetchone()
        (agents,) = services.db.execute("SELECT count(*) FROM agents WHERE active = 1").fetchone()
        (reviewers,) = services.db.execute(
            "SELECT count(*) FROM reviewers WHERE active = 1"
        ).fetchone()
        started = time.perf_counter()
        added = _plant_week(services, monday, args.calls_per_agent, random.Random(args.seed))
        if added:
            print(f"planted {added:,} calls in {time.perf_counter() - started:.1f} s")
        (planted,) = services.db.execute(
            "SELECT count(*) FROM interactions WHERE local_date BETWEEN ? AND ?",
            [monday.isoformat(), (monday + timedelta(days=6)).isoformat()],
        ).fetchone()
        print(
            f"{path}: {evaluations:,} evaluations, {agents:,} active agents, {reviewers}"
            f" active reviewers; the week of {monday} holds {planted:,} calls"
        )
        _rules(services)
        services.db.execute("DELETE FROM queue_items WHERE period_start = ?", [monday.isoformat()])

        def build_and_roll_back() -> object:
            conn = services.db.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                return services.queue.build(monday)
            finally:
                conn.execute("ROLLBACK")

        cases: list[tuple[str, Callable[[], object], float]] = [
            ("preview (Build dialog)", lambda: services.queue.preview(monday), BUILD_TARGET_MS),
            ("build (written, rolled back)", build_and_roll_back, BUILD_TARGET_MS),
        ]
        rows_out: list[tuple[str, str, float, float, float]] = []
        for title, fn, target in cases:
            median, worst, result = _timed(fn, args.runs)
            added = getattr(result, "added", 0) or sum(
                len(p.assignments) for p in getattr(result, "plans", ())
            )
            rows_out.append((title, f"{added:,}", median, worst, target))
        built = services.queue.build(monday)
        busiest = max(built.per_reviewer, key=lambda x: x[1])[0] if built.per_reviewer else ""
        (busiest_id,) = services.db.execute(
            "SELECT id FROM reviewers WHERE name = ?", [busiest]
        ).fetchone() or (0,)
        clock = lambda: noon  # noqa: E731
        for title, fn, target in (
            ("coverage(week)", lambda: services.queue.coverage(monday), COVERAGE_TARGET_MS),
            ("screen: coverage (read-only conn.)",
             lambda: read_queue(path, clock, lambda q: q.coverage(monday)), COVERAGE_TARGET_MS),
            ("screen: my queue (read-only conn.)",
             lambda: read_queue(path, clock, lambda q: q.my_queue(busiest_id)), MINE_TARGET_MS),
            ("my_queue(busiest reviewer)", lambda: services.queue.my_queue(busiest_id),
             MINE_TARGET_MS),
            ("next_for(busiest reviewer)", lambda: services.queue.next_for(busiest_id),
             MINE_TARGET_MS),
        ):  # fmt: skip
            median, worst, result = _timed(fn, args.runs)
            size = (
                len(getattr(result, "agents", ()))
                if hasattr(result, "agents")
                else len(result)
                if isinstance(result, list)
                else 1
            )
            rows_out.append((title, f"{size:,}", median, worst, target))
        print(
            f"\nbuilt for good: {built.added:,} calls, {built.unassigned} unassigned,"
            f" {len(built.problems):,} shortfall sentences; per reviewer: "
            + ", ".join(f"{n} {c}" for n, c in built.per_reviewer[:5])
            + (" …" if len(built.per_reviewer) > 5 else "")
        )
        print(f"\nmedians of {args.runs} runs after a warm-up, ms")
        print(f"  {'step':<34}{'rows':>8}{'median':>9}{'worst':>9}{'target':>9}  verdict")
        failed = 0
        for title, size, median, worst, target in rows_out:
            ok = median <= target
            failed += not ok
            print(
                f"  {title:<34}{size:>8}{median:>9.1f}{worst:>9.1f}{target:>9.0f}"
                f"  {'ok' if ok else 'OVER'}"
            )
    print(f"\nload average after: {_load()}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
