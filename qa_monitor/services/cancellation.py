"""Read-only connections whose queries another thread can stop.

Rules:
- A ``CancelToken`` is set once, from any thread. ``readonly_connection(path, token)``
  opens a read-only connection for the calling thread (an SQLite connection belongs to
  the thread that opened it) and attaches it to the token: cancelling then aborts the
  running statement (``Connection.interrupt()``, within about a millisecond), every
  later statement refuses to start, and the work raises ``Cancelled``.
- Not a progress handler: calling into Python every few thousand SQLite steps makes the
  worker wait for the GUI thread's GIL each time and slows every query.
- A token can hold several connections (work split over threads); cancelling stops all.
- SQLite ignores an interrupt while no statement is running, so a cancel that lands
  between two statements would miss a long one starting just then: the token repeats
  the interrupt every few milliseconds while connections are still attached (until the
  work lets go of them; every later statement refuses to start anyway).
- A storage failure while reading (a damaged, unreadable or locked file) is raised as
  the ``StorageFailure`` that names the file and says what to do, as on the app's own
  connection, so a background view shows that sentence and not SQLite's words.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import sqlite_utils

from qa_monitor.storage.analytics_queries import open_readonly
from qa_monitor.storage.errors import translate_sqlite_error

__all__ = ["CancelToken", "Cancelled", "readonly_connection", "run_readonly"]
T = TypeVar("T")
REPEAT_EVERY_S, REPEAT_FOR_S = 0.005, 5.0  # interrupts repeated after a cancel


class Cancelled(Exception):
    """The work was cancelled before it finished (its result would be stale)."""


class CancelToken:
    """Set once, from any thread, to stop the work that was given this token."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._connections: set[sqlite3.Connection] = set()

    def cancel(self) -> None:
        if self._event.is_set():
            return
        self._event.set()
        if self._interrupt_attached():
            # SQLite ignores an interrupt while no statement runs, so one that lands
            # just before a statement starts would be lost: repeat it until the work
            # lets go of its connections.
            threading.Thread(target=self._keep_interrupting, daemon=True).start()

    def _interrupt_attached(self) -> bool:
        with self._lock:
            for conn in self._connections:
                conn.interrupt()  # safe from another thread: aborts the running statement
            return bool(self._connections)

    def _keep_interrupting(self) -> None:
        for _ in range(int(REPEAT_FOR_S / REPEAT_EVERY_S)):
            time.sleep(REPEAT_EVERY_S)
            if not self._interrupt_attached():
                return

    def attach(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            self._connections.add(conn)
        if self.cancelled:
            conn.interrupt()

    def detach(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            self._connections.discard(conn)

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` if cancelled."""
        if self._event.is_set():
            raise Cancelled("superseded by a newer request")


class _CancellableConnection(sqlite3.Connection):
    """A connection whose statements refuse to start once its token is cancelled (an
    interrupt only stops a statement already running)."""

    token: CancelToken | None = None

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        if self.token is not None:
            self.token.check()
        return super().execute(sql, parameters)


@contextmanager
def readonly_connection(
    path: str | Path, cancel: CancelToken | None = None
) -> Iterator[sqlite_utils.Database]:
    """A read-only database on ``path`` for this thread, closed on exit; with ``cancel``,
    stopped by it (raising ``Cancelled``)."""
    if cancel is not None:
        cancel.check()
    try:
        db = open_readonly(path, factory=_CancellableConnection)
    except sqlite3.Error as exc:
        translated = translate_sqlite_error(exc, path)
        if translated is exc:
            raise
        raise translated from exc
    conn = cast(_CancellableConnection, db.conn)
    if cancel is not None:
        conn.token = cancel
        cancel.attach(conn)
    try:
        yield db
    except sqlite3.Error as exc:
        if cancel is not None and cancel.cancelled:  # "interrupted"
            raise Cancelled("superseded by a newer request") from exc
        # A storage failure (damaged, locked, unreadable) in the words every other
        # storage error uses; anything else (a bug) stays as it is, for the log.
        translated = translate_sqlite_error(exc, path)
        if translated is exc:
            raise
        raise translated from exc
    finally:
        if cancel is not None:
            cancel.detach(conn)
        conn.close()


def run_readonly(
    path: str | Path, work: Callable[[sqlite_utils.Database], T], cancel: CancelToken | None = None
) -> T:
    """``work(db)`` on a read-only connection (see ``readonly_connection``); a result
    finished after the token was cancelled is stale too: ``Cancelled``."""
    with readonly_connection(path, cancel) as db:
        result = work(db)
    if cancel is not None:
        cancel.check()
    return result
