"""Drivers analysis: each comparison checked against an independent calculation, the
Benjamini–Hochberg adjustment by hand, the minimum n, and questions that predict
nothing."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from qa_monitor.core.drivers import (
    MIN_GROUP,
    Outcome,
    Tally,
    analyse,
    benjamini_hochberg,
    compare,
    ranked,
    size_interval,
)
from qa_monitor.core.statistics import student_t_sf, t_critical, welch_t_test


def _csat(values: list[int]) -> Tally:
    return Tally(
        n_csat=len(values),
        sum_csat=sum(values),
        sum_csat2=sum(v * v for v in values),
        n_sat=sum(v >= 4 for v in values),
    )


def _nps(values: list[int]) -> Tally:
    return Tally(
        n_nps=len(values),
        n_promoters=sum(v >= 9 for v in values),
        n_detractors=sum(v <= 6 for v in values),
    )


def test_benjamini_hochberg_by_hand() -> None:
    # Sorted: 0.005 (×4/1 = 0.02), 0.01 (×4/2 = 0.02), 0.03 (×4/3 = 0.04), 0.04 (×4/4).
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    # A later, smaller adjusted value carries down: min over j ≥ i.
    assert benjamini_hochberg([0.02, 0.021]) == pytest.approx([0.021, 0.021])
    assert benjamini_hochberg([0.9, 0.8]) == pytest.approx([0.9, 0.9])
    assert benjamini_hochberg([]) == []


def test_csat_difference_interval_is_welchs_and_its_test_is_pooled() -> None:
    rng = random.Random(5)
    full = [rng.choice([3, 4, 4, 5, 5]) for _ in range(80)]
    missed = [rng.choice([2, 3, 3, 4, 5]) for _ in range(60)]
    effect = compare("empathy", Outcome.CSAT, _csat(full), _csat(missed))
    welch = welch_t_test(full, missed)
    assert welch is not None and effect.shown
    assert effect.difference == pytest.approx(welch.mean_a - welch.mean_b)
    # The interval is Welch's: difference ± t(Welch df) × √(s₁²/n₁ + s₂²/n₂).
    se = math.sqrt(statistics.variance(full) / 80 + statistics.variance(missed) / 60)
    assert effect.high - effect.difference == pytest.approx(t_critical(welch.df) * se)
    # The test is Student's with the pooled variance, df = n₁ + n₂ − 2.
    pooled = ((79 * statistics.variance(full) + 59 * statistics.variance(missed)) / 138) ** 0.5
    t = effect.difference / (pooled * math.sqrt(1 / 80 + 1 / 60))
    assert effect.p_value == pytest.approx(2 * student_t_sf(abs(t), 138))
    assert (effect.n_full, effect.n_missed) == (80, 60)


def test_a_small_group_bunched_at_the_top_is_not_significant_by_its_own_zero_spread() -> None:
    # 400 answers mostly 5 (mean 4.6) against 30 that are all 5: Welch's p used the
    # small group's variance of 0 and called a 0.4 difference certain (t ≈ 12, p < 1e-20);
    # with the pooled spread t ≈ 3.3, p ≈ 0.001.
    spread = [5] * 280 + [4] * 80 + [3] * 40
    effect = compare("q", Outcome.CSAT, _csat([5] * 30), _csat(spread))
    assert effect.p_value is not None and effect.p_value > 1e-6
    nps_full = _nps([10] * 30)
    nps_missed = _nps([10] * 320 + [8] * 60 + [5] * 20)  # NPS 75 against 100: z ≈ 2.5
    nps = compare("q", Outcome.NPS, nps_full, nps_missed)
    assert nps.p_value is not None and nps.p_value > 1e-6


def test_rate_difference_is_newcombes() -> None:
    # Newcombe's example (a): 56/70 against 48/80 → 20 points, 5.24 to 33.39.
    full = Tally(n_fcr=70, n_resolved=56)
    missed = Tally(n_fcr=80, n_resolved=48)
    effect = compare("owned", Outcome.FCR, full, missed)
    assert effect.difference == pytest.approx(20.0)
    assert effect.low == pytest.approx(5.24, abs=0.01)
    assert effect.high == pytest.approx(33.39, abs=0.01)
    # Pooled z-test: p̂ = 104/150; z = 0.2 / √(p̂(1−p̂)(1/70 + 1/80)) = 2.650 → p = 0.0080.
    assert effect.p_value == pytest.approx(0.00805, abs=0.00005)


def test_a_rates_effect_size_has_its_own_interval() -> None:
    # h = 2·asin√0.8 − 2·asin√0.6 = 0.4421; ± 1.96·√(1/70 + 1/80) = ± 0.3208.
    e = compare(
        "owned", Outcome.FCR, Tally(n_fcr=70, n_resolved=56), Tally(n_fcr=80, n_resolved=48)
    )
    assert size_interval(e) == pytest.approx((0.1214, 0.7629), abs=0.0001)
    # Far from 50 %, scaling the difference's interval by h / difference (the chart's
    # whiskers before) is off: 0.188–0.772 where h's own interval is 0.199–0.753.
    e = compare(
        "q", Outcome.RETENTION, Tally(n_ret=100, n_retained=95), Tally(n_ret=100, n_retained=80)
    )
    assert size_interval(e) == pytest.approx((0.1991, 0.7534), abs=0.0001)


def test_a_means_effect_size_interval_is_the_difference_interval_over_the_spread() -> None:
    full = Tally(n_csat=40, sum_csat=180, sum_csat2=840)
    missed = Tally(n_csat=50, sum_csat=180, sum_csat2=700)
    e = compare("q", Outcome.CSAT, full, missed)
    assert e.effect_size is not None and e.difference and e.low is not None and e.high is not None
    scale = e.effect_size / e.difference
    assert size_interval(e) == pytest.approx((e.low * scale, e.high * scale))
    assert size_interval(compare("q", Outcome.CSAT, Tally(n_csat=3), Tally(n_csat=3))) is None


def test_nps_difference_by_hand() -> None:
    full = _nps([10] * 20 + [8] * 10 + [3] * 10)  # NPS 50 − 25 = 25
    missed = _nps([10] * 10 + [8] * 10 + [3] * 20)  # NPS 25 − 50 = −25
    effect = compare("greet", Outcome.NPS, full, missed)
    assert effect.value_full == pytest.approx(25.0)
    assert effect.value_missed == pytest.approx(-25.0)
    assert effect.difference == pytest.approx(50.0)
    # Var each = (0.75 − 0.0625) / 40 = 0.017188; se = √(2 × that) × 100 = 18.54.
    assert effect.high - effect.difference == pytest.approx(1.959964 * 18.54, abs=0.05)


def test_a_group_below_the_minimum_is_hidden() -> None:
    effect = compare("q", Outcome.CSAT, _csat([5] * MIN_GROUP), _csat([1] * (MIN_GROUP - 1)))
    assert not effect.shown and effect.difference is None
    assert (effect.n_full, effect.n_missed) == (MIN_GROUP, MIN_GROUP - 1)


def test_analyse_adjusts_together_and_lists_questions_that_predict_nothing() -> None:
    rng = random.Random(11)
    same = [rng.choice([1, 2, 3, 4, 5]) for _ in range(400)]
    tallies = {
        "moves": (_csat([5] * 150 + [4] * 50), _csat([2] * 100 + [3] * 100)),
        "nothing": (_csat(same[:200]), _csat(same[200:])),
        "too_few": (_csat([5] * 10), _csat([1] * 10)),
    }
    drivers = {d.question_id: d for d in analyse(tallies, (Outcome.CSAT,))}
    (moves,) = drivers["moves"].effects
    assert moves.flagged and moves.q_value == pytest.approx(2 * moves.p_value)  # m = 2 tests
    assert not drivers["nothing"].effects[0].flagged
    assert drivers["nothing"].predicts_nothing
    assert not drivers["moves"].predicts_nothing
    assert not drivers["too_few"].predicts_nothing  # not tested: no verdict
    assert [e.question_id for e in ranked(drivers.values(), Outcome.CSAT)] == ["moves", "nothing"]
