"""The Calibration screen's reads, safe to call from a worker thread.

Rules (as ``CoachingListService``):
- Every call opens its own read-only connection and closes it before returning (an
  SQLite connection belongs to the thread that opened it); it sees what the app's own
  connection has committed, the current reviewer included.
- The answers are ``CalibrationService``'s own (``sessions``, ``view``, ``revealed``),
  read over that connection, so the screen and the service never disagree about who
  has submitted or what the reveal shows; the blind rule is the service's.
- A call given a ``CancelToken`` stops within milliseconds of the cancel and raises
  ``Cancelled``.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import sqlite_utils

from qa_monitor.services.calibration_service import (
    CalibrationService,
    ListedSession,
    RevealView,
    SessionView,
)
from qa_monitor.services.cancellation import Cancelled, CancelToken, run_readonly
from qa_monitor.services.common import system_clock
from qa_monitor.services.evaluation_service import EvaluationService
from qa_monitor.services.form_service import FormCache, FormService
from qa_monitor.services.interaction_service import InteractionService
from qa_monitor.services.settings_service import SettingsService
from qa_monitor.storage.database import Database
from qa_monitor.storage.repos import Repos

__all__ = [
    "CalibrationListService",
    "CancelToken",
    "Cancelled",
    "ListedSession",
    "RevealView",
    "SessionView",
]


def _reading(db: sqlite_utils.Database) -> CalibrationService:
    """A calibration service over a read-only connection (only its readers are called)."""
    repos = Repos(cast(Database, db))
    forms = FormCache(repos.forms)
    settings = SettingsService(repos.settings, repos.people)
    interactions = InteractionService(
        repos.interactions, repos.people, repos.settings, system_clock
    )
    return CalibrationService(
        repos,
        system_clock,
        forms,
        settings,
        EvaluationService(repos, system_clock, forms, interactions),
        FormService(repos.forms, system_clock),
    )


class CalibrationListService:
    """Calibration sessions over the database file at ``db_path``."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)

    def sessions(
        self, mine_only: bool, limit: int, cancel: CancelToken | None = None
    ) -> list[ListedSession]:
        """``CalibrationService.sessions``: open ones first, then revealed, newest first."""
        return run_readonly(
            self.db_path,
            lambda db: _reading(db).sessions(mine_only=mine_only, limit=limit),
            cancel,
        )

    def detail(
        self, session_id: int, cancel: CancelToken | None = None
    ) -> SessionView | RevealView:
        """What the session shows: its ``view`` while open (no answers, no scores), its
        ``revealed`` comparison once revealed."""

        def read(db: sqlite_utils.Database) -> SessionView | RevealView:
            service = _reading(db)
            view = service.view(session_id)
            return service.revealed(session_id) if view.record.revealed else view

        return run_readonly(self.db_path, read, cancel)
