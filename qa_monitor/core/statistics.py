"""Statistics for dashboards and calibration, in pure Python (no numpy/scipy).

Small samples mislead (an agent with 4 evaluations a month has a wide uncertainty), so the
dashboard shows t-intervals for mean scores, Wilson intervals for pass rates, control limits
for exceptions and Welch's t-test for "significantly down versus the previous period".

The distribution functions are implemented here:

* :func:`normal_quantile` — Acklam's rational approximation refined by one Halley step
  (relative error about 1e-15).
* :func:`student_t_sf` / :func:`student_t_cdf` — through the regularized incomplete beta
  function, evaluated with a continued fraction (modified Lentz).
* :func:`t_critical` — inverts the t distribution with a bracketed Newton iteration.

Inter-rater agreement (Krippendorff's alpha) and calibration summaries live in
:mod:`qa_monitor.core.agreement` and are re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from qa_monitor.core.agreement import CalibrationSummary, calibration_summary, krippendorff_alpha

__all__ = [
    "CalibrationSummary",
    "MeanInterval",
    "Proportion",
    "ProportionDifference",
    "WelchTest",
    "calibration_summary",
    "control_limits",
    "krippendorff_alpha",
    "mean_confidence_interval",
    "newcombe_difference",
    "normal_cdf",
    "normal_quantile",
    "student_t_cdf",
    "student_t_sf",
    "t_critical",
    "welch_t_test",
    "wilson_interval",
]

_EPS = 1e-15
_TINY = 1e-300
_MAX_CF_ITERATIONS = 100_000


# --------------------------------------------------------------------------- normal


def normal_cdf(x: float) -> float:
    """Standard normal CDF Φ(x) = erfc(−x/√2) / 2."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


# Acklam's coefficients for the rational approximation of the normal quantile.
_A = (-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690,
      -30.66479806614716, 2.506628277459239)  # fmt: skip
_B = (-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
      -13.28068155288572)  # fmt: skip
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838, -2.549732539343734,
      4.374664141464968, 2.938163982698783)  # fmt: skip
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996, 3.754408661907416)


def normal_quantile(p: float) -> float:
    """Standard normal quantile Φ⁻¹(p) for 0 < p < 1 (e.g. 0.975 → 1.959963985).

    Acklam's rational approximation (relative error < 1.2e-9) followed by one Halley
    correction step against ``math.erfc``, giving close to full double precision.
    Raises ValueError outside (0, 1).
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be strictly between 0 and 1, got {p!r}")
    if p > 0.5:
        return -normal_quantile(1.0 - p)  # 1 − p is exact for p in [0.5, 1)
    if p < 0.02425:
        q = math.sqrt(-2.0 * math.log(p))
        num = ((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]
        den = (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1.0
        x = num / den
    else:
        q = p - 0.5
        r = q * q
        num = (((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]) * q
        den = ((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1.0
        x = num / den
    # Halley step: f(x) = Φ(x) − p, f' = φ(x), f'' = −x φ(x).
    error = normal_cdf(x) - p
    u = error * math.sqrt(2.0 * math.pi) * math.exp(x * x / 2.0)
    return x - u / (1.0 + x * u / 2.0)


def _two_sided_probability(confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence!r}")
    return 1.0 - (1.0 - confidence) / 2.0


# --------------------------------------------------------------------------- Student t


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction for I_x(a, b) (modified Lentz); converges fast for x < (a+1)/(a+b+2)."""
    c = 1.0
    d = 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_CF_ITERATIONS):
        two_m = 2 * m
        for coefficient in (
            m * (b - m) * x / ((a + two_m - 1.0) * (a + two_m)),  # even term d_2m
            -(a + m) * (a + b + m) * x / ((a + two_m) * (a + two_m + 1.0)),  # odd term d_2m+1
        ):
            d = 1.0 + coefficient * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + coefficient / c
            c = c if abs(c) > _TINY else _TINY
            delta = c * d
            h *= delta
        if abs(delta - 1.0) < _EPS:
            return h
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")


def _stirling_correction(x: float) -> float:
    """log Γ(x) − [(x − ½) log x − x + ½ log 2π], by its asymptotic series (x ≥ 100)."""
    x2 = x * x
    return (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / (1260.0 * x2)) / x2) / x


def _log_beta(a: float, b: float) -> float:
    """log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b).

    For a large argument the lgamma difference cancels badly (log Γ(500) ≈ 2600), so
    log Γ(big) − log Γ(big + small) is expanded with Stirling's series instead.
    """
    big, small = max(a, b), min(a, b)
    if big < 100.0:
        return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    total = big + small
    difference = (
        small
        - small * math.log(total)
        - (big - 0.5) * math.log1p(small / big)
        + _stirling_correction(big)
        - _stirling_correction(total)
    )
    return math.lgamma(small) + difference


def _incomplete_beta(a: float, b: float, x: float, y: float) -> float:
    """Regularized incomplete beta I_x(a, b); ``y`` must equal 1 − x (passed for accuracy)."""
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    # log(x) via log1p(−y) when x is near 1 (and vice versa): a·log x must stay exact for large a.
    log_x = math.log(x) if x < 0.5 else math.log1p(-y)
    log_y = math.log(y) if y < 0.5 else math.log1p(-x)
    log_front = a * log_x + b * log_y - _log_beta(a, b)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, y) / b


def _check_df(df: float) -> float:
    if isinstance(df, bool) or not isinstance(df, int | float) or not df > 0 or math.isinf(df):
        raise ValueError(f"degrees of freedom must be a positive finite number, got {df!r}")
    return float(df)


def student_t_sf(t: float, df: float) -> float:
    """Upper tail P(T > t) of Student's t with ``df`` degrees of freedom.

    For t ≥ 0: P(T > t) = I_x(df/2, 1/2) / 2 with x = df / (df + t²); symmetric otherwise.
    Accurate in the far tail (small p-values are computed directly, not as 1 − CDF).
    """
    nu = _check_df(df)
    if math.isnan(t):
        raise ValueError("t must be a number, got NaN")
    if math.isinf(t):
        return 0.0 if t > 0 else 1.0
    t2 = t * t
    tail = 0.5 * _incomplete_beta(nu / 2.0, 0.5, nu / (nu + t2), t2 / (nu + t2))
    return tail if t >= 0 else 1.0 - tail


def student_t_cdf(t: float, df: float) -> float:
    """Student's t CDF P(T ≤ t) = 1 − :func:`student_t_sf` (computed as sf(−t))."""
    return student_t_sf(-t, df)


def _student_t_pdf(t: float, nu: float) -> float:
    log_norm = math.lgamma((nu + 1.0) / 2.0) - math.lgamma(nu / 2.0) - 0.5 * math.log(nu * math.pi)
    return math.exp(log_norm - (nu + 1.0) / 2.0 * math.log1p(t * t / nu))


_CORNISH_FISHER_DF = 500.0


def _t_upper_quantile(tail: float, nu: float) -> float:
    """Return t > 0 with P(T > t) = tail (0 < tail < 0.5)."""
    if nu == 1.0:  # Cauchy: closed form
        return 1.0 / math.tan(math.pi * tail)
    if nu == 2.0:
        return (1.0 - 2.0 * tail) / math.sqrt(2.0 * tail * (1.0 - tail))
    z = normal_quantile(1.0 - tail)
    if nu >= _CORNISH_FISHER_DF:
        # The expansion's first four terms (Abramowitz and Stegun 26.7.5) agree with the
        # iteration below to about 1e-12 from 500 degrees of freedom up, at a
        # hundredth of its cost (outcome intervals ask for hundreds of these).
        z3, z5, z7, z9 = z**3, z**5, z**7, z**9
        return (
            z
            + (z3 + z) / (4.0 * nu)
            + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * nu**2)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384.0 * nu**3)
            + (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160.0 * nu**4)
        )
    # Start from the Cornish-Fisher expansion around the normal quantile, then bracket.
    guess = z + (z**3 + z) / (4.0 * nu) + (5 * z**5 + 16 * z**3 + 3 * z) / (96.0 * nu * nu)
    low, high = 0.0, max(guess, z)
    while student_t_sf(high, nu) > tail:
        low, high = high, high * 2.0
    t = min(max(guess, low), high)
    for _ in range(200):
        excess = student_t_sf(t, nu) - tail  # decreasing in t
        if excess > 0:
            low = t
        else:
            high = t
        step = excess / _student_t_pdf(t, nu)
        candidate = t + step
        if not low < candidate < high:
            candidate = (low + high) / 2.0
        if abs(candidate - t) <= 1e-14 * max(1.0, abs(t)):
            return candidate
        t = candidate
    return t


def t_critical(df: float, confidence: float = 0.95) -> float:
    """Two-sided Student t critical value: the (1 + confidence)/2 quantile of t(df).

    E.g. t_critical(4) = 2.776445105, t_critical(10, 0.99) = 3.169272673. ``df`` may be
    fractional (Welch). Inverts :func:`student_t_sf` by safeguarded Newton iteration
    (bisection whenever Newton leaves the bracket); closed forms for df = 1 and 2.
    Agrees with scipy to about 1e-12 for df ≤ 1e4 (about 1e-9 by df = 1e8).
    """
    nu = _check_df(df)
    tail = 1.0 - _two_sided_probability(confidence)
    return _t_upper_quantile(tail, nu)


@lru_cache(maxsize=512)
def t_critical_cached(df: int, confidence: float = 0.95) -> float:
    """``t_critical`` for whole degrees of freedom, remembered: pooling a report's cells
    asks for the same few thousands of times, and each answer is an iterative
    inversion (the same value: a cache only)."""
    return t_critical(df, confidence)


# --------------------------------------------------------------------------- intervals


def _finite_values(values: Iterable[float]) -> list[float]:
    result: list[float] = []
    for position, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"value at position {position} (0-based) is not a number: {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"value at position {position} (0-based) is not finite: {value!r}")
        result.append(float(value))
    return result


def _mean_and_variance(values: list[float]) -> tuple[float, float]:
    """Mean and sample variance (n − 1 denominator; needs len ≥ 2), two-pass for accuracy."""
    n = len(values)
    mean = math.fsum(values) / n
    variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, variance


@dataclass(frozen=True, slots=True)
class MeanInterval:
    """Mean with a two-sided t confidence interval; ``low``/``high``/``stdev`` None when n = 1."""

    n: int
    mean: float
    low: float | None
    high: float | None
    stdev: float | None


def mean_confidence_interval(
    values: Iterable[float], confidence: float = 0.95
) -> MeanInterval | None:
    """Student t interval for a mean: x̄ ± t(n−1, confidence) · s / √n.

    ``s`` is the sample standard deviation (n − 1 denominator). Returns None for no values;
    for a single value the mean is known but the interval and stdev are None.
    """
    data = _finite_values(values)
    _two_sided_probability(confidence)
    n = len(data)
    if n == 0:
        return None
    if n == 1:
        return MeanInterval(1, data[0], None, None, None)
    mean, variance = _mean_and_variance(data)
    stdev = math.sqrt(variance)
    half_width = t_critical(n - 1, confidence) * stdev / math.sqrt(n)
    return MeanInterval(n, mean, mean - half_width, mean + half_width, stdev)


@dataclass(frozen=True, slots=True)
class Proportion:
    """A rate ``successes / n`` (0..1) with its Wilson score interval ``low``..``high``."""

    successes: int
    n: int
    rate: float
    low: float
    high: float


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> Proportion | None:
    """Wilson score interval for a proportion (e.g. pass rate), rates as 0..1.

    With p̂ = successes/n and z the two-sided normal quantile:
    centre = (p̂ + z²/2n) / (1 + z²/n), half = z/(1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²).
    Example: 8 of 10 at 95% → (0.4902, 0.9433). Returns None when n = 0.
    """
    for name, value in (("successes", successes), ("n", n)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a non-negative whole number, got {value!r}")
    if successes > n:
        raise ValueError(f"successes ({successes}) cannot exceed n ({n})")
    z = normal_quantile(_two_sided_probability(confidence))
    if n == 0:
        return None
    rate = successes / n
    z2n = z * z / n
    centre = (rate + z2n / 2.0) / (1.0 + z2n)
    half = z / (1.0 + z2n) * math.sqrt(rate * (1.0 - rate) / n + z2n / (4.0 * n))
    low = 0.0 if successes == 0 else max(0.0, min(rate, centre - half))
    high = 1.0 if successes == n else min(1.0, max(rate, centre + half))
    return Proportion(successes, n, rate, low, high)


@dataclass(frozen=True, slots=True)
class ProportionDifference:
    """``difference`` = p₁ − p₂ of two independent rates (0..1), with its interval."""

    difference: float
    low: float
    high: float


def newcombe_difference(
    x1: int, n1: int, x2: int, n2: int, confidence: float = 0.95
) -> ProportionDifference | None:
    """Newcombe's hybrid score interval for p₁ − p₂ of two independent proportions.

    Method 10 of R. G. Newcombe, "Interval estimation for the difference between
    independent proportions: comparison of eleven methods", Statistics in Medicine 17
    (1998) 873–890. With Wilson intervals (l₁, u₁) for p₁ = x₁/n₁ and (l₂, u₂) for
    p₂ = x₂/n₂, and D = p₁ − p₂:
    L = D − √((p₁ − l₁)² + (u₂ − p₂)²), U = D + √((u₁ − p₁)² + (p₂ − l₂)²).
    Newcombe's example (a): 56/70 against 48/80 gives 0.2 (0.0524, 0.3339). It stays
    within −1..1 and never degenerates at 0 or n successes. Returns None when either
    n is 0.
    """
    first = wilson_interval(x1, n1, confidence)
    second = wilson_interval(x2, n2, confidence)
    if first is None or second is None:
        return None
    d = first.rate - second.rate
    low = d - math.sqrt((first.rate - first.low) ** 2 + (second.high - second.rate) ** 2)
    high = d + math.sqrt((first.high - first.rate) ** 2 + (second.rate - second.low) ** 2)
    return ProportionDifference(d, max(-1.0, low), min(1.0, high))


def control_limits(grand_mean: float, sigma: float, n: int, k: float = 3.0) -> tuple[float, float]:
    """Control limits for the mean of ``n`` observations: mean ± k·σ/√n (k = 3 by default).

    A group mean outside these limits is an exception worth looking at. Raises ValueError
    for σ < 0, n < 1 or k < 0.
    """
    if not math.isfinite(grand_mean) or not math.isfinite(sigma) or sigma < 0:
        raise ValueError(f"need a finite mean and sigma >= 0, got {grand_mean!r}, {sigma!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a whole number >= 1, got {n!r}")
    if not math.isfinite(k) or k < 0:
        raise ValueError(f"k must be a finite number >= 0, got {k!r}")
    half = k * sigma / math.sqrt(n)
    return grand_mean - half, grand_mean + half


# --------------------------------------------------------------------------- Welch


@dataclass(frozen=True, slots=True)
class WelchTest:
    """Welch's unequal-variance t-test of mean(a) − mean(b); ``p_value`` is two-sided."""

    t: float
    df: float
    p_value: float
    mean_a: float
    mean_b: float


def welch_t_test(a: Iterable[float], b: Iterable[float]) -> WelchTest | None:
    """Welch's t-test: t = (x̄a − x̄b) / √(sa²/na + sb²/nb).

    df = (sa²/na + sb²/nb)² / ((sa²/na)²/(na − 1) + (sb²/nb)²/(nb − 1)) (Welch–Satterthwaite),
    p = 2 · P(T_df > |t|). A negative t means ``a`` (e.g. this period) is lower than ``b``
    (e.g. the agent's previous period). Returns None when the test is undefined: either
    sample has fewer than 2 values, or both samples have zero variance.
    """
    xs, ys = _finite_values(a), _finite_values(b)
    if len(xs) < 2 or len(ys) < 2:
        return None
    mean_a, var_a = _mean_and_variance(xs)
    mean_b, var_b = _mean_and_variance(ys)
    se_a, se_b = var_a / len(xs), var_b / len(ys)
    standard_error_sq = se_a + se_b
    if standard_error_sq == 0.0:
        return None
    t = (mean_a - mean_b) / math.sqrt(standard_error_sq)
    df = standard_error_sq**2 / (se_a**2 / (len(xs) - 1) + se_b**2 / (len(ys) - 1))
    p_value = min(1.0, 2.0 * student_t_sf(abs(t), df))
    return WelchTest(t, df, p_value, mean_a, mean_b)
