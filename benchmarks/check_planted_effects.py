"""Does the Drivers analysis find the effects planted in the demo, and nothing else?

For each seed, runs the Drivers analysis on the two forms with planted effects
(services/demo_effects.py) and prints, per planted effect, how often it was flagged at
the 5 % false-discovery rate and how often its interval held the planted amount; then
the null comparisons: how many were flagged, on how many seeds, and the false-discovery
proportion (FDP) of each analysis, whose mean estimates the false-discovery rate that
Benjamini-Hochberg bounds by 5 % (by 5 % x m0/m, with m0 of the m comparisons null).

Two sources, run on demand (not a test):

    python benchmarks/check_planted_effects.py [--seeds 20] [--first 1] [--demo]
    python benchmarks/check_planted_effects.py --model --seeds 500

- default: builds the demo database for each seed (about 15 s a seed) and reads the
  analysis through the app's service, roll-ups and all; ``--demo`` adds the seed the
  app's ``--demo`` ships (services/demo_data.py), reported on its own line first;
- ``--model``: draws the same answer and outcome model (services/demo_answers.py,
  demo_effects.py) straight into tallies, with the demo's numbers of calls, and runs
  the same statistics (core/drivers.py): fast enough for hundreds of seeds, so the
  false-discovery rate is measured rather than glimpsed.

Null comparisons: every question and outcome that is not planted, except the NPS and
CES of questions planted on CSAT (the model moves those too, without a stated size), and
FCR from repeat contacts of the question that records the reported FCR (in the model a
call answered "not resolved" is followed by a repeat far more often: that is the point
of comparing them, and its size is not stated either).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qa_monitor.core.drivers import FDR, Outcome, QuestionDrivers, Tally, analyse
from qa_monitor.core.forms import Form, OutcomeField
from qa_monitor.core.scoring import QuestionStatus, score_evaluation
from qa_monitor.services.demo_answers import AnswerModel, CallContext
from qa_monitor.services.demo_data import build_demo_database
from qa_monitor.services.demo_effects import PLANTED, repeat_chance, survey
from qa_monitor.services.demo_evaluate import SURVEY_RATE, full_marks
from qa_monitor.services.drivers_service import DriversQuery, DriversService
from qa_monitor.services.outcomes import outcome_values
from qa_monitor.storage import open_database

FORMS = tuple(dict.fromkeys(e.form_id for e in PLANTED if e.form_id != "bench_inbound"))
ALL_TIME = (date(2000, 1, 1), date(2100, 12, 31))
SHIPPED_SEED = 2026  # build_demo_database's default: what `qa-monitor --demo` holds
# Regular evaluations per form in a demo database (seed 18: 822 inbound, 839 retention;
# other seeds differ by a few): the model mode draws as many.
MODEL_CALLS = {"inbound_service": 822, "retention_call": 839}
# The demo's agents: skill ~ N(0.82, 0.08) clamped; reviewers' strictness from these.
MODEL_STRICTNESS = (0.75, 0.85, 1.0, 1.12, 1.25)
FORMS_DIR = Path(__file__).resolve().parents[1] / "forms"
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


@dataclass
class Tallies:
    found: Counter[str] = field(default_factory=Counter)
    covered: Counter[str] = field(default_factory=Counter)
    signs: Counter[str] = field(default_factory=Counter)
    null_flags: list[str] = field(default_factory=list)
    null_tests: int = 0
    seeds_with_null_flag: int = 0
    fdp: list[float] = field(default_factory=list)  # one per (seed, form) analysis
    bound: list[float] = field(default_factory=list)  # FDR x m0 / m of each analysis
    flags: int = 0


def _score(seed: int, form_id: str, questions: list[QuestionDrivers], out: Tallies) -> int:
    """Adds one analysis to ``out``; returns its number of null comparisons flagged."""
    nulls_flagged = flagged = tested = nulls = 0
    for question in questions:
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
            tested += effect.shown
            flagged += effect.flagged
            if planted is not None:
                out.found[key] += effect.flagged
                if effect.shown and effect.low <= planted.amount <= effect.high:  # type: ignore[operator]
                    out.covered[key] += 1
            elif _moved_too(form_id, effect.question_id, effect.outcome):
                if effect.shown and (effect.difference or 0) > 0:
                    out.signs[key] += 1
            elif effect.shown:
                nulls += 1
                out.null_tests += 1
                if effect.flagged:
                    nulls_flagged += 1
                    out.null_flags.append(
                        f"seed {seed}: {key} d={effect.difference:+.2f} "
                        f"n={effect.n_full}/{effect.n_missed} q={effect.q_value:.3f}"
                    )
    out.flags += flagged
    out.fdp.append(nulls_flagged / flagged if flagged else 0.0)
    out.bound.append(FDR * nulls / tested if tested else 0.0)
    return nulls_flagged


def database_analyses(seed: int, folder: Path) -> Iterator[tuple[str, list[QuestionDrivers]]]:
    path = folder / f"demo-{seed}.db"
    build_demo_database(path, seed=seed, replace=True)
    db = open_database(path)
    try:
        for form_id in FORMS:
            report = DriversService(db).report(DriversQuery(form_id, *ALL_TIME))
            yield form_id, list(report.questions)
    finally:
        db.close()
        path.unlink()


def _recorded(form: Form) -> dict[str, Outcome]:
    fields = {
        OutcomeField.RESOLVED_FIRST_CONTACT: Outcome.FCR,
        OutcomeField.RETENTION: Outcome.RETENTION,
    }
    return {
        q.id: fields[q.outcome_field]
        for _section, q in form.questions()
        if q.outcome_field in fields
    }


def model_analyses(seed: int) -> Iterator[tuple[str, list[QuestionDrivers]]]:
    from qa_monitor.ui.dialogs.new_form_dialog import read_form_file

    context = CallContext(datetime(2026, 1, 1, tzinfo=UTC), 300.0)
    for form_id in FORMS:
        form = read_form_file(FORMS_DIR / f"{form_id}.yaml")
        rng = random.Random(f"{seed}/{form_id}")
        model = AnswerModel(form, seed)
        sums: dict[str, list[Counter[str]]] = {}
        for _ in range(MODEL_CALLS[form_id]):
            skill = min(0.995, max(0.3, rng.gauss(0.82, 0.08)))
            answers = model.answers(
                skill, rng, context, strictness=rng.choice(MODEL_STRICTNESS), comment_rate=0
            )
            result = score_evaluation(form, answers)
            full = full_marks(result)
            values = outcome_values(form, answers, result, "UTC")
            row: Counter[str] = Counter()
            if rng.random() < SURVEY_RATE:
                csat, nps, ces = survey(form_id, full, rng)
                row.update(
                    n_csat=1, sum_csat=csat, sum_csat2=csat * csat, n_sat=csat >= 4,
                    n_nps=1, n_promoters=nps >= 9, n_detractors=nps <= 6,
                    n_ces=1, sum_ces=ces, sum_ces2=ces * ces,
                )  # fmt: skip
            resolved = values.get("resolved_first_contact")
            if isinstance(resolved, bool):
                row.update(n_fcr=1, n_resolved=resolved)
            # Every demo caller may call again (services/demo_events.py).
            again = rng.random() < repeat_chance(resolved if isinstance(resolved, bool) else None)
            row.update(n_rc=1, n_repeat=again)
            if values.get("retention") in ("retained", "lost"):
                row.update(n_ret=1, n_retained=values["retention"] == "retained")
            for q in result.questions:
                if q.status is QuestionStatus.SCORED and q.possible > 0:
                    pair = sums.setdefault(q.question_id, [Counter(), Counter()])
                    pair[0 if q.question_id in full else 1].update(row)
        tallies = {
            qid: (Tally(**pair[0]), Tally(**pair[1]))  # type: ignore[arg-type]
            for qid, pair in sums.items()
        }
        yield form_id, analyse(tallies, records=_recorded(form))


def run(seeds: list[int], *, model: bool, shipped: bool) -> int:
    out = Tallies()
    with tempfile.TemporaryDirectory() as folder:
        if shipped and not model:
            nulls = sum(
                _score(SHIPPED_SEED, f, q, Tallies())
                for f, q in database_analyses(SHIPPED_SEED, Path(folder))
            )
            print(f"the shipped demo (seed {SHIPPED_SEED}): {nulls} null comparison(s) flagged")
        for seed in seeds:
            analyses = model_analyses(seed) if model else database_analyses(seed, Path(folder))
            here = sum(_score(seed, form_id, qs, out) for form_id, qs in analyses)
            out.seeds_with_null_flag += here > 0
            if not model:
                print(f"seed {seed}: done, {here} null comparison(s) flagged", flush=True)
    _report(out, len(seeds), "model draws" if model else "demo databases")
    return 0


def _report(out: Tallies, n: int, source: str) -> None:
    print()
    print(f"{n} seeds, {source}")
    print(f"{'planted effect':<50} {'amount':>7} {'flagged':>9} {'CI holds it':>12}")
    for p in PLANTED:
        if p.form_id not in FORMS:  # the scale generator's form is not in the demo
            continue
        key = f"{p.form_id}/{p.question_id}/{p.outcome.value}"
        print(f"{key:<50} {p.amount:>7g} {out.found[key]:>5}/{n:<3} {out.covered[key]:>8}/{n:<3}")
    for key in sorted(out.signs):
        print(f"{key:<50} {'(sign)':>7} {'positive':>9} {out.signs[key]:>8}/{n:<3}")
    print()
    print(
        f"null comparisons made: {out.null_tests:,}; flagged: {len(out.null_flags)} "
        f"({len(out.null_flags) / max(out.null_tests, 1):.2%} of them); "
        f"seeds with any null flagged: {out.seeds_with_null_flag}/{n}"
    )
    k = len(out.fdp)
    mean = sum(out.fdp) / k
    spread = math.sqrt(sum((x - mean) ** 2 for x in out.fdp) / (k - 1)) if k > 1 else 0.0
    print(
        f"false-discovery proportion, mean of {k} analyses (the FDR): {mean:.1%} "
        f"± {1.96 * spread / math.sqrt(k):.1%} (95 %); Benjamini-Hochberg bounds it by "
        f"{sum(out.bound) / k:.1%} (5 % x m0/m); {len(out.null_flags)} of all "
        f"{out.flags} flags were null"
    )
    for line in out.null_flags[:40]:
        print("  " + line)
    if len(out.null_flags) > 40:
        print(f"  ... and {len(out.null_flags) - 40} more")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--model", action="store_true", help="draw the model, no database")
    parser.add_argument("--demo", action="store_true", help="also the shipped demo's seed")
    args = parser.parse_args()
    seeds = list(range(args.first, args.first + args.seeds))
    return run(seeds, model=args.model, shipped=args.demo)


if __name__ == "__main__":
    sys.exit(main())
