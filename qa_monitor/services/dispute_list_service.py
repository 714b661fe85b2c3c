"""The dispute queue and the reviewers' dispute rates for the UI, safe to call from a
worker thread.

Rules:
- Every call opens its own read-only connection and closes it before returning (an
  SQLite connection belongs to the thread that opened it), as ``EvaluationListService``;
  it sees what the app's own connection has committed.
- The answers are ``DisputeService``'s own (``queue``, ``reviewer_rates``): the same
  code reads them over the read-only connection, so the screen and the service never
  disagree about what is open, overdue or overturned.
- A call given a ``CancelToken`` stops within milliseconds of the cancel and raises
  ``Cancelled`` (``services.cancellation``): the rates over a whole million-evaluation
  history read for a while, and a newer period should not wait for them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

import sqlite_utils

from qa_monitor.services.cancellation import Cancelled, CancelToken, run_readonly
from qa_monitor.services.common import system_clock
from qa_monitor.services.dispute_service import DisputeService, QueueItem, ReviewerRates
from qa_monitor.services.evaluation_service import EvaluationService
from qa_monitor.services.form_service import FormCache
from qa_monitor.services.interaction_service import InteractionService
from qa_monitor.services.settings_service import SettingsService
from qa_monitor.storage.database import Database
from qa_monitor.storage.repos import Repos

__all__ = ["CancelToken", "Cancelled", "DisputeListService", "QueueItem", "ReviewerRates"]


def reading_dispute_service(db: sqlite_utils.Database) -> DisputeService:
    """A dispute service over a read-only connection: only its reading methods are
    called (they ``query``/``execute``, which a plain connection offers)."""
    repos = Repos(cast(Database, db))
    forms = FormCache(repos.forms)
    interactions = InteractionService(
        repos.interactions, repos.people, repos.settings, system_clock
    )
    return DisputeService(
        repos,
        system_clock,
        forms,
        EvaluationService(repos, system_clock, forms, interactions),
        SettingsService(repos.settings, repos.people),
    )


class DisputeListService:
    """The dispute queue and rates over the database file at ``db_path``."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)

    def queue(self, today: date, cancel: CancelToken | None = None) -> list[QueueItem]:
        """Open disputes on ``today``, the oldest deadline first (``DisputeService.queue``)."""
        return run_readonly(
            self.db_path, lambda db: reading_dispute_service(db).queue(today), cancel
        )

    def reviewer_rates(
        self, start: date, end: date, cancel: CancelToken | None = None
    ) -> list[ReviewerRates]:
        """Dispute and overturn rates per reviewer over interactions dated ``start`` to
        ``end`` (``DisputeService.reviewer_rates``)."""
        return run_readonly(
            self.db_path, lambda db: reading_dispute_service(db).reviewer_rates(start, end), cancel
        )
