"""Does the Drivers analysis find the effects planted in the demo, and nothing else?

Builds the demo database for each seed, runs the Drivers analysis on the two forms
with planted effects (services/demo_effects.py) and prints, per planted effect, how
often it was flagged at the 5 % false-discovery rate and how often its interval held
the planted amount; then how many null comparisons were flagged. Not a test (about
15 s per seed); run on demand:

    python benchmarks/check_planted_effects.py [--seeds 20] [--first 1]

Null comparisons: every question and outcome that is not planted, except the NPS and
CES of questions planted on CSAT (the model moves those too, without a stated size), and
FCR from repeat contacts of the question that records the reported FCR (in the model a
call answered "not resolved" is followed by a repeat far more often: that is the point
of comparing them, and its size is not stated either).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qa_monitor.core.drivers import Outcome
from qa_monitor.services.demo_data import build_demo_database
from qa_monitor.services.demo_effects import PLANTED
from qa_monitor.services.drivers_service import DriversQuery, DriversService
from qa_monitor.storage import open_database

FORMS = tuple(dict.fromkeys(e.form_id for e in PLANTED if e.form_id != "bench_inbound"))
ALL_TIME = (date(2000, 1, 1), date(2100, 12, 31))
RESOLVED_QUESTION = "resolved_first_contact"  # the shipped forms' reported-FCR question


def _moved_too(form_id: str, question_id: str, outcome: Outcome) -> bool:
    """NPS and CES of a question planted on CSAT, and repeat contacts of the reported
    FCR's own question: real effects of unstated size."""
    if outcome is Outcome.FCR_REPEAT and question_id == RESOLVED_QUESTION:
        return True
    return outcome in (Outcome.NPS, Outcome.CES) and any(
        e.form_id == form_id and e.question_id == question_id and e.outcome is Outcome.CSAT
        for e in PLANTED
    )


def run(seeds: list[int]) -> int:
    found: Counter[str] = Counter()
    covered: Counter[str] = Counter()
    signs: Counter[str] = Counter()
    flags_moved: Counter[str] = Counter()
    null_flags: list[str] = []
    seeds_with_null_flag = 0
    null_tests = 0
    with tempfile.TemporaryDirectory() as folder:
        for seed in seeds:
            path = Path(folder) / f"demo-{seed}.db"
            build_demo_database(path, seed=seed, replace=True)
            db = open_database(path)
            flagged_here = 0
            try:
                for form_id in FORMS:
                    report = DriversService(db).report(DriversQuery(form_id, *ALL_TIME))
                    for question in report.questions:
                        for effect in question.effects:
                            planted = next(
                                (
                                    p
                                    for p in PLANTED
                                    if p.form_id == form_id
                                    and p.question_id == effect.question_id
                                    and p.outcome is effect.outcome
                                ),
                                None,
                            )
                            key = f"{form_id}/{effect.question_id}/{effect.outcome.value}"
                            if planted is not None:
                                if effect.flagged:
                                    found[key] += 1
                                if effect.shown and effect.low <= planted.amount <= effect.high:  # type: ignore[operator]
                                    covered[key] += 1
                            elif _moved_too(form_id, effect.question_id, effect.outcome):
                                if effect.shown and (effect.difference or 0) > 0:
                                    signs[key] += 1
                                flags_moved[key] += effect.flagged
                            elif effect.shown:
                                null_tests += 1
                                if effect.flagged:
                                    flagged_here += 1
                                    null_flags.append(
                                        f"seed {seed}: {key} d={effect.difference:+.2f} "
                                        f"q={effect.q_value:.3f}"
                                    )
            finally:
                db.close()
            seeds_with_null_flag += flagged_here > 0
            print(f"seed {seed}: done, {flagged_here} null comparison(s) flagged", flush=True)
    n = len(seeds)
    print()
    print(f"{'planted effect':<50} {'amount':>7} {'flagged':>9} {'CI holds it':>12}")
    for p in PLANTED:
        if p.form_id not in FORMS:  # the scale generator's form is not in the demo
            continue
        key = f"{p.form_id}/{p.question_id}/{p.outcome.value}"
        print(f"{key:<50} {p.amount:>7g} {found[key]:>5}/{n:<3} {covered[key]:>8}/{n:<3}")
    for key in sorted(signs):
        print(f"{key:<50} {'(sign)':>7} {'positive':>9} {signs[key]:>8}/{n:<3}")
    print()
    true_flags = sum(found.values()) + sum(flags_moved.values())
    flags = true_flags + len(null_flags)
    print(
        f"null comparisons made: {null_tests:,} over {n} seeds; flagged: {len(null_flags)}; "
        f"seeds with any null flagged: {seeds_with_null_flag}/{n}"
    )
    if flags:
        print(
            f"false discoveries among all {flags} flags: {len(null_flags)} "
            f"({len(null_flags) / flags:.1%}; Benjamini-Hochberg bounds its expectation by 5 %)"
        )
    for line in null_flags:
        print("  " + line)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first", type=int, default=1)
    args = parser.parse_args()
    return run(list(range(args.first, args.first + args.seeds)))


if __name__ == "__main__":
    sys.exit(main())
