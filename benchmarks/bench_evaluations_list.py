"""Time the Evaluations screen's queries: the count and the first page, per filter and sort.

    python benchmarks/bench_evaluations_list.py DB [--runs 3] [--today YYYY-MM-DD]

DB is opened with ``Services.open``, which applies pending migrations (new indexes take
a few seconds on a million evaluations): run it on a copy of a benchmark database, e.g.
``cp /tmp/bench1m.db /tmp/list1m.db``. For each filter (none; the default kind; the
last 90 days; one team; one agent; critical failures only; a score range) and each sort
the screen offers (ascending and descending), it prints the median of ``--runs`` runs of
the count, of the first page of 200 rows ascending and descending, and of the page
10,000 rows in (p51). These run on the GUI thread when a filter or sort changes.

``--search`` times the search box instead: for a part of a call id ("02962"), the start
of one, a name, a text that most call ids hold ("20") and one that nothing holds, the
median of the screen's first read (count and first page, ``first_page``) and of the
next page (``page``), as the worker thread runs them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent)]  # run from a checkout without installing

from qa_monitor.core.records import (  # noqa: E402
    EvaluationFilter,
    EvaluationKind,
    EvaluationSort,
)
from qa_monitor.services import Services  # noqa: E402

PAGE = 200
SORTS = (
    EvaluationSort.INTERACTION_DATE,
    EvaluationSort.AGENT,
    EvaluationSort.TEAM,
    EvaluationSort.FORM,
    EvaluationSort.REVIEWER,
    EvaluationSort.CHANNEL,
    EvaluationSort.KIND,
    EvaluationSort.STATUS,
    EvaluationSort.SCORE,
)


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000.0)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--today", type=date.fromisoformat)
    parser.add_argument("--search", action="store_true", help="time the search box")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    services = Services.open(args.db)
    opened = time.perf_counter() - started
    if args.search:
        services.close()
        return _searches(args.db, args.runs)
    evaluations = services.evaluations
    (count, last, team, agent) = services.db.execute(
        "SELECT count(*), max(interaction_date), (SELECT min(id) FROM teams),"
        " (SELECT min(id) FROM agents) FROM evaluations"
    ).fetchone()
    today = args.today or date.fromisoformat(last)
    print(f"{args.db}: {count:,} evaluations (opened and migrated in {opened:.1f} s);")
    print(f"medians of {args.runs} runs, ms\n")
    filters = {
        "no filter": EvaluationFilter(),
        "regular kind": EvaluationFilter(kinds=(EvaluationKind.REGULAR,)),
        "last 90 days": EvaluationFilter(date_from=today - timedelta(days=89)),
        f"team {team}": EvaluationFilter(team_ids=(team,)),
        f"agent {agent}": EvaluationFilter(agent_ids=(agent,)),
        "critical failures": EvaluationFilter(critical_failed=True),
        "score 0-50": EvaluationFilter(score_max=50.0),
    }
    worst: tuple[float, str] = (0.0, "")
    for title, base in filters.items():
        print(f"{title} ({evaluations.count_evaluations(base):,} evaluations)")
        print(f"  {'sort':<18}{'count':>8}{'asc p1':>9}{'asc p51':>9}{'desc p1':>9}")
        for sort in SORTS:
            up, down = (replace(base, sort=sort, descending=d) for d in (False, True))
            counted = _median_ms(lambda f=up: evaluations.count_evaluations(f), args.runs)
            first = _median_ms(lambda f=up: evaluations.list_evaluations(f, 0, PAGE), args.runs)
            deep = _median_ms(
                lambda f=up: evaluations.list_evaluations(f, 50 * PAGE, PAGE), args.runs
            )
            last = _median_ms(lambda f=down: evaluations.list_evaluations(f, 0, PAGE), args.runs)
            worst = max(
                worst,
                (first, f"{title}, by {sort.value}"),
                (last, f"{title}, by {sort.value} desc"),
            )
            print(f"  {sort.value:<18}{counted:>8.1f}{first:>9.1f}{deep:>9.1f}{last:>9.1f}")
        print()
    print(f"slowest first page: {worst[0]:.1f} ms ({worst[1]})")
    services.close()
    return 0


def _searches(db: Path, runs: int) -> int:
    from qa_monitor.services.evaluation_list_service import EvaluationListService

    service = EvaluationListService(db)
    print(f"{db}: the search box; medians of {runs} runs, ms\n")
    print(f"  {'search':<26}{'found':>10}{'first read':>12}{'next page':>11}")
    worst = 0.0
    for text in ("02962", "00296", "CALL-2023", "call-20230205-0050", "Sara", "20", "zz-none"):
        flt = EvaluationFilter(search=text)
        found = service.first_page(flt, PAGE).total
        first = _median_ms(lambda f=flt: service.first_page(f, PAGE), runs)
        more = _median_ms(lambda f=flt: service.page(f, PAGE, PAGE), runs)
        worst = max(worst, first)
        print(f"  {text!r:<26}{found:>10,}{first:>12.1f}{more:>11.1f}")
    print(f"\nslowest first read: {worst:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
