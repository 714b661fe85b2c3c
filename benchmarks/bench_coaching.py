"""Time the Coaching screen's reads: the list of sessions (each with its follow-up)
and the follow-up of one session.

    python benchmarks/bench_coaching.py DB [--sessions 300] [--runs 5] [--seed 14]
        [--work-dir DIR | --in-place]

DB is never changed: it is copied (with its -wal file) into ``--work-dir`` (a new
temporary folder by default) and the copy is opened with ``Services.open`` (pending
migrations run). ``--in-place`` skips the copy, for a file that is already a
throw-away copy.

On the copy it plants ``--sessions`` coaching sessions through ``CoachingService``:
each with a random agent's submitted regular evaluation, held 1 to 20 days after it
(never after "today"), citing it and up to two more of the agent's evaluations,
targeting up to three scored questions of its form (those that lost points first),
with 1 to 3 actions, a 4-week follow-up. Then it times, as medians of ``--runs`` runs
after one warm-up:

- ``sessions()`` (every session, with every follow-up: one query adds up the windows) on
  the app's connection and through ``CoachingListService`` (the screen's worker: a
  read-only connection per call, the open counted), and
- ``follow_up(one session)`` for the session with the most answers in its windows.

It prints them beside the targets (list <= 200 ms, follow-up <= 200 ms) with the load
average before and after, and the query plan of the follow-up's answer query.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent)]  # run from a checkout without installing

from benchmarks.bench_timing import copy_database as _copy  # noqa: E402
from benchmarks.bench_timing import load_average as _load  # noqa: E402
from benchmarks.bench_timing import timed as _timed  # noqa: E402
from qa_monitor.core.coaching import ActionItem  # noqa: E402
from qa_monitor.services import Services  # noqa: E402
from qa_monitor.services.coaching_list_service import CoachingListService  # noqa: E402
from qa_monitor.services.coaching_service import SessionFilter, SessionInput  # noqa: E402

LIST_TARGET_MS = 200.0
FOLLOW_UP_TARGET_MS = 200.0
ACTIONS = (
    "Use the customer's name at least twice",
    "Read the disclosure before the first question",
    "Summarise the next steps before closing",
    "Listen to two calls of the team's best agent",
)


def _plant(services: Services, today: date, count: int, rng: random.Random) -> float:
    """Plant ``count`` sessions; returns ms per session stored."""
    picks = services.db.execute(
        "SELECT id, agent_id, interaction_date FROM evaluations"
        " WHERE status <> 'draft' AND kind = 'regular' AND interaction_date < ?"
        " ORDER BY random() LIMIT ?",
        [today.isoformat(), count],
    ).fetchall()
    coaches = [r.id for r in services.people.list_reviewers(active_only=True)]
    agent_names = {a.id: a.name for a in services.people.list_agents()}
    started = time.perf_counter()
    stored = 0
    for ev_id, agent_id, day in picks:
        held = min(today, date.fromisoformat(day) + timedelta(days=rng.randint(1, 20)))
        others = services.db.execute(
            "SELECT id FROM evaluations WHERE agent_id = ? AND interaction_date"
            " BETWEEN ? AND ? AND status <> 'draft' AND id <> ? LIMIT 2",
            [agent_id, (held - timedelta(days=30)).isoformat(), held.isoformat(), ev_id],
        ).fetchall()
        cited = (int(ev_id), *(int(o[0]) for o in others))
        choices = services.coaching.question_choices([int(ev_id)])[:3]
        actions = tuple(
            ActionItem(
                ACTIONS[(stored + i) % len(ACTIONS)],
                agent_names.get(agent_id, ""),
                today + timedelta(days=rng.randint(0, 28)) if i % 2 == 0 else None,
            )
            for i in range(rng.randint(1, 3))
        )
        services.coaching.create(
            SessionInput(
                int(agent_id),
                rng.choice(coaches) if coaches else None,
                held,
                cited,
                tuple(c.key for c in choices),
                "Planted by bench_coaching.py",
                4,
                actions,
            )
        )
        stored += 1
    return (time.perf_counter() - started) * 1000.0 / max(1, stored)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=14)
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--work-dir", type=Path, help="where the copy goes (default: a new temp folder)"
    )
    where.add_argument("--in-place", action="store_true", help="plant into DB itself")
    args = parser.parse_args(argv)
    print(f"load average before: {_load()}")
    if args.in_place:
        path = args.db
    else:
        folder = args.work_dir or Path(tempfile.mkdtemp(prefix="bench-coaching-"))
        folder.mkdir(parents=True, exist_ok=True)
        path = _copy(args.db, folder)
        print(f"copied {args.db} to {path}")
    with Services.open(path) as probe:
        (last,) = probe.db.execute("SELECT max(interaction_date) FROM evaluations").fetchone()
    last_day = date.fromisoformat(str(last)) if last else date.today()
    today = max(date.today(), last_day + timedelta(days=1))
    noon = datetime.combine(today, clock_time(12), UTC)
    with Services.open(path, clock=lambda: noon) as services:
        services.settings.set_timezone("UTC")
        (count,) = services.db.execute("SELECT count(*) FROM evaluations").fetchone()
        per_session = _plant(services, today, args.sessions, random.Random(args.seed))
        (sessions,) = services.db.execute("SELECT count(*) FROM coaching_sessions").fetchone()
        print(
            f"{path}: {count:,} evaluations; {sessions:,} coaching sessions "
            f"({per_session:.1f} ms per session stored); today = {today}"
        )
        answers = services.repos.coaching.scored_answers
        ids = [r.id for r in services.repos.coaching.sessions(SessionFilter(), today)]
        by_size = answers(ids)
        busiest = max(ids, key=lambda i: len(by_size[i]))
        plan = services.db.execute(
            "EXPLAIN QUERY PLAN SELECT e.id FROM coaching_sessions s"
            " JOIN evaluations e INDEXED BY evaluations_agent_date ON e.agent_id = s.agent_id"
            " AND e.interaction_date BETWEEN date(s.held_on, '-28 days')"
            " AND date(s.held_on, '28 days') WHERE s.id = ?",
            [busiest],
        ).fetchall()
        rows = [
            ("sessions() on the app's connection", LIST_TARGET_MS,
             lambda: services.coaching.sessions(SessionFilter(), today)),
            ("sessions() via CoachingListService", LIST_TARGET_MS,
             lambda: CoachingListService(path).sessions(SessionFilter(), today)),
            (f"follow_up(session {busiest}, {len(by_size[busiest])} answers)",
             FOLLOW_UP_TARGET_MS, lambda: services.coaching.follow_up(busiest, today)),
        ]  # fmt: skip
        print()
        print(f"{'read':<52} {'median ms':>10} {'worst ms':>9} {'target':>7}  ok")
        failed = False
        for name, target, fn in rows:
            median, worst, _result = _timed(fn, args.runs)
            ok = median <= target
            failed |= not ok
            print(
                f"{name:<52} {median:>10.1f} {worst:>9.1f} {target:>7.0f}  {'yes' if ok else 'NO'}"
            )
        print()
        print("plan of the follow-up's range read:")
        for row in plan:
            print(f"  {row[-1]}")
    print(f"load average after: {_load()}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
