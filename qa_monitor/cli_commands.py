"""What the command-line subcommands do (kept apart from argument parsing)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from qa_monitor.core.scoring import score_evaluation


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def validate_forms(paths: list[Path]) -> int:
    """Check each form file; print every problem, then every warning. Exit 0 only if every
    file is valid; warnings never change the exit status."""
    from qa_monitor.formfiles import form_file_warnings, validate_form_file

    bad = 0
    for path in paths:
        problems = validate_form_file(path)
        warnings = form_file_warnings(path)
        if problems:
            bad += 1
            print(f"{path}: {len(problems)} problem(s)")
            for problem in problems:
                print(f"  {problem}")
        elif warnings:
            print(f"{path}: OK, with {len(warnings)} warning(s)")
        else:
            print(f"{path}: OK")
        for warning in warnings:
            print(f"  {warning}")
    if len(paths) > 1:
        print(f"{len(paths) - bad} of {len(paths)} file(s) valid")
    return 1 if bad else 0


def score_answers(
    form_path: Path,
    answers_path: Path,
    *,
    as_json: bool,
    channel: str | None = None,
    direction: str | None = None,
) -> int:
    """Score an answers file against a form file and print the full breakdown.

    ``channel`` and ``direction`` describe the interaction, for questions shown only on
    some interactions; without them no such question is hidden.
    """
    from qa_monitor.core.answer_checks import check_answers
    from qa_monitor.core.forms import Channel, Direction, InteractionFacts
    from qa_monitor.formfiles import FormFileError, load_form
    from qa_monitor.formfiles.answers_file import AnswersFileError, load_answers
    from qa_monitor.reports.score_breakdown import breakdown_data, format_breakdown

    try:
        form = load_form(form_path)
        answers = load_answers(answers_path, form)
    except (FormFileError, AnswersFileError) as exc:
        _err(str(exc))
        return 2
    interaction = InteractionFacts(
        Channel(channel) if channel else None, Direction(direction) if direction else None
    )
    result = score_evaluation(form, answers, interaction)
    problems = check_answers(form, answers, result, interaction)
    if as_json:
        data = breakdown_data(form, answers, result)
        data["problems"] = [
            {"question": p.question_id, "kind": p.kind.value, "message": p.message}
            for p in problems
        ]
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(format_breakdown(form, answers, result))
        if problems:
            print("\nNot ready to submit:")
            for p in problems:
                print(f"  {p}")
    return 0


def write_demo(path: Path, *, seed: int, force: bool) -> int:
    """Write the deterministic demo database to ``path`` and print row counts."""
    from qa_monitor.services.demo_data import build_demo_database

    if path.exists() and not force:
        _err(f"{path} already exists; pass --force to replace it, or choose another path.")
        return 2
    started = time.perf_counter()
    counts = build_demo_database(path, seed=seed, replace=force)
    print(f"Demo database written to {path} in {time.perf_counter() - started:.1f} s")
    for table, count in counts.items():
        print(f"  {table:<16} {count:>8}")
    return 0
