"""Decisions follow what is displayed: pass/fail and band are taken on the score rounded
to one decimal, half up (DOMAIN.md), so "80.0" never fails a pass mark of 80 and "90.0"
is never in the band below 90."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import (
    Band,
    Category,
    CriticalLevel,
    Form,
    FormSettings,
    Question,
    QuestionType,
    Section,
    default_options,
)
from qa_monitor.core.scoring import band_for, displayed_score, score_evaluation
from qa_monitor.reports.score_breakdown import fmt_score

BANDS = (Band("Exceeds", 90), Band("Meets", 80), Band("Needs improvement", 0))


def _yn(qid: str, points: float, critical: CriticalLevel = CriticalLevel.NONE) -> Question:
    return Question(
        qid, qid, QuestionType.YES_NO, points, default_options(QuestionType.YES_NO),
        critical=critical,
    )  # fmt: skip


def _form(*sections: Section) -> Form:
    return Form("f", "F", sections, FormSettings(pass_mark=80, bands=BANDS))


def _earned_of(earned: float, missed: float):
    """A form and answers scoring ``earned`` of ``earned + missed`` points."""
    f = _form(Section("s", "S", Category.PROCESS, 1.0, (_yn("hit", earned), _yn("miss", missed))))
    return f, {"hit": Answer("hit", "yes"), "miss": Answer("miss", "no")}


@pytest.mark.parametrize(
    ("earned", "missed", "shown", "passed", "band"),
    [
        (3997, 1003, "79.9", False, "Needs improvement"),  # 79.94
        (1599, 401, "80.0", True, "Meets"),  # 79.95: half up to 80.0
        (19997, 5003, "80.0", True, "Meets"),  # 79.988
        (4, 1, "80.0", True, "Meets"),  # 80 exactly
        (4497, 503, "89.9", True, "Meets"),  # 89.94
        (1799, 201, "90.0", True, "Exceeds"),  # 89.95: the band edge
        (9, 1, "90.0", True, "Exceeds"),  # 90 exactly
    ],
)
def test_verdict_and_band_follow_the_displayed_score(earned, missed, shown, passed, band):
    f, answers = _earned_of(earned, missed)
    result = score_evaluation(f, answers)
    assert fmt_score(result.score) == shown
    assert (result.passed, result.band) == (passed, band)


def test_a_float_artefact_below_the_half_still_rounds_up():
    # 0.02 + 7.975 = 7.995 of 10 points is exactly 79.95%, but binary floats compute
    # 79.94999999999999: the display and the verdict must both read it as 80.0.
    q = (_yn("a", 0.02), _yn("b", 7.975), _yn("c", 2.005))
    f = _form(Section("s", "S", Category.PROCESS, 1.0, q))
    answers = {"a": Answer("a", "yes"), "b": Answer("b", "yes"), "c": Answer("c", "no")}
    result = score_evaluation(f, answers)
    assert result.score is not None and result.score < 79.95  # the artefact is there
    assert displayed_score(result.score) == 80.0
    assert fmt_score(result.score) == "80.0"
    assert result.passed is True


def test_a_critical_failure_fails_even_when_80_is_displayed():
    # The section-critical "id" answered no zeroes its 1-point section; the rest earns
    # 1599 of 1999, so the score is 1599 / (1 + 1999) * 100 = 79.95, shown as 80.0.
    gate = Section("gate", "Gate", Category.COMPLIANCE, 1.0, (_yn("id", 1, CriticalLevel.SECTION),))
    rest = Section("rest", "Rest", Category.PROCESS, 1.0, (_yn("hit", 1599), _yn("miss", 400)))
    answers = {
        "id": Answer("id", "no"),
        "hit": Answer("hit", "yes"),
        "miss": Answer("miss", "no"),
    }
    result = score_evaluation(_form(gate, rest), answers)
    assert fmt_score(result.score) == "80.0"
    assert result.band == "Meets"
    assert result.critical_failed
    assert result.passed is False


def test_band_for_rounds_like_the_display():
    f = _form()
    assert band_for(f, 89.95) == "Exceeds"
    assert band_for(f, 89.9499) == "Meets"
    assert band_for(f, 79.95) == "Meets"
    assert band_for(f, 79.94) == "Needs improvement"


@given(st.integers(0, 5000), st.integers(1, 5000))
def test_a_shown_score_at_the_mark_always_passes(earned: int, missed: int):
    f, answers = _earned_of(earned, missed) if earned else _earned_of(0.5, missed)
    result = score_evaluation(f, answers)
    assert result.score is not None
    assert result.passed == (float(fmt_score(result.score)) >= f.settings.pass_mark)
