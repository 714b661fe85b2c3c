"""The Reviewer quality screen's report, safe to call from a worker thread.

Rules:
- ``report(start, end, cancel)`` opens its own read-only connection (``run_readonly``)
  and closes it before returning; a cancelled token stops it within milliseconds
  (``Cancelled``). ``start``/``end`` are interaction dates, inclusive; None is open.
- Strictness, drift, calibration deviation and question agreement are
  ``reports.analytics_reviewers``' (read their rules there). In short: *strictness* =
  the other reviewers' mean score minus the reviewer's, on comparable regular
  evaluations (same form, same team, same calendar month), pooled over those cells
  weighted by the reviewer's scored evaluations in each, with a 95 % t interval over
  the cells; positive means stricter than peers.
- Dispute and overturn rates are ``DisputeService.reviewer_rates``' own numbers, read
  over the same connection (an open period asks from the first to the last possible
  day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlite_utils

from qa_monitor.reports.analytics_reviewers import (
    QuestionReliability,
    ReviewerQuality,
    reviewer_quality_parts,
)
from qa_monitor.services.cancellation import CancelToken, run_readonly
from qa_monitor.services.dispute_list_service import reading_dispute_service
from qa_monitor.services.dispute_service import ReviewerRates

# An open period's ends for the dispute rates (whose month arithmetic needs room).
OPEN_START, OPEN_END = date(1900, 1, 1), date(9998, 12, 31)

__all__ = [
    "QuestionReliability",
    "ReviewerQualityReport",
    "ReviewerQualityRow",
    "ReviewerQualityService",
]


@dataclass(frozen=True, slots=True)
class ReviewerQualityRow:
    """One reviewer: the analytics and their dispute rates (None: no evaluation of the
    reviewer in the period, so no denominator)."""

    quality: ReviewerQuality
    rates: ReviewerRates | None

    @property
    def dispute_rate(self) -> float | None:
        return None if self.rates is None else self.rates.dispute_rate

    @property
    def overturn_rate(self) -> float | None:
        return None if self.rates is None else self.rates.overturn_rate


@dataclass(frozen=True, slots=True)
class ReviewerQualityReport:
    start: date | None
    end: date | None
    reviewers: tuple[ReviewerQualityRow, ...]  # strictest first
    questions: tuple[QuestionReliability, ...]  # least agreement first
    calibration_evaluations: int
    calibration_sessions: int


def build_report(
    db: sqlite_utils.Database, start: date | None, end: date | None
) -> ReviewerQualityReport:
    """The report over ``db`` (see the module rules)."""
    parts = reviewer_quality_parts(db, start, end)
    rates = {
        r.reviewer_id: r
        for r in reading_dispute_service(db).reviewer_rates(start or OPEN_START, end or OPEN_END)
    }
    rows = tuple(ReviewerQualityRow(q, rates.get(q.reviewer_id)) for q in parts.reviewers)
    return ReviewerQualityReport(
        start,
        end,
        rows,
        parts.questions,
        parts.calibration_evaluations,
        parts.calibration_sessions,
    )


class ReviewerQualityService:
    """The reviewer quality report over the database file at ``db_path``."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)

    def report(
        self, start: date | None, end: date | None, cancel: CancelToken | None = None
    ) -> ReviewerQualityReport:
        """Strictness with drift, calibration deviation, dispute and overturn rates per
        reviewer, and per-question agreement, for interactions dated ``start`` to
        ``end`` (see the module rules)."""
        return run_readonly(self.db_path, lambda db: build_report(db, start, end), cancel)
