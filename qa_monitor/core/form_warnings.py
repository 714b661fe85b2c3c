"""Warnings about a form: things that are probably mistakes but do not stop publishing.

- A section that declares ``max_points`` should have regular scored questions whose
  points add up to it (bonus questions are extra and do not count; conditional and N/A
  questions count, since the maximum is what the section is worth when all apply).
- In weighted mode the weights of the scored sections should add up to 100, so each
  weight reads as the section's share of the score in percent. Scoring itself only uses
  the weights' ratios, which is why this is a warning, not an error.

Errors (``form_validation``) come first: a form with errors gets no warnings about the
parts at fault, so an author is not told twice about one mistake.
"""

from __future__ import annotations

import math

from qa_monitor.core.form_problems import FormProblem, Severity
from qa_monitor.core.forms import Form, ScoringMode, Section

WEIGHT_TOTAL = 100.0
_TOLERANCE = 1e-6  # points and weights are typed decimals: 33.3 + 33.3 + 33.4 is 100


def regular_points(section: Section) -> float:
    """What the section's regular (non-bonus) scored questions are worth together."""
    return sum(q.points for q in section.questions if q.scored and not q.bonus)


def _number(value: float) -> str:
    return f"{round(value, 6):g}"


def form_warnings(form: Form) -> list[FormProblem]:
    """Every warning about ``form``, in form order; they never block publishing."""
    warnings: list[FormProblem] = []
    for section in form.sections:
        declared = section.max_points
        if declared is None or not math.isfinite(declared) or declared <= 0:
            continue  # no maximum, or a wrong one that validation already reports
        total = regular_points(section)
        if abs(total - declared) > _TOLERANCE:
            warnings.append(
                FormProblem(
                    f"the questions add up to {_number(total)} points, "
                    f"but the section declares max_points {_number(declared)}",
                    "change a question's points, or the section's max_points, so they agree",
                    section.id,
                    field="max_points",
                    severity=Severity.WARNING,
                )
            )
    if form.settings.scoring_mode is ScoringMode.WEIGHTED:
        weights = [s.weight for s in form.sections if _scored(s)]
        total = sum(weights)
        valid = all(math.isfinite(w) and w >= 0 for w in weights)
        if weights and valid and total > 0 and abs(total - WEIGHT_TOTAL) > _TOLERANCE:
            warnings.append(
                FormProblem(
                    f"the scored sections' weights add up to {_number(total)}, not 100",
                    "give each section its share of the score in percent, so the weights "
                    "add up to 100",
                    field="weight",
                    severity=Severity.WARNING,
                )
            )
    return warnings


def _scored(section: Section) -> bool:
    return any(q.scored and not q.bonus for q in section.questions)
