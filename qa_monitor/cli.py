"""Command line: launch the app (default), check form files, score by hand, make demo data."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from qa_monitor import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa-monitor",
        description="QA Monitor: score contact-centre interactions, see trends, export to Excel.",
    )
    parser.add_argument("--version", action="version", version=f"qa-monitor {__version__}")
    parser.add_argument("--db", type=Path, help="database file to open (default: in your data dir)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a separate demo database filled with realistic data (made on first use)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check the installation without showing a window, then exit (for installers)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    forms = sub.add_parser("forms", help="work with form files")
    forms_sub = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    validate = forms_sub.add_parser("validate", help="check form files and list every problem")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")

    score = sub.add_parser("score", help="score a set of answers against a form file")
    score.add_argument("--form", required=True, type=Path, help="form file (.yaml)")
    score.add_argument(
        "--answers",
        required=True,
        type=Path,
        help="answers file (.yaml or .json): question id -> option id, 'N/A', or "
        "{value, na, comment}",
    )
    score.add_argument("--json", action="store_true", help="print the breakdown as JSON")

    demo = sub.add_parser("demo", help="write the demo database to PATH without opening a window")
    demo.add_argument("path", type=Path)
    demo.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    demo.add_argument("--force", action="store_true", help="replace PATH if it exists")

    from qa_monitor.cli_data import add_subparsers
    from qa_monitor.cli_server import add_subparsers as add_server_subparsers
    from qa_monitor.cli_sync import add_subparsers as add_sync_subparsers

    add_subparsers(sub)
    add_sync_subparsers(sub)
    add_server_subparsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "forms":
        from qa_monitor.cli_commands import validate_forms

        return validate_forms(args.files)
    if args.command == "score":
        from qa_monitor.cli_commands import score_answers

        return score_answers(args.form, args.answers, as_json=args.json)
    if args.command == "demo":
        from qa_monitor.cli_commands import write_demo

        return write_demo(args.path, seed=args.seed, force=args.force)
    if args.command == "export":
        from qa_monitor.cli_data import run_export

        return run_export(args)
    if args.command == "import":
        from qa_monitor.cli_data import run_import

        return run_import(args)
    if args.command == "sync":
        from qa_monitor.cli_sync import run_sync

        return run_sync(args)
    if args.command == "server":
        from qa_monitor.cli_server import run_server

        return run_server(args)
    if args.self_test:
        from qa_monitor.self_test import run_self_test

        return run_self_test()
    from qa_monitor.app import run_app

    return run_app(db_path=args.db, demo=args.demo)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
