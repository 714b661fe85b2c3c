"""Interval statistics from roll-up sums (n, Σq, Σq²) instead of lists of scores.

The roll-ups keep, per group, the count of scored evaluations and the exact integer
sums of q = score × 10,000 and of q². These helpers apply the same rules as
``core.statistics`` (whose distribution functions they use):

- mean = Σq / (n · 10,000); sample variance s² = (n·Σq² − (Σq)²) / (n(n − 1)) / 10,000²,
  computed with Python integers, so nothing is lost to cancellation.
- t interval: mean ± t(n − 1, confidence) · s / √n (``core.statistics.mean_confidence_interval``).
- Welch's t-test on two groups' moments (``core.statistics.welch_t_test``).
"""

from __future__ import annotations

import math
from functools import lru_cache

from qa_monitor.core.statistics import MeanInterval, WelchTest, student_t_sf, t_critical
from qa_monitor.storage.analytics_queries import EvalSums
from qa_monitor.storage.rollup_specs import SCALE


@lru_cache(maxsize=8192)
def _t_critical(df: int, confidence: float) -> float:
    """``t_critical`` remembered: a league of 1,000 agents asks for the same few hundred
    degrees of freedom on every refresh, and each costs up to half a millisecond."""
    return t_critical(df, confidence)


def mean_of(sums: EvalSums) -> float | None:
    """Mean score (points), None without scored evaluations."""
    if sums.n_scored == 0:
        return None
    return sums.sum_q / (sums.n_scored * SCALE)


def variance_of(sums: EvalSums) -> float | None:
    """Sample variance of the scores (n − 1 denominator), None for fewer than 2."""
    n = sums.n_scored
    if n < 2:
        return None
    numerator = n * sums.sum_q2 - sums.sum_q * sums.sum_q
    return max(0, numerator) / (n * (n - 1) * SCALE * SCALE)


def interval_of(sums: EvalSums, confidence: float = 0.95) -> MeanInterval | None:
    """Mean with its two-sided t interval (low/high/stdev None when n = 1)."""
    mean = mean_of(sums)
    if mean is None:
        return None
    variance = variance_of(sums)
    if variance is None:
        return MeanInterval(sums.n_scored, mean, None, None, None)
    stdev = math.sqrt(variance)
    half = _t_critical(sums.n_scored - 1, confidence) * stdev / math.sqrt(sums.n_scored)
    return MeanInterval(sums.n_scored, mean, mean - half, mean + half, stdev)


def welch_of(a: EvalSums, b: EvalSums) -> WelchTest | None:
    """Welch's t-test of mean(a) − mean(b); None when either has fewer than 2 scores or
    both have zero variance. A negative t means ``a`` is lower."""
    var_a, var_b = variance_of(a), variance_of(b)
    mean_a, mean_b = mean_of(a), mean_of(b)
    if var_a is None or var_b is None or mean_a is None or mean_b is None:
        return None
    se_a, se_b = var_a / a.n_scored, var_b / b.n_scored
    standard_error_sq = se_a + se_b
    if standard_error_sq == 0.0:
        return None
    t = (mean_a - mean_b) / math.sqrt(standard_error_sq)
    df = standard_error_sq**2 / (se_a**2 / (a.n_scored - 1) + se_b**2 / (b.n_scored - 1))
    p_value = min(1.0, 2.0 * student_t_sf(abs(t), df))
    return WelchTest(t, df, p_value, mean_a, mean_b)


def stdev_of(sums: EvalSums) -> float | None:
    variance = variance_of(sums)
    return None if variance is None else math.sqrt(variance)
