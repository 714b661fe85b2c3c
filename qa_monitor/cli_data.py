"""``qa-monitor export``, ``calibration export``, ``import`` and ``init``: data in and
out for scheduled jobs.

Exit codes: 0 done; 1 an import refused rows (with ``--partial`` the others were
imported, without it nothing was); 2 bad input (unknown team or agent, bad date,
unreadable file, missing columns, a target that cannot be written, a database folder
that does not exist); 4 a storage failure (the database or the output could not be
written or read: disk full, read-only, busy, damaged), raised to ``cli.py``, which
prints its sentence.

``init`` and ``import`` create the database when it does not exist yet, and say so;
``export`` does not: exporting from a file that is not there is a mistyped path, and
an empty new database would hide it behind "Exported 0 evaluations".
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TypeVar

from qa_monitor.core.records import EvaluationKind

OK, REFUSED, BAD_INPUT = 0, 1, 2
T = TypeVar("T")


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def iso_date(text: str) -> date:
    """argparse type: a YYYY-MM-DD date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as YYYY-MM-DD"
        ) from None


def evaluation_kinds(text: str) -> tuple[EvaluationKind, ...]:
    """argparse type: kinds of evaluation, comma-separated ("regular,calibration,self")."""
    from qa_monitor.reports.counting_rule import parse_kinds

    try:
        return parse_kinds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_subparsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = sub.add_parser(
        "export",
        help="export evaluations to Excel (.xlsx) or CSV, or the reviewer quality report",
        description="Export the evaluations matching the filters to OUT (.xlsx, or CSV with "
        "--csv or a .csv name). Dates are interaction dates in the centre's time zone. "
        "Like the dashboard, only regular evaluations that were submitted are counted "
        "unless --include-drafts or --kinds says otherwise. With --reviewer-quality, OUT "
        "is the Reviewer quality screen's report as a workbook (strictness, drift, "
        "calibration against the expert, dispute rates, question agreement) for the "
        "calls dated --from to --to (default: all time).",
    )
    export.add_argument(
        "--reviewer-quality",
        action="store_true",
        help="write the reviewer quality report instead of the evaluations (with --from, "
        "--to; no other filter)",
    )
    export.add_argument(
        "--from",
        dest="date_from",
        type=iso_date,
        metavar="DATE",
        help="first interaction date (YYYY-MM-DD)",
    )
    export.add_argument(
        "--to",
        dest="date_to",
        type=iso_date,
        metavar="DATE",
        help="last interaction date, inclusive",
    )
    export.add_argument(
        "--team",
        action="append",
        default=[],
        metavar="NAME",
        help="only this team (repeat for several)",
    )
    export.add_argument(
        "--agent",
        action="append",
        default=[],
        metavar="NAME",
        help="only this agent: name or phone-system id (repeatable)",
    )
    export.add_argument(
        "--form",
        action="append",
        default=[],
        metavar="ID",
        help="only this form: id or title (repeatable)",
    )
    export.add_argument(
        "--include-drafts",
        action="store_true",
        help="count drafts too (not submitted yet; they have no score)",
    )
    export.add_argument(
        "--kinds",
        type=evaluation_kinds,
        default=(EvaluationKind.REGULAR,),
        metavar="KINDS",
        help="kinds to count, comma-separated: regular, calibration, self (default: regular)",
    )
    export.add_argument("--csv", action="store_true", help="write CSV (UTF-8 with BOM)")
    export.add_argument(
        "--no-answers",
        action="store_true",
        help="leave out the Answers sheet (one row per answer; large)",
    )
    export.add_argument("out", type=Path, metavar="OUT", help="file to write")

    calibration = sub.add_parser(
        "calibration",
        help="export revealed calibration sessions to an Excel workbook",
        description="Calibration sessions: the revealed ones, as a workbook.",
    )
    actions = calibration.add_subparsers(
        dest="calibration_command", metavar="ACTION", required=True
    )
    workbook = actions.add_parser(
        "export",
        help="write the calibration workbook OUT (.xlsx)",
        description="Write the revealed calibration sessions to OUT: an overview of the "
        "sessions, every reviewer's deviation and band, totals per reviewer, and a sheet "
        "per session with the question-by-reviewer matrix and each question's alpha. "
        "Dates are the days the sessions were revealed, in the centre's time zone. At most "
        "the newest 100 sessions.",
    )
    workbook.add_argument(
        "--form", metavar="ID", help="only the sessions of this form: id or title"
    )
    workbook.add_argument(
        "--from",
        dest="date_from",
        type=iso_date,
        metavar="DATE",
        help="first day a session was revealed (YYYY-MM-DD)",
    )
    workbook.add_argument(
        "--to", dest="date_to", type=iso_date, metavar="DATE", help="last day, inclusive"
    )
    workbook.add_argument("out", type=Path, metavar="OUT", help="file to write (.xlsx)")

    imp = sub.add_parser(
        "import",
        help="import a roster, a call log, survey results or customer outcome data (counts, "
        "a customer list, churn events) from .xlsx or .csv",
        description="Import FILE. Every refused row is listed with its row number and "
        "reason; without --partial nothing is imported if any row is refused.",
    )
    imp.add_argument(
        "kind",
        # ImportKind's values (not imported here: the parser is built at every start).
        choices=[
            "roster",
            "interactions",
            "surveys",
            "customer_counts",
            "customers",
            "churn_events",
        ],
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument(
        "--partial", action="store_true", help="import the good rows even if some are refused"
    )
    imp.add_argument(
        "--encoding",
        metavar="NAME",
        help="read a .csv/.txt file in this encoding instead of detecting it (utf-8, cp1252, "
        "cp1256, cp1251, iso-8859-1, utf-16)",
    )


def _chosen_database(args: argparse.Namespace) -> Path:
    from qa_monitor import paths

    if args.db is not None:
        return Path(args.db).expanduser()
    return paths.demo_database_path() if args.demo else paths.default_database_path()


def _database_path(args: argparse.Namespace, *, create: bool = False) -> Path | None:
    """The database to use; None after a message when it does not exist, or (with
    ``create``) when it cannot be created because its folder does not exist."""
    path = _chosen_database(args)
    if path.exists():
        return path
    if not create:
        _err(
            f"No database at '{path}'. Give an existing one with --db PATH, or create one "
            f'with: qa-monitor --db "{path}" init'
        )
        return None
    if not path.parent.is_dir():
        # open_database would make the folder too; a mistyped folder should not appear.
        _err(
            f"Cannot create a database at '{path}': the folder '{path.parent}' does not "
            "exist. Create the folder first, or choose another path."
        )
        return None
    return path


def _remove_database(path: Path) -> None:
    """Delete a database this command created and could not use (with SQLite's side files)."""
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        path.with_name(name).unlink(missing_ok=True)


def _open_or_create(path: Path) -> bool:
    """Open (creating) the database at ``path`` once, so it exists with the current schema;
    False after a message saying why it could not be."""
    from qa_monitor.services import Services, StorageError, StorageFailure

    try:
        Services.open(path).close()
    except StorageFailure:
        raise  # a sentence and exit 4 (cli.py)
    except StorageError as exc:
        _err(str(exc))
        return False
    except OSError as exc:
        _err(f"Cannot create a database at '{path}': {exc.strerror or exc}.")
        return False
    return True


def run_init(args: argparse.Namespace) -> int:
    path = _database_path(args, create=True)
    if path is None:
        return BAD_INPUT
    existed = path.exists()
    if not _open_or_create(path):
        return BAD_INPUT
    if existed:
        print(f"There is already a QA Monitor database at {path.resolve()}; it was left as it is.")
    else:
        print(f"Created a new, empty QA Monitor database at {path.resolve()}.")
    return OK


def run_import_creating(args: argparse.Namespace) -> int:
    """``import`` into the chosen database, creating it first when it does not exist.

    Kept apart from run_import so the import itself stays one piece. When the file
    cannot be read at all (nothing imported) the new database is removed again, so a
    mistyped file name leaves nothing behind.
    """
    path = _database_path(args, create=True)
    if path is None:
        return BAD_INPUT
    if path.exists():
        return run_import(args)
    if not _open_or_create(path):
        return BAD_INPUT
    code = run_import(args)
    if code == BAD_INPUT:
        _remove_database(path)
    else:
        print(f"Created a new QA Monitor database at {path.resolve()} for this import.")
    return code


def _pick(
    kind: str, wanted: Sequence[str], named: dict[str, T], aliases: dict[str, T]
) -> tuple[T, ...] | None:
    """The ids of ``wanted`` names (ignoring case) or aliases; None after an error message."""
    known = {name.casefold(): id_ for name, id_ in named.items()}
    ids: list[T] = []
    for name in wanted:
        found = known.get(name.strip().casefold(), aliases.get(name.strip()))
        if found is None:
            shown = ", ".join(sorted(named, key=str.casefold)[:10])
            more = " ..." if len(named) > 10 else ""
            _err(f"No {kind} named '{name}'. Known: {shown}{more}")
            return None
        ids.append(found)
    return tuple(ids)


def _reviewer_quality_refusal(args: argparse.Namespace) -> str | None:
    """Why the options cannot go with --reviewer-quality (None: they can)."""
    others = [
        name
        for name, given in (
            ("--team", args.team),
            ("--agent", args.agent),
            ("--form", args.form),
            ("--include-drafts", args.include_drafts),
            ("--kinds", tuple(args.kinds) != (EvaluationKind.REGULAR,)),
            ("--csv", args.csv),
            ("--no-answers", args.no_answers),
        )
        if given
    ]
    if others:
        return (
            f"--reviewer-quality covers every reviewer, team and form by its own rules; "
            f"leave out {', '.join(others)}."
        )
    if args.out.suffix.lower() != ".xlsx":
        return f"'{args.out}' should end in .xlsx (the reviewer quality report is a workbook)."
    return None


def run_reviewer_quality_export(args: argparse.Namespace, path: Path) -> int:
    """``export --reviewer-quality``: the screen's report for the period, as a workbook."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from qa_monitor.reports.atomic_file import ExportError, ExportWriteError
    from qa_monitor.reports.xlsx_reviewer_quality import export_reviewer_quality
    from qa_monitor.services import Services, StorageError, StorageFailure
    from qa_monitor.services.reviewer_quality_service import ReviewerQualityService

    refusal = _reviewer_quality_refusal(args)
    if refusal is not None:
        _err(refusal)
        return BAD_INPUT
    try:
        services = Services.open(path)  # brings the file up to date, as the app would
    except StorageFailure:
        raise  # a sentence and exit 4 (cli.py)
    except StorageError as exc:
        _err(str(exc))
        return BAD_INPUT
    with services:
        zone = services.settings.centre().timezone
        reviewer_id = services.settings.centre().current_reviewer_id
        who = services.people.get_reviewer(reviewer_id).name if reviewer_id else getpass.getuser()
        report = ReviewerQualityService(path).report(args.date_from, args.date_to)
        try:
            result = export_reviewer_quality(
                report,
                args.out,
                exported_at=datetime.now(UTC).astimezone(ZoneInfo(zone)),
                timezone=zone,
                generated_by=who,
            )
        except ExportWriteError:
            raise  # a sentence and exit 4 (cli.py)
        except ExportError as exc:
            _err(str(exc))
            return BAD_INPUT
    print(
        f"Exported the reviewer quality report to {result.path} in {result.seconds:.1f} s "
        f"(reviewers: {len(report.reviewers)}, questions: {len(report.questions)})"
    )
    return OK


def run_export(args: argparse.Namespace) -> int:
    from qa_monitor.core.records import EvaluationFilter
    from qa_monitor.reports.atomic_file import ExportError, ExportWriteError
    from qa_monitor.reports.counting_rule import CountingRule, counted_sentence
    from qa_monitor.reports.csv_export import export_csv
    from qa_monitor.services import Services, StorageError, StorageFailure
    from qa_monitor.services.outcome_export import export_workbook

    path = _database_path(args)
    if path is None:
        return BAD_INPUT
    if args.date_from and args.date_to and args.date_from > args.date_to:
        _err("--from is after --to; swap the dates.")
        return BAD_INPUT
    if args.reviewer_quality:
        return run_reviewer_quality_export(args, path)
    as_csv = args.csv or args.out.suffix.lower() == ".csv"
    if not as_csv and args.out.suffix.lower() != ".xlsx":
        _err(f"'{args.out}' should end in .xlsx (or use --csv for a CSV file).")
        return BAD_INPUT
    try:
        services = Services.open(path)
    except StorageFailure:
        raise  # a sentence and exit 4 (cli.py)
    except StorageError as exc:
        _err(str(exc))
        return BAD_INPUT
    with services:
        people = services.people
        agents = people.list_agents()
        forms = services.forms.list_forms()
        team_sel = _pick("team", args.team, {t.name: t.id for t in people.list_teams()}, {})
        agent_sel = _pick(
            "agent",
            args.agent,
            {a.name: a.id for a in agents},
            {a.external_id: a.id for a in agents if a.external_id},
        )
        form_sel = _pick(
            "form",
            args.form,
            {f.title: f.form_id for f in forms},
            {f.form_id: f.form_id for f in forms},
        )
        if team_sel is None or agent_sel is None or form_sel is None:
            return BAD_INPUT
        flt = EvaluationFilter(
            date_from=args.date_from,
            date_to=args.date_to,
            team_ids=team_sel,
            agent_ids=agent_sel,
            form_ids=form_sel,
        )
        rule = CountingRule(include_drafts=args.include_drafts, kinds=args.kinds)
        reviewer_id = services.settings.centre().current_reviewer_id
        who = people.get_reviewer(reviewer_id).name if reviewer_id else getpass.getuser()
        try:
            if as_csv:
                result = export_csv(services, flt, args.out, rule=rule)
            else:
                result = export_workbook(
                    services,
                    flt,
                    args.out,
                    generated_by=who,
                    include_answers=not args.no_answers,
                    rule=rule,
                )
        except ExportWriteError:
            raise  # a sentence and exit 4 (cli.py)
        except ExportError as exc:
            _err(str(exc))
            return BAD_INPUT
    print(counted_sentence(rule.apply(flt)))
    print(f"Exported {result.evaluations:,} evaluations to {result.path} in {result.seconds:.1f} s")
    return OK


def run_calibration_export(args: argparse.Namespace) -> int:
    from qa_monitor.reports.atomic_file import ExportError, ExportWriteError
    from qa_monitor.services import NotAllowedError, Services, StorageError, StorageFailure
    from qa_monitor.services.calibration_export import (
        CalibrationScope,
        export_calibration_workbook,
    )

    path = _database_path(args)
    if path is None:
        return BAD_INPUT
    if args.date_from and args.date_to and args.date_from > args.date_to:
        _err("--from is after --to; swap the dates.")
        return BAD_INPUT
    if args.out.suffix.lower() != ".xlsx":
        _err(f"'{args.out}' should end in .xlsx.")
        return BAD_INPUT
    try:
        services = Services.open(path)
    except StorageFailure:
        raise  # a sentence and exit 4 (cli.py)
    except StorageError as exc:
        _err(str(exc))
        return BAD_INPUT
    with services:
        form_id = None
        if args.form:
            forms = services.forms.list_forms()
            chosen = _pick(
                "form",
                [args.form],
                {f.title: f.form_id for f in forms},
                {f.form_id: f.form_id for f in forms},
            )
            if chosen is None:
                return BAD_INPUT
            form_id = chosen[0]
        scope = CalibrationScope(form_id, args.date_from, args.date_to)
        reviewer_id = services.settings.centre().current_reviewer_id
        who = services.people.get_reviewer(reviewer_id).name if reviewer_id else getpass.getuser()
        try:
            result = export_calibration_workbook(services, args.out, scope, generated_by=who)
        except ExportWriteError:
            raise  # a sentence and exit 4 (cli.py)
        except (ExportError, NotAllowedError) as exc:
            _err(str(exc))
            return BAD_INPUT
    if result.sessions == 1:
        print(f"Exported 1 calibration session to {result.path} in {result.seconds:.1f} s")
    else:
        print(
            f"Exported {result.sessions:,} calibration sessions to {result.path} in "
            f"{result.seconds:.1f} s"
        )
    return OK


def run_import(args: argparse.Namespace) -> int:
    from qa_monitor.services import Services, StorageError, StorageFailure
    from qa_monitor.services.import_mapping import ImportKind
    from qa_monitor.services.import_service import ImportInputError, ImportService

    path = _database_path(args)
    if path is None:
        return BAD_INPUT
    try:
        services = Services.open(path)
    except StorageFailure:
        raise  # a sentence and exit 4 (cli.py)
    except StorageError as exc:
        _err(str(exc))
        return BAD_INPUT
    with services:
        service = ImportService.from_services(services)
        try:
            report = service.run_import(
                args.file, ImportKind(args.kind), allow_partial=args.partial, encoding=args.encoding
            )
        except ImportInputError as exc:
            _err(str(exc))
            return BAD_INPUT
    for problem in report.refused:
        print(f"refused: {problem}")
    print(report.summary())
    return REFUSED if report.refused else OK
