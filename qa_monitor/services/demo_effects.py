"""Known effects planted in the demo and scale data, so the Drivers analysis can be
checked against an answer known in advance (docs/outcomes.md, "Planted effects").

The model, per evaluated call:

- A planted question earns full marks with probability ``FULL_RATE`` whatever the
  agent's skill (N/A where its form allows it, as any question), so it is independent
  of every other question; every other question follows the skill model.
- CSAT = 1 + Binomial(4, p), NPS = Binomial(10, min(p + 0.2, 0.98)),
  CES = 1 + Binomial(6, p), with p = ``SURVEY_P`` + Σ (planted CSAT amount / 4) over
  the call's planted CSAT questions with full marks. So full marks on such a question
  raise mean CSAT by exactly its amount (the other terms are independent of it), and
  move NPS and CES the same way (their size is not stated).
- Resolved on first contact (the inbound form's own question): yes with probability
  ``FCR_P`` + Σ planted FCR amounts / 100 of full-marks questions.
- A retention call ends undecided with probability ``UNDECIDED``; otherwise retained
  with probability ``RETAINED_P`` + Σ planted retention amounts / 100.
- Repeat contacts: the customer of a call answered "not resolved" contacts the centre
  again within 7 days with probability ``REPEAT_IF_UNRESOLVED``, any other customer
  with ``REPEAT_IF_RESOLVED`` (``repeat_chance``). So a question planted on the
  reported FCR moves FCR from repeat contacts by its amount × (``REPEAT_IF_UNRESOLVED``
  − ``REPEAT_IF_RESOLVED``): solution_fits' 15 points become 12.75 (``PLANTED``).
- Nothing else depends on the answers: every other question is a true null, and QA
  score correlates with CSAT only through the planted questions' share of the score
  (as industry reports find: weakly).
"""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass

from qa_monitor.core.drivers import Outcome

FULL_RATE = 0.75
SURVEY_P = 0.62
FCR_P = 0.55
RETAINED_P = 0.35
UNDECIDED = 0.1
REPEAT_IF_UNRESOLVED = 0.9
REPEAT_IF_RESOLVED = 0.05
_SOLUTION_FITS_FCR = 15.0


@dataclass(frozen=True, slots=True)
class PlantedEffect:
    form_id: str
    question_id: str
    outcome: Outcome
    amount: float  # CSAT points, or percentage points of FCR / retention


PLANTED: tuple[PlantedEffect, ...] = (
    PlantedEffect("inbound_service", "showed_empathy", Outcome.CSAT, 0.6),
    PlantedEffect("inbound_service", "plain_language", Outcome.CSAT, 0.4),
    PlantedEffect("inbound_service", "solution_fits", Outcome.FCR, _SOLUTION_FITS_FCR),
    # The same question through repeat contacts (the module rules).
    PlantedEffect(
        "inbound_service",
        "solution_fits",
        Outcome.FCR_REPEAT,
        _SOLUTION_FITS_FCR * (REPEAT_IF_UNRESOLVED - REPEAT_IF_RESOLVED),
    ),
    PlantedEffect("retention_call", "offer_fits_reason", Outcome.RETENTION, 20.0),
    PlantedEffect("retention_call", "explained_value", Outcome.RETENTION, 15.0),
    # The scale generator's form (benchmarks/bench_form.py): its surveys follow the
    # same model.
    PlantedEffect("bench_inbound", "empathy", Outcome.CSAT, 0.6),
    PlantedEffect("bench_inbound", "plain_words", Outcome.CSAT, 0.4),
)


def planted_questions(form_id: str) -> dict[str, float]:
    """Question id → its full-marks probability, for the planted questions of a form."""
    return {e.question_id: FULL_RATE for e in PLANTED if e.form_id == form_id}


def _sum(form_id: str, outcome: Outcome, full: Collection[str]) -> float:
    return sum(
        e.amount
        for e in PLANTED
        if e.form_id == form_id and e.outcome is outcome and e.question_id in full
    )


def _binomial(n: int, p: float, rng: random.Random) -> int:
    return sum(rng.random() < p for _ in range(n))


def survey(form_id: str, full: Collection[str], rng: random.Random) -> tuple[int, int, int]:
    """(CSAT, NPS, CES) of a call whose questions ``full`` earned full marks."""
    p = SURVEY_P + _sum(form_id, Outcome.CSAT, full) / 4.0
    return (
        1 + _binomial(4, p, rng),
        _binomial(10, min(p + 0.2, 0.98), rng),
        1 + _binomial(6, p, rng),
    )


def resolved_chance(form_id: str, full: Collection[str]) -> float:
    return FCR_P + _sum(form_id, Outcome.FCR, full) / 100.0


def repeat_chance(resolved: bool | None) -> float:
    """The chance that the customer of a call contacts the centre again within the
    repeat window (core.metrics.REPEAT_WINDOW_DAYS),
    from the call's reported resolution (None: not asked)."""
    return REPEAT_IF_UNRESOLVED if resolved is False else REPEAT_IF_RESOLVED


def retention(form_id: str, full: Collection[str], u_undecided: float, u_kept: float) -> str:
    """'retained', 'lost' or 'undecided' from two uniforms."""
    if u_undecided < UNDECIDED:
        return "undecided"
    kept = RETAINED_P + _sum(form_id, Outcome.RETENTION, full) / 100.0
    return "retained" if u_kept < kept else "lost"
