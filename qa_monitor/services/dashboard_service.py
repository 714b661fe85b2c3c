"""The supervisor dashboard's figures for the UI, safe to call from a worker thread.

Rules:
- Every call opens its own read-only connection and closes it before returning: an
  SQLite connection belongs to the thread that opened it, so a call made from a worker
  thread never shares one with the GUI thread (or with another worker).
- Nothing here knows about Qt; results are the frozen dataclasses of
  ``reports.analytics``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from qa_monitor.reports import analytics
from qa_monitor.reports.analytics import Dashboard, DashboardFilter

__all__ = ["Dashboard", "DashboardFilter", "DashboardService"]


class DashboardService:
    """Dashboard queries over the database file at ``db_path``."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)

    @contextmanager
    def _connection(self) -> Iterator[sqlite_utils.Database]:
        db = analytics.open_readonly(self.db_path)
        try:
            yield db
        finally:
            db.conn.close()

    def build(self, f: DashboardFilter) -> Dashboard:
        """Every figure one dashboard refresh shows, for ``f``."""
        with self._connection() as db:
            return analytics.build_dashboard(db, f)

    def evaluations_for_question(
        self,
        f: DashboardFilter,
        question_id: str,
        *,
        form_id: str | None = None,
        limit: int = 500,
    ) -> list[int]:
        """Ids of the evaluations in ``f`` that missed the question, newest first."""
        with self._connection() as db:
            return list(
                analytics.evaluations_for_question(db, f, question_id, form_id=form_id, limit=limit)
            )
