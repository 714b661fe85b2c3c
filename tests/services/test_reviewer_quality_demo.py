"""On the demo database, the strictness the screen shows agrees with the strictness the
demo generator planted (``demo_people.REVIEWERS``: a multiplier of the miss rate a
reviewer marks: Michael Grant 0.75, Omar Farouk 0.85, Nasrin Tehrani 1.0 (the
expert), Zahra Moradi 1.12, Elena Petrova 1.25).

Positive strictness = the peers' mean minus the reviewer's mean on comparable work
(same form, team and month), so a multiplier above the peers' pushes it up.

What the data can and cannot show, measured on the demo (seed 2026, all time):
Michael −4.5 (−5.7 to −3.2) and Elena +3.9 (2.4 to 5.4) stand out. Omar (0.85),
Nasrin (1.0, the expert) and Zahra (1.12) come out at −0.1, +2.2 and −0.1, each
within noise: a gap of 0.12–0.15 in the multiplier is worth about two points, less
than these samples' intervals. Since the demo plants effects on customer outcomes
(services/demo_effects.py), five questions ignore the reviewer's strictness, which
leaves less of it to see, and draws a different random sample than before: the
middle three's order is not something this sample decides. So the test asserts what
it does decide: the two clear ones, the order at both ends, and that the middle
three's intervals overlap.
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

    # The planted ends of the order: Michael the most lenient, Elena the strictest.
    middle = ("Omar Farouk", "Nasrin Tehrani", "Zahra Moradi")
    assert all(value["Michael Grant"] < value[name] < value["Elena Petrova"] for name in middle)
    # The clear ones are clear, with the signs their multipliers give against the peers.
    michael, elena = shown["Michael Grant"], shown["Elena Petrova"]
    assert michael is not None and michael.high is not None and michael.high < 0
    assert elena is not None and elena.low is not None and elena.low > 0
    # The middle three (0.85, 1.0, 1.12) cannot be told apart: their intervals overlap.
    intervals = [shown[name] for name in middle]
    assert all(s is not None and s.low is not None and s.high is not None for s in intervals)
    lows = [s.low for s in intervals if s is not None and s.low is not None]
    highs = [s.high for s in intervals if s is not None and s.high is not None]
    assert max(lows) <= min(highs)


def test_the_strictest_is_listed_first(report: ReviewerQualityReport) -> None:
    names = [r.quality.name for r in report.reviewers]
    assert names[0] == "Elena Petrova" and names[-1] == "Michael Grant"


def test_calibration_and_dispute_figures_are_there(report: ReviewerQualityReport) -> None:
    assert report.calibration_sessions == 10
    others = [r for r in report.reviewers if not r.quality.is_expert]
    assert all(r.quality.calibration_n == 10 for r in others)
    assert all(r.dispute_rate is not None for r in report.reviewers)
    assert report.questions  # every scored question of the calibrated forms
