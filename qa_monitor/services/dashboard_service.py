"""The supervisor dashboard's figures for the UI, safe to call from a worker thread.

Rules:
- Every call opens its own read-only connection and closes it before returning: an
  SQLite connection belongs to the thread that opened it, so a call made from a worker
  thread never shares one with the GUI thread (or with another worker).
- A call given a ``CancelToken`` stops soon after the token is cancelled, from any
  thread, and raises ``Cancelled`` (``services.cancellation``). A superseded refresh
  thus frees its worker in milliseconds instead of finishing queries nobody will look
  at.
- Nothing here knows about Qt; results are the frozen dataclasses of
  ``reports.analytics``.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, cast

import sqlite_utils

from qa_monitor.core.forms import Category
from qa_monitor.reports import analytics
from qa_monitor.reports.analytics import Dashboard, DashboardFilter
from qa_monitor.services.cancellation import Cancelled, CancelToken, run_readonly
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


@dataclass(frozen=True, slots=True)
class CentreCalendar:
    """What the dashboard needs of the centre's settings to date its periods."""

    week_start: int
    timezone: str


class DashboardService:
    """Dashboard queries over the database file at ``db_path``."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)

    def _run(self, work: Callable[[sqlite_utils.Database], T], cancel: CancelToken | None) -> T:
        return run_readonly(self.db_path, work, cancel)

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
