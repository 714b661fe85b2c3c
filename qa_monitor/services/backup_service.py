"""Rolling backups of a database, "Back up now", and restoring a chosen backup.

Rules:
- Backups go to the folder chosen in Settings (``backup.folder``), else to the
  ``backups`` folder beside the database (for the default database, the data
  directory's). Each is a complete, checked SQLite file named
  ``<database>-<YYYYmmdd-HHMMSS>[-reason].db``.
- The ``backup.keep`` newest (default 7) are kept; older ones are deleted after a new
  one is written, never before.
- A backup is made when the app closes, and when it opens if the newest is older than
  a day (``backup_if_due``).
- Restoring first keeps the current database as a backup ("before-restore"; a
  damaged one is copied aside as it is, "damaged"), then puts the chosen backup in
  its place all at once (storage/backup.py), so a crash leaves either the old
  database or the restored one.

A backup runs on its own connection, so a worker thread can run it while the window
keeps its own (``BackupPlan`` carries what the worker needs).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from qa_monitor.services.common import Changes
from qa_monitor.storage.backup import (
    BackupError,
    BackupPreview,
    backup_name,
    default_folder,
    list_backups,
    newest_backup,
    preview,
    prune,
    remove_partials,
    replace_damaged,
    restore_into,
    verify_backup,
    write_backup,
)
from qa_monitor.storage.database import Database
from qa_monitor.storage.health import check_file
from qa_monitor.storage.migrations import known_names
from qa_monitor.storage.settings_repo import SettingsRepo

FOLDER_KEY = "backup.folder"
KEEP_KEY = "backup.keep"
DEFAULT_KEEP = 7
MAX_KEEP = 365
DAILY = timedelta(days=1)

__all__ = [
    "BackupError",
    "BackupPlan",
    "BackupPreview",
    "BackupService",
    "RestoreResult",
    "back_up",
    "default_folder",
    "list_backups",
    "newest_backup",
    "preview",
    "restore_backup",
]


@dataclass(frozen=True)
class BackupPlan:
    """Where and how to back up one database: everything a worker thread needs."""

    db_path: Path
    folder: Path
    keep: int = DEFAULT_KEEP


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupPreview
    # The current database as it was, kept before it was replaced.
    kept_as: Path | None


def back_up(
    plan: BackupPlan,
    *,
    to: Path | None = None,
    reason: str = "",
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write a backup of ``plan.db_path`` (to ``to``, or into the plan's folder, then keep
    the ``keep`` newest there). Opens its own connection; raises BackupError.
    ``progress(done, total)`` makes the copy go in steps that it can stop by raising
    (storage/backup.py says when that fits)."""
    made = now or datetime.now()
    target = to or plan.folder / backup_name(plan.db_path, made, reason)
    if to is None:
        remove_partials(plan.folder)
    try:
        source = sqlite3.connect(plan.db_path, timeout=30)
    except sqlite3.Error as exc:
        raise BackupError(f"Cannot read the database '{plan.db_path}' to back it up.") from exc
    try:
        written = write_backup(source, target, progress)
    finally:
        source.close()
    if to is None:
        prune(plan.db_path, plan.folder, plan.keep)
    return written


def restore_backup(
    db_path: Path, backup: Path, folder: Path, *, now: datetime | None = None
) -> RestoreResult:
    """Replace the database at ``db_path`` by ``backup``, keeping the current one first.

    The backup must pass SQLite's full check and come from this or an older QA Monitor
    (an older one is brought up to date when the database next opens). The caller
    closes its own connections to ``db_path`` first.
    """
    made = now or datetime.now()
    shown = preview(backup)
    _refuse_newer(backup)
    verify_backup(backup)
    if not db_path.exists():
        aside = None
        _copy_into_place(backup, db_path)
    elif db_path.stat().st_size > 0 and not check_file(db_path, full=False).damaged:
        aside = folder / backup_name(db_path, made, "before-restore")
        live = sqlite3.connect(db_path, timeout=30)
        try:
            write_backup(live, aside)
            restore_into(backup, live)
        except sqlite3.Error as exc:
            raise BackupError(
                f"The backup '{backup}' could not be restored into '{db_path}', which was "
                "left as it was. Close every other QA Monitor window using it, then try again."
            ) from exc
        finally:
            live.close()
    else:
        aside = folder / backup_name(db_path, made, "damaged")
        try:
            replace_damaged(backup, db_path, aside)
        except (OSError, sqlite3.Error) as exc:
            raise BackupError(
                f"The backup '{backup}' could not be put in place of '{db_path}'. Check that "
                "you may write to its folder and that the disk has room, then try again."
            ) from exc
    return RestoreResult(shown, aside)


def _refuse_newer(backup: Path) -> None:
    from qa_monitor.storage.health import open_read_only

    conn = open_read_only(backup)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'qa_monitor'"
            )
        ]
    finally:
        conn.close()
    if set(names) - set(known_names()):
        raise BackupError(
            f"The backup '{backup}' was made by a newer version of QA Monitor. Upgrade QA "
            "Monitor, then restore it."
        )


def _copy_into_place(backup: Path, db_path: Path) -> None:
    from qa_monitor.storage.health import open_read_only

    db_path.parent.mkdir(parents=True, exist_ok=True)
    source = open_read_only(backup)
    try:
        write_backup(source, db_path)
    finally:
        source.close()


class BackupService:
    """Backups of the open database ``db``, with its settings."""

    def __init__(self, db: Database, settings: SettingsRepo, clock: Callable[[], datetime]):
        self._db = db
        self._settings = settings
        self._clock = clock

    def plan(self) -> BackupPlan:
        return BackupPlan(Path(self._db.path), self.folder(), self.keep())

    def folder(self) -> Path:
        chosen = self._settings.get(FOLDER_KEY)
        return Path(chosen).expanduser() if chosen else default_folder(Path(self._db.path))

    def keep(self) -> int:
        stored = self._settings.get(KEEP_KEY)
        return int(stored) if stored and stored.isdigit() and int(stored) >= 1 else DEFAULT_KEEP

    def set_folder(self, folder: Path | None) -> Changes:
        """Back up into ``folder`` from now on (None: the default, beside the database)."""
        with self._db.conn:
            self._settings.set(FOLDER_KEY, None if folder is None else str(folder))
        return Changes(settings=True)

    def set_keep(self, count: int) -> Changes:
        """Keep the ``count`` newest backups (1 to 365)."""
        if not 1 <= count <= MAX_KEEP:
            raise ValueError(f"keep between 1 and {MAX_KEEP} backups")
        with self._db.conn:
            self._settings.set(KEEP_KEY, str(count))
        return Changes(settings=True)

    def backups(self) -> list[tuple[Path, datetime]]:
        return list_backups(Path(self._db.path), self.folder())

    def due(self) -> bool:
        """Whether the daily backup is due: no backup yet, or the newest is a day old."""
        found = self.backups()
        now = self._clock().astimezone().replace(tzinfo=None)
        return not found or now - found[0][1] >= DAILY

    def back_up_now(self, to: Path | None = None, reason: str = "") -> Path:
        now = self._clock().astimezone().replace(tzinfo=None)
        return back_up(self.plan(), to=to, reason=reason, now=now)
