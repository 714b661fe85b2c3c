"""Reviewer agreement: Krippendorff's alpha and calibration against an expert.

DOMAIN.md ("Calibration and trust in the score"): in a calibration session several reviewers
score the same interactions blind. Each is compared with the expert (benchmark) reviewer —
mean absolute deviation (target within ±5 points) and share within ±10 points (> 85% = well
calibrated) — and a chance-corrected agreement statistic, Krippendorff's alpha (interval for
scores, nominal for yes/no items; ≥ 0.80 reliable, ≥ 0.667 tentative), is computed overall
and per question.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["CalibrationSummary", "calibration_summary", "krippendorff_alpha"]

AlphaLevel = Literal["interval", "nominal"]

#: Deviations this close to the tolerance count as within it (float noise, e.g. 90.1 − 80.1).
_TOLERANCE_SLACK = 1e-9


def _unit_values(
    unit: Mapping[Any, Hashable | None], position: int, level: AlphaLevel
) -> list[Hashable]:
    """Values of one unit, missing (None) dropped; interval values become floats."""
    values: list[Hashable] = []
    for coder, value in unit.items():
        if value is None:
            continue
        if level == "interval":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(
                    f"unit {position} (0-based), coder {coder!r}: interval alpha needs numbers, "
                    f"got {value!r}"
                )
            if not math.isfinite(value):
                raise ValueError(
                    f"unit {position} (0-based), coder {coder!r}: value is not finite: {value!r}"
                )
            values.append(float(value))
        else:
            values.append(value)
    return values


def _coincidences(
    data: Iterable[Mapping[Any, Hashable | None]], level: AlphaLevel
) -> dict[tuple[Hashable, Hashable], float]:
    """Coincidence matrix o_ck = Σ_u (number of c–k pairs of values in unit u) / (m_u − 1).

    Pairs are ordered and exclude pairing a value with itself; units with m_u < 2 values are
    not pairable and contribute nothing.
    """
    matrix: dict[tuple[Hashable, Hashable], float] = {}
    for position, unit in enumerate(data):
        if not isinstance(unit, Mapping):
            raise ValueError(
                f"unit {position} (0-based) must be a mapping coder -> value, got {unit!r}"
            )
        counts = Counter(_unit_values(unit, position, level))
        m = sum(counts.values())
        if m < 2:
            continue
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    matrix[(c, k)] = matrix.get((c, k), 0.0) + pairs / (m - 1)
    return matrix


def _delta_squared(c: Hashable, k: Hashable, level: AlphaLevel) -> float:
    """Difference function: nominal 0/1 (equal/different), interval (c − k)²."""
    if level == "nominal":
        return 0.0 if c == k else 1.0
    assert isinstance(c, float) and isinstance(k, float)
    return (c - k) ** 2


def krippendorff_alpha(
    data: Iterable[Mapping[Any, Hashable | None]], level: AlphaLevel = "interval"
) -> float | None:
    """Krippendorff's alpha = 1 − D_o / D_e, via the coincidence matrix.

    ``data`` is a sequence of units (e.g. interactions or question answers), each a mapping
    coder → value; a coder who did not code a unit is simply absent (a None value also counts
    as missing). Units with fewer than 2 values are ignored.

    With o_ck the coincidences, n_c = Σ_k o_ck and n = Σ_c n_c (pairable values):
    D_o = Σ o_ck δ²_ck / n and D_e = Σ n_c n_k δ²_ck / (n (n − 1)), where δ² is 0/1 for
    ``"nominal"`` and (c − k)² for ``"interval"``.

    Returns None when alpha is undefined: fewer than 2 pairable values, or no expected
    disagreement (every pairable value is the same).
    """
    if level not in ("interval", "nominal"):
        raise ValueError(f"level must be 'interval' or 'nominal', got {level!r}")
    matrix = _coincidences(data, level)
    marginals: dict[Hashable, float] = {}
    for (c, _k), o_ck in matrix.items():
        marginals[c] = marginals.get(c, 0.0) + o_ck
    n = math.fsum(marginals.values())
    if n < 2:
        return None
    observed = math.fsum(o_ck * _delta_squared(c, k, level) for (c, k), o_ck in matrix.items())
    expected = math.fsum(
        n_c * n_k * _delta_squared(c, k, level)
        for c, n_c in marginals.items()
        for k, n_k in marginals.items()
    )
    if expected <= 0.0:
        return None
    # 1 − (observed / n) / (expected / (n (n − 1)))
    return 1.0 - (n - 1.0) * observed / expected


@dataclass(frozen=True, slots=True)
class CalibrationSummary:
    """How a reviewer's scores compare with the expert's on the same interactions.

    ``mean_absolute_deviation`` = mean |reviewer − expert| in points; ``bias`` = mean signed
    deviation (reviewer − expert; positive means the reviewer scores higher);
    ``within_tolerance`` counts pairs with |reviewer − expert| ≤ ``tolerance`` and
    ``within_percent`` is that share × 100.
    """

    n: int
    mean_absolute_deviation: float
    bias: float
    within_tolerance: int
    within_percent: float
    tolerance: float


def calibration_summary(
    pairs: Iterable[tuple[float, float]], tolerance: float = 10.0
) -> CalibrationSummary | None:
    """Calibration against the expert for ``(reviewer_score, expert_score)`` pairs.

    MAD = Σ|r − e| / n; bias = Σ(r − e) / n; within = #{|r − e| ≤ tolerance} (inclusive,
    with 1e-9 slack for float noise), reported as a count and a percentage.
    Returns None for no pairs. Raises ValueError for non-finite scores or a negative tolerance.
    """
    if isinstance(tolerance, bool) or not math.isfinite(tolerance) or tolerance < 0:
        raise ValueError(f"tolerance must be a finite number >= 0, got {tolerance!r}")
    deviations: list[float] = []
    for position, pair in enumerate(pairs):
        try:
            reviewer, expert = pair
        except (TypeError, ValueError):
            raise ValueError(
                f"pair at position {position} (0-based) must be (reviewer_score, expert_score), "
                f"got {pair!r}"
            ) from None
        for score in (reviewer, expert):
            if (
                isinstance(score, bool)
                or not isinstance(score, int | float)
                or not math.isfinite(score)
            ):
                raise ValueError(
                    f"pair at position {position} (0-based) has an invalid score: {score!r}"
                )
        deviations.append(float(reviewer) - float(expert))
    n = len(deviations)
    if n == 0:
        return None
    within = sum(1 for d in deviations if abs(d) <= tolerance + _TOLERANCE_SLACK)
    return CalibrationSummary(
        n=n,
        mean_absolute_deviation=math.fsum(abs(d) for d in deviations) / n,
        bias=math.fsum(deviations) / n,
        within_tolerance=within,
        within_percent=within / n * 100.0,
        tolerance=float(tolerance),
    )
