"""Opening (or creating) a QA Monitor database file.

Every connection gets WAL journaling (readers never block the writer), foreign keys
on, a 5 s busy timeout and ``synchronous=NORMAL``. Every write transaction starts
with ``BEGIN IMMEDIATE``: ``atomic()`` and the connection's implicit transactions both
(``storage/transactions.py`` says why and how the wait for the lock works).

Durability (docs/durability.md has the measurements): with WAL, ``NORMAL`` never
corrupts the file, but a commit is only made durable at the next checkpoint, so a
power cut (not a crash of the app: the WAL survives that) can undo the last few
commits. A submit is what a reviewer must never lose, so ``submit`` and
``edit_submitted`` commit with ``synchronous=FULL`` (``durable``); drafts, imports and
syncs keep ``NORMAL``: an autosave is repeated a second later, and an import or a sync
can be run again. Opening applies pending migrations and refuses files it must not touch:
a file that is not SQLite, an SQLite file of another program, a database
written by a newer QA Monitor, an empty (0-byte) file, which is a lost database
rather than a new one, and a database SQLite's ``quick_check`` finds damaged
(``storage/health.py``; time-boxed on large files, so opening never hangs).

A connection belongs to the thread that opened it: a worker thread opens its own
with ``open_database(db.path)``.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from qa_monitor.storage.errors import (
    DamagedDatabaseError,
    DatabaseOpenError,
    NotADatabaseError,
    SchemaTooNewError,
    StorageError,
    StorageFailure,
    translate_sqlite_error,
)
from qa_monitor.storage.evidence import arm as arm_evidence
from qa_monitor.storage.health import HealthReport, open_check_seconds, run_check
from qa_monitor.storage.migrations import MIGRATIONS, known_names
from qa_monitor.storage.transactions import BUSY_TIMEOUT_MS, write_transaction

log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"
# "QAMo": marks the file as ours for tools such as `file` and for the check below.
APPLICATION_ID = 0x51414D6F


class Database(sqlite_utils.Database):
    """An open QA Monitor database; create it with ``open_database``."""

    def __init__(self, path: Path):
        super().__init__(path, execute_plugins=False)
        self.path = path
        # What quick_check found when the file was opened (None before it ran).
        self.health: HealthReport | None = None
        # How long a write waits for another connection's write lock (seconds); the GUI
        # thread waits only a moment and shows that it waits (evaluate_screen.py).
        self.write_wait_s = 30.0

    def configure(self) -> None:
        # Python opens an implicit transaction before a DML statement; make it take the
        # write lock at once (sqlite-utils' own inserts use these).
        self.conn.isolation_level = "IMMEDIATE"
        for pragma in (
            f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
            "PRAGMA foreign_keys = ON",
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
        ):
            self.conn.execute(pragma).fetchall()

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """A ``BEGIN IMMEDIATE`` write transaction (a savepoint when one is open)."""
        with write_transaction(self):
            yield self

    @contextmanager
    def durable(self) -> Iterator[Database]:
        """A write transaction whose commit is on disk before it returns
        (``synchronous=FULL`` for this commit only; see the module docstring)."""
        if self.conn.in_transaction:
            with write_transaction(self):
                yield self
            return
        self.conn.execute("PRAGMA synchronous = FULL")
        try:
            with write_transaction(self):
                yield self
        finally:
            self.conn.execute("PRAGMA synchronous = NORMAL")

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
        raise _open_error(exc, path) from exc
    try:
        db.configure()
        _refuse_damaged(db)
        _migrate(db)
        _repair_stale_rollups(db)
        arm_evidence(db.conn)
    except sqlite3.OperationalError as exc:
        db.close()
        if _damage_words(exc):
            raise damaged_error(path) from exc
        raise _open_error(exc, path) from exc
    except sqlite3.DatabaseError as exc:
        # The header said SQLite (_check_file), so a file SQLite cannot read is damaged.
        db.close()
        raise damaged_error(path) from exc
    except UnicodeDecodeError as exc:
        # Garbage where SQLite keeps the schema's text: the file is damaged.
        db.close()
        raise damaged_error(path) from exc
    except BaseException:
        db.close()
        raise
    return db


def pending_upgrades(path: str | Path) -> list[str]:
    """The upgrade steps (migrations) opening the existing database at ``path`` would
    run, read without writing; [] for a new, empty, foreign or unreadable file (opening
    it says what is wrong). The app runs a pending upgrade on a worker thread with a
    busy window: on a large database it takes minutes."""
    path = Path(path).expanduser()
    try:
        if path.stat().st_size == 0:
            return []
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return []
    try:
        table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            [MIGRATIONS.migrations_table],
        ).fetchone()
        if table is None:
            return []
        applied = {
            row[0]
            for row in conn.execute(
                f"SELECT name FROM [{MIGRATIONS.migrations_table}] WHERE migration_set = ?",
                [MIGRATIONS.name],
            )
        }
    except sqlite3.Error:
        return []
    finally:
        conn.close()
    return [name for name in known_names() if name not in applied] if applied else []


def _refuse_damaged(db: Database) -> None:
    """Run the time-boxed quick_check; a damaged file is closed and refused, so no new
    work goes into a file that may lose it."""
    db.health = run_check(db.conn, seconds=open_check_seconds(db.path))
    if not db.health.complete:
        log.info(
            "%s: quick_check stopped after %.1f s (not fully checked)", db.path, db.health.seconds
        )
    if db.health.damaged:
        raise damaged_error(db.path)


def damaged_error(path: Path) -> DamagedDatabaseError:
    """The sentence for a damaged database: what happened, that nothing was written, and
    which backup to restore."""
    from qa_monitor.storage.backup import newest_backup

    newest = newest_backup(path)
    if newest is None:
        message = (
            f"The database '{path}' is damaged, so QA Monitor did not open it and wrote "
            "nothing to it. Restore it from a backup copy (Database ▸ Restore backup, or "
            "qa-monitor restore FILE), or ask for help with the file kept as it is."
        )
    else:
        message = (
            f"The database '{path}' is damaged, so QA Monitor did not open it and wrote "
            f"nothing to it. Restore the newest backup, '{newest}' (Database ▸ Restore "
            f'backup, or qa-monitor --db "{path}" restore "{newest}").'
        )
    return DamagedDatabaseError(str(path), message, None if newest is None else str(newest))


def _damage_words(exc: sqlite3.Error) -> bool:
    """Whether SQLite's error means the file itself is damaged (a header SQLite cannot
    read says "unsupported file format")."""
    text = str(exc).lower()
    return any(w in text for w in ("file format", "malformed", "not a database", "corrupt"))


def _open_error(exc: sqlite3.Error, path: Path) -> StorageError:
    """A full disk, a read-only file or folder, a busy or failing drive: its sentence
    (StorageFailure); anything else: DatabaseOpenError with SQLite's words."""
    translated = translate_sqlite_error(exc, path)
    if isinstance(translated, StorageFailure):
        return translated
    return DatabaseOpenError(f"Cannot open '{path}': {exc}.")


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
        if not header:
            raise NotADatabaseError(_empty_file_message(path))
        if header != SQLITE_HEADER[: len(header)]:
            raise NotADatabaseError(
                f"'{path}' is not a QA Monitor database (it is not an SQLite file). "
                "Choose another file."
            )
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseOpenError(f"Cannot create the folder for '{path}': {exc.strerror}.") from exc


def _empty_file_message(path: Path) -> str:
    """An empty file where a database should be is a lost database (a failed copy, a
    disk that filled up), never a new one: replacing it silently would hide the loss."""
    from qa_monitor.storage.backup import newest_backup

    newest = newest_backup(path)
    if newest is not None:
        return (
            f"The database file '{path}' is empty (0 bytes), so its data is missing; "
            f"QA Monitor left it as it is. Restore the newest backup, '{newest}' "
            f'(qa-monitor --db "{path}" restore "{newest}"), or delete the empty file to '
            "start a new database."
        )
    return (
        f"The database file '{path}' is empty (0 bytes), so its data is missing; QA "
        "Monitor left it as it is. Restore it from a backup copy, or delete the empty "
        "file to start a new database."
    )


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
