"""Dashboard and calibration statistics (DOMAIN.md, "Calibration and trust in the score").

Reference values are scipy 1.x results (scipy.stats.t.ppf / norm.ppf / t.sf, binomtest Wilson
intervals) and Krippendorff's published worked example; the code under test uses neither.
"""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from qa_monitor.core.statistics import (
    CalibrationSummary,
    MeanInterval,
    calibration_summary,
    control_limits,
    krippendorff_alpha,
    mean_confidence_interval,
    normal_cdf,
    normal_quantile,
    student_t_cdf,
    student_t_sf,
    t_critical,
    welch_t_test,
    wilson_interval,
)

# --------------------------------------------------------------------------- normal


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (0.5, 0.0),
        (0.9, 1.2815515655446004),
        (0.975, 1.959963984540054),
        (0.999, 3.090232306167813),
        (0.3, -0.5244005127080409),
        (1e-10, -6.361340902404056),
    ],
)
def test_normal_quantile_reference(p: float, expected: float) -> None:
    assert normal_quantile(p) == pytest.approx(expected, abs=1e-9)


def test_normal_quantile_rejects_out_of_range() -> None:
    for p in (0.0, 1.0, -0.1, 1.5):
        with pytest.raises(ValueError, match="between 0 and 1"):
            normal_quantile(p)


@given(st.floats(1e-12, 1 - 1e-12))
def test_normal_quantile_inverts_cdf(p: float) -> None:
    assert normal_cdf(normal_quantile(p)) == pytest.approx(p, rel=1e-9, abs=1e-15)


# --------------------------------------------------------------------------- Student t


@pytest.mark.parametrize(
    ("q", "df", "expected"),
    [
        (0.975, 1, 12.706204736),
        (0.975, 4, 2.776445105),
        (0.975, 30, 2.042272456),
        (0.995, 10, 3.169272673),
        (0.95, 9, 1.833112933),
    ],
)
def test_t_critical_brief_values(q: float, df: int, expected: float) -> None:
    confidence = 1 - 2 * (1 - q)
    assert t_critical(df, confidence) == pytest.approx(expected, abs=1e-6)


# df: critical values at confidence 0.90, 0.95, 0.99 (two-sided).
T_TABLE = [
    (1, 6.313751515, 12.706204736, 63.656741163),
    (2, 2.919985580, 4.302652730, 9.924843201),
    (3, 2.353363435, 3.182446305, 5.840909310),
    (5, 2.015048373, 2.570581836, 4.032142984),
    (7, 1.894578605, 2.364624252, 3.499483297),
    (12, 1.782287556, 2.178812830, 3.054539589),
    (20, 1.724718243, 2.085963447, 2.845339710),
    (60, 1.670648865, 2.000297822, 2.660283029),
    (120, 1.657650899, 1.979930405, 2.617421145),
    (500, 1.647906854, 1.964719837, 2.585697835),
    (1000, 1.646378817, 1.962339081, 2.580754698),
]


@pytest.mark.parametrize(("df", "t90", "t95", "t99"), T_TABLE)
def test_t_critical_table(df: int, t90: float, t95: float, t99: float) -> None:
    assert t_critical(df, 0.90) == pytest.approx(t90, abs=1e-8)
    assert t_critical(df, 0.95) == pytest.approx(t95, abs=1e-8)
    assert t_critical(df, 0.99) == pytest.approx(t99, abs=1e-8)


def test_t_critical_default_and_fractional_df() -> None:
    assert t_critical(4) == pytest.approx(2.776445105, abs=1e-8)
    # Between its integer neighbours, approaching the normal quantile for huge df.
    assert t_critical(4) > t_critical(4.5) > t_critical(5)
    assert t_critical(1e7) == pytest.approx(1.959963985, abs=1e-6)


def test_t_critical_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="degrees of freedom"):
        t_critical(0)
    with pytest.raises(ValueError, match="degrees of freedom"):
        t_critical(float("nan"))
    with pytest.raises(ValueError, match="confidence"):
        t_critical(5, 1.0)


def test_t_distribution_reference_values() -> None:
    assert 2 * student_t_sf(2.5, 7.3) == pytest.approx(0.03965023466560043, rel=1e-10)
    assert student_t_cdf(-1.2, 3) == pytest.approx(0.15813105734905258, rel=1e-10)
    assert student_t_sf(10, 1000) == pytest.approx(8.335351479300069e-23, rel=1e-8)
    assert student_t_sf(0, 3) == 0.5
    assert student_t_sf(math.inf, 3) == 0.0


@given(st.floats(0.5, 2000), st.floats(-50, 50))
def test_t_cdf_symmetry(df: float, t: float) -> None:
    assert student_t_cdf(t, df) + student_t_cdf(-t, df) == pytest.approx(1.0, abs=1e-12)


@given(st.integers(1, 1000), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_t_critical_inverts_sf(df: int, confidence: float) -> None:
    t = t_critical(df, confidence)
    assert 2 * student_t_sf(t, df) == pytest.approx(1 - confidence, rel=1e-9)


# --------------------------------------------------------------------------- mean interval


def test_mean_confidence_interval_example() -> None:
    # mean 81.25, s = 8.5391256..., t(3) = 3.182446305 -> half width 13.587654...
    result = mean_confidence_interval([80, 90, 70, 85])
    assert result is not None
    assert result.n == 4
    assert result.mean == pytest.approx(81.25)
    assert result.stdev == pytest.approx(8.539125638299666)
    assert result.low == pytest.approx(67.66234558101992)
    assert result.high == pytest.approx(94.83765441898008)


def test_mean_confidence_interval_small_samples() -> None:
    assert mean_confidence_interval([]) is None
    assert mean_confidence_interval([72.5]) == MeanInterval(1, 72.5, None, None, None)
    constant = mean_confidence_interval([80, 80, 80])
    assert constant == MeanInterval(3, 80.0, 80.0, 80.0, 0.0)
    with pytest.raises(ValueError, match="not finite"):
        mean_confidence_interval([1.0, math.nan])


@given(
    st.lists(st.floats(0, 100, allow_nan=False), min_size=2, max_size=50),
    st.sampled_from([0.9, 0.95, 0.99]),
)
def test_mean_interval_contains_mean(values: list[float], confidence: float) -> None:
    result = mean_confidence_interval(values, confidence)
    assert result is not None
    assert result.low is not None
    assert result.high is not None
    assert result.low <= result.mean + 1e-9
    assert result.mean <= result.high + 1e-9


# --------------------------------------------------------------------------- Wilson


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (8, 10, 0.4901624715366418, 0.9433178485456248),
        (0, 10, 0.0, 0.27753279986288926),
        (10, 10, 0.7224672001371109, 1.0),
        (1, 4, 0.04558726080970055, 0.6993581574175981),
        (45, 50, 0.7863976856252034, 0.9565242350681095),
    ],
)
def test_wilson_reference(successes: int, n: int, low: float, high: float) -> None:
    result = wilson_interval(successes, n)
    assert result is not None
    assert result.rate == pytest.approx(successes / n)
    assert result.low == pytest.approx(low, abs=1e-12)
    assert result.high == pytest.approx(high, abs=1e-12)


def test_wilson_empty_and_invalid() -> None:
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError, match="cannot exceed"):
        wilson_interval(3, 2)
    with pytest.raises(ValueError, match="non-negative"):
        wilson_interval(-1, 2)


@given(st.integers(1, 5000), st.data(), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_bounds(n: int, data: st.DataObject, confidence: float) -> None:
    successes = data.draw(st.integers(0, n))
    result = wilson_interval(successes, n, confidence)
    assert result is not None
    assert 0.0 <= result.low <= result.rate <= result.high <= 1.0


# --------------------------------------------------------------------------- control limits


def test_control_limits() -> None:
    assert control_limits(80.0, 6.0, 4) == pytest.approx((71.0, 89.0))
    assert control_limits(80.0, 6.0, 9, k=2.0) == pytest.approx((76.0, 84.0))
    assert control_limits(80.0, 0.0, 1) == (80.0, 80.0)
    with pytest.raises(ValueError, match="n must be"):
        control_limits(80.0, 6.0, 0)
    with pytest.raises(ValueError, match="sigma"):
        control_limits(80.0, -1.0, 3)


# --------------------------------------------------------------------------- Welch


def test_welch_t_test_reference() -> None:
    # scipy.stats.ttest_ind(a, b, equal_var=False)
    result = welch_t_test([70, 75, 72, 68], [80, 85, 82, 79])
    assert result is not None
    assert result.t == pytest.approx(-5.1383987156755895, rel=1e-12)
    assert result.df == pytest.approx(5.914239394758175, rel=1e-12)
    assert result.p_value == pytest.approx(0.0022332463541680173, rel=1e-9)
    assert (result.mean_a, result.mean_b) == (71.25, 81.5)


def test_welch_t_test_undefined_cases() -> None:
    assert welch_t_test([80], [70, 75]) is None
    assert welch_t_test([80, 80], [70, 70]) is None
    same = welch_t_test([1, 2, 3], [1, 2, 3])
    assert same is not None
    assert same.t == 0.0
    assert same.p_value == pytest.approx(1.0)


# --------------------------------------------------------------------------- Krippendorff

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders, 12 units.
_RELIABILITY_DATA = {
    "A": "1 2 3 3 2 1 4 1 2 * * *",
    "B": "1 2 3 3 2 2 4 1 2 5 * 3",
    "C": "* 3 3 3 2 3 4 2 2 5 1 *",
    "D": "1 2 3 3 2 4 4 1 2 5 1 *",
}


def _units() -> list[dict[str, int]]:
    units: list[dict[str, int]] = [{} for _ in range(12)]
    for coder, row in _RELIABILITY_DATA.items():
        for unit, value in zip(units, row.split(), strict=True):
            if value != "*":
                unit[coder] = int(value)
    return units


def test_krippendorff_published_example() -> None:
    units = _units()
    nominal = krippendorff_alpha(units, level="nominal")
    interval = krippendorff_alpha(units, level="interval")
    assert nominal is not None
    assert interval is not None
    assert round(nominal, 3) == 0.743
    assert round(interval, 3) == 0.849
    # The paper reports all four metrics for these data (section "C. Multiple coders,
    # missing values").
    assert round(krippendorff_alpha(units, level="ordinal") or 0, 3) == 0.815
    assert round(krippendorff_alpha(units, level="ratio") or 0, 3) == 0.797
    # Unit 12 has a single value, so it cannot be paired: dropping it changes nothing.
    assert krippendorff_alpha(units[:11], level="interval") == interval


def test_krippendorff_missing_as_none_and_undefined() -> None:
    units: list[dict[str, int | None]] = [{"a": 1, "b": 1, "c": None}, {"a": 2, "b": 2}]
    assert krippendorff_alpha(units) == 1.0
    assert krippendorff_alpha([]) is None
    assert krippendorff_alpha([{"a": 3}, {"b": 4}]) is None  # nothing pairable
    assert krippendorff_alpha([{"a": 3, "b": 3}, {"a": 3, "b": 3}]) is None  # no variation


def test_krippendorff_yes_no_items() -> None:
    units = [{"r1": "yes", "r2": "yes"}, {"r1": "no", "r2": "yes"}, {"r1": "no", "r2": "no"}]
    # o_yy = 2, o_nn = 2, o_yn = o_ny = 1; n = 6 -> alpha = 1 - 5 * 2 / (2 * 3 * 3) = 4/9
    assert krippendorff_alpha(units, level="nominal") == pytest.approx(4 / 9)


def test_krippendorff_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha(_units(), level="cardinal")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs numbers"):
        krippendorff_alpha([{"a": "yes", "b": "no"}], level="interval")


@given(
    st.lists(st.integers(0, 100), min_size=2, max_size=20),
    st.integers(2, 6),
    st.sampled_from(["interval", "nominal"]),
)
def test_krippendorff_perfect_agreement_is_one(truths: list[int], coders: int, level: str) -> None:
    assume(len(set(truths)) > 1)
    units = [{f"coder{c}": value for c in range(coders)} for value in truths]
    assert krippendorff_alpha(units, level=level) == pytest.approx(1.0)  # type: ignore[arg-type]


@given(
    st.lists(
        st.dictionaries(st.sampled_from("ABCD"), st.integers(1, 5), min_size=0, max_size=4),
        max_size=15,
    )
)
def test_krippendorff_alpha_upper_bound(units: list[dict[str, int]]) -> None:
    for level in ("interval", "nominal"):
        alpha = krippendorff_alpha(units, level=level)
        assert alpha is None or alpha <= 1.0 + 1e-12


# --------------------------------------------------------------------------- calibration


def test_calibration_summary() -> None:
    pairs = [(90.1, 80.1), (70.0, 80.0), (85.0, 80.0), (60.0, 80.0)]
    result = calibration_summary(pairs)
    assert result is not None
    assert result.mean_absolute_deviation == pytest.approx(11.25)
    assert result.bias == pytest.approx(-3.75)
    # ±10 is inclusive, even with the float noise in 90.1 − 80.1.
    assert result == CalibrationSummary(
        n=4,
        mean_absolute_deviation=result.mean_absolute_deviation,
        bias=result.bias,
        within_tolerance=3,
        within_percent=75.0,
        tolerance=10.0,
    )
    tight = calibration_summary(pairs, tolerance=5)
    assert tight is not None
    assert tight.within_tolerance == 1


def test_calibration_summary_empty_and_invalid() -> None:
    assert calibration_summary([]) is None
    with pytest.raises(ValueError, match="position 1"):
        calibration_summary([(80.0, 80.0), (math.nan, 80.0)])
    with pytest.raises(ValueError, match="position 0"):
        calibration_summary([(80.0,)])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="tolerance"):
        calibration_summary([(80.0, 80.0)], tolerance=-1)


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 100)), min_size=1, max_size=30))
def test_calibration_summary_properties(pairs: list[tuple[float, float]]) -> None:
    result = calibration_summary(pairs)
    assert result is not None
    assert abs(result.bias) <= result.mean_absolute_deviation + 1e-9
    assert 0.0 <= result.within_percent <= 100.0


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99, 0.999])
def test_t_critical_for_many_degrees_of_freedom_is_the_expansion(
    confidence: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From 500 degrees of freedom up the quantile is the Cornish-Fisher expansion (a
    hundredth of the iteration's cost): it agrees with the iteration to 1e-11."""
    from qa_monitor.core import statistics

    fast = [t_critical(df, confidence) for df in (500, 777.5, 2000, 1e4, 1e6)]
    monkeypatch.setattr(statistics, "_CORNISH_FISHER_DF", math.inf)
    slow = [t_critical(df, confidence) for df in (500, 777.5, 2000, 1e4, 1e6)]
    assert fast == pytest.approx(slow, abs=1e-11)
