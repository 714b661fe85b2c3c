"""Time one agent's profile (``build_agent_profile``) on a big database.

    python benchmarks/bench_profile.py [DB] [--runs 5] [--agents N] [--today YYYY-MM-DD]

DB defaults to /tmp/an1m.db (``benchmarks/generate.py 1000000 --out /tmp/an1m.db``),
opened read-only. For the agents with the fewest, the median and the most evaluations
(``--agents`` picks more, spread between them) and four periods (last 30 and 90 days,
this year, all time; "today" is the newest interaction date unless given), it prints
the evaluations counted, the first run on a new connection (the agent's pages are
usually not yet cached: the closest to opening a profile cold), the median of
``--runs`` more runs, and then the time to build and draw the two profile charts.
Target: a profile's queries ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent)]  # run from a checkout without installing


from qa_monitor.reports import charts_profile  # noqa: E402
from qa_monitor.reports.analytics_filter import DashboardFilter  # noqa: E402
from qa_monitor.reports.analytics_profile import AgentProfile, build_agent_profile  # noqa: E402
from qa_monitor.reports.charts_render import CachedTextCanvas  # noqa: E402
from qa_monitor.storage.analytics_queries import open_readonly  # noqa: E402

TARGET_MS = 300.0
PERIODS: dict[str, Callable[[DashboardFilter, date], DashboardFilter]] = {
    "last 30 days": lambda f, today: f.last_30_days(today),
    "last 90 days": lambda f, today: f.last_90_days(today),
    "this year": lambda f, today: f.this_year(today),
    "all time": lambda f, _today: f.all_time(),
}


def _ms(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000.0, result


def _agents(path: Path, count: int) -> list[tuple[int, int]]:
    """(agent id, regular submitted evaluations) spread from the fewest to the most."""
    db = open_readonly(path)
    try:
        rows = db.conn.execute(
            "SELECT agent_id, SUM(n) FROM rollup_eval_agent_year WHERE kind = 'regular'"
            " GROUP BY agent_id HAVING SUM(n) > 0 ORDER BY 2, 1"
        ).fetchall()
    finally:
        db.conn.close()
    if not rows:
        raise SystemExit(f"{path} has no submitted regular evaluations")
    picks = sorted({round(i * (len(rows) - 1) / max(count - 1, 1)) for i in range(count)})
    return [(int(rows[i][0]), int(rows[i][1])) for i in picks]


def _newest_day(path: Path) -> date:
    db = open_readonly(path)
    try:
        (day,) = db.conn.execute("SELECT max(interaction_date) FROM evaluations").fetchone()
    finally:
        db.conn.close()
    return date.fromisoformat(day)


def _draw_ms(profile: AgentProfile) -> float:
    def draw() -> None:
        for fig in (
            charts_profile.profile_trend_figure(profile.trend, profile.name, profile.team_name),
            charts_profile.differences_figure(profile.areas.ranked_sections()),
        ):
            CachedTextCanvas(fig).draw()

    return _ms(draw)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", nargs="?", default="/tmp/an1m.db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--agents", type=int, default=3)
    parser.add_argument("--today", type=date.fromisoformat, default=None)
    args = parser.parse_args(argv)
    if not args.db.is_file():
        raise SystemExit(f"{args.db} does not exist; build it with benchmarks/generate.py")
    today = args.today or _newest_day(args.db)
    agents = _agents(args.db, args.agents)
    print(f"Agent profile on {args.db} (today = {today}), target ≤ {TARGET_MS:.0f} ms\n")
    header = (
        f"{'agent':>6} {'history':>8} {'period':<13} {'n':>6} {'first ms':>9} "
        f"{'median ms':>10} {'charts ms':>10}  ok"
    )
    print(header)
    print("-" * len(header))
    worst = 0.0
    for agent_id, history in agents:
        for name, preset in PERIODS.items():
            f = preset(DashboardFilter(), today)
            first, profile = _ms(lambda f=f, a=agent_id: build_agent_profile(args.db, a, f))
            db = open_readonly(args.db)
            try:
                runs = [
                    _ms(lambda f=f, a=agent_id, d=db: build_agent_profile(d, a, f))[0]
                    for _ in range(args.runs)
                ]
            finally:
                db.conn.close()
            median = statistics.median(runs)
            assert isinstance(profile, AgentProfile)
            charts = _draw_ms(profile)
            worst = max(worst, median)
            ok = "yes" if median <= TARGET_MS else "NO"
            print(
                f"{agent_id:>6} {history:>8,} {name:<13} {profile.kpis.n:>6,} {first:>9.1f} "
                f"{median:>10.1f} {charts:>10.1f}  {ok}"
            )
    print(f"\nSlowest median: {worst:.1f} ms ({'within' if worst <= TARGET_MS else 'over'} target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
