"""Each scoring rule of DOMAIN.md, one or more tests per rule, plus properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import (
    Band,
    Category,
    Condition,
    CriticalLevel,
    Form,
    FormSettings,
    Option,
    Question,
    QuestionType,
    ScoringMode,
    Section,
    default_options,
)
from qa_monitor.core.scoring import QuestionStatus, score_evaluation


def yn(qid: str, points: float = 10, **kw) -> Question:
    return Question(
        qid, qid, QuestionType.YES_NO, points, default_options(QuestionType.YES_NO), **kw
    )


def scale(qid: str, points: float = 10, **kw) -> Question:
    return Question(
        qid, qid, QuestionType.SCALE_1_5, points, default_options(QuestionType.SCALE_1_5), **kw
    )


def form(*sections: Section, mode=ScoringMode.POINTS, **settings_kw) -> Form:
    return Form("f", "F", sections, FormSettings(scoring_mode=mode, **settings_kw))


def sec(sid: str, *questions: Question, category=Category.SOFT_SKILLS, weight=1.0) -> Section:
    return Section(sid, sid, category, weight, questions)


def ans(**values) -> dict[str, Answer]:
    out = {}
    for qid, v in values.items():
        out[qid] = Answer(qid, na=True) if v == "NA" else Answer(qid, v)
    return out


def test_points_mode_is_earned_over_possible():
    f = form(sec("a", yn("q1", 10), scale("q2", 20)))
    r = score_evaluation(f, ans(q1="yes", q2="3"))  # 10 + 0.5*20 = 20 of 30
    assert r.score == pytest.approx(200 / 3)
    assert r.earned == 20 and r.possible == 30


def test_scale_1_5_default_fractions():
    f = form(sec("a", scale("q", 4)))
    got = [score_evaluation(f, ans(q=str(i))).score for i in range(1, 6)]
    assert got == [0, 25, 50, 75, 100]


def test_na_leaves_earned_and_possible():
    f = form(sec("a", yn("q1", 10, allow_na=True), yn("q2", 10)))
    r = score_evaluation(f, ans(q1="NA", q2="yes"))
    assert r.score == 100
    assert r.possible == 10
    assert r.question("q1").status is QuestionStatus.NA


def test_na_not_allowed_counts_as_unanswered():
    f = form(sec("a", yn("q1", 10), yn("q2", 10)))
    r = score_evaluation(f, ans(q1="NA", q2="yes"))
    assert r.question("q1").status is QuestionStatus.UNANSWERED


def test_hidden_by_condition_counts_as_na():
    q3 = yn("q3", 10)
    follow = yn("q4", 10, condition=Condition("q3", ("no",)))
    f = form(sec("a", q3, follow))
    shown = score_evaluation(f, ans(q3="no", q4="no"))
    hidden = score_evaluation(f, ans(q3="yes", q4="no"))  # stale answer to a hidden question
    assert shown.possible == 20 and shown.score == 0
    assert hidden.possible == 10 and hidden.score == 100
    assert hidden.question("q4").status is QuestionStatus.HIDDEN


def test_condition_on_hidden_question_hides_chain():
    f = form(
        sec(
            "a",
            yn("q1"),
            yn("q2", condition=Condition("q1", ("yes",))),
            yn("q3", condition=Condition("q2", ("yes",))),
        )
    )
    r = score_evaluation(f, ans(q1="no", q2="yes", q3="yes"))
    assert r.question("q3").status is QuestionStatus.HIDDEN


def test_all_na_section_drops_out_and_weights_renormalise():
    f = form(
        sec("a", yn("q1", 10, allow_na=True), weight=3),
        sec("b", yn("q2", 10), scale("q3", 10), weight=1),
        sec("c", yn("q4", 10), weight=1),
        mode=ScoringMode.WEIGHTED,
    )
    r = score_evaluation(f, ans(q1="NA", q2="yes", q3="3", q4="no"))
    # b = 75%, c = 0%; a drops out -> (1*75 + 1*0) / 2
    assert r.section("a").percent is None
    assert r.score == pytest.approx(37.5)


def test_weighted_mode_uses_section_percentages_not_points():
    f = form(
        sec("a", yn("q1", 1), weight=1),
        sec("b", yn("q2", 99), weight=1),
        mode=ScoringMode.WEIGHTED,
    )
    r = score_evaluation(f, ans(q1="yes", q2="no"))
    assert r.score == 50  # points mode would give 1%
    pts = score_evaluation(form(*f.sections), ans(q1="yes", q2="no"))
    assert pts.score == 1


def test_everything_na_gives_no_score():
    f = form(sec("a", yn("q1", allow_na=True)))
    r = score_evaluation(f, ans(q1="NA"))
    assert r.score is None and r.passed is None and r.band is None


def test_section_critical_zeroes_section_and_fails():
    f = form(
        sec("a", yn("q1", 10, critical=CriticalLevel.SECTION), yn("q2", 10)),
        sec("b", yn("q3", 20)),
        pass_mark=10,
    )
    r = score_evaluation(f, ans(q1="no", q2="yes", q3="yes"))
    assert r.section("a").percent == 0
    assert r.section("a").percent_before_critical == 50
    assert r.score == 50  # 0 + 20 of 40
    assert r.score_before_critical == 75
    assert r.passed is False  # a critical failure always fails
    assert [(c.question_id, c.level) for c in r.critical_causes] == [("q1", CriticalLevel.SECTION)]


def test_form_critical_zeroes_everything_but_keeps_before():
    f = form(sec("a", yn("id_check", 10, critical=CriticalLevel.FORM), yn("q2", 30)))
    r = score_evaluation(f, ans(id_check="no", q2="yes"))
    assert r.score == 0
    assert r.score_before_critical == 75
    assert r.auto_failed and r.critical_failed
    assert r.passed is False


def test_critical_question_answered_na_is_no_failure():
    f = form(sec("a", yn("q1", critical=CriticalLevel.FORM, allow_na=True), yn("q2")))
    r = score_evaluation(f, ans(q1="NA", q2="yes"))
    assert r.score == 100 and not r.critical_failed


def test_explicit_failing_option_triggers_critical():
    opts = (
        Option("good", "Good", 1),
        Option("weak", "Weak", 0.5, fails=True),
        Option("bad", "Bad", 0),
    )
    q = Question("q", "q", QuestionType.CHOICE, 10, opts, critical=CriticalLevel.FORM)
    r = score_evaluation(form(sec("a", q)), ans(q="weak"))
    assert r.score == 0 and r.score_before_critical == 50


def test_bonus_adds_earned_not_possible_and_caps():
    f = form(sec("a", yn("q1", 10), yn("extra", 5, bonus=True)), cap_bonus=True)
    capped = score_evaluation(f, ans(q1="yes", extra="yes"))
    assert capped.score == 100 and capped.possible == 10
    f2 = form(sec("a", yn("q1", 10), yn("extra", 5, bonus=True)), cap_bonus=False)
    uncapped = score_evaluation(f2, ans(q1="yes", extra="yes"))
    assert uncapped.score == 150
    partial = score_evaluation(f2, ans(q1="no", extra="yes"))
    assert partial.score == 50


def test_pass_mark_and_bands():
    bands = (Band("Exceeds", 95), Band("Meets", 80), Band("Needs improvement", 0))
    f = form(sec("a", scale("q", 100)), pass_mark=80, bands=bands)
    assert (score_evaluation(f, ans(q="5")).band, score_evaluation(f, ans(q="5")).passed) == (
        "Exceeds",
        True,
    )
    r = score_evaluation(f, ans(q="4"))  # 75
    assert (r.band, r.passed) == ("Needs improvement", False)
    f80 = form(
        sec("a", yn("q", 10), yn("q2", 10), yn("q3", 10), yn("q4", 10), yn("q5", 10)),
        pass_mark=80,
        bands=bands,
    )
    r80 = score_evaluation(f80, ans(q="yes", q2="yes", q3="yes", q4="yes", q5="no"))
    assert r80.score == 80 and r80.passed and r80.band == "Meets"  # the mark itself passes


def test_unscored_questions_never_change_score():
    tag = Question("reason", "reason", QuestionType.TAG, options=(Option("price", "Price"),))
    text = Question("notes", "notes", QuestionType.TEXT)
    f = form(sec("a", yn("q1"), tag, text))
    with_data = score_evaluation(
        f, {**ans(q1="no"), "reason": Answer("reason", "price"), "notes": Answer("notes", "x")}
    )
    assert with_data.score == 0 and with_data.possible == 10


def test_categories_aggregate_sections_by_category():
    f = form(
        sec("a", yn("q1", 10), category=Category.SOFT_SKILLS),
        sec("b", yn("q2", 30), category=Category.SOFT_SKILLS),
        sec("c", yn("q3", 10), category=Category.COMPLIANCE),
    )
    r = score_evaluation(f, ans(q1="yes", q2="no", q3="yes"))
    assert r.category(Category.SOFT_SKILLS).percent == 25
    assert r.category(Category.COMPLIANCE).percent == 100
    assert r.category(Category.OUTCOME) is None


def test_unanswered_questions_are_left_out_of_a_live_score():
    f = form(sec("a", yn("q1"), yn("q2")))
    r = score_evaluation(f, ans(q1="yes"))
    assert r.score == 100 and r.answered == 1 and r.answerable == 2


# ---------------------------------------------------------------- properties

QTYPES = [
    QuestionType.YES_NO,
    QuestionType.PASS_FAIL,
    QuestionType.SCALE_1_5,
    QuestionType.SCALE_0_10,
]


@st.composite
def forms_and_answers(draw):
    n_sections = draw(st.integers(1, 4))
    sections = []
    answers = {}
    k = 0
    for s in range(n_sections):
        questions = []
        for _ in range(draw(st.integers(1, 5))):
            qtype = draw(st.sampled_from(QTYPES))
            q = Question(
                f"q{k}",
                "q",
                qtype,
                draw(st.sampled_from([1, 2, 5, 10, 2.5])),
                default_options(qtype),
                allow_na=draw(st.booleans()),
                critical=draw(st.sampled_from(list(CriticalLevel))),
            )
            k += 1
            questions.append(q)
            choice = draw(st.sampled_from([*(o.id for o in q.options), "NA"]))
            answers[q.id] = Answer(q.id, na=True) if choice == "NA" else Answer(q.id, choice)
        sections.append(
            Section(
                f"s{s}",
                "s",
                draw(st.sampled_from(list(Category))),
                draw(st.sampled_from([0.5, 1, 2, 3])),
                tuple(questions),
            )
        )
    mode = draw(st.sampled_from(list(ScoringMode)))
    return Form("f", "F", tuple(sections), FormSettings(scoring_mode=mode)), answers


@settings(max_examples=300, deadline=None)
@given(forms_and_answers())
def test_score_within_bounds_and_deterministic(fa):
    f, answers = fa
    r1 = score_evaluation(f, answers)
    r2 = score_evaluation(f, dict(reversed(list(answers.items()))))
    assert r1 == r2
    for value in (r1.score, r1.score_before_critical):
        assert value is None or 0 <= value <= 100
    if r1.score is not None:
        assert r1.score <= r1.score_before_critical + 1e-9


@settings(max_examples=300, deadline=None)
@given(forms_and_answers())
def test_critical_failure_always_fails(fa):
    f, answers = fa
    r = score_evaluation(f, answers)
    if r.critical_causes:
        assert r.passed is False
    if r.auto_failed:
        assert r.score == 0


@settings(max_examples=300, deadline=None)
@given(forms_and_answers(), st.data())
def test_na_never_scores_below_a_failing_answer(fa, data):
    """N/A on a question never gives a lower score (final or before critical) than
    answering it with its worst option: excluding an item can only help."""
    f, answers = fa
    allowing = [q for _s, q in f.questions() if q.allow_na]
    if not allowing:
        return
    q = data.draw(st.sampled_from(allowing))
    worst = min(q.options, key=lambda o: o.fraction).id
    failed = score_evaluation(f, {**answers, q.id: Answer(q.id, worst)})
    na = score_evaluation(f, {**answers, q.id: Answer(q.id, na=True)})
    for attr in ("score", "score_before_critical"):
        a, b = getattr(na, attr), getattr(failed, attr)
        assert a is None or b is None or a >= b - 1e-9
