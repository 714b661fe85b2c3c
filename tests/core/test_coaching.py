"""Coaching rules and the follow-up statistics, checked against hand calculations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from qa_monitor.core.coaching import (
    ActionItem,
    CitedEvaluation,
    CoachingRefusal,
    CoachingSession,
    ScoredAnswer,
    Verdict,
    check_session,
    follow_up,
    windows,
)
from qa_monitor.core.statistics import newcombe_difference

HELD = date(2026, 3, 1)
TODAY = date(2026, 3, 10)
GREET = ("support_call", "greet")


def _answers(day: date, full: int, total: int, question: str = "greet") -> list[ScoredAnswer]:
    return [
        ScoredAnswer("support_call", question, day, 5.0 if i < full else 0.0, 5.0)
        for i in range(total)
    ]


def test_the_windows_are_the_n_weeks_either_side_of_the_session_day() -> None:
    before, after = windows(HELD, 2)
    assert before == (date(2026, 2, 15), date(2026, 2, 28))
    assert after == (date(2026, 3, 2), date(2026, 3, 15))


def test_follow_up_matches_a_hand_calculation() -> None:
    session = CoachingSession(1, 1, HELD, questions=(GREET,), follow_weeks=2)
    answers = (
        _answers(date(2026, 2, 20), 2, 6)  # before: 2 of 6 with full marks
        + _answers(date(2026, 3, 5), 7, 8)  # after: 7 of 8
        + _answers(HELD, 0, 3)  # the session's own day: in neither window
        + _answers(date(2026, 2, 14), 0, 4)  # one day before the before window
        + _answers(date(2026, 3, 16), 0, 4)  # one day after the after window
        + _answers(date(2026, 3, 5), 0, 4, question="verify")  # another question
    )
    result = follow_up(session, date(2026, 3, 20), answers, {GREET: "Greeted the customer"})
    (line,) = result.questions
    assert line.text == "Greeted the customer"
    # Before: n = 6, 2 full marks, p = 1/3. Wilson with z = 1.959964, z²/n = 0.640243:
    #   centre = (1/3 + 0.320122) / 1.640243 = 0.398389
    #   half   = 1.959964 / 1.640243 · √(1/3 · 2/3 / 6 + 0.640243 / 24)
    #          = 1.194923 · √(0.037037 + 0.026677) = 1.194923 · 0.252416 = 0.301618
    #   → (0.096771, 0.700007); points 10 of 30 = 33.3 %.
    assert (line.before.n, line.before.full_marks) == (6, 2)
    assert line.before.rate is not None
    assert line.before.rate.low == pytest.approx(0.096771, abs=1e-6)
    assert line.before.rate.high == pytest.approx(0.700007, abs=1e-6)
    assert line.before.percent == pytest.approx(100 / 3)
    # After: n = 8, 7 full marks, p = 0.875, z²/n = 0.480182:
    #   centre = (0.875 + 0.240091) / 1.480182 = 0.753347
    #   half   = 1.959964 / 1.480182 · √(0.875 · 0.125 / 8 + 0.480182 / 32)
    #          = 1.324139 · √(0.013672 + 0.015006) = 1.324139 · 0.169345 = 0.224235
    #   → (0.529112, 0.977583); points 35 of 40 = 87.5 %.
    assert (line.after.n, line.after.full_marks) == (8, 7)
    assert line.after.rate is not None
    assert line.after.rate.low == pytest.approx(0.529112, abs=1e-6)
    assert line.after.rate.high == pytest.approx(0.977583, abs=1e-6)
    assert line.after.percent == pytest.approx(87.5)
    # Change (Newcombe): D = 0.875 − 1/3 = 0.541667
    #   L = D − √((0.875 − 0.529112)² + (0.700007 − 1/3)²) = D − √(0.119639 + 0.134450)
    #     = 0.541667 − 0.504072 = 0.037595
    #   U = D + √((0.977583 − 0.875)² + (1/3 − 0.096771)²) = D + √(0.010523 + 0.055962)
    #     = 0.541667 + 0.257847 = 0.799513
    assert line.change is not None
    assert line.change.difference == pytest.approx(0.541667, abs=1e-6)
    assert line.change.low == pytest.approx(0.037595, abs=1e-6)
    assert line.change.high == pytest.approx(0.799513, abs=1e-6)
    # The interval lies wholly above 0.
    assert line.verdict is Verdict.IMPROVED


def test_newcombe_matches_the_papers_example_and_a_hand_calculation() -> None:
    # Newcombe (1998), example (a): 56/70 − 48/80 = 0.2, interval (0.0524, 0.3339).
    # By hand: Wilson 56/70 = (0.691834, 0.876953), 48/80 = (0.490455, 0.700382);
    #   L = 0.2 − √((0.8 − 0.691834)² + (0.700382 − 0.6)²) = 0.2 − √(0.011700 + 0.010077)
    #     = 0.2 − 0.147569 = 0.052431
    #   U = 0.2 + √((0.876953 − 0.8)² + (0.6 − 0.490455)²) = 0.2 + √(0.005922 + 0.012000)
    #     = 0.2 + 0.133873 = 0.333873
    result = newcombe_difference(56, 70, 48, 80)
    assert result is not None
    assert result.difference == pytest.approx(0.2)
    assert result.low == pytest.approx(0.052431, abs=1e-6)
    assert result.high == pytest.approx(0.333873, abs=1e-6)
    assert newcombe_difference(0, 0, 1, 2) is None
    extreme = newcombe_difference(5, 5, 0, 5)
    assert extreme is not None and -1.0 <= extreme.low <= extreme.high <= 1.0


@pytest.mark.parametrize(
    ("before", "after", "today", "verdict"),
    [
        ((5, 5), (0, 5), date(2026, 3, 30), Verdict.DECLINED),
        ((3, 6), (4, 6), date(2026, 3, 30), Verdict.WITHIN_NOISE),
        ((3, 4), (6, 6), date(2026, 3, 30), Verdict.NOT_ENOUGH_DATA),
        ((0, 6), (6, 6), date(2026, 3, 28), Verdict.RUNNING),  # ends on 2026-03-29
        ((0, 6), (6, 6), date(2026, 3, 29), Verdict.IMPROVED),
    ],
)
def test_verdicts(
    before: tuple[int, int], after: tuple[int, int], today: date, verdict: Verdict
) -> None:
    session = CoachingSession(1, 1, HELD, questions=(GREET,), follow_weeks=4)
    answers = _answers(date(2026, 2, 20), *before) + _answers(date(2026, 3, 5), *after)
    result = follow_up(session, today, answers, {})
    assert result.questions[0].verdict is verdict
    assert result.ends == date(2026, 3, 29)
    # The figures so far are shown while the follow-up runs.
    assert result.questions[0].after.n == after[1]


def _refusal(session: CoachingSession, **kw: object) -> str:
    with pytest.raises(CoachingRefusal) as refused:
        check_session(session, TODAY, agent_name="Sara Ahmadi", **kw)  # type: ignore[arg-type]
    return str(refused.value)


def test_refusals_name_the_thing_and_say_what_to_do() -> None:
    ok = CoachingSession(1, 1, HELD)
    check_session(ok, TODAY)
    assert _refusal(CoachingSession(None, 1, HELD)) == (
        "Choose the agent who was coached; a coaching session is always about one agent."
    )
    assert _refusal(CoachingSession(1, 1, TODAY + timedelta(days=1))) == (
        "The session date 2026-03-11 is after today (2026-03-10); record a session once it "
        "has been held."
    )
    assert _refusal(CoachingSession(1, 1, HELD, follow_weeks=27)) == (
        "A follow-up of 27 weeks is not possible; choose from 1 to 26 weeks."
    )
    other = CitedEvaluation("u-1", 2, "Reza Tehrani", date(2026, 2, 20))
    assert _refusal(CoachingSession(1, 1, HELD, evaluations=("u-1",)), cited={"u-1": other}) == (
        "The evaluation of the interaction of 2026-02-20 is Reza Tehrani's, not Sara "
        "Ahmadi's; discuss only Sara Ahmadi's evaluations in this session."
    )
    assert _refusal(CoachingSession(1, 1, HELD, actions=(ActionItem("  "),))) == (
        "Action 1 of the plan has no text; say what is to be done, or remove the action."
    )
    late = ActionItem("Use the customer's name", due_date=date(2026, 3, 1))
    assert _refusal(CoachingSession(1, 1, HELD, actions=(late,))) == (
        "The action 'Use the customer's name' is due on 2026-03-01, which has passed; give a "
        "due date from today (2026-03-10) on."
    )


def test_a_past_due_date_is_kept_when_unchanged_or_done() -> None:
    late = ActionItem("Use the customer's name", due_date=date(2026, 3, 1), id=7)
    session = CoachingSession(1, 1, HELD, actions=(late,))
    check_session(session, TODAY, stored_actions={7: late})
    done = ActionItem("Use the customer's name", due_date=date(2026, 3, 1), done_on=HELD)
    check_session(CoachingSession(1, 1, HELD, actions=(done,)), TODAY)
    assert late.overdue(TODAY) and not done.overdue(TODAY)
