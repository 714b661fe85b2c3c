"""The evaluations list's pages for the UI, safe to call from a worker thread.

Rules:
- Every call opens its own read-only connection and closes it before returning (an
  SQLite connection belongs to the thread that opened it), as ``DashboardService``; it
  sees what the app's own connection has committed.
- A call given a ``CancelToken`` stops within milliseconds of the cancel and raises
  ``Cancelled`` (``services.cancellation``): a sort over a million evaluations by a name
  can take a second, and the next filter or sort should not wait for it.
- ``first_page`` counts and reads the first page in one connection, so the count and
  the rows agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

import sqlite_utils

from qa_monitor.core.records import EvaluationFilter, EvaluationRow
from qa_monitor.services.cancellation import Cancelled, CancelToken, run_readonly
from qa_monitor.storage.database import Database
from qa_monitor.storage.evaluation_query import EvaluationQuery

__all__ = ["CancelToken", "Cancelled", "EvaluationListService", "FirstPage"]


@dataclass(frozen=True, slots=True)
class FirstPage:
    total: int
    rows: tuple[EvaluationRow, ...]


def _query(db: sqlite_utils.Database) -> EvaluationQuery:
    # The query only reads (``query``/``execute``), which a plain connection offers.
    return EvaluationQuery(cast(Database, db))


class EvaluationListService:
    """Pages of the evaluations list over the database file at ``db_path``."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)

    def first_page(
        self, flt: EvaluationFilter, limit: int, cancel: CancelToken | None = None
    ) -> FirstPage:
        """How many evaluations match ``flt`` and the first ``limit`` of them."""

        def read(db: sqlite_utils.Database) -> FirstPage:
            query = _query(db)
            matches = query.id_matches_of(flt)  # one scan of call ids for both reads
            return FirstPage(query.count(flt, matches), tuple(query.rows(flt, 0, limit, matches)))

        return run_readonly(self.db_path, read, cancel)

    def page(
        self, flt: EvaluationFilter, offset: int, limit: int, cancel: CancelToken | None = None
    ) -> tuple[EvaluationRow, ...]:
        """``limit`` evaluations of ``flt`` from ``offset``, in its sort order."""
        return run_readonly(
            self.db_path, lambda db: tuple(_query(db).rows(flt, offset, limit)), cancel
        )
