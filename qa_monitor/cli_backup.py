"""``qa-monitor check``, ``backup``, ``restore`` and ``archive``: keeping the data safe.

Exit codes (cli.EXIT_CODES): 0 done; 1 check found problems; 2 bad input (no
database, an unreadable or damaged backup or archive, ``restore`` without ``--yes``,
an archive imported into a database that is not empty).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

OK, PROBLEMS, BAD_INPUT = 0, 1, 2


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def add_subparsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser(
        "check",
        help="check the database for damage (SQLite's full integrity check) and list findings",
        description="Run every check on the database, read-only, and print each finding as a "
        "sentence. Exit code 1 when something was found.",
    )
    backup = sub.add_parser(
        "backup",
        help="write a checked backup copy of the database now",
        description="Copy the database, also while the app is using it, to a new checked "
        "file: into the backup folder (keeping the newest copies, as set in Settings), or to "
        "--to FILE.",
    )
    backup.add_argument("--to", type=Path, metavar="FILE", help="write the copy to FILE instead")
    backup.add_argument("--force", action="store_true", help="replace FILE if it exists")
    restore = sub.add_parser(
        "restore",
        help="replace the database by a backup (shows what the backup holds; needs --yes)",
        description="Show what BACKUP holds; with --yes, keep the current database as a "
        "backup first, then replace it by BACKUP. Close the app first.",
    )
    restore.add_argument("backup_file", type=Path, metavar="BACKUP")
    restore.add_argument("--yes", action="store_true", help="restore it (without: only show it)")
    sub.add_parser("backups", help="list the backups of the database, newest first")
    archive = sub.add_parser(
        "archive",
        help="export everything to one archive file, or import one into a new database",
        description="An archive holds every record (forms and their versions, people, "
        "interactions, evaluations, answers, audit log, settings, sync identity) in one "
        "checked file (docs/backups.md). Import only into a new, empty database.",
    )
    actions = archive.add_subparsers(dest="archive_command", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write the archive FILE (.qaarchive)")
    export.add_argument("file", type=Path, metavar="FILE")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    imp = actions.add_parser("import", help="import the archive FILE into a new, empty database")
    imp.add_argument("file", type=Path, metavar="FILE")


def _database(args: argparse.Namespace, *, must_exist: bool = True) -> Path | None:
    from qa_monitor import paths

    if args.db is not None:
        path = Path(args.db).expanduser()
    else:
        path = paths.demo_database_path() if args.demo else paths.default_database_path()
    if must_exist and not path.exists():
        _err(f"No database at '{path}'. Give an existing one with --db PATH.")
        return None
    return path


def run(args: argparse.Namespace) -> int:
    command = args.command
    if command == "archive" and args.archive_command == "import":
        return run_archive_import(args)
    path = _database(args)
    if path is None:
        return BAD_INPUT
    if command == "check":
        return run_check(path)
    if command == "restore":
        return run_restore(path, args.backup_file, yes=args.yes)
    if command == "backups":
        return run_list(path)
    if command == "archive":
        return run_archive_export(path, args.file, force=args.force)
    return run_backup(path, args.to, force=args.force)


def run_check(path: Path) -> int:
    from qa_monitor.services.check_service import run_checks

    report = run_checks(path, progress=lambda text: print(text, file=sys.stderr))
    if report.ok:
        print(f"No problems found in '{path}' ({report.seconds:.1f} s).")
        return OK
    for finding in report.findings:
        print(finding.message)
    print(f"{len(report.findings)} problems found in '{path}'.")
    return PROBLEMS


def _plan(path: Path):
    """The backup plan from the database's own settings; None after a message."""
    from qa_monitor.services import Services, StorageError
    from qa_monitor.services.backup_service import BackupService

    try:
        services = Services.open(path)
    except StorageError as exc:
        _err(str(exc))
        return None
    with services:
        return BackupService(services.db, services.repos.settings, services.clock).plan()


def run_backup(path: Path, to: Path | None, *, force: bool) -> int:
    from qa_monitor.services.backup_service import BackupError, back_up

    if to is not None and to.exists() and not force:
        _err(f"'{to}' already exists. Add --force to replace it, or choose another name.")
        return BAD_INPUT
    plan = _plan(path)
    if plan is None:
        return BAD_INPUT
    try:
        written = back_up(plan, to=to)
    except BackupError as exc:
        _err(str(exc))
        return BAD_INPUT
    print(f"Backed up '{path}' to '{written}' ({written.stat().st_size:,} bytes, checked).")
    return OK


def print_preview(preview) -> None:
    made = preview.made_at.strftime("%Y-%m-%d %H:%M") if preview.made_at else "unknown"
    newest = preview.newest_evaluation or "none"
    print(f"Backup: {preview.path}")
    print(f"  made at            {made}")
    print(f"  size               {preview.size:,} bytes")
    print(f"  forms              {preview.forms:,}")
    print(f"  agents             {preview.agents:,}")
    print(f"  reviewers          {preview.reviewers:,}")
    print(f"  evaluations        {preview.evaluations:,}")
    print(f"  newest evaluation  {newest}")
    print(f"  schema version     {preview.schema_version}")


def run_list(path: Path) -> int:
    from qa_monitor.services.backup_service import BackupError
    from qa_monitor.storage.backup import list_backups, preview

    plan = _plan(path)
    if plan is None:
        return BAD_INPUT
    found = list_backups(path, plan.folder)
    if not found:
        print(f"No backups of '{path}' in '{plan.folder}' yet. Make one with: qa-monitor backup")
        return OK
    for file, _made in found:
        try:
            print_preview(preview(file))
        except BackupError as exc:
            print(str(exc))
    return OK


def run_restore(path: Path, backup: Path, *, yes: bool) -> int:
    from qa_monitor.services.backup_service import BackupError, restore_backup
    from qa_monitor.storage.backup import default_folder, preview

    try:
        print_preview(preview(backup))
    except BackupError as exc:
        _err(str(exc))
        return BAD_INPUT
    if not yes:
        print(f"Nothing was restored. To replace '{path}' by this backup, add --yes.")
        return BAD_INPUT
    folder = _backup_folder(path) or default_folder(path)
    try:
        result = restore_backup(path, backup, folder)
    except BackupError as exc:
        _err(str(exc))
        return BAD_INPUT
    if result.kept_as is not None:
        print(f"The database as it was before is kept as '{result.kept_as}'.")
    print(f"Restored '{path}' from '{backup}'.")
    return OK


def _backup_folder(path: Path) -> Path | None:
    """The folder chosen in the database's settings, when the database can be read."""
    from qa_monitor.services.backup_service import FOLDER_KEY
    from qa_monitor.storage.health import open_read_only

    try:
        conn = open_read_only(path)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", [FOLDER_KEY]).fetchone()
        finally:
            conn.close()
    except Exception:
        return None
    return Path(row[0]).expanduser() if row else None


def run_archive_export(path: Path, target: Path, *, force: bool) -> int:
    from qa_monitor.services import Services, StorageError
    from qa_monitor.storage.archive import ArchiveError, export_archive

    if target.exists() and not force:
        _err(f"'{target}' already exists. Add --force to replace it, or choose another name.")
        return BAD_INPUT
    try:
        services = Services.open(path)
    except StorageError as exc:
        _err(str(exc))
        return BAD_INPUT
    with services:
        try:
            manifest = export_archive(services.db, target)
        except ArchiveError as exc:
            _err(str(exc))
            return BAD_INPUT
    _print_tables(manifest.tables)
    print(f"Archived '{path}' to '{target}' (digest {manifest.digest}).")
    return OK


def _print_tables(tables) -> None:
    for name, info in tables.items():
        print(f"  {name:<16} {info.rows:>12,}  {info.sha256[:16]}")


def run_archive_import(args: argparse.Namespace) -> int:
    from qa_monitor.storage.archive import import_archive
    from qa_monitor.storage.errors import StorageError

    path = _database(args, must_exist=False)
    assert path is not None
    if not path.parent.is_dir():
        _err(
            f"Cannot create a database at '{path}': the folder '{path.parent}' does not exist. "
            "Create the folder first, or choose another path."
        )
        return BAD_INPUT
    try:
        manifest = import_archive(args.file, path)
    except StorageError as exc:  # a bad archive, or a target that is damaged or empty
        _err(str(exc))
        return BAD_INPUT
    _print_tables(manifest.tables)
    print(f"Imported '{args.file}' into '{path}' (digest {manifest.digest}, checked).")
    return OK
