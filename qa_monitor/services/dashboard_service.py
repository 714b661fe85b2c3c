"""The supervisor dashboard's figures for the UI, safe to call from a worker thread.

Rules:
- Every call opens its own read-only connection and closes it before returning: an
  SQLite connection belongs to the thread that opened it, so a call made from a worker
  thread never shares one with the GUI thread (or with another worker).
- A call given a ``CancelToken`` stops soon after the token is cancelled, from any
  thread: ``Connection.interrupt()`` aborts the running SQLite statement, every later
  statement refuses to start, and the call raises ``Cancelled``. A superseded refresh
  thus frees its worker in milliseconds instead of finishing queries nobody will look
  at. (Not a progress handler: calling into Python every few thousand SQLite steps
  makes the worker wait for the GUI thread's GIL each time and slows every query.)
- Nothing here knows about Qt; results are the frozen dataclasses of
  ``reports.analytics``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import sqlite_utils

from qa_monitor.core.forms import Category
from qa_monitor.reports import analytics
from qa_monitor.reports.analytics import Dashboard, DashboardFilter
from qa_monitor.storage.analytics_lookups import Choice, FilterChoices, filter_choices
from qa_monitor.storage.database import Database
from qa_monitor.storage.settings_repo import SettingsRepo

__all__ = [
    "CancelToken",
    "Cancelled",
    "CentreCalendar",
    "Choice",
    "Dashboard",
    "DashboardFilter",
    "DashboardService",
    "FilterChoices",
]
T = TypeVar("T")


class Cancelled(Exception):
    """The work was cancelled before it finished (its result would be stale)."""


class CancelToken:
    """Set once, from any thread, to stop the work that was given this token."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._connections: set[sqlite3.Connection] = set()

    def cancel(self) -> None:
        self._event.set()
        with self._lock:
            for conn in self._connections:
                conn.interrupt()  # safe from another thread: aborts the running statement

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


@dataclass(frozen=True, slots=True)
class CentreCalendar:
    """What the dashboard needs of the centre's settings to date its periods."""

    week_start: int
    timezone: str


class DashboardService:
    """Dashboard queries over the database file at ``db_path``."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)

    @contextmanager
    def _connection(self, cancel: CancelToken | None = None) -> Iterator[sqlite_utils.Database]:
        if cancel is not None:
            cancel.check()
        db = analytics.open_readonly(self.db_path, factory=_CancellableConnection)
        conn = cast(_CancellableConnection, db.conn)
        if cancel is not None:
            conn.token = cancel
            cancel.attach(conn)
        try:
            yield db
        except sqlite3.OperationalError as exc:
            if cancel is not None and cancel.cancelled:  # "interrupted"
                raise Cancelled("superseded by a newer request") from exc
            raise
        finally:
            if cancel is not None:
                cancel.detach(conn)
            conn.close()

    def _run(self, work: Callable[[sqlite_utils.Database], T], cancel: CancelToken | None) -> T:
        with self._connection(cancel) as db:
            result = work(db)
        if cancel is not None:
            cancel.check()  # cancelled after its last statement: still stale
        return result

    def build(
        self,
        f: DashboardFilter,
        cancel: CancelToken | None = None,
        on_charts: Callable[[Dashboard], None] | None = None,
    ) -> Dashboard:
        """Every figure one dashboard refresh shows, for ``f``; raises ``Cancelled``
        when ``cancel`` is cancelled first. ``on_charts`` receives the charts' part
        first (see ``analytics.build_dashboard``), on the calling thread.

        The people tables are computed at the same time on a second thread and
        connection (SQLite runs without the GIL, so on two cores they are mostly ready
        when the charts are drawn); the token cancels both."""
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dashboard-people") as pool:
            people = pool.submit(self._run, lambda db: analytics.people_tables(db, f), cancel)
            try:
                charts = self._run(lambda db: analytics.dashboard_charts(db, f), cancel)
                if on_charts is not None:
                    on_charts(charts)
            except BaseException:
                people.cancel()  # the pool's exit still waits for a running part
                raise
            return analytics.with_people(charts, people.result())

    def evaluations_for_question(
        self,
        f: DashboardFilter,
        question_id: str,
        *,
        form_id: str | None = None,
        limit: int = 500,
    ) -> list[int]:
        """Ids of the evaluations in ``f`` that missed the question, newest first."""
        return self._run(
            lambda db: list(
                analytics.evaluations_for_question(db, f, question_id, form_id=form_id, limit=limit)
            ),
            None,
        )

    def evaluations_for_category(
        self, f: DashboardFilter, category: Category, *, limit: int = 500
    ) -> list[int]:
        """Ids of the evaluations in ``f`` that lost points in an area, newest first."""
        return self._run(
            lambda db: list(analytics.evaluations_for_category(db, f, category, limit=limit)),
            None,
        )

    def choices(self) -> FilterChoices:
        """Everything the filter bar offers: teams, agents, reviewers, forms, versions."""
        return self._run(filter_choices, None)

    def calendar(self) -> CentreCalendar:
        """The centre's week start and time zone (defaults until they are set)."""

        def read(db: sqlite_utils.Database) -> CentreCalendar:
            # The settings repository only reads here, through this read-only connection.
            repo = SettingsRepo(cast(Database, db))
            return CentreCalendar(repo.week_start(), repo.centre_timezone())

        return self._run(read, None)
