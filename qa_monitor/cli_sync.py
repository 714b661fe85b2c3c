"""``qa-monitor sync``: team sync from the command line (scheduled jobs, checks).

Exit codes: 0 synced (or verified); 1 synced, but some files or changes wait for
later (listed); 2 bad input (no database, unusable team folder or server).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa_monitor.services.sync_transport import SyncReport

OK, WAITING, BAD_INPUT = 0, 1, 2


def add_subparsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = sub.add_parser(
        "sync",
        help="sync this database with the team (folder or server), verify, list conflicts",
        description="Team sync. Each installation writes its own changes to the team "
        "folder and reads everyone else's; see docs/sync.md.",
    )
    actions = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    folder = actions.add_parser(
        "folder", help="sync through a shared team folder (a share, a synced folder, a USB stick)"
    )
    folder.add_argument("path", type=Path, metavar="FOLDER", help="the team folder")
    server = actions.add_parser(
        "server",
        help="sync through the team server (PostgreSQL); options given are saved",
    )
    from qa_monitor.cli_server import add_connection_options

    add_connection_options(server, required=False)
    snapshot = actions.add_parser(
        "snapshot",
        help="write a snapshot of the team's data to the team folder now: new installations "
        "start from it instead of replaying every change",
    )
    snapshot.add_argument("path", type=Path, metavar="FOLDER", help="the team folder")
    actions.add_parser(
        "verify", help="print a digest of the team's content; equal digests = identical content"
    )
    actions.add_parser("conflicts", help="list changes made offline at the same time")


def _database(args: argparse.Namespace) -> Path | None:
    from qa_monitor import paths

    path = Path(args.db).expanduser() if args.db else (
        paths.demo_database_path() if args.demo else paths.default_database_path()
    )
    if not path.exists():
        print(f"No database at '{path}'. Give one with --db PATH.", file=sys.stderr)
        return None
    return path


def run_sync(args: argparse.Namespace) -> int:
    from qa_monitor.services import Services, StorageError, StorageFailure
    from qa_monitor.services.sync_conflicts import short_site
    from qa_monitor.services.sync_folder import TeamFolder
    from qa_monitor.services.sync_transport import TransportError
    from qa_monitor.storage.sync_journal import SyncJournal

    path = _database(args)
    if path is None:
        return BAD_INPUT
    try:
        services = Services.open(path)
    except StorageFailure:
        raise  # a sentence and exit 4 (cli.py)
    except StorageError as exc:
        print(str(exc), file=sys.stderr)
        return BAD_INPUT
    with services:
        journal = SyncJournal(services.db)
        if args.sync_command == "verify":
            print(f"Digest: {journal.digest()}")
            for name, count in journal.counts().items():
                print(f"  {name:<13} {count:>10,}")
            return OK
        if args.sync_command == "conflicts":
            rows = journal.conflicts()
            if not rows:
                print("No sync conflicts.")
            for row in rows:
                print(
                    f"{row.entity} {row.uuid}, field '{row.field}': kept the later change "
                    f"(site {short_site(row.kept.site)}, #{row.kept.seq}); the other "
                    f"(site {short_site(row.other.site)}, #{row.other.seq}) stays in its "
                    "history."
                )
            return OK
        if args.sync_command == "server":
            from qa_monitor.cli_server import run_sync_server

            return run_sync_server(services, args)
        if args.sync_command == "snapshot":
            from qa_monitor.storage.sync_snapshot import SnapshotRefused

            try:
                count = TeamFolder(services.db, args.path).publish_snapshot()
            except (TransportError, SnapshotRefused) as exc:
                print(str(exc), file=sys.stderr)
                return BAD_INPUT
            print(f"Wrote a snapshot of {count:,} evaluations to the team folder '{args.path}'.")
            return OK
        try:
            report = TeamFolder(services.db, args.path).sync()
        except TransportError as exc:
            print(str(exc), file=sys.stderr)
            return BAD_INPUT
        return print_report(report)


def print_report(report: SyncReport) -> int:
    """Say what a sync did; the exit code."""
    if report.from_snapshot:
        print(f"Started from the team's snapshot: {report.from_snapshot:,} evaluations.")
    print(
        f"Sent {report.sent:,} changes and received {report.received:,} "
        f"({report.applied:,} records written, {report.conflicts:,} new conflicts)."
    )
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.waiting:
        print(
            f"{report.waiting:,} records wait for changes that have not arrived yet.",
            file=sys.stderr,
        )
    return WAITING if report.problems or report.waiting else OK
