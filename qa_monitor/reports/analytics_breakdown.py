"""Trends over time per section and per question, beside the period totals.

Rules:
- The periods are the score trend's (same range and granularity), so these charts line
  up with the dashboard's other time charts.
- Section trend: points earned as % of possible per period (points-weighted, after
  critical failures, as the section averages), for the ``top`` weakest sections of the
  filter (lowest overall %; at least ``MIN_N`` section scores).
- Question trend: miss rate (scored answers below full marks / scored answers) per
  period for the first ``top`` questions of the Pareto (most missed first).
- A series is labelled with the section title or question wording, and the form's title
  when two series would otherwise read the same (never an id). Sums come from the
  section and question roll-ups, by day or month bucket, like the score trend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlite_utils

from qa_monitor.reports.analytics_filter import DashboardFilter
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


def _index(f: DashboardFilter, periods: Sequence[ScorePoint]) -> dict[date, int]:
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
    periods: Sequence[ScorePoint],
    top: int = TOP,
) -> tuple[TrendSeries, ...]:
    """The weakest sections' % per period (see the module rules)."""
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
                SeriesPoint(p.start, p.end, s.n, percent(s))
                for p, s in zip(periods, per[(form_id, sid)], strict=True)
            ),
        )
        for (form_id, sid, _text), label in zip(items, labels, strict=True)
    )


def question_trends(
    db: sqlite_utils.Database,
    f: DashboardFilter,
    periods: Sequence[ScorePoint],
    questions: Sequence[QuestionMiss],
    top: int = TOP,
) -> tuple[TrendSeries, ...]:
    """The most missed questions' miss rate per period (see the module rules)."""
    chosen = [q for q in questions if q.missed][:top]
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
                SeriesPoint(p.start, p.end, s.n, s.n_missed / s.n * 100.0 if s.n else None)
                for p, s in zip(periods, per[(q.form_id, q.question_id)], strict=True)
            ),
        )
        for q, label in zip(chosen, labels, strict=True)
    )
