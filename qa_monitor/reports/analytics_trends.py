"""Trends and averages: score, pass rate and critical-failure rate per period;
category (the four areas) and section averages.

Rules:
- A period is a day, a week (starting on the filter's ``week_start``), a month, a
  quarter or a year; every period from the first to the last of the range is listed,
  empty ones with n = 0 and no mean (a chart shows a gap, not a made-up value). An
  open range runs from the first to the last evaluation in the data.
- Mean score: of evaluations with a score, with a two-sided 95% t interval.
- Pass rate: passed / evaluations with a pass-or-fail verdict (forms without a pass
  mark give none); critical-failure rate: evaluations with any critical failure /
  all evaluations; both with 95% Wilson intervals.
- Category and section averages are points-weighted: Σ earned / Σ possible × 100 over
  the section scores (after critical failures; ``percent_before_critical`` before).
- ``pass_marks``: the distinct pass marks of the form versions in the filtered data
  (lowest first); ``pass_mark`` is the one when they all agree, else None;
  ``pass_mark_forms`` names the forms (by title) behind each mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from qa_monitor.core.forms import Category
from qa_monitor.core.statistics import Proportion, wilson_interval
from qa_monitor.reports.analytics_filter import (
    DashboardFilter,
    Granularity,
    next_period_start,
    period_starts,
)
from qa_monitor.reports.analytics_stats import interval_of
from qa_monitor.storage import analytics_lookups as lookups
from qa_monitor.storage.analytics_queries import (
    EvalSums,
    Scope,
    SectionSums,
    evaluation_sums,
    section_sums,
    total,
)
from qa_monitor.storage.rollup_specs import Grain


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """One period: ``start``..``end`` (inclusive, clipped to the filter's range)."""

    start: date
    end: date
    n: int  # evaluations with a score
    mean: float | None
    low: float | None  # 95% t interval; None for n < 2
    high: float | None


@dataclass(frozen=True, slots=True)
class ScoreTrend:
    granularity: Granularity
    week_start: int
    points: tuple[ScorePoint, ...]
    n: int
    mean: float | None
    pass_marks: tuple[float, ...]
    # Each pass mark with the titles of the forms that use it (a line is labelled with
    # them), lowest mark first.
    pass_mark_forms: tuple[tuple[float, tuple[str, ...]], ...] = ()

    @property
    def pass_mark(self) -> float | None:
        return self.pass_marks[0] if len(self.pass_marks) == 1 else None


@dataclass(frozen=True, slots=True)
class RatePoint:
    start: date
    end: date
    n: int  # evaluations
    passed: Proportion | None  # of evaluations with a verdict; None without any
    critical: Proportion | None  # of all evaluations; None for n = 0


@dataclass(frozen=True, slots=True)
class RateTrend:
    granularity: Granularity
    week_start: int
    points: tuple[RatePoint, ...]
    passed: Proportion | None  # over the whole range
    critical: Proportion | None


def _grain(granularity: Granularity) -> Grain:
    return "day" if granularity in (Granularity.DAY, Granularity.WEEK) else "month"


def _periods(
    f: DashboardFilter, by_bucket: dict[date, EvalSums]
) -> list[tuple[date, date, EvalSums]]:
    """(start, end, sums) of every period of the range, the buckets added up per period."""
    first = f.date_from or (min(by_bucket) if by_bucket else None)
    last = f.date_to or (max(by_bucket) if by_bucket else None)
    if first is None or last is None:
        return []
    starts = period_starts(first, last, f.granularity, f.week_start)
    periods = dict.fromkeys(starts, EvalSums())
    for day, sums in by_bucket.items():
        start = f.period_of(day)
        periods[start] = periods.get(start, EvalSums()) + sums
    out = []
    for start in starts:
        end = next_period_start(start, f.granularity) - timedelta(days=1)
        out.append((max(start, first), min(end, last) if f.date_to else end, periods[start]))
    return out


def _by_bucket(db: sqlite_utils.Database, f: DashboardFilter) -> dict[date, EvalSums]:
    rows = evaluation_sums(db, f.scope(), (), _grain(f.granularity))
    return {key[0]: sums for key, sums in rows.items()}


def pass_marks(db: sqlite_utils.Database, f: DashboardFilter) -> tuple[float, ...]:
    """The distinct pass marks of the form versions in the filtered data, lowest first."""
    return tuple(mark for mark, _forms in pass_mark_forms(db, f))


def pass_mark_forms(
    db: sqlite_utils.Database, f: DashboardFilter
) -> tuple[tuple[float, tuple[str, ...]], ...]:
    """Each distinct pass mark of the form versions in the filtered data (lowest first)
    with the titles of the forms using it (sorted): what labels a pass-mark line."""
    return pass_mark_forms_in(db, f.scope())


def pass_mark_forms_in(
    db: sqlite_utils.Database, scope: Scope
) -> tuple[tuple[float, tuple[str, ...]], ...]:
    """``pass_mark_forms`` over a storage-level scope (e.g. one agent's)."""
    versions = evaluation_sums(db, scope, ("form_id", "form_version_id"))
    marks = lookups.pass_marks(db, (int(key[1]) for key in versions))
    titles = lookups.form_titles(db, (str(key[0]) for key in versions))
    forms: dict[float, set[str]] = {}
    for form_id, version_id in versions:
        mark = marks.get(int(version_id))
        if mark is not None:
            forms.setdefault(mark, set()).add(titles.get(str(form_id), str(form_id)))
    return tuple((mark, tuple(sorted(forms[mark]))) for mark in sorted(forms))


def score_trend(db: sqlite_utils.Database, f: DashboardFilter) -> ScoreTrend:
    """Mean score per period with its 95% t interval (see the module rules)."""
    by_bucket = _by_bucket(db, f)
    points = []
    for start, end, sums in _periods(f, by_bucket):
        ci = interval_of(sums)
        points.append(
            ScorePoint(
                start,
                end,
                sums.n_scored,
                None if ci is None else ci.mean,
                None if ci is None else ci.low,
                None if ci is None else ci.high,
            )
        )
    overall = total(by_bucket, EvalSums)
    ci = interval_of(overall)
    marks = pass_mark_forms(db, f)
    return ScoreTrend(
        f.granularity,
        f.week_start,
        tuple(points),
        overall.n_scored,
        None if ci is None else ci.mean,
        tuple(mark for mark, _forms in marks),
        marks,
    )


def _rates(sums: EvalSums) -> tuple[Proportion | None, Proportion | None]:
    return wilson_interval(sums.n_passed, sums.n_pass_known), wilson_interval(
        sums.n_critical, sums.n
    )


def rate_trends(db: sqlite_utils.Database, f: DashboardFilter) -> RateTrend:
    """Pass rate and critical-failure rate per period, with 95% Wilson intervals."""
    by_bucket = _by_bucket(db, f)
    points = [
        RatePoint(start, end, sums.n, *_rates(sums)) for start, end, sums in _periods(f, by_bucket)
    ]
    passed, critical = _rates(total(by_bucket, EvalSums))
    return RateTrend(f.granularity, f.week_start, tuple(points), passed, critical)


# --------------------------------------------------------------------------- averages


@dataclass(frozen=True, slots=True)
class AreaAverage:
    """Points-weighted average of sections (of one category or one section)."""

    n: int  # section scores
    percent: float | None
    percent_before_critical: float | None
    critical_failures: int


def _average(sums: SectionSums) -> AreaAverage:
    if sums.sum_possible_q == 0:
        return AreaAverage(sums.n, None, None, sums.n_critical)
    return AreaAverage(
        sums.n,
        sums.sum_earned_q / sums.sum_possible_q * 100.0,
        sums.sum_before_q / sums.sum_possible_q * 100.0,
        sums.n_critical,
    )


@dataclass(frozen=True, slots=True)
class CategoryAverage:
    category: Category
    average: AreaAverage


def category_averages(db: sqlite_utils.Database, f: DashboardFilter) -> tuple[CategoryAverage, ...]:
    """The four areas in their fixed order (soft skills, process, compliance, outcome);
    an area without data has n = 0 and no percent."""
    rows = section_sums(db, f.scope(), ("category",))
    return tuple(
        CategoryAverage(c, _average(rows.get((c.value,), SectionSums()))) for c in Category
    )


@dataclass(frozen=True, slots=True)
class SectionAverage:
    form_id: str
    section_id: str
    title: str
    category: Category
    average: AreaAverage


def section_averages(db: sqlite_utils.Database, f: DashboardFilter) -> tuple[SectionAverage, ...]:
    """Per form and section, in form order (forms by id)."""
    rows = section_sums(db, f.scope(), ("form_id", "section_id", "category"))
    titles = lookups.section_titles(db, {key[0] for key in rows})
    out = []
    for (form_id, section_id, category), sums in rows.items():
        title, _position = titles.get((form_id, section_id), (section_id, 0))
        out.append(SectionAverage(form_id, section_id, title, Category(category), _average(sums)))
    order = {key: position for key, (_title, position) in titles.items()}
    out.sort(key=lambda s: (s.form_id, order.get((s.form_id, s.section_id), 0), s.section_id))
    return tuple(out)


def evaluations_for_category(
    db: sqlite_utils.Database, f: DashboardFilter, category: Category, *, limit: int = 500
) -> tuple[int, ...]:
    """Ids of the evaluations behind an area bar: in the filter, losing points in a
    section of ``category``; newest first, at most ``limit``."""
    return tuple(
        lookups.evaluation_ids_for_category(db, f.scope(), Category(category).value, limit=limit)
    )
