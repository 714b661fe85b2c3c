"""The reviewer quality report on a real SQLite file with hand-planted evaluations.

The form ("ten", from tests.reports.analytics_data) scores 10 points per yes/no
question, so ``misses_for(s)`` gives an evaluation scored exactly ``s``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from qa_monitor.core.records import EvaluationKind
from qa_monitor.core.reviewer_quality import Verdict, pooled_offset
from qa_monitor.services.cancellation import Cancelled, CancelToken
from qa_monitor.services.reviewer_quality_service import ReviewerQualityService
from tests.reports.analytics_data import Centre, evaluate, misses_for, open_centre
from tests.services.reviewer_quality_data import plant_strictness, plant_unreliable_q1

MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)
T_2 = 4.302652729911275  # t(0.975, df = 2)


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    services, built = open_centre(tmp_path / "qa.db")
    with services:
        yield built


def test_strictness_drift_and_calibration_by_hand(centre: Centre) -> None:
    plant_strictness(centre)
    r1, r2 = centre.reviewers
    # One calibration session in March: expert 80, R1 70, R2 90 (never in strictness).
    calibration = EvaluationKind.CALIBRATION
    first = evaluate(
        centre, centre.agents[1], date(2026, 3, 20), misses_for(80),
        reviewer=centre.expert, kind=calibration,
    )  # fmt: skip
    interaction = centre.services.evaluations.get_evaluation(first).interaction_id
    for reviewer, score in ((r1, 70), (r2, 90)):
        evaluate(
            centre, centre.agents[1], date(2026, 3, 20), misses_for(score),
            reviewer=reviewer, kind=calibration, interaction_id=interaction,
        )  # fmt: skip

    report = ReviewerQualityService(centre.services.path).report(MARCH, date(2026, 4, 30))

    rows = {r.quality.name: r for r in report.reviewers}
    one, two = rows["R1"].quality, rows["R2"].quality
    # R1: offsets 15, 5, 10 weighted 2, 1, 1 → m = (30 + 5 + 10) / 4 = 11.25.
    # Σ w²(x − m)² = 4·3.75² + 1·6.25² + 1·1.25² = 56.25 + 39.0625 + 1.5625 = 96.875;
    # SE = √(3/2 · 96.875 / 4²) = √9.08203125 = 3.0136; half = t(2)·SE = 12.9667.
    assert one.strictness is not None
    assert one.strictness.value == pytest.approx(11.25)
    half = T_2 * math.sqrt(1.5 * 96.875 / 16)
    assert half == pytest.approx(12.9667, abs=1e-4)
    assert one.strictness.low == pytest.approx(11.25 - half)
    assert one.strictness.high == pytest.approx(11.25 + half)
    assert (one.strictness.cells, one.strictness.n, one.evaluations) == (3, 4, 4)
    assert one.strictness.within_noise  # −1.72 to 24.22 contains zero
    # R2: offsets −15, −5, −10 weighted 1, 2, 1 → −8.75, the same spread; cell D
    # (R2 alone) counts in R2's evaluations, never in a comparison.
    assert two.strictness is not None
    assert two.strictness.value == pytest.approx(-8.75)
    assert two.strictness.high == pytest.approx(-8.75 + half)
    assert (two.strictness.cells, two.evaluations) == (3, 5)
    # Strictest first; the expert scored no regular evaluation: no strictness, last.
    assert [r.quality.name for r in report.reviewers] == ["R1", "R2", "Expert"]
    assert rows["Expert"].quality.strictness is None

    # Drift: March pools cells A and B: (2·15 + 5) / 3; April is cell C alone.
    march, april = one.months
    assert (march.month, april.month) == (MARCH, APRIL)
    assert march.offset is not None and march.offset.value == pytest.approx(35 / 3)
    assert april.offset is not None and april.offset.value == pytest.approx(10.0)
    assert april.offset.low is None  # one cell: no interval
    # Calibration against the expert: |70 − 80| and |90 − 80|.
    assert (one.calibration_n, one.calibration_mad, one.calibration_bias) == (1, 10.0, -10.0)
    assert (two.calibration_mad, two.calibration_bias) == (10.0, 10.0)
    assert (march.calibration_n, march.calibration_bias) == (1, -10.0)
    assert april.calibration_n == 0 and april.calibration_mad is None
    assert (report.calibration_evaluations, report.calibration_sessions) == (3, 1)

    # Dispute rates: the dispute service's own; no dispute: 0 %, no overturn denominator.
    assert rows["R1"].dispute_rate == 0.0
    assert rows["R1"].overturn_rate is None
    assert rows["R1"].rates is not None and rows["R1"].rates.evaluations == 4
    assert rows["Expert"].rates is None  # no regular evaluation: no denominator


def test_pooled_offset_equal_weights_is_the_plain_t_interval() -> None:
    # Equal weights: SE = s / √k. Offsets 1, 2, 3: mean 2, s = 1, half = t(2) / √3.
    offset = pooled_offset([(1.0, 5), (2.0, 5), (3.0, 5)])
    assert offset is not None
    assert offset.value == pytest.approx(2.0)
    assert offset.high == pytest.approx(2.0 + T_2 / math.sqrt(3))
    assert pooled_offset([]) is None


def test_a_question_reviewers_read_differently_is_flagged(centre: Centre) -> None:
    plant_unreliable_q1(centre)

    report = ReviewerQualityService(centre.services.path).report(None, None)

    by_id = {q.question_id: q for q in report.questions}
    q1, q2 = by_id["q1"], by_id["q2"]
    assert q1.verdict is Verdict.UNRELIABLE
    assert q1.alpha is not None and q1.alpha < 0.667
    assert (q1.text, q1.form_title, q1.sessions, q1.level) == (
        "Behaviour q1", "Ten behaviours", 6, "nominal",
    )  # fmt: skip
    assert q2.verdict is Verdict.RELIABLE and q2.alpha == pytest.approx(1.0)
    assert by_id["q3"].verdict is Verdict.UNDEFINED  # every answer "yes"
    assert report.questions[0].question_id == "q1"  # the least agreement first
    assert q1.low is not None and q1.high is not None and q1.low <= q1.alpha <= q1.high


def test_too_few_sessions_are_not_judged(centre: Centre) -> None:
    r1 = centre.reviewers[0]
    first = evaluate(
        centre, centre.agents[0], MARCH, ["q1"],
        reviewer=centre.expert, kind=EvaluationKind.CALIBRATION,
    )  # fmt: skip
    interaction = centre.services.evaluations.get_evaluation(first).interaction_id
    evaluate(
        centre, centre.agents[0], MARCH, [],
        reviewer=r1, kind=EvaluationKind.CALIBRATION, interaction_id=interaction,
    )  # fmt: skip

    report = ReviewerQualityService(centre.services.path).report(None, None)

    assert {q.verdict for q in report.questions} == {Verdict.TOO_FEW}


def test_an_empty_period_and_a_cancelled_request(centre: Centre) -> None:
    plant_strictness(centre)
    service = ReviewerQualityService(centre.services.path)
    empty = service.report(date(2020, 1, 1), date(2020, 12, 31))
    assert (empty.reviewers, empty.questions, empty.calibration_sessions) == ((), (), 0)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        service.report(None, None, token)


def test_partial_months_at_either_end_count_only_their_days(centre: Centre) -> None:
    plant_strictness(centre)
    # 4 March to 3 April: R1's 70 (3 March) and R2's 70 (4 April) fall outside. Left:
    # A: R1 80 vs R2 90 → +10 (w 1); B: R1 80 vs R2 85 → +5 (w 1); C: R1 60 alone.
    # R1 = (10 + 5) / 2 = 7.5 over two cells.
    report = ReviewerQualityService(centre.services.path).report(date(2026, 3, 4), date(2026, 4, 3))

    one = next(r.quality for r in report.reviewers if r.quality.name == "R1")
    assert one.strictness is not None
    assert (one.strictness.value, one.strictness.cells, one.evaluations) == (
        pytest.approx(7.5), 2, 3,
    )  # fmt: skip
    # Within one month, both ends partial: 4 to 7 March holds A (R1 80, R2 90) and
    # B (R1 80, R2 80): (10 + 0) / 2.
    inside = ReviewerQualityService(centre.services.path).report(date(2026, 3, 4), date(2026, 3, 7))
    one = next(r.quality for r in inside.reviewers if r.quality.name == "R1")
    assert one.strictness is not None and one.strictness.value == pytest.approx(5.0)
