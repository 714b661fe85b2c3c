"""Time the Reviewer quality screen's report: strictness and drift, calibration
deviation, question agreement and dispute rates, against the 500 ms target.

    python benchmarks/bench_reviewer_quality.py DB [--runs 5] [--work-dir DIR | --in-place]

DB is never changed: it is copied (with its -wal file) into ``--work-dir`` (a new
temporary folder by default) and the copy is opened once with ``Services.open``, which
applies pending migrations, as the app would. ``--in-place`` skips the copy, for a
file that is already a throw-away copy (a 1M database is several GB).

It then times ``ReviewerQualityService.report`` — what the screen's worker runs, its
own read-only connection opened per call — for the last 90 days (the screen's
default), this year and all time, "today" being the last interaction date in the
file; and, on one connection, the parts of the all-time report: strictness (the month
roll-ups read, every cell's offset, pooled per month and over the period), the
calibration read, question agreement (alpha with a 500-resample
bootstrap per question) and the dispute rates. Medians of ``--runs`` runs after a
warm-up, beside the target, with the load average before and after.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent)]  # run from a checkout without installing

from benchmarks.bench_timing import copy_database, load_average, timed  # noqa: E402
from qa_monitor.reports import analytics_reviewers as ar  # noqa: E402
from qa_monitor.reports.analytics_strictness import Strictness, strictness  # noqa: E402
from qa_monitor.services import Services  # noqa: E402
from qa_monitor.services.cancellation import readonly_connection  # noqa: E402
from qa_monitor.services.dispute_list_service import reading_dispute_service  # noqa: E402
from qa_monitor.services.reviewer_quality_service import (  # noqa: E402
    ReviewerQualityReport,
    ReviewerQualityService,
)
from qa_monitor.storage.reviewer_quality_queries import calibration_scores  # noqa: E402

TARGET_MS = 500.0


def _rows(result: object) -> str:
    if isinstance(result, ReviewerQualityReport):
        return f"{len(result.reviewers)}/{len(result.questions)}"
    if isinstance(result, Strictness):
        return str(len(result.evaluations))
    if isinstance(result, tuple | list | dict):
        return str(len(result))
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--work-dir", type=Path, help="where the copy goes (default: a new temp folder)"
    )
    where.add_argument("--in-place", action="store_true", help="use DB itself (a copy)")
    args = parser.parse_args(argv)
    print(f"load average before: {load_average()}")
    if args.in_place:
        path = args.db
    else:
        folder = args.work_dir or Path(tempfile.mkdtemp(prefix="bench-rq-"))
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        path = copy_database(args.db, folder)
        print(f"copied {args.db} to {path} in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with Services.open(path) as services:
        count, first, last, calibrations = services.db.execute(
            "SELECT count(*), min(interaction_date), max(interaction_date),"
            " sum(kind = 'calibration') FROM evaluations"
        ).fetchone()
    print(
        f"{path}: {count:,} evaluations ({calibrations or 0:,} calibration), {first} to "
        f"{last}; opened (and migrated) in {time.perf_counter() - started:.1f} s"
    )
    today = date.fromisoformat(last) if last else date.today()
    service = ReviewerQualityService(path)
    periods: list[tuple[str, date | None, date | None]] = [
        ("last 90 days", today - timedelta(days=89), today),
        ("this year", date(today.year, 1, 1), today),
        ("all time", None, None),
    ]
    cases: list[tuple[str, Callable[[], object], float | None]] = [
        (f"report({name})", lambda s=start, e=end: service.report(s, e), TARGET_MS)
        for name, start, end in periods
    ]
    with readonly_connection(path) as db:
        rows = calibration_scores(db, None, None)
        cases += [
            ("  part: strictness", lambda: strictness(db, None, None), None),
            ("  part: calibration read", lambda: calibration_scores(db, None, None), None),
            ("  part: question alpha", lambda: ar.question_reliability(db, rows), None),
            (
                "  part: dispute rates",
                lambda: reading_dispute_service(db).reviewer_rates(
                    date(1900, 1, 1), date(9998, 12, 31)
                ),
                None,
            ),
        ]
        print(f"\nmedians of {args.runs} runs after a warm-up, ms (rows: reviewers/questions)")
        print(f"  {'read':<30}{'rows':>7}{'median':>9}{'worst':>9}{'target':>9}  verdict")
        failed = 0
        for title, fn, target in cases:
            median, worst, result = timed(fn, args.runs)
            verdict, shown = "", ""
            if target is not None:
                ok = median <= target
                failed += not ok
                verdict, shown = ("ok" if ok else "OVER"), f"{target:.0f}"
            print(
                f"  {title:<30}{_rows(result):>7}{median:>9.1f}{worst:>9.1f}{shown:>9}  {verdict}"
            )
    print(f"load average after: {load_average()}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
