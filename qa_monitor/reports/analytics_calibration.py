"""Calibration: how far each reviewer is from the expert on the same interactions.

Rules (DOMAIN.md, "Calibration and trust in the score"):
- Calibration evaluations (kind 'calibration', submitted or later) in the filter's
  dates, teams, agents and forms; the filter's kinds are ignored and its reviewers
  only choose whose summaries are shown (everyone's scores are needed to compare).
- The benchmark on an interaction is the expert reviewer's evaluation (the first, by
  id, if several experts scored it). Interactions without one give no deviations but
  still count for agreement.
- Per reviewer: mean absolute deviation from the expert in points (target ≤ 5),
  bias (positive: scores higher than the expert) and the share within ±``tolerance``
  points (> 85% is well calibrated) — ``core.agreement.calibration_summary``.
- Agreement: Krippendorff's alpha, interval level on the scores (units: interactions,
  coders: reviewers) and nominal level per question on what each reviewer chose
  (N/A counts as a choice; hidden or unanswered questions are missing). ≥ 0.80 is
  reliable, ≥ 0.667 tentative.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from qa_monitor.core.agreement import CalibrationSummary, calibration_summary, krippendorff_alpha
from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.storage import analytics_lookups as lookups

WELL_CALIBRATED_PERCENT = 85.0
RELIABLE_ALPHA = 0.80
TENTATIVE_ALPHA = 0.667


@dataclass(frozen=True, slots=True)
class ReviewerScore:
    reviewer_id: int
    name: str
    score: float | None
    deviation: float | None  # score − expert's score


@dataclass(frozen=True, slots=True)
class CalibratedInteraction:
    interaction_id: int
    external_id: str | None
    interaction_date: str
    form_id: str
    expert_id: int | None
    expert_score: float | None
    scores: tuple[ReviewerScore, ...]  # the other reviewers, by name


@dataclass(frozen=True, slots=True)
class ReviewerCalibration:
    reviewer_id: int
    name: str
    summary: CalibrationSummary | None  # None without expert-scored interactions
    well_calibrated: bool


@dataclass(frozen=True, slots=True)
class QuestionAgreement:
    form_id: str
    question_id: str
    text: str
    alpha: float | None
    interactions: int  # with at least two reviewers' choices


@dataclass(frozen=True, slots=True)
class CalibrationReport:
    interactions: tuple[CalibratedInteraction, ...]
    reviewers: tuple[ReviewerCalibration, ...]
    score_alpha: float | None
    questions: tuple[QuestionAgreement, ...]  # least agreement first
    tolerance: float


def calibration_report(
    db: sqlite_utils.Database, f: DashboardFilter, tolerance: float = 10.0
) -> CalibrationReport:
    """Deviations from the expert and agreement statistics (see the module rules)."""
    rows = lookups.calibration_rows(db, f.scope())
    experts = lookups.expert_reviewers(db)
    names = lookups.names(db, "reviewers", {r.reviewer_id for r in rows})
    by_interaction: dict[int, list[lookups.CalibrationRow]] = {}
    for row in rows:
        by_interaction.setdefault(row.interaction_id, []).append(row)
    shown = set(f.reviewer_ids) if f.reviewer_ids else None
    interactions = []
    pairs: dict[int, list[tuple[float, float]]] = {}
    score_units = []
    for interaction_id, group in by_interaction.items():
        expert = next((r for r in group if r.reviewer_id in experts), None)
        others = []
        for r in sorted(group, key=lambda r: (names.get(r.reviewer_id, ""), r.evaluation_id)):
            if r is expert:
                continue
            deviation = None
            if expert is not None and expert.score is not None and r.score is not None:
                deviation = r.score - expert.score
                pairs.setdefault(r.reviewer_id, []).append((r.score, expert.score))
            others.append(
                ReviewerScore(r.reviewer_id, names.get(r.reviewer_id, ""), r.score, deviation)
            )
        first = group[0]
        interactions.append(
            CalibratedInteraction(
                interaction_id,
                first.external_id,
                first.interaction_date,
                first.form_id,
                None if expert is None else expert.reviewer_id,
                None if expert is None else expert.score,
                tuple(others),
            )
        )
        score_units.append({r.reviewer_id: r.score for r in group})
    reviewers = []
    for reviewer_id in sorted(
        {r.reviewer_id for r in rows} - experts, key=lambda i: names.get(i, "")
    ):
        if shown is not None and reviewer_id not in shown:
            continue
        summary = calibration_summary(pairs.get(reviewer_id, []), tolerance)
        reviewers.append(
            ReviewerCalibration(
                reviewer_id,
                names.get(reviewer_id, f"#{reviewer_id}"),
                summary,
                summary is not None and summary.within_percent > WELL_CALIBRATED_PERCENT,
            )
        )
    return CalibrationReport(
        interactions=tuple(interactions),
        reviewers=tuple(reviewers),
        score_alpha=krippendorff_alpha(score_units, "interval"),
        questions=_question_agreement(db, by_interaction),
        tolerance=tolerance,
    )


def _question_agreement(
    db: sqlite_utils.Database, by_interaction: dict[int, list[lookups.CalibrationRow]]
) -> tuple[QuestionAgreement, ...]:
    choices = lookups.answer_choices(
        db, (r.evaluation_id for group in by_interaction.values() for r in group)
    )
    units: dict[tuple[str, str], list[dict[int, str | None]]] = {}
    for group in by_interaction.values():
        per_question: dict[tuple[str, str], dict[int, str | None]] = {}
        for r in group:
            for question_id, choice in choices.get(r.evaluation_id, {}).items():
                per_question.setdefault((r.form_id, question_id), {})[r.reviewer_id] = choice
        for key, unit in per_question.items():
            units.setdefault(key, []).append(unit)
    info = lookups.question_info(db, {form_id for form_id, _q in units})
    out = []
    for (form_id, question_id), question_units in units.items():
        item = info.get((form_id, question_id))
        paired = sum(1 for u in question_units if sum(v is not None for v in u.values()) >= 2)
        out.append(
            QuestionAgreement(
                form_id,
                question_id,
                item.text if item else question_id,
                krippendorff_alpha(question_units, "nominal"),
                paired,
            )
        )
    out.sort(key=lambda q: (q.alpha is None, q.alpha if q.alpha is not None else 0.0, q.text))
    return tuple(out)
