"""A ScoreResult as the rows and columns the schema stores, in one place for every writer
(submit, edit, the demo and the scale generator), so stored numbers never diverge."""

from __future__ import annotations

from typing import Any

from qa_monitor.core.scoring import ScoreResult

# The evaluations columns score_values() fills, in order.
SCORE_COLUMNS = (
    "score",
    "score_before_critical",
    "passed",
    "band",
    "critical_failed",
    "auto_failed",
    "earned",
    "possible",
)
# What a draft (no result yet) stores in the same columns.
NO_SCORE_VALUES: tuple[Any, ...] = (None, None, None, None, 0, 0, None, None)


def score_values(result: ScoreResult) -> tuple[Any, ...]:
    """The evaluation's SCORE_COLUMNS values, at full precision."""
    return (
        result.score,
        result.score_before_critical,
        None if result.passed is None else int(result.passed),
        result.band,
        int(result.critical_failed),
        int(result.auto_failed),
        result.earned,
        result.possible,
    )


def section_score_rows(evaluation_id: int, result: ScoreResult) -> list[tuple[Any, ...]]:
    """section_scores rows in form order: (evaluation_id, section_id, position, category,
    earned, earned_before_critical, possible, weight, critical_failed)."""
    return [
        (
            evaluation_id,
            s.section_id,
            position,
            s.category.value,
            s.earned,
            s.earned_before_critical,
            s.possible,
            s.weight,
            int(s.critical_failed),
        )
        for position, s in enumerate(result.sections)
    ]
