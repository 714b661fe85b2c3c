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
import random
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "AlphaEstimate",
    "CalibrationSummary",
    "alpha_with_interval",
    "calibration_summary",
    "krippendorff_alpha",
]

AlphaLevel = Literal["nominal", "ordinal", "interval", "ratio"]
_LEVELS = ("nominal", "ordinal", "interval", "ratio")
_NUMERIC = ("interval", "ratio")

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
        if level in _NUMERIC:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(
                    f"unit {position} (0-based), coder {coder!r}: {level} alpha needs numbers, "
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


def _delta_function(
    level: AlphaLevel, marginals: Mapping[Hashable, float]
) -> Callable[[Hashable, Hashable], float]:
    """Krippendorff's difference functions δ²_ck (2011, section E):

    - nominal: 0 when c = k, else 1;
    - ordinal: (Σ_{g=c}^{k} n_g − (n_c + n_k) / 2)², over the values in rank order, with
      n_g the marginal totals of the coincidence matrix;
    - interval: (c − k)²;
    - ratio: ((c − k) / (c + k))² (0 when both are 0).
    """
    if level == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if level == "interval":
        return lambda c, k: (float(c) - float(k)) ** 2  # type: ignore[arg-type]
    if level == "ratio":

        def ratio(c: Hashable, k: Hashable) -> float:
            a, b = float(c), float(k)  # type: ignore[arg-type]
            return 0.0 if a + b == 0 else ((a - b) / (a + b)) ** 2

        return ratio
    ranked = sorted(marginals, key=_rank_key)
    position = {v: i for i, v in enumerate(ranked)}
    cumulative = [0.0]
    for v in ranked:
        cumulative.append(cumulative[-1] + marginals[v])

    def ordinal(c: Hashable, k: Hashable) -> float:
        i, j = sorted((position[c], position[k]))
        between = cumulative[j + 1] - cumulative[i]  # n_c + ... + n_k
        return (between - (marginals[c] + marginals[k]) / 2.0) ** 2

    return ordinal


def _rank_key(value: Hashable) -> tuple[int, Any]:
    """Order for ordinal values: numbers by value, then anything else by its text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value))
    return (1, str(value))


def krippendorff_alpha(
    data: Iterable[Mapping[Any, Hashable | None]], level: AlphaLevel = "interval"
) -> float | None:
    """Krippendorff's alpha = 1 − D_o / D_e, via the coincidence matrix.

    ``data`` is a sequence of units (e.g. interactions or question answers), each a mapping
    coder → value; a coder who did not code a unit is simply absent (a None value also counts
    as missing). Units with fewer than 2 values are ignored.

    With o_ck the coincidences, n_c = Σ_k o_ck and n = Σ_c n_c (pairable values):
    D_o = Σ o_ck δ²_ck / n and D_e = Σ n_c n_k δ²_ck / (n (n − 1)), with δ² the level's
    difference function (``_delta_function``): nominal for yes/no and choices, ordinal
    for scales, interval for scores, ratio for quantities with a true zero.

    Returns None when alpha is undefined: fewer than 2 pairable values, or no expected
    disagreement (every pairable value is the same).
    """
    if level not in _LEVELS:
        raise ValueError(f"level must be one of {', '.join(_LEVELS)}, got {level!r}")
    return _alpha(_coincidences(data, level), level)


def _alpha(matrix: Mapping[tuple[Hashable, Hashable], float], level: AlphaLevel) -> float | None:
    marginals: dict[Hashable, float] = {}
    for (c, _k), o_ck in matrix.items():
        marginals[c] = marginals.get(c, 0.0) + o_ck
    n = math.fsum(marginals.values())
    if n < 2:
        return None
    delta = _delta_function(level, marginals)
    observed = math.fsum(o_ck * delta(c, k) for (c, k), o_ck in matrix.items())
    expected = math.fsum(
        n_c * n_k * delta(c, k) for c, n_c in marginals.items() for k, n_k in marginals.items()
    )
    if expected <= 0.0:
        return None
    # 1 − (observed / n) / (expected / (n (n − 1)))
    return 1.0 - (n - 1.0) * observed / expected


@dataclass(frozen=True, slots=True)
class AlphaEstimate:
    """Alpha with a bootstrap 95 % interval and the counts it rests on.

    ``units``: units with at least two values (pairable); ``values``: pairable values.
    ``low``/``high`` are None when there are fewer than 2 pairable units or alpha is
    undefined in too many resamples (under half).
    """

    alpha: float | None
    low: float | None
    high: float | None
    units: int
    values: int
    level: AlphaLevel


def alpha_with_interval(
    data: Iterable[Mapping[Any, Hashable | None]],
    level: AlphaLevel = "interval",
    *,
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> AlphaEstimate:
    """Alpha and a percentile bootstrap interval over units.

    Method: the pairable units are resampled with replacement ``resamples`` times
    (seeded: the same data always give the same interval), alpha is recomputed on each
    resample from the sum of the units' own coincidence matrices, and the interval is
    the (1 − confidence) / 2 and (1 + confidence) / 2 quantiles of the defined values.
    Resampling units (calls, questions) rather than single judgements keeps each
    unit's reviewers together, which is what a calibration session samples.
    """
    if level not in _LEVELS:
        raise ValueError(f"level must be one of {', '.join(_LEVELS)}, got {level!r}")
    per_unit = []
    for position, unit in enumerate(data):
        matrix = _coincidences([unit], level)
        if matrix:
            per_unit.append(matrix)
        elif not isinstance(unit, Mapping):
            raise ValueError(f"unit {position} (0-based) must be a mapping coder -> value")
    total = _sum_matrices(per_unit)
    alpha = _alpha(total, level)
    values = round(math.fsum(total.values()))
    if alpha is None or len(per_unit) < 2:
        return AlphaEstimate(alpha, None, None, len(per_unit), values, level)
    rng = random.Random(seed)
    draws: list[float] = []
    for _ in range(resamples):
        sample = [per_unit[rng.randrange(len(per_unit))] for _ in per_unit]
        a = _alpha(_sum_matrices(sample), level)
        if a is not None:
            draws.append(a)
    if len(draws) < resamples / 2:
        return AlphaEstimate(alpha, None, None, len(per_unit), values, level)
    draws.sort()
    tail = (1.0 - confidence) / 2.0
    return AlphaEstimate(
        alpha,
        _quantile(draws, tail),
        _quantile(draws, 1.0 - tail),
        len(per_unit),
        values,
        level,
    )


def _sum_matrices(
    matrices: Iterable[Mapping[tuple[Hashable, Hashable], float]],
) -> dict[tuple[Hashable, Hashable], float]:
    total: dict[tuple[Hashable, Hashable], float] = {}
    for m in matrices:
        for key, value in m.items():
            total[key] = total.get(key, 0.0) + value
    return total


def _quantile(ordered: list[float], q: float) -> float:
    """Linear interpolation between order statistics (type 7, as numpy's default)."""
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


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
