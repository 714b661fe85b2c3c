"""On the demo database, the strictness the screen shows agrees with the strictness the
demo generator planted (``demo_people.REVIEWERS``: a multiplier of the miss rate a
reviewer marks: Michael Grant 0.75, Omar Farouk 0.85, Nasrin Tehrani 1.0 (the
expert), Zahra Moradi 1.12, Elena Petrova 1.25).

Positive strictness = the peers' mean minus the reviewer's mean on comparable work
(same form, team and month), so a multiplier above the peers' pushes it up.

What the data can and cannot show, measured on the demo (seed 2026, all time):
Michael −3.5 (−5.2 to −1.8) and Elena +5.1 (4.1 to 6.2) stand out; Omar −1.7
(−4.3 to 0.8) leans lenient; Nasrin and Zahra (1.0 and 1.12, a gap worth about 2
points, with 303 and 162 evaluations) come out at +0.9 and +0.3, each within noise and
within each other's interval: their order is not something this sample decides, so
the test asserts the order everywhere else and that those two are indistinguishable.
"""

from __future__ import annotations

import pytest

from qa_monitor.services.demo_data import build_demo_database
from qa_monitor.services.demo_people import REVIEWERS
from qa_monitor.services.reviewer_quality_service import (
    ReviewerQualityReport,
    ReviewerQualityService,
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ReviewerQualityReport:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo_database(path)
    return ReviewerQualityService(path).report(None, None)


def test_strictness_order_and_signs_match_the_planted_multipliers(
    report: ReviewerQualityReport,
) -> None:
    planted = {name: multiplier for name, multiplier, _expert in REVIEWERS}
    shown = {r.quality.name: r.quality.strictness for r in report.reviewers}
    assert set(shown) == set(planted)
    value = {name: s.value for name, s in shown.items() if s is not None}
    assert len(value) == len(planted)

    # The planted order, lenient to strict, with the two indistinguishable ones as a tie.
    assert value["Michael Grant"] < value["Omar Farouk"]
    assert value["Omar Farouk"] < min(value["Nasrin Tehrani"], value["Zahra Moradi"])
    assert max(value["Nasrin Tehrani"], value["Zahra Moradi"]) < value["Elena Petrova"]
    # Signs against the peers: below the peers' multiplier lenient, above strict.
    assert value["Michael Grant"] < 0 and value["Omar Farouk"] < 0
    assert value["Elena Petrova"] > 0 and value["Zahra Moradi"] > 0
    # The clear ones are clear; the expert (1.0, about the peers' mix) is within noise.
    michael, elena = shown["Michael Grant"], shown["Elena Petrova"]
    nasrin, zahra = shown["Nasrin Tehrani"], shown["Zahra Moradi"]
    assert michael is not None and michael.high is not None and michael.high < 0
    assert elena is not None and elena.low is not None and elena.low > 0
    assert nasrin is not None and nasrin.within_noise
    # Nasrin (1.0) and Zahra (1.12): each inside the other's interval.
    assert zahra is not None and zahra.low is not None and nasrin.low is not None
    assert zahra.low <= nasrin.value <= (zahra.high or 0.0)
    assert nasrin.low <= zahra.value <= (nasrin.high or 0.0)


def test_the_strictest_is_listed_first(report: ReviewerQualityReport) -> None:
    names = [r.quality.name for r in report.reviewers]
    assert names[0] == "Elena Petrova" and names[-1] == "Michael Grant"


def test_calibration_and_dispute_figures_are_there(report: ReviewerQualityReport) -> None:
    assert report.calibration_sessions == 10
    others = [r for r in report.reviewers if not r.quality.is_expert]
    assert all(r.quality.calibration_n == 10 for r in others)
    assert all(r.dispute_rate is not None for r in report.reviewers)
    assert report.questions  # every scored question of the calibrated forms
