"""Reviewer quality: strictness against peers and its drift, deviation from the expert
on calibration evaluations, and the questions reviewers read differently.

Rules:
- Strictness (``core.reviewer_quality``): regular evaluations (kind 'regular',
  submitted or later) of interactions in the period; a cell is one form, one team and
  one calendar month; the cell offset is the other reviewers' mean score minus the
  reviewer's (positive: stricter), pooled over the cells weighted by the reviewer's
  scored evaluations, with a t interval over the cells. Read from the month roll-up
  keyed by reviewer, the partial months at either end through the dashboard's planner
  (``reviewer_quality_queries``), and computed for all cells at once
  (``analytics_strictness``), equal to one cell at a time to the last bit.
- Drift: the same pooling per month (the cells of that month: its forms and teams).
- Calibration: calibration evaluations (kind 'calibration') in the period; each is
  compared with the expert's evaluation of the same interaction (the first expert's,
  by id); per reviewer the mean absolute deviation and the bias (reviewer − expert,
  positive: more lenient than the expert) overall and per month, and overall the share
  within ``CALIBRATION_TOLERANCE`` points of the expert (``core.agreement``).
- Question agreement: per question, over the most recent ``RECENT_SESSIONS``
  calibration sessions of its form in the period (a session is the calibration
  evaluations of one interaction), Krippendorff's alpha with its seeded bootstrap
  interval (``reports.agreement_bootstrap``: ``alpha_with_interval``'s method,
  vectorised): nominal for yes/no and choices, ordinal for scales and three-step
  questions (``core.reviewer_quality.agreement_value``). Unscored questions are left
  out. Least agreement first, questions with too few sessions last.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from qa_monitor.core.agreement import calibration_summary
from qa_monitor.core.reviewer_quality import (
    ORDINAL_TYPES,
    Offset,
    Verdict,
    agreement_value,
    verdict,
)
from qa_monitor.reports.agreement_bootstrap import CategoricalLevel, alpha_estimate
from qa_monitor.reports.analytics_strictness import strictness
from qa_monitor.storage import analytics_lookups as lookups
from qa_monitor.storage.reviewer_quality_queries import (
    CalibrationScore,
    calibration_scores,
    question_labels,
)

RECENT_SESSIONS = 30  # calibration sessions per form that question agreement looks at
BOOTSTRAP_RESAMPLES = 500
CALIBRATION_TOLERANCE = 10.0  # points from the expert's score that count as agreeing
_SORT_LAST = 9.0


@dataclass(frozen=True, slots=True)
class MonthPoint:
    month: date  # first day of the month
    offset: Offset | None  # strictness that month; None: no comparable cell
    calibration_n: int  # calibration evaluations compared with the expert that month
    calibration_mad: float | None
    calibration_bias: float | None


@dataclass(frozen=True, slots=True)
class ReviewerQuality:
    reviewer_id: int
    name: str
    is_expert: bool
    evaluations: int  # scored regular evaluations in the period
    strictness: Offset | None  # None: never scored where a peer also scored
    calibration_n: int
    calibration_mad: float | None
    calibration_bias: float | None
    calibration_within: float | None  # share within ±CALIBRATION_TOLERANCE of the expert
    months: tuple[MonthPoint, ...]


@dataclass(frozen=True, slots=True)
class QuestionReliability:
    form_id: str
    form_title: str
    question_id: str
    text: str
    level: str  # 'nominal' or 'ordinal'
    alpha: float | None
    low: float | None
    high: float | None
    sessions: int  # calibration sessions with two or more answers
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class ReviewerQualityParts:
    reviewers: tuple[ReviewerQuality, ...]  # strictest first, without strictness last
    questions: tuple[QuestionReliability, ...]
    calibration_evaluations: int
    calibration_sessions: int


def _months(start: date | None, end: date | None, present: set[date]) -> list[date]:
    """Every month from the first to the last, also those without data (gaps)."""
    if not present:
        return []
    first = min(present) if start is None else max(start.replace(day=1), min(present))
    last = max(present) if end is None else min(end.replace(day=1), max(present))
    out, month = [], first
    while month <= last:
        out.append(month)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def _expert_deviations(
    rows: list[CalibrationScore], experts: set[int]
) -> dict[int, list[tuple[date, float, float]]]:
    """Per non-expert reviewer, (month, score, expert's score) of every calibration
    evaluation whose interaction the expert scored too."""
    by_interaction: dict[int, list[CalibrationScore]] = {}
    for r in rows:
        by_interaction.setdefault(r.interaction_id, []).append(r)
    out: dict[int, list[tuple[date, float, float]]] = {}
    for group in by_interaction.values():
        expert = next((r for r in group if r.reviewer_id in experts), None)
        if expert is None or expert.score is None:
            continue
        for r in group:
            if r is expert or r.score is None or r.reviewer_id in experts:
                continue
            month = date.fromisoformat(r.interaction_date[:7] + "-01")
            out.setdefault(r.reviewer_id, []).append((month, r.score, expert.score))
    return out


def _summary(
    pairs: list[tuple[float, float]],
) -> tuple[int, float | None, float | None, float | None]:
    """(n, mean absolute deviation, bias, share within the tolerance) against the expert."""
    s = calibration_summary(pairs, CALIBRATION_TOLERANCE)
    if s is None:
        return 0, None, None, None
    return s.n, s.mean_absolute_deviation, s.bias, s.within_tolerance / s.n


def reviewer_quality_parts(
    db: sqlite_utils.Database, start: date | None, end: date | None
) -> ReviewerQualityParts:
    """Everything of the report except the dispute rates (see the module rules)."""
    found = strictness(db, start, end)
    rows = calibration_scores(db, start, end)
    experts = lookups.expert_reviewers(db)
    deviations = _expert_deviations(rows, experts)
    ids = set(found.evaluations) | {r.reviewer_id for r in rows}
    names = lookups.names(db, "reviewers", ids)
    present = {m for per in found.months.values() for m in per}
    present |= {m for devs in deviations.values() for m, _s, _e in devs}
    months = _months(start, end, present)
    reviewers = []
    for reviewer_id in ids:
        per_month = found.months.get(reviewer_id, {})
        devs = deviations.get(reviewer_id, [])
        points = []
        for month in months:
            n, mad, bias, _within = _summary([(s, e) for m, s, e in devs if m == month])
            points.append(MonthPoint(month, per_month.get(month), n, mad, bias))
        n, mad, bias, within = _summary([(s, e) for _m, s, e in devs])
        reviewers.append(
            ReviewerQuality(
                reviewer_id=reviewer_id,
                name=names.get(reviewer_id, f"#{reviewer_id}"),
                is_expert=reviewer_id in experts,
                evaluations=found.evaluations.get(reviewer_id, 0),
                strictness=found.overall.get(reviewer_id),
                calibration_n=n,
                calibration_mad=mad,
                calibration_bias=bias,
                calibration_within=within,
                months=tuple(points),
            )
        )
    reviewers.sort(
        key=lambda r: (r.strictness is None, -(r.strictness.value if r.strictness else 0.0), r.name)
    )
    return ReviewerQualityParts(
        reviewers=tuple(reviewers),
        questions=question_reliability(db, rows),
        calibration_evaluations=len(rows),
        calibration_sessions=len({r.interaction_id for r in rows}),
    )


def _recent_sessions(rows: list[CalibrationScore]) -> list[CalibrationScore]:
    """The evaluations of the latest ``RECENT_SESSIONS`` sessions of each form."""
    latest: dict[str, dict[int, str]] = {}
    for r in rows:
        latest.setdefault(r.form_id, {})[r.interaction_id] = r.interaction_date
    keep: set[int] = set()
    for sessions in latest.values():
        ordered = sorted(sessions.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
        keep.update(i for i, _d in ordered[:RECENT_SESSIONS])
    return [r for r in rows if r.interaction_id in keep]


def question_reliability(
    db: sqlite_utils.Database, rows: list[CalibrationScore]
) -> tuple[QuestionReliability, ...]:
    """Alpha per scored question over the recent calibration sessions (module rules)."""
    recent = _recent_sessions(rows)
    if not recent:
        return ()
    choices = lookups.answer_choices(db, (r.evaluation_id for r in recent))
    labels = question_labels(db, {r.form_id for r in recent})
    titles = lookups.form_titles(db, {r.form_id for r in recent})
    units: dict[tuple[str, str], dict[int, dict[int, str | int | None]]] = {}
    for r in recent:
        for question_id, choice in choices.get(r.evaluation_id, {}).items():
            label = labels.get((r.form_id, question_id))
            if label is None or not label.scored:
                continue
            value = agreement_value(label.type, choice)
            unit = units.setdefault((r.form_id, question_id), {}).setdefault(r.interaction_id, {})
            unit[r.reviewer_id] = value
    out = []
    for (form_id, question_id), per_session in units.items():
        label = labels[(form_id, question_id)]
        level: CategoricalLevel = "ordinal" if label.type in ORDINAL_TYPES else "nominal"
        estimate = alpha_estimate(per_session.values(), level, resamples=BOOTSTRAP_RESAMPLES)
        out.append(
            QuestionReliability(
                form_id=form_id,
                form_title=titles.get(form_id, form_id),
                question_id=question_id,
                text=label.text,
                level=level,
                alpha=estimate.alpha,
                low=estimate.low,
                high=estimate.high,
                sessions=estimate.units,
                verdict=verdict(estimate.alpha, estimate.units),
            )
        )
    rank = {Verdict.UNRELIABLE: 0, Verdict.TENTATIVE: 1, Verdict.RELIABLE: 2}
    out.sort(
        key=lambda q: (
            rank.get(q.verdict, 3),
            q.alpha if q.alpha is not None else _SORT_LAST,
            q.form_title,
            q.text,
        )
    )
    return tuple(out)
