"""What a dashboard looks at: the filter, its date presets and its time buckets.

Rules:
- Dates are interaction local dates (the centre's zone), both ends inclusive; None
  leaves that end open.
- Empty tuples mean "any". ``kinds`` defaults to regular evaluations only: a
  calibration interaction is scored by several reviewers (it would count several
  times) and self-reviews are the agent's own opinion; ask for them explicitly.
- Only submitted-or-later evaluations count (never drafts); this holds for every
  query, whatever the filter.
- Weeks start on ``week_start`` (``date.weekday()``: 0 = Monday … 6 = Sunday; Iran
  uses Saturday = 5, Russia Monday = 0). A quarter starts in January, April, July or
  October.
- The previous period is the same number of days ending the day before ``date_from``.
- Presets take "today" as an argument (no hidden clock): last N days ends today and
  includes it; "this month/quarter/year" runs from its first day to today.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from qa_monitor.core.forms import Channel
from qa_monitor.core.records import EvaluationKind
from qa_monitor.storage.analytics_queries import Scope


class Granularity(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def period_start(day: date, granularity: Granularity, week_start: int = 0) -> date:
    """First day of the period of ``granularity`` that contains ``day``."""
    if granularity is Granularity.DAY:
        return day
    if granularity is Granularity.WEEK:
        return day - timedelta(days=(day.weekday() - week_start) % 7)
    if granularity is Granularity.MONTH:
        return day.replace(day=1)
    if granularity is Granularity.QUARTER:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


def next_period_start(start: date, granularity: Granularity) -> date:
    """First day of the period after the one starting on ``start``."""
    if granularity is Granularity.DAY:
        return start + timedelta(days=1)
    if granularity is Granularity.WEEK:
        return start + timedelta(days=7)
    months = {Granularity.MONTH: 1, Granularity.QUARTER: 3, Granularity.YEAR: 12}[granularity]
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_starts(first: date, last: date, granularity: Granularity, week_start: int) -> list[date]:
    """Every period start from the period holding ``first`` to the one holding ``last``."""
    out = []
    start = period_start(first, granularity, week_start)
    while start <= last:
        out.append(start)
        start = next_period_start(start, granularity)
    return out


@dataclass(frozen=True, slots=True)
class DashboardFilter:
    """Which evaluations the dashboard shows and how its trends are bucketed."""

    date_from: date | None = None
    date_to: date | None = None
    team_ids: tuple[int, ...] = ()
    agent_ids: tuple[int, ...] = ()
    form_ids: tuple[str, ...] = ()
    form_version_ids: tuple[int, ...] = ()
    reviewer_ids: tuple[int, ...] = ()
    channels: tuple[Channel, ...] = ()
    kinds: tuple[EvaluationKind, ...] = (EvaluationKind.REGULAR,)
    granularity: Granularity = Granularity.MONTH
    week_start: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.week_start <= 6:
            raise ValueError(f"week_start must be 0 (Monday) to 6 (Sunday), got {self.week_start}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"the range starts ({self.date_from}) after it ends ({self.date_to})")

    # -- presets ---------------------------------------------------------------------------
    def last_days(self, days: int, today: date) -> DashboardFilter:
        """The ``days`` days ending today (today included)."""
        if days < 1:
            raise ValueError(f"days must be at least 1, got {days}")
        return replace(self, date_from=today - timedelta(days=days - 1), date_to=today)

    def last_30_days(self, today: date) -> DashboardFilter:
        return self.last_days(30, today)

    def last_90_days(self, today: date) -> DashboardFilter:
        return self.last_days(90, today)

    def this_month(self, today: date) -> DashboardFilter:
        return replace(self, date_from=today.replace(day=1), date_to=today)

    def this_quarter(self, today: date) -> DashboardFilter:
        return replace(self, date_from=period_start(today, Granularity.QUARTER), date_to=today)

    def this_year(self, today: date) -> DashboardFilter:
        return replace(self, date_from=date(today.year, 1, 1), date_to=today)

    def all_time(self) -> DashboardFilter:
        return replace(self, date_from=None, date_to=None)

    def previous_period(self) -> DashboardFilter | None:
        """The same number of days just before this range (None if either end is open)."""
        if self.date_from is None or self.date_to is None:
            return None
        length = (self.date_to - self.date_from).days + 1
        end = self.date_from - timedelta(days=1)
        return replace(self, date_from=end - timedelta(days=length - 1), date_to=end)

    # -- for storage -------------------------------------------------------------------------
    def scope(self) -> Scope:
        """The storage-level filter (dimension values as stored)."""
        return Scope(
            date_from=self.date_from,
            date_to=self.date_to,
            team_ids=tuple(self.team_ids),
            agent_ids=tuple(self.agent_ids),
            reviewer_ids=tuple(self.reviewer_ids),
            form_ids=tuple(self.form_ids),
            form_version_ids=tuple(self.form_version_ids),
            channels=tuple(Channel(c).value for c in self.channels),
            kinds=tuple(EvaluationKind(k).value for k in self.kinds),
        )

    def period_of(self, day: date) -> date:
        """Start of the trend period holding ``day``."""
        return period_start(day, self.granularity, self.week_start)
