"""What a form is worth, checked by hand and against score_evaluation itself."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_monitor.core.answers import Answer
from qa_monitor.core.form_summary import summarize_form
from qa_monitor.core.forms import (
    Category,
    CriticalLevel,
    Form,
    FormSettings,
    Question,
    QuestionType,
    ScoringMode,
    Section,
    default_options,
)
from qa_monitor.core.scoring import score_evaluation
from tests.factories import sample_form


def q(qid: str, points: float, qtype: QuestionType = QuestionType.YES_NO, **kw) -> Question:
    return Question(qid, qid, qtype, points, default_options(qtype), **kw)


def sec(sid: str, category: Category, *questions: Question, weight: float = 1.0) -> Section:
    return Section(sid, sid.title(), category, weight, questions)


def make_form(*sections: Section, mode: ScoringMode = ScoringMode.POINTS, cap=True) -> Form:
    return Form("f", "F", sections, FormSettings(scoring_mode=mode, cap_bonus=cap))


def answers(form: Form, worst: set[str] = frozenset(), *, bonus=False) -> dict[str, Answer]:
    """Every scored question at its best option, except those in ``worst`` (ids of
    sections or questions) at their lowest; bonus questions earn nothing unless ``bonus``
    (earned bonus points would push the best score past 100 and hide the drop)."""
    result = {}
    for section, question in form.questions():
        if not question.scored:
            continue
        low = section.id in worst or question.id in worst or (question.bonus and not bonus)
        pick = min if low else max
        option = pick(question.options, key=lambda o: o.fraction or 0.0)
        result[question.id] = Answer(question.id, option.id)
    return result


def three_sections(mode: ScoringMode) -> Form:
    return make_form(
        sec("opening", Category.SOFT_SKILLS, q("greet", 10), q("name", 10), weight=1),
        sec(
            "process",
            Category.PROCESS,
            q("verify", 20),
            q("hold", 10, QuestionType.SCALE_1_5),
            q("notes", 0, QuestionType.TEXT),
            weight=2,
        ),
        sec("closing", Category.SOFT_SKILLS, q("thanks", 10), q("extra", 5, bonus=True), weight=1),
        mode=mode,
    )


def test_points_mode_shares_follow_possible_points():
    summary = summarize_form(three_sections(ScoringMode.POINTS))
    opening, process, closing = summary.sections
    assert summary.total_possible == 60  # 20 + 30 + 10; the bonus 5 is not possible points
    assert summary.total_bonus == 5
    assert (opening.possible_points, process.possible_points, closing.possible_points) == (
        20,
        30,
        10,
    )
    assert opening.effective_weight == pytest.approx(20 / 60)
    assert process.effective_weight == pytest.approx(0.5)
    assert closing.effective_weight == pytest.approx(10 / 60)
    assert closing.bonus_points == 5
    assert process.question_count == 3 and process.scored_count == 2
    assert closing.scored_count == 2  # the bonus question is scored too
    soft = summary.category(Category.SOFT_SKILLS)
    assert soft.possible_points == 30 and soft.effective_weight == pytest.approx(0.5)
    assert [c.category for c in summary.categories] == list(Category)
    assert summary.category(Category.OUTCOME).effective_weight == 0
    assert summary.question_weights["verify"] == pytest.approx(20 / 60)
    assert "extra" not in summary.question_weights and "notes" not in summary.question_weights
    assert summary.max_score == 100  # bonus capped by default


def test_weighted_mode_shares_follow_weights():
    summary = summarize_form(three_sections(ScoringMode.WEIGHTED))
    opening, process, closing = summary.sections
    assert opening.effective_weight == pytest.approx(0.25)
    assert process.effective_weight == pytest.approx(0.5)
    assert closing.effective_weight == pytest.approx(0.25)
    assert summary.category(Category.SOFT_SKILLS).effective_weight == pytest.approx(0.5)
    # verify is 20 of process's 30 points, process half the score.
    assert summary.question_weights["verify"] == pytest.approx(0.5 * 20 / 30)


@pytest.mark.parametrize("mode", list(ScoringMode))
@pytest.mark.parametrize("failed", ["opening", "process", "closing"])
def test_a_failed_section_costs_its_effective_weight(mode, failed):
    form = three_sections(mode)
    summary = summarize_form(form)
    top = score_evaluation(form, answers(form)).score
    low = score_evaluation(form, answers(form, {failed})).score
    assert top == 100
    assert top - low == pytest.approx(summary.section(failed).effective_weight * 100)


@pytest.mark.parametrize("mode", list(ScoringMode))
@pytest.mark.parametrize("failed", ["greet", "verify", "hold", "thanks"])
def test_a_failed_question_costs_its_weight(mode, failed):
    form = three_sections(mode)
    low = score_evaluation(form, answers(form, {failed})).score
    assert 100 - low == pytest.approx(summarize_form(form).question_weights[failed] * 100)


def test_a_section_without_possible_points_has_no_share():
    form = make_form(
        sec("a", Category.PROCESS, q("x", 10), weight=3),
        sec("data", Category.OUTCOME, q("t", 0, QuestionType.TEXT), weight=5),
        mode=ScoringMode.WEIGHTED,
    )
    summary = summarize_form(form)
    assert summary.section("a").effective_weight == 1
    assert summary.section("data").effective_weight == 0
    assert summary.category(Category.OUTCOME).effective_weight == 0


def test_critical_counts_and_max_score_with_uncapped_bonus():
    form = make_form(
        sec(
            "a",
            Category.COMPLIANCE,
            q("x", 10, critical=CriticalLevel.FORM),
            q("y", 10, critical=CriticalLevel.SECTION),
            q("z", 20),
            q("b", 4, bonus=True),
            q("t", 0, QuestionType.TEXT),
        ),
        cap=False,
    )
    summary = summarize_form(form)
    assert summary.critical_count == {
        CriticalLevel.NONE: 2,
        CriticalLevel.SECTION: 1,
        CriticalLevel.FORM: 1,
    }
    assert summary.max_score == pytest.approx(110)  # (40 + 4) / 40
    assert score_evaluation(form, answers(form, bonus=True)).score == pytest.approx(110)


def test_empty_form():
    summary = summarize_form(Form("f", "F"))
    assert summary.sections == () and summary.total_possible == 0
    assert summary.max_score is None
    assert all(c.effective_weight == 0 for c in summary.categories)


def test_sample_form_shares_add_up_to_one():
    summary = summarize_form(sample_form())
    assert sum(s.effective_weight for s in summary.sections) == pytest.approx(1)
    assert sum(summary.question_weights.values()) == pytest.approx(1)
    # weights 1, 2, 1.5, 1 over 5.5
    assert summary.section("process").effective_weight == pytest.approx(2 / 5.5)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.integers(1, 20), min_size=1, max_size=4),
            st.sampled_from([0.5, 1.0, 2.0, 3.0]),
            st.sampled_from(list(Category)),
        ),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(list(ScoringMode)),
    st.data(),
)
def test_any_failed_section_costs_its_effective_weight(spec, mode, data):
    sections = tuple(
        sec(
            f"s{n}",
            category,
            *(q(f"s{n}q{i}", p, QuestionType.SCALE_1_5) for i, p in enumerate(points)),
            weight=weight,
        )
        for n, (points, weight, category) in enumerate(spec)
    )
    form = make_form(*sections, mode=mode)
    failed = data.draw(st.sampled_from([s.id for s in sections]))
    summary = summarize_form(form)
    low = score_evaluation(form, answers(form, {failed})).score
    assert 100 - low == pytest.approx(summary.section(failed).effective_weight * 100)
    assert sum(s.effective_weight for s in summary.sections) == pytest.approx(1)


@pytest.mark.parametrize("mode", list(ScoringMode))
def test_max_score_matches_scoring_with_every_bonus_earned(mode):
    form = make_form(
        sec("a", Category.PROCESS, q("x", 10), q("b", 5, bonus=True), weight=3),
        sec("c", Category.OUTCOME, q("y", 30), weight=1),
        mode=mode,
        cap=False,
    )
    best = score_evaluation(form, answers(form, bonus=True)).score
    assert summarize_form(form).max_score == pytest.approx(best)
    assert best > 100
