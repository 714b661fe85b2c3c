"""Retention and customer-experience metrics (DOMAIN.md, "Retention metrics")."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_monitor.core.metrics import (
    CsatResult,
    EffortScore,
    FcrResult,
    NetPromoterScore,
    churn_rate,
    csat,
    customer_effort_score,
    customer_retention_rate,
    fcr_from_contacts,
    first_contact_resolution,
    format_percent,
    net_promoter_score,
    round_half_up,
    simple_retention_index,
)

# --------------------------------------------------------------------------- retention


def test_crr_domain_example() -> None:
    # S = 20, N = 5, one customer leaves so E = 24 -> 95%.
    assert customer_retention_rate(start=20, end=24, new=5) == pytest.approx(95.0)


def test_crr_full_and_zero_retention() -> None:
    assert customer_retention_rate(10, 13, 3) == 100.0
    assert customer_retention_rate(10, 3, 3) == 0.0


@pytest.mark.parametrize(
    ("start", "end", "new", "message"),
    [
        (0, 5, 5, "no customers at the start"),
        (-1, 5, 2, "cannot be negative"),
        (10, 4, 5, "cannot be smaller than new"),
        (10, 16, 5, "exceeds the 10 customers"),
        (10, 9.0, 0, "whole number"),
        (True, 1, 0, "whole number"),
    ],
)
def test_crr_rejects_impossible_inputs(start: int, end: int, new: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        customer_retention_rate(start, end, new)


def test_simple_retention_index_domain_example() -> None:
    value = simple_retention_index(352, 298)
    assert value == pytest.approx(84.659090909, abs=1e-8)
    # The source article truncated to 84%; we round half-up for display.
    assert format_percent(value) == "84.7%"
    assert round_half_up(value) == 84.7


def test_simple_retention_index_rejects_growth_and_empty_start() -> None:
    with pytest.raises(ValueError, match="customer_retention_rate"):
        simple_retention_index(10, 11)
    with pytest.raises(ValueError, match="no customers"):
        simple_retention_index(0, 0)


def test_churn_rate() -> None:
    assert churn_rate(352, 54) == pytest.approx(15.340909090909092)
    assert churn_rate(20, 1) == 5.0
    assert churn_rate(5, 0) == 0.0
    with pytest.raises(ValueError, match="cannot exceed"):
        churn_rate(5, 6)
    with pytest.raises(ValueError, match="no customers"):
        churn_rate(0, 0)
    with pytest.raises(ValueError, match="negative"):
        churn_rate(5, -1)


@given(st.integers(1, 10_000), st.data())
def test_retention_and_churn_complement(start: int, data: st.DataObject) -> None:
    lost = data.draw(st.integers(0, start))
    new = data.draw(st.integers(0, 1000))
    end = start - lost + new
    assert customer_retention_rate(start, end, new) + churn_rate(start, lost) == pytest.approx(100)
    assert simple_retention_index(start, start - lost) == pytest.approx(
        100 - churn_rate(start, lost)
    )


# --------------------------------------------------------------------------- NPS


def test_nps_hand_example() -> None:
    # 10, 9, 9 promoters; 8, 7 passives; 6, 3, 0 detractors -> 3/8 - 3/8 = 0.
    result = net_promoter_score([10, 9, 9, 8, 7, 6, 3, 0])
    assert result == NetPromoterScore(promoters=3, passives=2, detractors=3, n=8, nps=0.0)


def test_nps_boundaries() -> None:
    # 9 is a promoter, 7 and 8 passives, 6 a detractor.
    result = net_promoter_score([9, 9, 9, 8, 7, 6, 10, 10, 2, 8])
    assert (result.promoters, result.passives, result.detractors) == (5, 3, 2)
    assert result.nps == pytest.approx(30.0)
    assert net_promoter_score([10] * 4).nps == 100.0
    assert net_promoter_score([0, 6]).nps == -100.0


def test_nps_accepts_any_iterable_and_empty() -> None:
    assert net_promoter_score(iter([9, 5])).nps == pytest.approx(0.0)
    empty = net_promoter_score([])
    assert empty.n == 0
    assert empty.nps is None


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ([9, 11], r"position 1 .* is 11"),
        ([-1], r"position 0 .* is -1"),
        ([5, 7.5], r"position 1 .*got 7\.5"),
        ([5, "9"], r"position 1 .*got '9'"),
        ([True], r"position 0 .*got True"),
    ],
)
def test_nps_names_bad_value_and_position(scores: list[int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        net_promoter_score(scores)


@given(st.lists(st.integers(0, 10), max_size=200))
def test_nps_properties(scores: list[int]) -> None:
    result = net_promoter_score(scores)
    assert result.promoters + result.passives + result.detractors == result.n == len(scores)
    if scores:
        assert result.nps is not None
        assert -100.0 <= result.nps <= 100.0
    else:
        assert result.nps is None


# --------------------------------------------------------------------------- CSAT / CES


def test_csat_hand_example() -> None:
    # 5, 4, 4 satisfied of 5 answers -> 60%.
    assert csat([5, 4, 3, 4, 1]) == CsatResult(n=5, satisfied=3, percent=60.0)


def test_csat_empty_and_invalid() -> None:
    assert csat([]) == CsatResult(n=0, satisfied=0, percent=None)
    with pytest.raises(ValueError, match=r"position 2 .* is 0"):
        csat([5, 4, 0])
    with pytest.raises(ValueError, match=r"position 0 .* is 6"):
        csat([6])


def test_ces_hand_example() -> None:
    # mean (7 + 6 + 5 + 4 + 2 + 1) / 6 = 25 / 6; easy (5-7) = 3 of 6 = 50%.
    result = customer_effort_score([7, 6, 5, 4, 2, 1])
    assert result.n == 6
    assert result.mean == pytest.approx(25 / 6)
    assert result.easy == 3
    assert result.easy_percent == pytest.approx(50.0)


def test_ces_empty_and_invalid() -> None:
    assert customer_effort_score([]) == EffortScore(n=0, mean=None, easy=0, easy_percent=None)
    with pytest.raises(ValueError, match=r"position 1 .* is 8"):
        customer_effort_score([3, 8])


# --------------------------------------------------------------------------- FCR


def test_first_contact_resolution_counts() -> None:
    assert first_contact_resolution(72, 90) == pytest.approx(80.0)
    assert first_contact_resolution(0, 3) == 0.0
    with pytest.raises(ValueError, match="no interactions"):
        first_contact_resolution(0, 0)
    with pytest.raises(ValueError, match="cannot exceed"):
        first_contact_resolution(4, 3)


T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def test_fcr_from_contacts_window_logic() -> None:
    contacts = [
        ("alice", at(0)),  # alice calls again 3 days later -> not resolved
        ("alice", at(3)),  # next alice call 8 days later -> resolved
        ("alice", at(11)),  # last alice call -> resolved
        ("bob", at(1)),  # bob's only call -> resolved
        ("carol", at(2)),  # repeat exactly 7 days later (inclusive) -> not resolved
        ("carol", at(9)),  # resolved
    ]
    result = fcr_from_contacts(contacts)
    assert (result.n, result.resolved, result.pending) == (6, 4, 0)
    assert result.percent == pytest.approx(400 / 6)


def test_fcr_order_independent_and_boundary() -> None:
    just_over = [("dave", at(7) + timedelta(seconds=1)), ("dave", at(0))]
    assert fcr_from_contacts(just_over).resolved == 2
    same_instant = [("erin", at(0)), ("erin", at(0))]
    assert fcr_from_contacts(same_instant).resolved == 1


def test_fcr_custom_window() -> None:
    contacts = [("a", at(0)), ("a", at(2))]
    assert fcr_from_contacts(contacts, window_days=1).resolved == 2
    assert fcr_from_contacts(contacts, window_days=2).resolved == 1


def test_fcr_as_of_leaves_open_windows_pending() -> None:
    # a's window closed at day 7; b's closes exactly at as_of (judged); c's is still open.
    contacts = [("a", at(0)), ("b", at(5)), ("c", at(6)), ("a", at(3))]
    result = fcr_from_contacts(contacts, as_of=at(12))
    assert (result.n, result.resolved, result.pending) == (3, 2, 1)
    assert result.percent == pytest.approx(200 / 3)


def test_fcr_empty_and_invalid() -> None:
    assert fcr_from_contacts([]) == FcrResult(n=0, resolved=0, pending=0, percent=None)
    with pytest.raises(ValueError, match="positive"):
        fcr_from_contacts([("a", at(0))], window_days=0)
    with pytest.raises(ValueError, match=r"position 1 .*no customer reference"):
        fcr_from_contacts([("a", at(0)), (None, at(1))])
    with pytest.raises(ValueError, match=r"position 0 .*needs a datetime"):
        fcr_from_contacts([("a", "2024-03-01")])  # type: ignore[list-item]


# --------------------------------------------------------------------------- display


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (84.65, 1, 84.7),
        (84.64999, 1, 84.6),
        (0.25, 1, 0.3),
        (0.35, 1, 0.4),  # binary 0.35 is just below .35; shortest repr rounds up
        (2.675, 2, 2.68),
        (79.94999999999999, 1, 80.0),  # binary noise on 79.95 (7.995 / 10 * 100)
        (79.9499, 1, 79.9),
        (-2.5, 0, -3.0),
        (-0.04, 1, 0.0),
        (100.0, 1, 100.0),
    ],
)
def test_round_half_up(value: float, digits: int, expected: float) -> None:
    result = round_half_up(value, digits)
    assert result == expected
    assert str(result) != "-0.0"


def test_round_half_up_rejects_non_finite() -> None:
    with pytest.raises(ValueError, match="non-finite"):
        round_half_up(float("nan"))
    with pytest.raises(ValueError, match="digits"):
        round_half_up(1.0, -1)


def test_format_percent() -> None:
    assert format_percent(95.0) == "95.0%"
    assert format_percent(84.65909090909) == "84.7%"
    assert format_percent(66.666666, 2) == "66.67%"
    assert format_percent(5, 0) == "5%"
    assert format_percent(None) == "—"


@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(0, 4))
def test_round_half_up_is_close(value: float, digits: int) -> None:
    assert abs(round_half_up(value, digits) - value) <= 0.5 * 10**-digits + 1e-9
