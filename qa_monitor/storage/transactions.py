"""Write transactions that take the write lock first and cannot be starved.

Rules (CONVENTIONS.md, "Data that lasts and travels"):

- Every write transaction starts with ``BEGIN IMMEDIATE``. A deferred ``BEGIN`` that
  reads first and writes later fails at once with ``SQLITE_BUSY_SNAPSHOT`` when another
  connection commits in between (WAL), and the busy timeout cannot help it.
  ``Database.atomic()`` (sqlite-utils' helper, used by every repository) comes here, and
  the connection's implicit transactions are IMMEDIATE too (``Database.configure``).
- The wait for the write lock is ours, not SQLite's busy handler: that handler sleeps up
  to 100 ms between tries, so a writer that commits in chunks with a short pause between
  them (an import) would win the lock again and again while a submit sleeps. We retry
  every few milliseconds instead, and long writers pause ``CHUNK_PAUSE_S`` between
  chunks (``yield_to_waiting_writers``), so a short write waits for one chunk at most.
- The wait is bounded by ``Database.write_wait_s`` (30 s unless a caller sets it); past
  it, ``DatabaseBusyError`` says which file is busy and what to do. On its own thread
  the GUI waits 50 ms at most, then shows that it waits and retries from a timer.
- Nested blocks become savepoints of the open transaction.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Concatenate, ParamSpec, Protocol, TypeVar

from qa_monitor.storage.errors import DatabaseBusyError, translate_sqlite_error

if TYPE_CHECKING:
    from qa_monitor.storage.database import Database

# Between tries for the write lock: short enough to see a long writer's pause between
# two chunks, long enough not to spin.
_RETRY_S = (0.001, 0.002, 0.004)
# A long writer's pause after each chunk, so a waiting writer takes the lock.
CHUNK_PAUSE_S = 0.02
# The busy timeout of ordinary statements (reads during a checkpoint, the WAL index).
BUSY_TIMEOUT_MS = 5000

P = ParamSpec("P")
R = TypeVar("R")


class _HasDb(Protocol):
    db: Database


_Repo = TypeVar("_Repo", bound=_HasDb)


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` says another connection holds the lock (SQLITE_BUSY/LOCKED)."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def begin_immediate(db: Database) -> None:
    """Start a write transaction, waiting (at most ``db.write_wait_s``) for the lock.

    Raises DatabaseBusyError when the lock stays taken past the wait."""
    conn = db.conn
    deadline = time.monotonic() + db.write_wait_s
    tries = 0
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not is_busy(exc):
                    translated = translate_sqlite_error(exc, db.path)
                    if translated is exc:
                        raise
                    raise translated from exc
                if time.monotonic() >= deadline:
                    raise DatabaseBusyError(db.path) from exc
            time.sleep(_RETRY_S[min(tries, len(_RETRY_S) - 1)])
            tries += 1
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One ``BEGIN IMMEDIATE`` transaction, committed on success and rolled back on any
    error; inside an open transaction, a savepoint of it."""
    conn = db.conn
    if conn.in_transaction:
        name = f"qa_write_{id(conn)}_{time.monotonic_ns()}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            # An error may have ended the whole transaction already (a RAISE(ROLLBACK)).
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    begin_immediate(db)
    try:
        yield db
    except BaseException as exc:
        _rollback(db)
        translated = _translated(exc, db)
        if translated is exc:
            raise
        raise translated from exc
    try:
        conn.execute("COMMIT")
    except BaseException as exc:
        _rollback(db)
        translated = _translated(exc, db)
        if translated is exc:
            raise
        raise translated from exc


def _rollback(db: Database) -> None:
    # A failed disk may refuse the rollback too; SQLite rolls back on the next open.
    with suppress(sqlite3.Error):
        db.conn.rollback()


def _translated(exc: BaseException, db: Database) -> BaseException:
    """Storage-level sqlite3 errors become sentences; everything else stays as it is."""
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) and not isinstance(
        exc, sqlite3.IntegrityError | sqlite3.ProgrammingError
    ):
        return translate_sqlite_error(exc, db.path)
    return exc


def yield_to_waiting_writers() -> None:
    """Called by a long writer between two committed chunks: another process or thread
    waiting for the write lock takes it now (see the module rules)."""
    time.sleep(CHUNK_PAUSE_S)


def writes(method: Callable[Concatenate[_Repo, P], R]) -> Callable[Concatenate[_Repo, P], R]:
    """Run a repository method in a write transaction of ``self.db`` (a savepoint when
    the caller has one open): its checks read under the write lock, and its wait for
    the lock is the fair one above, not SQLite's busy handler."""

    @functools.wraps(method)
    def wrapper(self: _Repo, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with write_transaction(self.db):
            return method(self, *args, **kwargs)

    return wrapper
