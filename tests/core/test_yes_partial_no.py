"""The Yes / Partial / No question type: Partial earns half the points unless the form says
otherwise, and is a critical failure only when the form says so (DOMAIN.md)."""

from __future__ import annotations

from dataclasses import replace

from qa_monitor.core.answers import Answer
from qa_monitor.core.form_codec import form_from_data, form_to_data
from qa_monitor.core.form_diff import diff_forms
from qa_monitor.core.form_validation import validate_form
from qa_monitor.core.forms import (
    Category,
    CriticalLevel,
    Form,
    FormSettings,
    Option,
    Question,
    QuestionType,
    Section,
    default_options,
)
from qa_monitor.core.scoring import score_evaluation

YPN = QuestionType.YES_PARTIAL_NO


def ypn(qid: str, points: float = 10, **kw) -> Question:
    return Question(qid, f"Question {qid}", YPN, points, default_options(YPN), **kw)


def two_sections(*, partial_fails: bool = False, critical=CriticalLevel.SECTION) -> Form:
    return Form(
        "ypn",
        "YPN",
        (
            Section("soft", "Soft skills", Category.SOFT_SKILLS, 1.0,
                    (ypn("empathy", 10), ypn("plain_words", 10, allow_na=True))),
            Section("comp", "Compliance", Category.COMPLIANCE, 1.0,
                    (ypn("disclosure", 10, critical=critical), ypn("dpa", 10))),
        ),
        FormSettings(partial_fails=partial_fails),
    )  # fmt: skip


def answers(**values: str) -> dict[str, Answer]:
    return {q: Answer(q, na=True) if v == "NA" else Answer(q, v) for q, v in values.items()}


# Full marks everywhere but a Partial on the critical disclosure question.
CRITICAL_PARTIAL = answers(empathy="yes", plain_words="yes", disclosure="partial", dpa="yes")


def test_default_options_are_yes_partial_no():
    assert [(o.id, o.label, o.fraction) for o in default_options(YPN)] == [
        ("yes", "Yes", 1.0),
        ("partial", "Partial", 0.5),
        ("no", "No", 0.0),
    ]
    assert YPN.scored and YPN.offers_partial
    assert not QuestionType.YES_NO.offers_partial


def test_partial_earns_half_the_points():
    f = two_sections()
    given = answers(empathy="partial", plain_words="no", disclosure="yes", dpa="yes")
    r = score_evaluation(f, given)
    # 5 + 0 + 10 + 10 = 25 of 40
    assert r.earned == 25 and r.possible == 40
    assert r.score == 62.5
    assert r.question("empathy").earned == 5


def test_na_where_allowed_leaves_the_question_out():
    f = two_sections()
    given = answers(empathy="partial", plain_words="NA", disclosure="yes", dpa="no")
    r = score_evaluation(f, given)
    # 5 + 10 + 0 = 15 of 30
    assert (r.earned, r.possible, r.score) == (15, 30, 50)


def test_the_form_can_give_partial_another_share():
    opts = (Option("yes", "Yes", 1.0), Option("partial", "Partly", 0.6), Option("no", "No", 0.0))
    f = Form("f", "F", (Section("s", "S", Category.PROCESS, 1.0,
                                (Question("q", "Q", YPN, 20, opts),)),))  # fmt: skip
    r = score_evaluation(f, answers(q="partial"))
    assert r.earned == 12 and r.score == 60


def test_partial_on_a_critical_question_is_no_failure_by_default():
    f = two_sections()
    r = score_evaluation(f, CRITICAL_PARTIAL)
    assert not r.critical_failed
    assert r.score == 87.5  # 35 of 40
    assert r.passed is True


def test_no_on_a_critical_question_fails():
    f = two_sections()
    r = score_evaluation(f, answers(empathy="yes", plain_words="yes", disclosure="no", dpa="yes"))
    assert r.section("comp").critical_failed
    assert r.score == 50  # compliance zeroed: 20 of 40
    assert r.passed is False


def test_the_form_can_make_partial_a_critical_failure():
    f = two_sections(partial_fails=True)
    r = score_evaluation(f, CRITICAL_PARTIAL)
    assert [(c.question_id, c.option_id) for c in r.critical_causes] == [("disclosure", "partial")]
    assert r.section("comp").percent == 0
    assert r.score == 50  # 20 + 0 of 40
    assert r.score_before_critical == 87.5
    assert r.passed is False
    # The setting changes critical questions only: a Partial elsewhere just earns half.
    elsewhere = answers(empathy="partial", plain_words="yes", disclosure="yes", dpa="partial")
    r2 = score_evaluation(f, elsewhere)
    assert not r2.critical_failed and r2.score == 75


def test_form_critical_partial_auto_fails_when_the_form_says_so():
    f = two_sections(partial_fails=True, critical=CriticalLevel.FORM)
    r = score_evaluation(f, CRITICAL_PARTIAL)
    assert r.auto_failed and r.score == 0


def test_an_option_s_own_fails_wins_over_the_form_setting():
    opts = (Option("yes", "Yes", 1.0), Option("partial", "Partial", 0.5, fails=False),
            Option("no", "No", 0.0))  # fmt: skip
    q = Question("q", "Q", YPN, 10, opts, critical=CriticalLevel.FORM)
    f = Form("f", "F", (Section("s", "S", Category.COMPLIANCE, 1.0, (q, ypn("q2"))),),
             FormSettings(partial_fails=True))  # fmt: skip
    r = score_evaluation(f, answers(q="partial", q2="yes"))
    assert not r.critical_failed and r.score == 75


def test_pass_fail_partial_follows_the_same_setting():
    pf = Question("q", "Q", QuestionType.PASS_FAIL, 10, default_options(QuestionType.PASS_FAIL),
                  critical=CriticalLevel.FORM)  # fmt: skip
    sections = (Section("s", "S", Category.COMPLIANCE, 1.0, (pf,)),)
    assert not score_evaluation(Form("f", "F", sections), answers(q="partial")).critical_failed
    strict = Form("f", "F", sections, FormSettings(partial_fails=True))
    assert score_evaluation(strict, answers(q="partial")).auto_failed


def test_a_ypn_form_is_valid_and_round_trips():
    f = two_sections(partial_fails=True)
    assert validate_form(f) == []
    data = form_to_data(f)
    assert data["settings"]["partial_fails"] is True
    assert data["sections"][0]["questions"][0]["type"] == "yes_partial_no"
    assert form_from_data(data) == f
    assert "partial_fails" not in form_to_data(two_sections())["settings"]


def test_turning_partial_fails_on_is_a_change_that_affects_scores():
    old = two_sections()
    new = replace(old, settings=replace(old.settings, partial_fails=True))
    changes = diff_forms(old, new).changes
    assert [(c.field, c.affects_score) for c in changes] == [("partial_fails", True)]
    assert "Partial answer on a critical question is now a critical failure" in changes[0].text
