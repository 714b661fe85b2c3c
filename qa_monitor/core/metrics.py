"""Customer retention and customer-experience metrics.

Each function implements one rule from DOMAIN.md ("Retention metrics") and says which in its
docstring. Rates are returned as percentages (0..100) at full float precision; round only for
display, with :func:`round_half_up` / :func:`format_percent`.

Conventions:

* Counts must be non-negative integers (``bool`` is rejected). Impossible combinations raise
  :class:`ValueError` with a message naming the offending numbers.
* Survey aggregates (NPS, CSAT, CES, FCR from contacts) never raise on an empty input: they
  return their result dataclass with ``n == 0`` and the score/percent fields set to ``None``,
  so a report can show "no data" instead of failing.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

__all__ = [
    "REPEAT_WINDOW_DAYS",
    "CsatResult",
    "EffortScore",
    "FcrResult",
    "NetPromoterScore",
    "churn_rate",
    "csat",
    "customer_effort_score",
    "customer_retention_rate",
    "fcr_from_contacts",
    "first_contact_resolution",
    "format_percent",
    "net_promoter_score",
    "round_half_up",
    "simple_retention_index",
]

#: The repeat-contact window of first-contact resolution (DOMAIN.md: "no repeat contact from
#: the same customer within 7 days"). The database's repeat-contact column and roll-ups
#: (storage/repeat_contacts.py) use this same constant.
REPEAT_WINDOW_DAYS = 7

#: Text shown by :func:`format_percent` when there is no value (e.g. no survey answers).
NO_VALUE = "—"


# --------------------------------------------------------------------------- helpers


def _count(value: int, name: str) -> int:
    """Return ``value`` if it is a non-negative int, else raise a ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative, got {value}")
    return value


def _scores(scores: Iterable[int], low: int, high: int, what: str) -> list[int]:
    """Validate survey answers: each an int in ``low..high``; errors name value and position."""
    result: list[int] = []
    for position, score in enumerate(scores):
        if isinstance(score, bool) or not isinstance(score, int):
            raise ValueError(
                f"{what} answer at position {position} (0-based) must be a whole number "
                f"{low}..{high}, got {score!r}"
            )
        if not low <= score <= high:
            raise ValueError(
                f"{what} answer at position {position} (0-based) is {score}, "
                f"outside the {low}..{high} scale"
            )
        result.append(score)
    return result


def _percent(part: int, whole: int) -> float:
    return part / whole * 100.0


# --------------------------------------------------------------------------- retention


def customer_retention_rate(start: int, end: int, new: int) -> float:
    """Customer retention rate: CRR = ((E − N) / S) × 100.

    ``start`` = S, customers at the start of the period; ``end`` = E, customers at the end;
    ``new`` = N, customers acquired during the period (and still there at the end).
    Example: S = 20, N = 5, one customer leaves so E = 24 → 95.0.

    Raises ValueError when S is 0, a count is negative, E < N (more new customers than
    customers at the end), or E − N > S (more customers retained than there were).
    """
    s = _count(start, "start (customers at period start)")
    e = _count(end, "end (customers at period end)")
    n = _count(new, "new (customers acquired in the period)")
    if s == 0:
        raise ValueError("retention rate is undefined when there are no customers at the start")
    if e < n:
        raise ValueError(
            f"end ({e}) cannot be smaller than new ({n}): the new customers still present "
            "are part of the end count"
        )
    if e - n > s:
        raise ValueError(
            f"end − new = {e - n} retained customers exceeds the {s} customers at the start"
        )
    return (e - n) / s * 100.0


def simple_retention_index(start: int, end: int) -> float:
    """Simple retention index = E / S × 100, for a period with no new customers.

    Example: 352 → 298 gives 84.659…% (displayed as 84.7 with :func:`format_percent`).

    Raises ValueError when S is 0, a count is negative, or E > S (impossible without new
    customers: use :func:`customer_retention_rate` instead).
    """
    s = _count(start, "start (customers at period start)")
    e = _count(end, "end (customers at period end)")
    if s == 0:
        raise ValueError("retention index is undefined when there are no customers at the start")
    if e > s:
        raise ValueError(
            f"end ({e}) exceeds start ({s}); the simple index assumes no new customers, "
            "use customer_retention_rate(start, end, new)"
        )
    return e / s * 100.0


def churn_rate(start: int, lost: int) -> float:
    """Churn rate = customers lost in the period / S × 100.

    ``lost`` counts customers of the starting base lost during the period, so it cannot
    exceed S. Raises ValueError when S is 0, a count is negative or lost > S.
    """
    s = _count(start, "start (customers at period start)")
    lost_n = _count(lost, "lost (customers lost in the period)")
    if s == 0:
        raise ValueError("churn rate is undefined when there are no customers at the start")
    if lost_n > s:
        raise ValueError(f"lost ({lost_n}) cannot exceed the {s} customers at the start")
    return lost_n / s * 100.0


# --------------------------------------------------------------------------- surveys


@dataclass(frozen=True, slots=True)
class NetPromoterScore:
    """NPS tally. ``nps`` is %promoters − %detractors (−100..100), ``None`` when n == 0."""

    promoters: int
    passives: int
    detractors: int
    n: int
    nps: float | None


def net_promoter_score(scores: Iterable[int]) -> NetPromoterScore:
    """Net Promoter Score on the 0–10 "how likely to recommend" scale.

    Promoters answer 9–10, passives 7–8, detractors 0–6; NPS = %promoters − %detractors.
    Every answer must be an int 0..10 (ValueError names the bad value and its position).
    An empty input gives ``n == 0`` and ``nps is None``.
    """
    values = _scores(scores, 0, 10, "NPS")
    promoters = sum(1 for v in values if v >= 9)
    detractors = sum(1 for v in values if v <= 6)
    n = len(values)
    passives = n - promoters - detractors
    nps = None if n == 0 else _percent(promoters, n) - _percent(detractors, n)
    return NetPromoterScore(promoters, passives, detractors, n, nps)


@dataclass(frozen=True, slots=True)
class CsatResult:
    """CSAT tally: ``satisfied`` answers (4 or 5) of ``n``; ``percent`` is None when n == 0."""

    n: int
    satisfied: int
    percent: float | None


def csat(scores: Iterable[int]) -> CsatResult:
    """Customer satisfaction: share of 4s and 5s on a 1–5 scale × 100.

    Every answer must be an int 1..5. An empty input gives ``n == 0`` and ``percent is None``.
    """
    values = _scores(scores, 1, 5, "CSAT")
    satisfied = sum(1 for v in values if v >= 4)
    n = len(values)
    return CsatResult(n, satisfied, None if n == 0 else _percent(satisfied, n))


@dataclass(frozen=True, slots=True)
class EffortScore:
    """CES summary: ``mean`` answer and ``easy`` answers (5–7) as ``easy_percent``.

    ``mean`` and ``easy_percent`` are None when n == 0.
    """

    n: int
    mean: float | None
    easy: int
    easy_percent: float | None


def customer_effort_score(scores: Iterable[int]) -> EffortScore:
    """Customer Effort Score: 1–7 agreement with "the company made it easy to handle my issue".

    Reports the mean answer and the share of 5–7 answers × 100. Every answer must be an int
    1..7. An empty input gives ``n == 0`` with ``mean`` and ``easy_percent`` None.
    """
    values = _scores(scores, 1, 7, "CES")
    n = len(values)
    easy = sum(1 for v in values if v >= 5)
    if n == 0:
        return EffortScore(0, None, 0, None)
    return EffortScore(n, math.fsum(values) / n, easy, _percent(easy, n))


# --------------------------------------------------------------------------- FCR


def first_contact_resolution(resolved: int, total: int) -> float:
    """First-contact resolution: FCR = interactions resolved on first contact / interactions × 100.

    Raises ValueError when total is 0, a count is negative or resolved > total.
    """
    r = _count(resolved, "resolved (interactions resolved on first contact)")
    t = _count(total, "total (interactions)")
    if t == 0:
        raise ValueError("first-contact resolution is undefined with no interactions")
    if r > t:
        raise ValueError(f"resolved ({r}) cannot exceed total interactions ({t})")
    return _percent(r, t)


@dataclass(frozen=True, slots=True)
class FcrResult:
    """FCR from contact history.

    ``n`` interactions were judged, ``resolved`` of them had no repeat contact in the window;
    ``pending`` interactions were left out because their window had not closed by ``as_of``.
    ``percent`` is None when n == 0.
    """

    n: int
    resolved: int
    pending: int
    percent: float | None


def fcr_from_contacts(
    contacts: Iterable[tuple[Hashable, datetime]],
    window_days: float = REPEAT_WINDOW_DAYS,
    *,
    as_of: datetime | None = None,
) -> FcrResult:
    """FCR from contact history: no repeat contact from the same customer within the window.

    ``contacts`` holds ``(customer_ref, when)`` pairs in any order. An interaction counts as
    resolved on first contact when the same customer has no further contact at a time ``t``
    with ``when <= t <= when + window_days`` (the boundary is inclusive: a repeat exactly
    7 days later is still a repeat; two contacts at the same instant make the earlier-listed
    one a repeat-followed contact). FCR = resolved / judged × 100.

    If ``as_of`` is given, interactions whose window ends after ``as_of`` are not judged yet
    (a repeat could still come) and are counted in ``pending`` instead. Without ``as_of`` every
    interaction is judged on the data given.

    Raises ValueError when ``window_days`` is not a positive number or a customer reference is
    None; mixing naive and aware datetimes raises TypeError (from the comparison).
    """
    if (
        isinstance(window_days, bool)
        or not isinstance(window_days, int | float)
        or not math.isfinite(window_days)
        or window_days <= 0
    ):
        raise ValueError(f"window_days must be a positive number, got {window_days!r}")
    window = timedelta(days=window_days)

    by_customer: dict[Hashable, list[datetime]] = {}
    for position, (customer, when) in enumerate(contacts):
        if customer is None:
            raise ValueError(f"contact at position {position} (0-based) has no customer reference")
        if not isinstance(when, datetime):
            raise ValueError(
                f"contact at position {position} (0-based) needs a datetime, got {when!r}"
            )
        by_customer.setdefault(customer, []).append(when)

    judged = resolved = pending = 0
    for times in by_customer.values():
        times.sort()  # stable: equal instants keep their input order
        for i, when in enumerate(times):
            if as_of is not None and when + window > as_of:
                pending += 1
                continue
            judged += 1
            if i + 1 == len(times) or times[i + 1] - when > window:
                resolved += 1
    return FcrResult(judged, resolved, pending, None if judged == 0 else _percent(resolved, judged))


# --------------------------------------------------------------------------- display


def round_half_up(value: float, digits: int = 1) -> float:
    """Round for display, halves away from zero: 84.65 → 84.7, 0.25 → 0.3, −2.5 → −3.

    Rounds the float's decimal value at 15 significant digits (what a double reliably
    holds, and what Excel shows), so a value typed as 2.675 rounds to 2.68 and a value
    computed as 79.94999999999999 (binary noise on 79.95) rounds to 80.0, even though
    both binary floats are slightly below the half. Raises ValueError for NaN/infinity or
    a negative ``digits``. Never returns −0.0.
    """
    if not math.isfinite(value):
        raise ValueError(f"cannot round a non-finite value: {value!r}")
    if digits < 0:
        raise ValueError(f"digits must be >= 0, got {digits}")
    if abs(value) >= 2.0**52:
        return float(value)  # already a whole number; Decimal would overflow its precision
    with localcontext() as context:
        context.prec = 40 + digits  # enough for 2**52 plus every requested decimal place
        quantum = Decimal(1).scaleb(-digits)
        decimal = Decimal(f"{float(value):.15g}")
        rounded = float(decimal.quantize(quantum, rounding=ROUND_HALF_UP))
    return rounded + 0.0  # turns −0.0 into 0.0


def format_percent(value: float | None, digits: int = 1) -> str:
    """Format a percentage for display: half-up rounded to ``digits`` places plus "%".

    84.65909 → "84.7%". ``None`` (no data) gives the placeholder ``NO_VALUE`` ("—").
    """
    if value is None:
        return NO_VALUE
    return f"{round_half_up(value, digits):.{digits}f}%"
