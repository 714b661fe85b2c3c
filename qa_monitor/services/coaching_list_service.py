"""The coaching list for the UI, safe to call from a worker thread.

Rules (as ``DisputeListService``):
- Every call opens its own read-only connection and closes it before returning (an
  SQLite connection belongs to the thread that opened it).
- The answers are ``CoachingService``'s own, read over that connection, so the screen
  and the service never disagree about what is open, overdue or improved.
- A call given a ``CancelToken`` stops within milliseconds of the cancel and raises
  ``Cancelled``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

import sqlite_utils

from qa_monitor.services.cancellation import Cancelled, CancelToken, run_readonly
from qa_monitor.services.coaching_service import CoachingService, ListedSession, SessionFilter
from qa_monitor.services.common import system_clock
from qa_monitor.services.form_service import FormCache
from qa_monitor.services.settings_service import SettingsService
from qa_monitor.storage.database import Database
from qa_monitor.storage.repos import Repos

__all__ = ["CancelToken", "Cancelled", "CoachingListService", "ListedSession", "SessionFilter"]


def _reading(db: sqlite_utils.Database) -> CoachingService:
    """A coaching service over a read-only connection (only its readers are called)."""
    repos = Repos(cast(Database, db))
    return CoachingService(
        repos, system_clock, FormCache(repos.forms), SettingsService(repos.settings, repos.people)
    )


class CoachingListService:
    """The coaching sessions over the database file at ``db_path``."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)

    def sessions(
        self, flt: SessionFilter, today: date, cancel: CancelToken | None = None
    ) -> list[ListedSession]:
        """``CoachingService.sessions`` on its own connection."""
        return run_readonly(self.db_path, lambda db: _reading(db).sessions(flt, today), cancel)
