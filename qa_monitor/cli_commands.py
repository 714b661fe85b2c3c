"""What the command-line subcommands do (kept apart from argument parsing)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from qa_monitor.core.scoring import score_evaluation

# Exit codes (documented in cli.EXIT_CODES and README's command list).
OK, REFUSED, BAD_ARGUMENTS, UNREADABLE = 0, 1, 2, 3


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def validate_forms(paths: list[Path]) -> int:
    """Check each form file; print every problem, then every warning. Exit 0 only if every
    file is valid; warnings never change the exit status."""
    from qa_monitor.formfiles.yaml_format import check_form_file

    bad = 0
    for path in paths:
        problems, warnings = check_form_file(path)
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
        return BAD_ARGUMENTS
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


def import_sheet(
    sheet_file: Path,
    output: Path,
    *,
    sheet: str | None,
    form_id: str | None,
    title: str | None,
    partial: bool,
    force: bool,
) -> int:
    """Turn an Excel scorecard into a form file, listing every refused row as the import
    dialog does (same reader: formfiles/scorecard_sheet.py). Exit codes: cli.EXIT_CODES."""
    from qa_monitor.core.form_ids import ID_HINT, ID_PATTERN
    from qa_monitor.core.form_validation import validate_form
    from qa_monitor.formfiles import save_form
    from qa_monitor.formfiles.scorecard_sheet import read_scorecard

    if form_id is not None and not ID_PATTERN.match(form_id):
        _err(f"The id '{form_id}' is not valid: {ID_HINT}.")
        return BAD_ARGUMENTS
    if title is not None and not title.strip():
        _err("The title given with --title is empty; give the form a title.")
        return BAD_ARGUMENTS
    if output.suffix.lower() not in (".yaml", ".yml"):
        _err(f"'{output}' should end in .yaml, as form files do.")
        return BAD_ARGUMENTS
    if output.is_dir():
        _err(f"'{output}' is a folder; give the name of the form file to write.")
        return BAD_ARGUMENTS
    if not output.parent.is_dir():
        _err(f"The folder '{output.parent}' does not exist; create it or choose another one.")
        return BAD_ARGUMENTS
    if output.exists() and not force:
        _err(f"'{output}' already exists; pass --force to replace it, or choose another name.")
        return BAD_ARGUMENTS
    result = read_scorecard(
        sheet_file, sheet=sheet, form_id=form_id, title=title.strip() if title else None
    )
    if result.form is None and all(p.row is None for p in result.problems):
        for problem in result.problems:
            _err(f"Cannot import {problem}")
        return UNREADABLE
    good = sum(1 for r in result.rows if r.included)
    left_out = sum(1 for r in result.rows if r.problems and not r.included)
    print(f"Scorecard import report — {result.path}")
    if result.sheet:
        print(f"Sheet: {result.sheet}; column titles on row {result.header_row}")
    if result.form is not None:
        print(
            f"{len(result.rows)} rows read: {good} questions can be imported in "
            f"{len(result.form.sections)} sections; {left_out} rows are left out."
        )
    if result.problems:
        print(f"\n{len(result.problems)} problem(s):")
        for problem in result.problems:
            print(f"  {problem}")
    if result.notes:
        print("\nNotes:")
        for note in result.notes:
            print(f"  {note}")
    print()
    if result.form is None:
        print("Nothing was written: no row can be imported. Fix the rows above and run again.")
        return REFUSED
    if result.problems and not partial:
        print(
            f"Nothing was written to {output}: fix the rows above and run again, or pass "
            f"--partial to write the {good} good questions."
        )
        return REFUSED
    try:
        save_form(result.form, output)
    except OSError as exc:
        _err(f"Could not write {output}: {exc.strerror or exc}. Choose another folder.")
        return BAD_ARGUMENTS
    print(
        f"Wrote the form “{result.form.title}” (id {result.form.id}) with {good} questions "
        f"to {output}."
    )
    if not result.problems:
        return OK
    if validate_form(result.form):
        print(
            f"The form still has problems to fix; see them with: qa-monitor forms validate {output}"
        )
    else:
        print(
            f"The {left_out} rows left out are not in it: fix them in the sheet and run again, "
            "or add them to the form in the Forms screen."
        )
    return REFUSED


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
