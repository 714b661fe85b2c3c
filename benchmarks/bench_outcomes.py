"""Time the Outcomes and Drivers refreshes against the 1 s target.

    python benchmarks/bench_outcomes.py DB [--runs 5] [--work-dir DIR | --in-place]

DB is never changed: it is copied (with its -wal file) into ``--work-dir`` (a new
temporary folder by default) and the copy is opened once with ``Services.open``, which
applies pending migrations as the app would (the time of that upgrade is printed: it
fills the drivers roll-up). ``--in-place`` skips the copy, for a file that is already
a throw-away copy.

Customer counts (one row per month and team) and churn events (one per 20 calls with a
survey, at most 50,000) are added to the copy, as an import would, so the retention
figures have data. Then it times what the screen's workers run, each on its own
read-only connection: the outcomes per month (last 12 months and all time), the save
rates by agent and by reason, churn reasons, and the drivers of the largest form
(last 12 months and all time). Repeat contacts are judged the day after the last call,
so the last week's calls are pending and their direct query is part of every refresh.
Medians of ``--runs`` runs after a warm-up, beside the target, with the load average
before and after.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent)]

from benchmarks.bench_timing import copy_database, load_average, timed  # noqa: E402
from qa_monitor.services import Services  # noqa: E402
from qa_monitor.services.cancellation import readonly_connection  # noqa: E402
from qa_monitor.services.drivers_service import DriversQuery, DriversService  # noqa: E402
from qa_monitor.services.outcome_service import OutcomeQuery, OutcomeService  # noqa: E402
from qa_monitor.storage.database import Database  # noqa: E402
from qa_monitor.storage.outcome_repo import ChurnRow, CountRow, OutcomeRepo  # noqa: E402

TARGET_MS = 1000.0


def _months(first: date, last: date) -> list[tuple[date, date]]:
    out, cursor = [], first.replace(day=1)
    while cursor <= last:
        following = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        out.append((cursor, following - timedelta(days=1)))
        cursor = following
    return out


def _add_outcome_data(services: Services) -> tuple[int, int]:
    conn = services.db.conn
    first, last = conn.execute(
        "SELECT min(local_date), max(local_date) FROM interactions"
    ).fetchone()
    teams = [(r[0], r[1]) for r in conn.execute("SELECT id, name_key FROM teams")]
    rows = []
    for i, (start, end) in enumerate(_months(date.fromisoformat(first), date.fromisoformat(last))):
        for team_id, key in teams:
            s = 5000 + 37 * i + team_id
            rows.append(CountRow(start, end, team_id, key, "", s, s - 60 + (i % 7), 40))
    refs = [
        r[0]
        for r in conn.execute(
            "SELECT customer_ref FROM interactions WHERE csat IS NOT NULL"
            " AND customer_ref IS NOT NULL AND id % 20 = 0 LIMIT 50000"
        )
    ]
    reasons = ("competitor_price", "roi_value", "low_usage", "features_functionality", "other")
    churn = [
        ChurnRow(
            ref, date.fromisoformat(last) - timedelta(days=n % 700), reasons[n % 5], "", None, None
        )
        for n, ref in enumerate(dict.fromkeys(refs))
    ]
    with services.db.atomic():
        repo = OutcomeRepo(services.db)
        repo.write_counts(rows, "2026-12-07T00:00:00.000Z", "bench")
        repo.write_churn(churn, "2026-12-07T00:00:00.000Z")
    return len(rows), len(churn)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work-dir", type=Path)
    parser.add_argument("--in-place", action="store_true")
    args = parser.parse_args(argv)
    folder = args.work_dir or Path(tempfile.mkdtemp(prefix="bench-outcomes-"))
    path = args.db if args.in_place else copy_database(args.db, folder)
    print(f"load before: {load_average()}")
    started = time.perf_counter()
    with Services.open(path) as services:
        upgrade_s = time.perf_counter() - started
        counts, churn = _add_outcome_data(services)
        evaluations = services.db.conn.execute("SELECT count(*) FROM evaluations").fetchone()[0]
        last = date.fromisoformat(
            services.db.conn.execute("SELECT max(local_date) FROM interactions").fetchone()[0]
        )
        form_id = services.db.conn.execute(
            "SELECT form_id FROM evaluations GROUP BY form_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    print(
        f"{evaluations:,} evaluations; open + upgrade {upgrade_s:.1f} s; added {counts:,} "
        f"customer counts and {churn:,} churn events"
    )
    first = date(1900, 1, 1)
    year_ago = last - timedelta(days=365)
    # Judged the morning after the last contact with a customer reference: the contacts
    # of its last 7 days are still pending.
    with readonly_connection(path) as db:
        (latest_contact,) = db.conn.execute(
            "SELECT max(local_date) FROM interactions WHERE customer_ref IS NOT NULL"
        ).fetchone()
    as_of = datetime.combine(
        date.fromisoformat(latest_contact or last.isoformat()) + timedelta(days=1),
        clock_time(6),
        UTC,
    )
    with readonly_connection(path) as db:
        latest = OutcomeService(db).report(OutcomeQuery(year_ago, last, as_of=as_of)).periods[-1]
    repeat = latest.fcr_repeat
    print(
        f"FCR from repeat contacts, {latest.start:%B %Y}: "
        + ("—" if repeat is None else f"{repeat.value:.1f} % of {repeat.n:,} judged")
        + f"; {latest.fcr_pending:,} pending"
    )

    def reading(fn: Callable[[Database], object]) -> Callable[[], object]:
        def run() -> object:
            with readonly_connection(path) as db:
                return fn(db)

        return run

    cases: list[tuple[str, Callable[[], object]]] = [
        (
            "outcomes, last 12 months by month",
            reading(
                lambda db: OutcomeService(db).report(OutcomeQuery(year_ago, last, as_of=as_of))
            ),
        ),
        (
            "outcomes, all time by month",
            reading(lambda db: OutcomeService(db).report(OutcomeQuery(first, last, as_of=as_of))),
        ),
        (
            "save rate by agent, all time",
            reading(lambda db: OutcomeService(db).save_rates(OutcomeQuery(first, last), "agent")),
        ),
        (
            "churn reasons, all time",
            reading(lambda db: OutcomeRepo(db).churn_by_reason(first, last)),
        ),
        (
            f"drivers of {form_id}, last 12 months",
            reading(
                lambda db: DriversService(db).report(
                    DriversQuery(form_id, year_ago, last, as_of=as_of)
                )
            ),
        ),
        (
            f"drivers of {form_id}, all time",
            reading(
                lambda db: DriversService(db).report(
                    DriversQuery(form_id, first, last, as_of=as_of)
                )
            ),
        ),
    ]
    print(f"\n{'case':<45} {'median ms':>10} {'worst ms':>9} {'target':>8}  ok")
    failed = 0
    for name, fn in cases:
        median, worst, _result = timed(fn, args.runs)
        ok = median <= TARGET_MS
        failed += not ok
        print(
            f"{name:<45} {median:>10.1f} {worst:>9.1f} {TARGET_MS:>8.0f}  {'yes' if ok else 'NO'}"
        )
    print(f"\nload after: {load_average()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
