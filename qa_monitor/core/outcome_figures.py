"""Customer outcome figures with their intervals, from tallies (no I/O).

Each figure keeps its inputs so a screen can show the formula and the numbers behind
it. Methods (95 % by default):

- a rate of a whole (CRR as the share of the starting customers still there, churn,
  CSAT's share of 4s and 5s, FCR, the retention save rate): the Wilson score interval;
- NPS: the normal approximation for the difference of two shares of one sample,
  Var(NPS) = (p₊ + p₋ − (p₊ − p₋)²) / n, clipped to −100..100 (it is the usual method;
  with small n the interval is wide, and below ``MIN_N`` no figure is shown);
- means (CSAT mean, CES): Student's t interval from n, Σx and Σx²;
- the simple retention index E / S can exceed 100 % and is not a share: no interval.

CRR = ((E − N) / S) × 100 is E − N retained of S; when N > E (more joined than are
left) the data are impossible as a share and ``crr`` raises, as core/metrics.py does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from qa_monitor.core import metrics
from qa_monitor.core.statistics import normal_quantile, t_critical, wilson_interval

# Below this many answers a survey figure is not shown (its interval would be wider
# than the scale's useful range).
MIN_N = 5


@dataclass(frozen=True, slots=True)
class Figure:
    """A percentage (or a mean) with its interval, its n, and the inputs behind it."""

    value: float
    low: float | None
    high: float | None
    n: int
    inputs: tuple[tuple[str, float], ...] = ()  # (symbol, value) pairs for the formula


def rate(successes: int, n: int, inputs: tuple[tuple[str, float], ...] = ()) -> Figure | None:
    """``successes`` of ``n`` as a percentage with its Wilson interval; None when n = 0."""
    share = wilson_interval(successes, n)
    if share is None:
        return None
    return Figure(share.rate * 100.0, share.low * 100.0, share.high * 100.0, n, inputs)


def crr(start: int, end: int, new: int) -> Figure | None:
    """Customer retention rate ((E − N) / S) × 100 with the Wilson interval of E − N
    retained of S; None when S = 0. ValueError when the counts are impossible."""
    value = metrics.customer_retention_rate(start, end, new)  # checks the counts
    kept = end - new
    figure = rate(kept, start, (("S", start), ("E", end), ("N", new)))
    if figure is None:
        return None
    return Figure(value, figure.low, figure.high, start, figure.inputs)


def churn(start: int, lost: int) -> Figure | None:
    """Churn rate lost / S × 100 with its Wilson interval; None when S = 0."""
    if start == 0:
        return None
    metrics.churn_rate(start, lost)  # checks the counts
    return rate(lost, start, (("S", start), ("lost", lost)))


def simple_index(start: int, end: int) -> Figure | None:
    """E / S × 100 (no interval: not a share); None when S = 0."""
    if start == 0:
        return None
    value = metrics.simple_retention_index(start, end)
    return Figure(value, None, None, start, (("S", start), ("E", end)))


def nps(promoters: int, detractors: int, n: int, confidence: float = 0.95) -> Figure | None:
    """NPS = %promoters − %detractors with the normal-approximation interval; None when
    n = 0."""
    if n == 0:
        return None
    if promoters + detractors > n:
        raise ValueError(f"promoters ({promoters}) and detractors ({detractors}) exceed n ({n})")
    p, d = promoters / n, detractors / n
    value = (p - d) * 100.0
    z = normal_quantile(1.0 - (1.0 - confidence) / 2.0)
    half = z * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n) * 100.0
    low, high = max(-100.0, value - half), min(100.0, value + half)
    inputs = (("promoters", promoters), ("detractors", detractors), ("n", n))
    return Figure(value, low, high, n, inputs)


def mean(n: int, total: float, squares: float, confidence: float = 0.95) -> Figure | None:
    """The mean of n answers from Σx and Σx², with Student's t interval (none for
    n = 1); None when n = 0."""
    if n == 0:
        return None
    average = total / n
    if n == 1:
        return Figure(average, None, None, 1, (("n", n),))
    variance = max((squares - n * average * average) / (n - 1), 0.0)
    half = t_critical(n - 1, confidence) * math.sqrt(variance / n)
    return Figure(average, average - half, average + half, n, (("n", n),))
