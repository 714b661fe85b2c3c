"""Time the Calibration screen's reads, and what blind scoring costs the Evaluations list.

    python benchmarks/bench_calibration.py DB [--runs 5]

DB is changed: opening applies pending upgrades, and when it holds no calibration
sessions yet, every call scored as calibration by two or more reviewers becomes a
revealed session (as the demo does) and one more is left open with two blind scores,
so run it on a copy of a benchmark database (``cp /tmp/bench1m.db /tmp/cal1m.db``).

It prints the median and worst of ``--runs`` runs (after a warm-up) beside each target:
- the sessions list, one open session's view, and a revealed session's comparison
  (matrix, deviations, alpha pooled over the form's recent sessions with its bootstrap);
- the Evaluations list's count and first page of 200 with the blind-scoring condition
  and without it (the difference is its cost), with no filter, calibration only, and
  the last 90 days.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent)]  # run from a checkout without installing

from benchmarks.bench_timing import load_average, timed  # noqa: E402
from qa_monitor.core.records import EvaluationFilter, EvaluationKind  # noqa: E402
from qa_monitor.services import Services  # noqa: E402
from qa_monitor.services.calibration_service import SessionInput  # noqa: E402
from qa_monitor.services.demo_calibration import complete_answers  # noqa: E402
from qa_monitor.storage import evaluation_query  # noqa: E402
from qa_monitor.storage.values import parse_utc  # noqa: E402

TARGET_LIST_MS = 200.0
TARGET_VIEW_MS = 100.0
TARGET_REVEAL_MS = 500.0
PAGE = 200


def _plant(services: Services) -> int:
    """Sessions from the calibration calls (see the module text); returns how many."""
    db = services.db
    expert = db.execute("SELECT id FROM reviewers WHERE is_expert = 1 LIMIT 1").fetchone()
    expert_id = None if expert is None else int(expert[0])
    services.settings.set_current_reviewer(expert_id)
    groups = db.execute(
        "SELECT interaction_id, form_version_id, min(created_at), group_concat(id),"
        " group_concat(reviewer_id) FROM evaluations WHERE kind = 'calibration'"
        " AND status <> 'draft' GROUP BY interaction_id, form_version_id"
        " HAVING count(DISTINCT reviewer_id) >= 2 ORDER BY min(created_at)"
    ).fetchall()
    made = 0
    for position, (interaction_id, version_id, first, ids, reviewers) in enumerate(groups):
        invited = sorted({int(r) for r in str(reviewers).split(",")})
        session_id, _ = services.calibration.create(
            SessionInput(
                title=f"Bench {position + 1}",
                interaction_id=int(interaction_id),
                form_version_id=int(version_id),
                expert_id=expert_id if expert_id in invited else None,
                reviewer_ids=tuple(r for r in invited if r != expert_id),
            )
        )
        with db.atomic():
            for evaluation_id in sorted({int(i) for i in str(ids).split(",")}):
                services.repos.calibration.add_entry(
                    session_id, evaluation_id, parse_utc(str(first))
                )
        db.execute(
            "UPDATE calibration_sessions SET created_at = ? WHERE id = ?",
            [str(first), session_id],
        )
        services.calibration.reveal(session_id, force=True)
        made += 1
    return made


def _open_session(services: Services) -> int | None:
    """An open session on a regular evaluation's call with two blind scores."""
    row = services.db.execute(
        "SELECT interaction_id, form_version_id FROM evaluations WHERE kind = 'regular'"
        " AND status <> 'draft' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    reviewers = [int(r) for (r,) in services.db.execute("SELECT id FROM reviewers LIMIT 3")]
    if row is None or len(reviewers) < 3:
        return None
    services.settings.set_current_reviewer(reviewers[0])
    session_id, _ = services.calibration.create(
        SessionInput(
            title="Bench open",
            interaction_id=int(row[0]),
            form_version_id=int(row[1]),
            expert_id=None,
            reviewer_ids=tuple(reviewers),
        )
    )
    form = services.form_cache.form(int(row[1]))
    facts = services.interactions.get_interaction(int(row[0])).facts
    for reviewer_id in reviewers[1:]:
        services.settings.set_current_reviewer(reviewer_id)
        draft = services.calibration.start(session_id)
        answers = complete_answers(form, facts, random.Random(reviewer_id), date(2026, 1, 1))
        services.evaluations.save_draft(draft, answers)
        if not services.evaluations.submit(draft).ok:
            raise SystemExit("the open session's blind scores could not be submitted")
    services.settings.set_current_reviewer(reviewers[0])
    return session_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {load_average()}")
    with Services.open(args.db) as services:
        (evaluations,) = services.db.execute("SELECT count(*) FROM evaluations").fetchone()
        if not services.calibration.sessions(revealed=True, limit=1):
            print(f"planted {_plant(services)} revealed sessions")
        scored = [s for s in services.calibration.sessions(revealed=False) if s.submitted >= 2]
        open_id = scored[0].id if scored else _open_session(services)
        listed = services.calibration.sessions()
        revealed = [s for s in listed if s.revealed_at is not None]
        latest = revealed[0].id if revealed else None
        print(
            f"{args.db}: {evaluations:,} evaluations, {len(listed)} sessions; "
            f"medians of {args.runs} runs after a warm-up, ms"
        )
        rows: list[tuple[str, str, float, float, float]] = []

        def measure(name: str, size: str, target: float, fn) -> None:  # type: ignore[no-untyped-def]
            median, worst, _ = timed(fn, args.runs)
            rows.append((name, size, median, worst, target))

        measure("sessions list", str(len(listed)), TARGET_LIST_MS, services.calibration.sessions)
        if open_id is not None:
            measure("open session (blind view)", "1", TARGET_VIEW_MS,
                    lambda: services.calibration.view(open_id))  # fmt: skip
        if latest is not None:
            view = services.calibration.revealed(latest)
            size = f"{len(view.reveal.rows)}q×{len(view.reveal.participants)}r/{view.sessions}s"
            measure("revealed session", size, TARGET_REVEAL_MS,
                    lambda: services.calibration.revealed(latest))  # fmt: skip
        newest = services.db.execute("SELECT max(interaction_date) FROM evaluations").fetchone()
        recent = date.fromisoformat(newest[0]) - timedelta(days=90)
        filters = {
            "all": EvaluationFilter(),
            "calibration": EvaluationFilter(kinds=(EvaluationKind.CALIBRATION,)),
            "last 90 days": EvaluationFilter(date_from=recent),
        }
        query = services.repos.evaluation_query
        for label, flt in filters.items():
            for blind in (True, False):
                patch = mock.patch.object(
                    evaluation_query, "not_hidden", side_effect=lambda _a: "1"
                )
                tag = "blind" if blind else "no rule"
                if blind:
                    measure(f"list count, {label} ({tag})", "", TARGET_LIST_MS,
                            lambda f=flt: query.count(f))  # fmt: skip
                    measure(f"list page, {label} ({tag})", str(PAGE), TARGET_LIST_MS,
                            lambda f=flt: query.rows(f, 0, PAGE))  # fmt: skip
                else:
                    with patch:
                        measure(f"list count, {label} ({tag})", "", TARGET_LIST_MS,
                                lambda f=flt: query.count(f))  # fmt: skip
                        measure(f"list page, {label} ({tag})", str(PAGE), TARGET_LIST_MS,
                                lambda f=flt: query.rows(f, 0, PAGE))  # fmt: skip
    print(f"  {'read':<40} {'size':>12} {'median':>8} {'worst':>8} {'target':>7}  verdict")
    for name, size, median, worst, target in rows:
        verdict = "ok" if median <= target else "OVER"
        print(f"  {name:<40} {size:>12} {median:>8.1f} {worst:>8.1f} {target:>7.0f}  {verdict}")
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
