"""Command line: launch the app (default), check form files, score by hand, make demo data."""

from __future__ import annotations

import argparse
import io
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from qa_monitor import __version__
from qa_monitor.storage.errors import StorageFailure

# What a shell reports for a program killed by SIGPIPE (128 + 13), so `set -o pipefail`
# scripts see the same code as for any other tool whose reader went away.
PIPE_CLOSED = 141
# The database or an output file could not be read or written (StorageFailure).
STORAGE_FAILED = 4

EXIT_CODES = """\
exit codes:
  0    done (a score that FAILs is still 0)
  1    forms validate: a file has problems; import, forms import-sheet: rows were
       refused (with --partial the good rows were still imported or written);
       check: the database is damaged or was changed outside QA Monitor (each
       finding is listed); --self-test: a check failed
  2    bad arguments or input: unknown option, a form or answers file with problems
       (an answer that is none of its question's options), an unreadable import file,
       a file that exists without --force, a folder that does not exist; an empty
       (0-byte) database file (restore a backup); restore without --yes; an unreadable
       backup or archive; archive import into a database that already holds data
  3    forms import-sheet: the scorecard file cannot be read at all
  4    storage failure: the database or an output file could not be read or written
       (disk full, read-only file or folder, busy with another writer, damaged); the
       message names the file and what to do
  5    the window cannot open: system libraries Qt needs are missing (the message
       names the packages to install)
  141  the output was closed early (e.g. piped into head); nothing more was printed
"""


# Keeping the data safe: cli_backup.py.
BACKUP_COMMANDS = ("check", "backup", "backups", "restore", "archive")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa-monitor",
        description="QA Monitor: score contact-centre interactions, see trends, export to Excel. "
        "'qa-monitor PATH.db' opens that database; Qt's own options (-reverse, -style NAME, "
        "-platform NAME) are passed to Qt.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"qa-monitor {__version__}")
    parser.add_argument(
        "--db",
        type=Path,
        help="database file to open (default: in your data dir); init and import create it "
        "if it does not exist yet",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a separate demo database filled with realistic data (made on first use)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check the installation without showing a window, then exit (for installers); "
        "with --db, also check that database (read-only)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    forms = sub.add_parser("forms", help="work with form files")
    forms_sub = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    validate = forms_sub.add_parser("validate", help="check form files and list every problem")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    sheet = forms_sub.add_parser(
        "import-sheet",
        help="turn an Excel (or CSV) scorecard into a form file",
        description="Read a scorecard kept in Excel, one row per question, and write it as "
        "a form file. Every refused row is listed with its sheet row, column and what to "
        "do; without --partial nothing is written if any row is refused.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sheet.add_argument("sheet_file", type=Path, metavar="SHEET", help="the .xlsx or .csv file")
    sheet.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="FORM",
        help="form file to write (.yaml)",
    )
    sheet.add_argument(
        "--sheet",
        metavar="NAME",
        help="the sheet to read (default: the first sheet with a scorecard on it)",
    )
    sheet.add_argument(
        "--id", dest="form_id", metavar="ID", help="the form's id (default: made from the title)"
    )
    sheet.add_argument(
        "--title",
        metavar="TEXT",
        help="the form's title (default: a title above the header, else the file's name)",
    )
    sheet.add_argument(
        "--partial", action="store_true", help="write the good rows even if some are refused"
    )
    sheet.add_argument("--force", action="store_true", help="replace FORM if it exists")

    score = sub.add_parser("score", help="score a set of answers against a form file")
    score.add_argument("--form", required=True, type=Path, help="form file (.yaml)")
    score.add_argument(
        "--answers",
        required=True,
        type=Path,
        help="answers file (.yaml or .json): question id -> option id or label (any case), "
        "'N/A', or {value, na, comment}",
    )
    score.add_argument("--json", action="store_true", help="print the breakdown as JSON")
    from qa_monitor.core.forms import Channel, Direction

    # Questions shown only on some interactions (show_if: {interaction: ...}) are hidden
    # when these say the interaction is not one of them; left out, nothing is hidden.
    score.add_argument(
        "--channel",
        choices=[c.value for c in Channel],
        help="the interaction's channel, for questions shown only on some channels",
    )
    score.add_argument(
        "--direction",
        choices=[d.value for d in Direction],
        help="the interaction's direction, for questions shown only on inbound or outbound",
    )

    demo = sub.add_parser("demo", help="write the demo database to PATH without opening a window")
    demo.add_argument("path", type=Path)
    demo.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    demo.add_argument("--force", action="store_true", help="replace PATH if it exists")

    sub.add_parser(
        "init",
        help="create an empty database at --db PATH (or the default one) and say where",
    )

    from qa_monitor.cli_backup import add_subparsers as add_backup_subparsers
    from qa_monitor.cli_data import add_subparsers
    from qa_monitor.cli_server import add_subparsers as add_server_subparsers
    from qa_monitor.cli_sync import add_subparsers as add_sync_subparsers

    add_subparsers(sub)
    add_backup_subparsers(sub)
    add_sync_subparsers(sub)
    add_server_subparsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; a reader that closes the output early (``| head``) ends it quietly."""
    try:
        try:
            return _run(argv)
        finally:
            # Flushed here, not at interpreter exit, so a closed pipe is caught below even
            # when everything fitted in the buffer (and for --help, which exits by raising).
            sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()
        return PIPE_CLOSED


def _discard_stdout() -> None:
    """Point stdout at devnull so the interpreter's final flush cannot fail again (the
    recipe in the Python docs for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # stdout is not a real file (tests capture it): nothing will flush to the pipe


def _run(argv: Sequence[str] | None) -> int:
    from qa_monitor import paths
    from qa_monitor.launch_args import split_launch_args

    # Before anything imports matplotlib: its font cache lives in the data directory.
    paths.use_data_dir_for_matplotlib()
    parser = build_parser()
    launch = split_launch_args(sys.argv[1:] if argv is None else argv, _command_names(parser))
    args = parser.parse_args(launch.ours)
    args.qt_args = launch.qt
    try:
        return _dispatch(args)
    except StorageFailure as exc:
        print(str(exc), file=sys.stderr)
        return STORAGE_FAILED
    except (sqlite3.Error, OSError) as exc:
        failure = _as_storage_failure(exc, args)
        if failure is None:
            raise
        print(str(failure), file=sys.stderr)
        return STORAGE_FAILED


def _command_names(parser: argparse.ArgumentParser) -> list[str]:
    return [
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    ]


def _as_storage_failure(exc: BaseException, args: argparse.Namespace) -> Exception | None:
    """The sentence for a storage-level error no command caught: a sqlite3 error on the
    database (``--db``, else the default one) or a full/read-only disk."""
    import errno

    from qa_monitor.storage.errors import translate_os_error, translate_sqlite_error

    if isinstance(exc, sqlite3.Error):
        from qa_monitor import paths

        db = args.db if args.db is not None else paths.default_database_path()
        translated = translate_sqlite_error(exc, db)
        return translated if isinstance(translated, StorageFailure) else None
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EROFS, errno.EDQUOT):
        return translate_os_error(exc, exc.filename or args.db or "")
    return None


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "forms" and args.forms_command == "import-sheet":
        from qa_monitor.cli_commands import import_sheet

        return import_sheet(
            args.sheet_file,
            args.output,
            sheet=args.sheet,
            form_id=args.form_id,
            title=args.title,
            partial=args.partial,
            force=args.force,
        )
    if args.command == "forms":
        from qa_monitor.cli_commands import validate_forms

        return validate_forms(args.files)
    if args.command == "score":
        from qa_monitor.cli_commands import score_answers

        return score_answers(
            args.form,
            args.answers,
            as_json=args.json,
            channel=args.channel,
            direction=args.direction,
        )
    if args.command == "demo":
        from qa_monitor.cli_commands import write_demo

        return write_demo(args.path, seed=args.seed, force=args.force)
    if args.command == "export":
        from qa_monitor.cli_data import run_export

        return run_export(args)
    if args.command == "calibration":
        from qa_monitor.cli_data import run_calibration_export

        return run_calibration_export(args)
    if args.command == "import":
        from qa_monitor.cli_data import run_import_creating

        return run_import_creating(args)
    if args.command == "init":
        from qa_monitor.cli_data import run_init

        return run_init(args)
    if args.command in BACKUP_COMMANDS:
        from qa_monitor.cli_backup import run

        return run(args)
    if args.command == "sync":
        from qa_monitor.cli_sync import run_sync

        return run_sync(args)
    if args.command == "server":
        from qa_monitor.cli_server import run_server

        return run_server(args)
    if args.self_test:
        from qa_monitor.self_test import run_self_test

        return run_self_test(args.db)
    from qa_monitor.app import run_app

    return run_app(db_path=args.db, demo=args.demo, qt_args=args.qt_args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
