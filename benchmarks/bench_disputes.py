"""Time the Disputes screen's reads: the open-dispute queue and the rates per reviewer.

    python benchmarks/bench_disputes.py DB [--disputes 200] [--decided 0.25]
        [--runs 5] [--seed 14] [--work-dir DIR | --in-place]

DB is never changed: it is copied (with its -wal file) into ``--work-dir`` (a new
temporary folder by default) and the copy is opened with ``Services.open``, which
applies pending migrations (m010's indexes; m009 takes about a minute per 100,000
evaluations on an older file). ``--in-place`` skips the copy, for a file that is
already a throw-away copy (a 1M database is several GB).

On the copy it plants ``--disputes`` disputes through ``DisputeService`` (half on
evaluations of the last 90 days, half anywhere; 1 to 3 questions each, opened on a
day between the evaluation's submission and "today"), assigns a re-reviewer to one
in ten and decides ``--decided`` of them (the first question overturned in every
other one, through the audited edit, so the score moves), then times, as medians of
``--runs`` runs after one warm-up:

- ``queue(today)``, ``reviewer_rates(last 90 days)`` and ``reviewer_rates(whole
  range)`` on the app's own connection (``services.disputes``), and
- the same through ``DisputeListService``, which the screen uses on its worker
  thread (it opens a read-only connection per call, so the open is counted).

It prints them beside the targets (queue <= 200 ms, rates <= 500 ms) with the load
average before and after. "Today" is the later of the machine's day and the day
after the last submission, so every planted dispute lies in the past.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent)]  # run from a checkout without installing

from benchmarks.bench_timing import copy_database as _copy  # noqa: E402
from benchmarks.bench_timing import load_average as _load  # noqa: E402
from benchmarks.bench_timing import timed as _timed  # noqa: E402
from qa_monitor.core.answers import Answer  # noqa: E402
from qa_monitor.core.disputes import Decision, ReceivedVia  # noqa: E402
from qa_monitor.services import Services  # noqa: E402
from qa_monitor.services.dispute_list_service import DisputeListService  # noqa: E402
from qa_monitor.services.dispute_service import DecisionInput  # noqa: E402

QUEUE_TARGET_MS = 200.0
RATES_TARGET_MS = 500.0
REASONS = (
    "I asked for the account number at 0:42.",
    "The greeting is there; the recording starts late.",
    "I offered the callback and the customer said no.",
    "I summarised the next steps before closing.",
)


def _plant(
    services: Services, today: date, count: int, decided_share: float, rng: random.Random
) -> tuple[int, int, int, float]:
    """Open ``count`` disputes, assign one in ten, decide a share; returns (opened,
    assigned, decided, ms per dispute opened)."""
    recent = today - timedelta(days=89)
    picks: list[int] = []
    for where, params in (
        ("AND interaction_date >= ?", [recent.isoformat()]),
        ("", []),
    ):
        rows = services.db.execute(
            "SELECT id FROM evaluations WHERE status = 'submitted' AND kind = 'regular' "
            f"{where} ORDER BY random() LIMIT ?",
            [*params, count],
        ).fetchall()
        picks += [int(r[0]) for r in rows if int(r[0]) not in picks][: count // 2 or 1]
    picks = picks[:count]
    reviewers = services.people.list_reviewers(active_only=True)
    opened: list[tuple[int, list[str]]] = []
    started = time.perf_counter()
    for ev_id in picks:
        ev = services.evaluations.get_evaluation(ev_id)
        form = services.form_cache.form(ev.form_version_id)
        scored = [
            q.id
            for _s, q in form.questions()
            if q.scored and q.id in ev.answers and not ev.answers[q.id].na and len(q.options) > 1
        ]
        if not scored:
            continue
        questions = rng.sample(scored, min(len(scored), rng.randint(1, 3)))
        submitted = (ev.submitted_at or ev.created_at).date()
        on = submitted + timedelta(days=rng.randint(0, max(0, (today - submitted).days)))
        reasons = {q: REASONS[i % len(REASONS)] for i, q in enumerate(questions)}
        services.disputes.open_dispute(ev_id, reasons, min(on, today), ReceivedVia.EMAIL, None)
        opened.append((ev_id, questions))
    per_dispute = (time.perf_counter() - started) * 1000.0 / max(1, len(opened))
    assigned = decided = 0
    for n, (ev_id, questions) in enumerate(opened):
        ev = services.evaluations.get_evaluation(ev_id)
        others = [r for r in reviewers if r.id != ev.reviewer_id]
        if not others:
            continue
        other = rng.choice(others)
        if n % 10 == 0:
            services.disputes.assign(ev_id, other.id, other.id)
            assigned += 1
        if n >= len(opened) * decided_share:
            continue
        form = services.form_cache.form(ev.form_version_id)
        decisions = {}
        for i, qid in enumerate(questions):
            question = form.question(qid)
            original = ev.answers[qid]
            if i == 0 and n % 2 == 0 and question is not None:
                new = next(o.id for o in question.options if o.id != original.value)
                answer = Answer(qid, new, comment="Heard it in the recording.")
                decisions[qid] = DecisionInput(Decision.OVERTURNED, "Heard it.", answer)
            else:
                decisions[qid] = DecisionInput(Decision.UPHELD, "Not in the recording.")
        try:
            services.disputes.decide(ev_id, decisions, other.id, "Checked against the call.")
        except ValueError:  # a changed answer that breaks a rule (a condition): uphold
            upheld = {q: DecisionInput(Decision.UPHELD, "Not in the recording.") for q in questions}
            services.disputes.decide(ev_id, upheld, other.id, "Checked against the call.")
        decided += 1
    return len(opened), assigned, decided, per_dispute


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--disputes", type=int, default=200)
    parser.add_argument("--decided", type=float, default=0.25, help="share decided (0..1)")
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
        folder = args.work_dir or Path(tempfile.mkdtemp(prefix="bench-disputes-"))
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        path = _copy(args.db, folder)
        print(f"copied {args.db} to {path} in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with Services.open(path) as probe:
        (last,) = probe.db.execute("SELECT max(submitted_at) FROM evaluations").fetchone()
    opened_s = time.perf_counter() - started
    last_day = datetime.fromisoformat(str(last).replace("Z", "+00:00")).date() if last else None
    today = max(date.today(), (last_day or date.today()) + timedelta(days=1))
    noon = datetime.combine(today, clock_time(12), UTC)
    with Services.open(path, clock=lambda: noon) as services:
        (count, first_day, last_day_s, disputed_before) = services.db.execute(
            "SELECT count(*), min(interaction_date), max(interaction_date),"
            " sum(status = 'disputed') FROM evaluations"
        ).fetchone()
        print(
            f"{path}: {count:,} evaluations, {first_day} to {last_day_s}; opened (and "
            f"migrated) in {opened_s:.1f} s; today = {today}"
        )
        print(
            f"evaluations already 'disputed' (by the generator, without dispute entries): "
            f"{disputed_before or 0:,}"
        )
        started = time.perf_counter()
        planted = _plant(services, today, args.disputes, args.decided, random.Random(args.seed))
        print(
            f"planted {planted[0]} disputes ({planted[3]:.1f} ms each to open), assigned "
            f"{planted[1]}, decided {planted[2]}, in {time.perf_counter() - started:.1f} s\n"
        )
        whole = (date.fromisoformat(first_day), date.fromisoformat(last_day_s))
        recent = (today - timedelta(days=89), today)
        listing = DisputeListService(path)
        cases: list[tuple[str, Callable[[], object], float]] = [
            ("queue(today)", lambda: services.disputes.queue(today), QUEUE_TARGET_MS),
            (
                "reviewer_rates(last 90 days)",
                lambda: services.disputes.reviewer_rates(*recent),
                RATES_TARGET_MS,
            ),
            (
                "reviewer_rates(whole range)",
                lambda: services.disputes.reviewer_rates(*whole),
                RATES_TARGET_MS,
            ),
            ("screen: queue (read-only conn.)", lambda: listing.queue(today), QUEUE_TARGET_MS),
            (
                "screen: rates, last 90 days",
                lambda: listing.reviewer_rates(*recent),
                RATES_TARGET_MS,
            ),
            (
                "screen: rates, whole range",
                lambda: listing.reviewer_rates(*whole),
                RATES_TARGET_MS,
            ),
        ]
        print(f"medians of {args.runs} runs after a warm-up, ms")
        print(f"  {'read':<34}{'rows':>6}{'median':>9}{'worst':>9}{'target':>9}  verdict")
        failed = 0
        for title, fn, target in cases:
            median, worst, result = _timed(fn, args.runs)
            rows = len(result) if isinstance(result, list) else 0
            ok = median <= target
            failed += not ok
            verdict = "ok" if ok else "OVER"
            print(f"  {title:<34}{rows:>6}{median:>9.1f}{worst:>9.1f}{target:>9.0f}  {verdict}")
        overdue = sum(1 for item in services.disputes.queue(today) if item.overdue)
        print(f"\nopen disputes: {len(services.disputes.queue(today))}, overdue: {overdue}")
    print(f"load average after: {_load()}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
