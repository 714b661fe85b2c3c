"""Planted evaluations for the reviewer quality tests (service and screen), made through
the real services on the ``tests.reports.analytics_data`` centre: the form scores 10
points per yes/no question, so ``misses_for(s)`` gives a score of exactly ``s``."""

from __future__ import annotations

from datetime import date

from qa_monitor.core.records import EvaluationKind
from tests.reports.analytics_data import Centre, evaluate, misses_for


def plant_strictness(centre: Centre) -> None:
    """Cells (form 'ten', team, month) and the offsets they give (peers − own):

    A  team 1, March: R1 70, 80 (mean 75); R2 90   → R1 +15 (w 2), R2 −15 (w 1)
    B  team 2, March: R1 80;      R2 80, 90 (85)  → R1  +5 (w 1), R2  −5 (w 2)
    C  team 1, April: R1 60;      R2 70           → R1 +10 (w 1), R2 −10 (w 1)
    D  team 2, April: R2 50 alone                 → no comparison
    """
    r1, r2 = centre.reviewers
    team1, team2 = centre.agents[0], centre.agents[2]
    for agent, day, reviewer, score in (
        (team1, date(2026, 3, 3), r1, 70),
        (team1, date(2026, 3, 4), r1, 80),
        (team1, date(2026, 3, 5), r2, 90),
        (team2, date(2026, 3, 6), r1, 80),
        (team2, date(2026, 3, 7), r2, 80),
        (team2, date(2026, 3, 8), r2, 90),
        (team1, date(2026, 4, 3), r1, 60),
        (team1, date(2026, 4, 4), r2, 70),
        (team2, date(2026, 4, 5), r2, 50),
    ):
        evaluate(centre, agent, day, misses_for(score), reviewer=reviewer)


def plant_unreliable_q1(centre: Centre) -> None:
    """Six calibration sessions (expert, R1, R2 on one call each) in March 2026."""
    r1, r2 = centre.reviewers
    calibration = EvaluationKind.CALIBRATION
    # Six sessions (expert, R1, R2 on one call each). q1: the reviewers split at
    # random-looking; q2: they agree, "no" in the first three sessions, "yes" after.
    q1_misses = (
        (True, False, True), (False, True, False), (True, True, False),
        (False, False, True), (True, False, False), (False, True, True),
    )  # fmt: skip
    for s, misses in enumerate(q1_misses):
        day = date(2026, 3, 2 + s)
        interaction = None
        for reviewer, miss in zip((centre.expert, r1, r2), misses, strict=True):
            missed = (["q1"] if miss else []) + (["q2"] if s < 3 else [])
            eid = evaluate(
                centre, centre.agents[0], day, missed,
                reviewer=reviewer, kind=calibration, interaction_id=interaction,
            )  # fmt: skip
            interaction = centre.services.evaluations.get_evaluation(eid).interaction_id
