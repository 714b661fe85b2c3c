"""Backup copies of a live database, their preview, and restoring one.

A copy is made with SQLite's online backup API in one step, inside one read
transaction: it holds every committed row, also those still in the WAL that a plain
file copy misses, while other connections keep writing. It is written under a
temporary name, switched to a single self-contained file (``journal_mode=DELETE``),
checked with ``quick_check``, fsynced, and only then renamed to its final name, so a
backup that exists is complete and readable; a crash leaves at most a ``.partial`` file,
which the next backup removes.

Restoring a healthy database copies the backup into it with the same API, inside the
destination's own write transaction: a crash leaves the database as it was before,
never half-restored. A damaged database is first copied aside as it is, then replaced
by an atomic rename of a checked copy of the backup.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from qa_monitor.storage.errors import StorageError
from qa_monitor.storage.health import open_read_only, run_check

PARTIAL = ".partial"
_STAMP = "%Y%m%d-%H%M%S"


class BackupError(StorageError):
    """A backup could not be written, read or restored (the message says what to do)."""


@dataclass(frozen=True)
class BackupPreview:
    """What a backup file holds, read without changing it."""

    path: Path
    made_at: datetime | None
    size: int
    forms: int
    agents: int
    reviewers: int
    evaluations: int
    newest_evaluation: str | None
    schema_version: int


def default_folder(db_path: Path) -> Path:
    """Beside the database: for the default database, the data directory's backups."""
    return db_path.expanduser().resolve().parent / "backups"


def backup_name(db_path: Path, made_at: datetime, reason: str = "") -> str:
    tail = f"-{reason}" if reason else ""
    return f"{db_path.stem}-{made_at.strftime(_STAMP)}{tail}.db"


def _pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(db_path.stem)}-(\d{{8}}-\d{{6}})(-[a-z-]+)?\.db$")


def list_backups(db_path: Path, folder: Path) -> list[tuple[Path, datetime]]:
    """The backups of ``db_path`` in ``folder``, newest first (by the time in the name)."""
    if not folder.is_dir():
        return []
    pattern = _pattern(db_path)
    found = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if match and entry.is_file():
            found.append((entry, datetime.strptime(match.group(1), _STAMP)))
    return sorted(found, key=lambda item: (item[1], item[0].name), reverse=True)


def newest_backup(db_path: Path, folder: Path | None = None) -> Path | None:
    found = list_backups(db_path, folder or default_folder(db_path))
    return found[0][0] if found else None


def prune(db_path: Path, folder: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest backups of ``db_path`` in ``folder``."""
    removed = []
    for path, _made in list_backups(db_path, folder)[max(keep, 1) :]:
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder; its renames are durable already
        return
    _fsync(folder)


# A cancellable copy goes this many pages (4 MiB) per step.
STEP_PAGES = 1024
Progress = Callable[[int, int], None]


def _copy_checked(
    source: sqlite3.Connection, target: Path, progress: Progress | None = None
) -> None:
    """Copy ``source`` into a new self-contained, checked, fsynced file ``target``.

    Without ``progress`` the copy is one step, one consistent snapshot however busy the
    database is. With it, the copy goes in steps and calls ``progress(done, total)``
    pages after each (raising there stops the copy); SQLite restarts a stepped copy when
    another connection writes meanwhile, so use it only when nothing else writes (as
    when the app closes)."""
    target.unlink(missing_ok=True)
    dest = sqlite3.connect(target)
    try:
        if progress is None:
            source.backup(dest)
        else:
            source.backup(
                dest,
                pages=STEP_PAGES,
                progress=lambda _status, remaining, total: progress(total - remaining, total),
            )
        dest.execute("PRAGMA journal_mode = DELETE").fetchall()
        report = run_check(dest)
        if report.damaged:
            raise BackupError(
                f"The copy written to '{target}' did not pass SQLite's check, so it was not "
                "kept. Check the database with: qa-monitor check"
            )
    finally:
        dest.close()
    _fsync(target)


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):  # an unusable folder: there is nothing to remove
        path.unlink(missing_ok=True)


def write_backup(
    source: sqlite3.Connection, target: Path, progress: Progress | None = None
) -> Path:
    """Copy the open database ``source`` to ``target`` (never half-written)."""
    partial = target.with_name(target.name + PARTIAL)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy_checked(source, partial, progress)
        os.replace(partial, target)
        _fsync_folder(target.parent)
    except sqlite3.Error as exc:
        _discard(partial)
        raise BackupError(
            f"The backup '{target}' could not be written ({_words(exc)}). Check that the "
            "folder exists, that you may write to it and that the disk has room."
        ) from exc
    except OSError as exc:
        _discard(partial)
        raise BackupError(
            f"The backup '{target}' could not be written: {exc.strerror or exc}. Check that "
            "the folder exists, that you may write to it and that the disk has room."
        ) from exc
    except BaseException:
        _discard(partial)
        raise
    return target


def _words(exc: sqlite3.Error) -> str:
    text = str(exc).lower()
    if "full" in text:
        return "the disk is full"
    if "readonly" in text or "read-only" in text:
        return "the file or folder is read-only"
    if "locked" in text or "busy" in text:
        return "another program is using it"
    if "malformed" in text or "not a database" in text:
        return "the database is damaged"
    return "SQLite could not finish the copy"


def remove_partials(folder: Path) -> None:
    """Remove ``.partial`` files a crash left in ``folder``."""
    if folder.is_dir():
        for entry in folder.glob(f"*{PARTIAL}"):
            entry.unlink(missing_ok=True)


def preview(path: Path) -> BackupPreview:
    """Read what the backup at ``path`` holds; BackupError if it is not a usable one."""
    from qa_monitor.storage.database import APPLICATION_ID, SQLITE_HEADER

    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BackupError(f"Cannot read the backup '{path}': {exc.strerror or exc}.") from exc
    if header != SQLITE_HEADER:
        raise BackupError(
            f"'{path}' is not a QA Monitor backup (it is not an SQLite file). Choose another file."
        )
    try:
        conn = open_read_only(path)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise BackupError(
                    f"'{path}' is an SQLite file of another program, not a QA Monitor backup. "
                    "Choose another file."
                )

            def count(sql: str) -> int:
                return int(conn.execute(sql).fetchone()[0])

            newest = conn.execute("SELECT max(interaction_date) FROM evaluations").fetchone()[0]
            result = BackupPreview(
                path=path,
                made_at=_made_at(path),
                size=path.stat().st_size,
                forms=count("SELECT count(*) FROM forms"),
                agents=count("SELECT count(*) FROM agents"),
                reviewers=count("SELECT count(*) FROM reviewers"),
                evaluations=count("SELECT count(*) FROM evaluations WHERE status <> 'draft'"),
                newest_evaluation=newest,
                schema_version=count(
                    "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = 'qa_monitor'"
                ),
            )
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        words = _words(exc) if isinstance(exc, sqlite3.Error) else "the file is damaged"
        raise BackupError(
            f"The backup '{path}' cannot be read ({words}). Choose another backup."
        ) from exc
    return result


def _made_at(path: Path) -> datetime | None:
    match = re.search(r"-(\d{8}-\d{6})(-[a-z-]+)?\.db$", path.name)
    if match:
        return datetime.strptime(match.group(1), _STAMP)
    return datetime.fromtimestamp(path.stat().st_mtime)


def verify_backup(path: Path) -> None:
    """Raise BackupError unless ``path`` passes SQLite's full check."""
    try:
        conn = open_read_only(path)
    except sqlite3.Error as exc:
        raise BackupError(f"The backup '{path}' cannot be opened. Choose another backup.") from exc
    try:
        report = run_check(conn, full=True)
    finally:
        conn.close()
    if report.damaged:
        raise BackupError(
            f"The backup '{path}' is damaged itself ({len(report.problems)} problems found), "
            "so nothing was restored. Choose an older backup."
        )


def restore_into(backup: Path, live: sqlite3.Connection) -> None:
    """Replace the content of the healthy, open database ``live`` with ``backup``'s, in
    one write transaction of ``live`` (all or nothing)."""
    source = open_read_only(backup)
    try:
        source.backup(live)
    finally:
        source.close()


def replace_damaged(backup: Path, db_path: Path, aside: Path) -> None:
    """Put a damaged ``db_path`` (and its WAL) aside as ``aside``, then rename a checked
    copy of ``backup`` into its place. At every moment ``db_path`` is either the damaged
    file or the complete backup; ``aside`` keeps the damaged one for an expert."""
    wal, shm = (db_path.with_name(db_path.name + s) for s in ("-wal", "-shm"))
    aside.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(db_path, aside)
    if wal.exists():
        shutil.copyfile(wal, aside.with_name(aside.name + "-wal"))
    _fsync(aside)
    staged = db_path.with_name(db_path.name + ".restoring")
    source = open_read_only(backup)
    try:
        _copy_checked(source, staged)
    finally:
        source.close()
    # An old WAL would be replayed onto the new file: it goes before the rename.
    wal.unlink(missing_ok=True)
    shm.unlink(missing_ok=True)
    os.replace(staged, db_path)
    _fsync_folder(db_path.parent)
