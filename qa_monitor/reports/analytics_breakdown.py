"""Trends over time per section and per question, beside the period totals.

Rules:
- The periods cover the score trend's range, so these charts line up with the
  dashboard's other time charts; by day or week they are months
  (``breakdown_granularity``): a section's or question's week holds a handful of scores
  and its line swings wildly.
- Section trend: points earned as % of possible per period (points-weighted, after
  critical failures, as the section averages), for the ``top`` weakest sections of the
  filter (lowest overall %; at least ``MIN_N`` section scores).
- Question trend: miss rate (scored answers below full marks / scored answers) per
  period for the first ``top`` questions of the Pareto (most missed first).
- A period with fewer than ``MIN_POINT_N`` section scores (or answers) has no value
  (a gap): a handful of scores swings between 0 and 100% and hides the trend.
- A series is labelled with the section title or question wording, and the form's title
  when two series would otherwise read the same (never an id). Sums come from the
  section and question roll-ups, by day or month bucket, like the score trend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import sqlite_utils

from qa_monitor.reports.analytics_filter import (
    DashboardFilter,
    Granularity,
    next_period_start,
    period_starts,
)
from qa_monitor.reports.analytics_questions import QuestionMiss
from qa_monitor.reports.analytics_trends import ScorePoint, _grain
from qa_monitor.storage import analytics_lookups as lookups
from qa_monitor.storage.analytics_queries import (
    QuestionSums,
    SectionSums,
    question_sums,
    section_sums,
)

MIN_N = 20
MIN_POINT_N = 10  # fewer scores in a period leave a gap rather than a wild swing
TOP = 5


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    start: date
    end: date
    n: int  # section scores or scored answers in the period
    value: float | None  # percent; None without data (a gap)


@dataclass(frozen=True, slots=True)
class TrendSeries:
    form_id: str
    key: str  # section id or question id
    label: str  # section title or question wording (with the form's title if needed)
    overall: float | None  # over the whole range, percent
    points: tuple[SeriesPoint, ...]


def breakdown_granularity(granularity: Granularity) -> Granularity:
    """The period of the section and question trends for a dashboard by
    ``granularity``: a month at least."""
    if granularity in (Granularity.DAY, Granularity.WEEK):
        return Granularity.MONTH
    return granularity


@dataclass(frozen=True, slots=True)
class _Period:
    start: date
    end: date


def _coarse(
    f: DashboardFilter, points: Sequence[ScorePoint]
) -> tuple[DashboardFilter, list[_Period]]:
    """``f`` by the breakdown's granularity, and its periods over the range of
    ``points`` (the score trend's), clipped to it."""
    g = breakdown_granularity(f.granularity)
    coarse = replace(f, granularity=g)
    if not points:
        return coarse, []
    first, last = points[0].start, points[-1].end
    periods = [
        _Period(max(start, first), min(next_period_start(start, g) - timedelta(days=1), last))
        for start in period_starts(first, last, g, f.week_start)
    ]
    return coarse, periods


def _index(f: DashboardFilter, periods: Sequence[_Period]) -> dict[date, int]:
    return {f.period_of(p.start): i for i, p in enumerate(periods)}


def _labelled(db: sqlite_utils.Database, items: list[tuple[str, str, str]]) -> list[str]:
    """Labels for (form id, key, text): the text, with the form's title when two read
    the same."""
    texts = [text for _f, _k, text in items]
    titles = lookups.form_titles(db, {form_id for form_id, _k, _t in items})
    return [
        text if texts.count(text) == 1 else f"{text} ({titles.get(form_id, '')})".replace(" ()", "")
        for form_id, _k, text in items
    ]


def section_trends(
    db: sqlite_utils.Database,
    f: DashboardFilter,
    points: Sequence[ScorePoint],
    top: int = TOP,
) -> tuple[TrendSeries, ...]:
    """The weakest sections' % per period (see the module rules)."""
    f, periods = _coarse(f, points)
    if not periods:
        return ()
    rows = section_sums(db, f.scope(), ("form_id", "section_id"), _grain(f.granularity))
    where = _index(f, periods)
    per: dict[tuple[str, str], list[SectionSums]] = {}
    for (day, form_id, section_id), sums in rows.items():
        slot = where.get(f.period_of(day))
        if slot is None:
            continue
        bucket = per.setdefault((form_id, section_id), [SectionSums() for _ in periods])
        bucket[slot] = bucket[slot] + sums

    def percent(s: SectionSums) -> float | None:
        return s.sum_earned_q / s.sum_possible_q * 100.0 if s.sum_possible_q else None

    totals = {}
    for key, buckets in per.items():
        whole = SectionSums()
        for s in buckets:
            whole = whole + s
        totals[key] = whole
    chosen = sorted(
        (k for k, s in totals.items() if s.n >= MIN_N and percent(s) is not None),
        key=lambda k: (percent(totals[k]) or 0.0, k),
    )[:top]
    titles = lookups.section_titles(db, {form_id for form_id, _s in chosen})
    items = [(form_id, sid, titles.get((form_id, sid), (sid, 0))[0]) for form_id, sid in chosen]
    labels = _labelled(db, items)
    return tuple(
        TrendSeries(
            form_id,
            sid,
            label,
            percent(totals[(form_id, sid)]),
            tuple(
                SeriesPoint(p.start, p.end, s.n, percent(s) if s.n >= MIN_POINT_N else None)
                for p, s in zip(periods, per[(form_id, sid)], strict=True)
            ),
        )
        for (form_id, sid, _text), label in zip(items, labels, strict=True)
    )


def question_trends(
    db: sqlite_utils.Database,
    f: DashboardFilter,
    points: Sequence[ScorePoint],
    questions: Sequence[QuestionMiss],
    top: int = TOP,
) -> tuple[TrendSeries, ...]:
    """The most missed questions' miss rate per period (see the module rules)."""
    chosen = [q for q in questions if q.missed][:top]
    f, periods = _coarse(f, points)
    if not periods or not chosen:
        return ()
    wanted = {(q.form_id, q.question_id) for q in chosen}
    rows = question_sums(db, f.scope(), ("form_id", "question_id"), _grain(f.granularity))
    where = _index(f, periods)
    per = {key: [QuestionSums() for _ in periods] for key in wanted}
    for (day, form_id, question_id), sums in rows.items():
        slot = where.get(f.period_of(day))
        if slot is not None and (form_id, question_id) in wanted:
            bucket = per[(form_id, question_id)]
            bucket[slot] = bucket[slot] + sums
    items = [(q.form_id, q.question_id, q.text) for q in chosen]
    labels = _labelled(db, items)
    return tuple(
        TrendSeries(
            q.form_id,
            q.question_id,
            label,
            q.missed / q.answered * 100.0 if q.answered else None,
            tuple(
                SeriesPoint(
                    p.start, p.end, s.n, s.n_missed / s.n * 100.0 if s.n >= MIN_POINT_N else None
                )
                for p, s in zip(periods, per[(q.form_id, q.question_id)], strict=True)
            ),
        )
        for q, label in zip(chosen, labels, strict=True)
    )
