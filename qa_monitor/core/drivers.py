"""Which behaviours move customer outcomes: per question, the outcomes of interactions
where it earned full marks against those where it did not (no I/O).

This is association, not proof of cause: a question can go with better outcomes
because of what else happens on those calls. Screens and exports say so.

For each question and each outcome, with the two groups' tallies (``Tally``):

- CSAT (mean on 1–5) and CES (mean on 1–7): the difference of means (full − not),
  Welch's t interval; the two-sided p of Student's t with the pooled variance (the
  test assumes no difference, so one shared spread: a small group's own variance,
  often near 0 for answers bunched at 5, made Welch's p far too small); effect size
  Cohen's d (pooled SD).
- NPS (points, −100..100): the difference of the two NPS, each with variance
  (p₊ + p₋ − (p₊ − p₋)²) / n, normal interval; the z-test uses the variance of both
  groups together (the same reason); effect size the difference over the pooled SD
  of the +1/0/−1 answers.
- FCR (as reported, and from repeat contacts: contacts not followed by a repeat
  within the window, of those judged) and retention (saved of decided retention
  calls), in percentage points: Newcombe's hybrid score interval for the difference
  of two rates, the pooled two-proportion z-test p; effect size Cohen's h.
- The effect size's 95 % interval (the chart's whiskers, ``size_interval``): for rates,
  h ± z·√(1/n₁ + 1/n₂) (the arcsine transform gives each rate the variance 1/n, so
  this is the usual interval for h); for means and NPS, the difference's interval
  divided by the same pooled SD as d.
- A comparison is made only when each group has at least ``MIN_GROUP`` answers for
  that outcome; below it the result is hidden (its n is still given).
- The p-values of every comparison made in one analysis are adjusted together with
  Benjamini–Hochberg; a result is flagged at a false-discovery rate of ``FDR`` (5 %).
- A question with at least one comparison made, none flagged, and every |effect
  size| below ``NEGLIGIBLE`` predicts nothing measurable: a candidate to reword or drop.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from enum import StrEnum

from qa_monitor.core.statistics import (
    newcombe_difference,
    normal_cdf,
    normal_quantile,
    student_t_sf,
    t_critical,
)

MIN_GROUP = 30
FDR = 0.05
NEGLIGIBLE = 0.1
_Z95 = normal_quantile(0.975)


class Outcome(StrEnum):
    CSAT = "csat"
    NPS = "nps"
    CES = "ces"
    FCR = "fcr"
    FCR_REPEAT = "fcr_repeat"  # from repeat contacts (core.metrics.fcr_from_contacts)
    RETENTION = "retention"


@dataclass(frozen=True, slots=True)
class Tally:
    """Outcome tallies of one group of answers (the drivers roll-up's measures)."""

    n_csat: int = 0
    sum_csat: int = 0
    sum_csat2: int = 0
    n_sat: int = 0
    n_nps: int = 0
    n_promoters: int = 0
    n_detractors: int = 0
    n_ces: int = 0
    sum_ces: int = 0
    sum_ces2: int = 0
    n_fcr: int = 0
    n_resolved: int = 0
    n_ret: int = 0
    n_retained: int = 0
    n_rc: int = 0  # contacts judged for repeat contacts (with a customer reference)
    n_repeat: int = 0  # of them followed by a repeat within the window

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(_values(self), _values(other), strict=True)))

    def n(self, outcome: Outcome) -> int:
        return {
            Outcome.CSAT: self.n_csat,
            Outcome.NPS: self.n_nps,
            Outcome.CES: self.n_ces,
            Outcome.FCR: self.n_fcr,
            Outcome.RETENTION: self.n_ret,
            Outcome.FCR_REPEAT: self.n_rc,
        }[outcome]


def _values(tally: Tally) -> tuple[int, ...]:
    return tuple(getattr(tally, f.name) for f in fields(Tally))


@dataclass(frozen=True, slots=True)
class Effect:
    """One question against one outcome. Values are in the outcome's unit (points of a
    mean, NPS points, percentage points); ``shown`` False when a group is below
    ``MIN_GROUP`` (then only the n are meaningful)."""

    question_id: str
    outcome: Outcome
    n_full: int
    n_missed: int
    shown: bool
    value_full: float | None = None
    value_missed: float | None = None
    difference: float | None = None
    low: float | None = None
    high: float | None = None
    effect_size: float | None = None
    p_value: float | None = None
    q_value: float | None = None  # Benjamini–Hochberg adjusted

    @property
    def flagged(self) -> bool:
        return self.q_value is not None and self.q_value < FDR


@dataclass(frozen=True, slots=True)
class QuestionDrivers:
    question_id: str
    effects: tuple[Effect, ...]

    @property
    def tested(self) -> tuple[Effect, ...]:
        return tuple(e for e in self.effects if e.shown)

    @property
    def predicts_nothing(self) -> bool:
        tested = self.tested
        return bool(tested) and all(
            not e.flagged and e.effect_size is not None and abs(e.effect_size) < NEGLIGIBLE
            for e in tested
        )


def _mean_var(n: int, total: float, squares: float) -> tuple[float, float]:
    mean = total / n
    return mean, max((squares - total * total / n) / (n - 1), 0.0)


def _compare_means(
    n1: int, s1: float, q1: float, n2: int, s2: float, q2: float
) -> tuple[float, float, float, float, float, float, float]:
    m1, v1 = _mean_var(n1, s1, q1)
    m2, v2 = _mean_var(n2, s2, q2)
    d = m1 - m2
    se1, se2 = v1 / n1, v2 / n2
    se = math.sqrt(se1 + se2)
    pooled = math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
    size = d / pooled if pooled > 0 else 0.0
    if se == 0:
        return m1, m2, d, d, d, size, 1.0 if d == 0 else 0.0
    df = (se1 + se2) ** 2 / (se1**2 / (n1 - 1) + se2**2 / (n2 - 1)) if se1 or se2 else n1 + n2 - 2
    half = t_critical(df) * se
    # The test (not the interval) uses the pooled variance: under "no difference" both
    # groups share one spread, and a small group's own variance, often near 0 for
    # answers bunched at the top of a scale, made Welch's p far too small.
    se_pooled = pooled * math.sqrt(1 / n1 + 1 / n2)
    p = 1.0 if se_pooled == 0 else min(1.0, 2.0 * student_t_sf(abs(d) / se_pooled, n1 + n2 - 2))
    return m1, m2, d, d - half, d + half, size, p


def _nps_parts(promoters: int, detractors: int, n: int) -> tuple[float, float]:
    p, q = promoters / n, detractors / n
    return (p - q) * 100.0, max(p + q - (p - q) ** 2, 0.0)


def _compare_nps(
    full: Tally, missed: Tally
) -> tuple[float, float, float, float, float, float, float]:
    v1, var1 = _nps_parts(full.n_promoters, full.n_detractors, full.n_nps)
    v2, var2 = _nps_parts(missed.n_promoters, missed.n_detractors, missed.n_nps)
    d = v1 - v2
    se = math.sqrt(var1 / full.n_nps + var2 / missed.n_nps) * 100.0
    pooled = math.sqrt(
        ((full.n_nps - 1) * var1 + (missed.n_nps - 1) * var2) / (full.n_nps + missed.n_nps - 2)
    )
    size = (d / 100.0) / pooled if pooled > 0 else 0.0
    if se == 0:
        return v1, v2, d, d, d, size, 1.0 if d == 0 else 0.0
    # The test's variance is the two groups' together (under "no difference" they share
    # one distribution of promoters and detractors); the interval keeps each group's.
    n = full.n_nps + missed.n_nps
    _v0, var0 = _nps_parts(
        full.n_promoters + missed.n_promoters, full.n_detractors + missed.n_detractors, n
    )
    se0 = math.sqrt(var0 * (1 / full.n_nps + 1 / missed.n_nps)) * 100.0
    p = 1.0 if se0 == 0 else min(1.0, 2.0 * (1.0 - normal_cdf(abs(d) / se0)))
    return v1, v2, d, d - _Z95 * se, d + _Z95 * se, size, p


def _compare_rates(
    x1: int, n1: int, x2: int, n2: int
) -> tuple[float, float, float, float, float, float, float]:
    interval = newcombe_difference(x1, n1, x2, n2)
    assert interval is not None  # both n ≥ MIN_GROUP
    r1, r2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p = 1.0 if se == 0 else min(1.0, 2.0 * (1.0 - normal_cdf(abs(r1 - r2) / se)))
    size = 2 * math.asin(math.sqrt(r1)) - 2 * math.asin(math.sqrt(r2))
    return (
        r1 * 100,
        r2 * 100,
        (r1 - r2) * 100,
        interval.low * 100,
        interval.high * 100,
        size,
        p,
    )


def compare(question_id: str, outcome: Outcome, full: Tally, missed: Tally) -> Effect:
    """One comparison (not yet adjusted: ``q_value`` None)."""
    n1, n2 = full.n(outcome), missed.n(outcome)
    if n1 < MIN_GROUP or n2 < MIN_GROUP:
        return Effect(question_id, outcome, n1, n2, False)
    if outcome is Outcome.CSAT:
        parts = _compare_means(
            n1, full.sum_csat, full.sum_csat2, n2, missed.sum_csat, missed.sum_csat2
        )
    elif outcome is Outcome.CES:
        parts = _compare_means(n1, full.sum_ces, full.sum_ces2, n2, missed.sum_ces, missed.sum_ces2)
    elif outcome is Outcome.NPS:
        parts = _compare_nps(full, missed)
    elif outcome is Outcome.FCR:
        parts = _compare_rates(full.n_resolved, n1, missed.n_resolved, n2)
    elif outcome is Outcome.FCR_REPEAT:
        parts = _compare_rates(n1 - full.n_repeat, n1, n2 - missed.n_repeat, n2)
    else:
        parts = _compare_rates(full.n_retained, n1, missed.n_retained, n2)
    v1, v2, d, low, high, size, p = parts
    return Effect(question_id, outcome, n1, n2, True, v1, v2, d, low, high, size, p)


RATE_OUTCOMES = frozenset({Outcome.FCR, Outcome.FCR_REPEAT, Outcome.RETENTION})


def size_interval(e: Effect) -> tuple[float, float] | None:
    """The 95 % interval of ``e``'s effect size (None for a comparison not made).

    Cohen's h is not linear in the difference of two rates, so scaling the difference's
    interval by h / difference (what the chart did before) bent the whiskers of rates
    far from 50 %; its own interval, h ± z·√(1/n₁ + 1/n₂), follows from the arcsine
    transform. Cohen's d and the NPS size are the difference over a pooled SD, so the
    difference's interval divided by that SD is theirs."""
    if not e.shown or e.effect_size is None or e.low is None or e.high is None:
        return None
    if e.outcome in RATE_OUTCOMES:
        half = _Z95 * math.sqrt(1 / e.n_full + 1 / e.n_missed)
        return e.effect_size - half, e.effect_size + half
    if not e.difference:
        return e.effect_size, e.effect_size
    scale = e.effect_size / e.difference
    low, high = sorted((e.low * scale, e.high * scale))
    return low, high


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (q-values), in the input's order:
    q₍ᵢ₎ = min over j ≥ i of p₍ⱼ₎ · m / j, capped at 1."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        index = order[rank - 1]
        running = min(running, p_values[index] * m / rank)
        adjusted[index] = min(running, 1.0)
    return adjusted


def analyse(
    tallies: Mapping[str, tuple[Tally, Tally]],
    outcomes: Iterable[Outcome] = tuple(Outcome),
    records: Mapping[str, Outcome] | None = None,
) -> list[QuestionDrivers]:
    """Every question's comparisons, adjusted together. ``tallies``: question id →
    (full marks, not full marks), in the order to report. ``records``: questions whose
    answer *is* an outcome (the inbound form's "resolved on first contact" question is
    FCR): never compared with it, which would only restate the answer."""
    wanted = tuple(outcomes)
    own = records or {}
    # An outcome no interaction of the question has (retention on a service form) is
    # no comparison at all, not one with too few answers.
    raw = {
        qid: [
            compare(qid, outcome, full, missed)
            for outcome in wanted
            if own.get(qid) is not outcome and (full.n(outcome) or missed.n(outcome))
        ]
        for qid, (full, missed) in tallies.items()
    }
    tested = [(qid, i) for qid, effects in raw.items() for i, e in enumerate(effects) if e.shown]
    q_values = benjamini_hochberg([raw[qid][i].p_value or 1.0 for qid, i in tested])
    for (qid, i), q in zip(tested, q_values, strict=True):
        raw[qid][i] = replace(raw[qid][i], q_value=q)
    return [QuestionDrivers(qid, tuple(effects)) for qid, effects in raw.items()]


def ranked(drivers: Iterable[QuestionDrivers], outcome: Outcome) -> list[Effect]:
    """The shown effects on ``outcome``, largest |effect size| first (the chart's
    order: behaviours that move this outcome most)."""
    effects = [e for d in drivers for e in d.effects if e.outcome is outcome and e.shown]
    return sorted(effects, key=lambda e: -abs(e.effect_size or 0.0))
