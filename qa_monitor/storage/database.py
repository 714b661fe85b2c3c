"""Opening (or creating) a QA Monitor database file.

Every connection gets WAL journaling (readers never block the writer), foreign keys
on, a 5 s busy timeout and ``synchronous=NORMAL`` (safe with WAL, much faster
than FULL). Opening applies pending migrations and refuses files it must not touch:
a file that is not SQLite, an SQLite file of another program, and a database
written by a newer QA Monitor.

A connection belongs to the thread that opened it: a worker thread opens its own
with ``open_database(db.path)``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from qa_monitor.storage.errors import DatabaseOpenError, NotADatabaseError, SchemaTooNewError
from qa_monitor.storage.evidence import arm as arm_evidence
from qa_monitor.storage.migrations import MIGRATIONS, known_names

SQLITE_HEADER = b"SQLite format 3\x00"
# "QAMo": marks the file as ours for tools such as `file` and for the check below.
APPLICATION_ID = 0x51414D6F


class Database(sqlite_utils.Database):
    """An open QA Monitor database; create it with ``open_database``."""

    def __init__(self, path: Path):
        super().__init__(path, execute_plugins=False)
        self.path = path

    def configure(self) -> None:
        for pragma in (
            "PRAGMA busy_timeout = 5000",
            "PRAGMA foreign_keys = ON",
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
        ):
            self.conn.execute(pragma).fetchall()

    def pragma(self, name: str) -> object:
        row = self.conn.execute(f"PRAGMA {name}").fetchone()
        return None if row is None else row[0]

    @property
    def schema_version(self) -> int:
        return len(MIGRATIONS.applied(self))


def open_database(path: str | Path) -> Database:
    """Open the database at ``path``, creating it (and its folder) if it does not exist.

    Raises NotADatabaseError, SchemaTooNewError or DatabaseOpenError with a message
    that names the file and says what to do.
    """
    path = Path(path).expanduser()
    _check_file(path)
    try:
        db = Database(path)
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"Cannot open '{path}': {exc}.") from exc
    try:
        db.configure()
        _migrate(db)
        _repair_stale_rollups(db)
        arm_evidence(db.conn)
    except sqlite3.OperationalError as exc:
        db.close()
        raise DatabaseOpenError(f"Cannot open '{path}': {exc}.") from exc
    except sqlite3.DatabaseError as exc:
        db.close()
        raise NotADatabaseError(
            f"'{path}' is not a QA Monitor database or is damaged ({exc}). "
            "Choose another file, or restore it from a backup."
        ) from exc
    except BaseException:
        db.close()
        raise
    return db


def _repair_stale_rollups(db: Database) -> None:
    """A first sync killed while the roll-up triggers were off left them stale: rebuild
    them before anything reads the dashboard (storage/sync_apply.py)."""
    from qa_monitor.storage.sync_apply import end_bulk, rollups_stale

    if rollups_stale(db):
        end_bulk(db)


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise DatabaseOpenError(f"'{path}' is a folder; choose a database file.")
    if path.exists():
        try:
            with path.open("rb") as f:
                header = f.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise DatabaseOpenError(f"Cannot read '{path}': {exc.strerror}.") from exc
        if header and header != SQLITE_HEADER[: len(header)]:
            raise NotADatabaseError(
                f"'{path}' is not a QA Monitor database (it is not an SQLite file). "
                "Choose another file."
            )
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseOpenError(f"Cannot create the folder for '{path}': {exc.strerror}.") from exc


def _migrate(db: Database) -> None:
    known = known_names()
    applied = [m.name for m in MIGRATIONS.applied(db)]
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise SchemaTooNewError(str(db.path), len(applied), len(known), unknown)
    if not applied and _foreign(db):
        raise NotADatabaseError(
            f"'{db.path}' is an SQLite database of another program, not a QA Monitor "
            "database. Choose another file, or a new file name to start a new database."
        )
    if len(applied) == len(known):
        return
    # IMMEDIATE takes the write lock first, so two windows opening a new file at
    # once cannot both run the same migration; each migration nests as a savepoint.
    db.execute("BEGIN IMMEDIATE")
    try:
        MIGRATIONS.apply(db)
        db.execute(f"PRAGMA user_version = {len(known)}")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    except BaseException:
        db.rollback()
        raise
    db.commit()


def _foreign(db: Database) -> bool:
    """Whether the file already holds tables and is not marked as ours."""
    if db.pragma("application_id") == APPLICATION_ID:
        return False
    return bool(db.table_names())
