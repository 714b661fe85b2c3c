from dataclasses import replace

from qa_monitor.core.form_validation import validate_form
from qa_monitor.core.forms import (
    Band,
    Category,
    Condition,
    CriticalLevel,
    Form,
    FormSettings,
    Option,
    OutcomeField,
    Question,
    QuestionType,
    ScoringMode,
    Section,
    default_options,
)

YN = default_options(QuestionType.YES_NO)


def q(qid, **kw):
    base = {"text": qid, "type": QuestionType.YES_NO, "points": 5, "options": YN}
    base.update(kw)
    return Question(qid, **base)


def f(*questions, settings=None, sections=None):
    secs = sections or (Section("s1", "S1", Category.PROCESS, 1, tuple(questions)),)
    return Form("form1", "Form", secs, settings or FormSettings())


def messages(form):
    return [str(p) for p in validate_form(form)]


def test_valid_form_has_no_problems():
    assert validate_form(f(q("a"), q("b", condition=Condition("a", ("no",))))) == []


def test_every_problem_is_reported_at_once_with_location():
    form = f(
        q("a", points=0),
        q("a"),
        q("c", condition=Condition("zzz", ("yes",))),
        q("d", critical=CriticalLevel.FORM, options=(Option("x", "X", 1), Option("y", "Y", 0.5))),
    )
    problems = validate_form(form)
    text = "\n".join(map(str, problems))
    assert len(problems) >= 4
    assert "points must be more than 0" in text
    assert "question id 'a' is used 2 times" in text
    assert "refers to 'zzz', which is not an earlier question" in text
    assert "critical but no option fails it" in text
    located = [p for p in problems if p.question_id == "c"]
    assert located and located[0].section_id == "s1" and located[0].field == "condition"
    assert located[0].hint


def test_condition_must_point_backwards():
    form = f(q("a", condition=Condition("b", ("yes",))), q("b"))
    assert any("not an earlier question" in m for m in messages(form))


def test_condition_option_must_exist():
    form = f(q("a"), q("b", condition=Condition("a", ("maybe",))))
    assert any("does not have" in m and "no, yes" in m for m in messages(form))


def test_unscored_cannot_be_critical_or_have_points():
    form = f(q("a"), Question("t", "t", QuestionType.TEXT, 3, critical=CriticalLevel.FORM))
    text = "\n".join(messages(form))
    assert "unscored question cannot have points" in text
    assert "only scored questions can be critical" in text


def test_settings_and_bands():
    bad = FormSettings(pass_mark=120, bands=(Band("A", 90), Band("A", 50)))
    text = "\n".join(messages(f(q("a"), settings=bad)))
    assert "pass mark 120 is outside 0–100" in text
    assert "band 'A' is listed twice" in text
    assert "no band covers scores from 0" in text


def test_weighted_mode_needs_positive_weight():
    sec = Section("s1", "S1", Category.PROCESS, 0, (q("a"),))
    form = f(sections=(sec,), settings=FormSettings(scoring_mode=ScoringMode.WEIGHTED))
    assert any("weights add up to 0" in m for m in messages(form))


def test_outcome_field_type_and_uniqueness():
    tag = Question(
        "ret",
        "Retained?",
        QuestionType.TAG,
        options=(Option("kept", "Kept"),),
        outcome_field=OutcomeField.RETENTION,
    )
    when = Question(
        "cb", "Callback", QuestionType.TEXT, outcome_field=OutcomeField.CALLBACK_PROMISED_AT
    )
    text = "\n".join(messages(f(q("a"), tag, when)))
    assert "takes options retained, lost, undecided" in text
    assert "needs a question of type datetime" in text


def test_bad_ids_and_empty_sections():
    form = Form("Bad Id", "", (Section("s 1", "", Category.OUTCOME, 1, ()),))
    text = "\n".join(messages(form))
    assert "form id 'Bad Id' is not a valid id" in text
    assert "the form has no title" in text
    assert "section id 's 1' is not a valid id" in text
    assert "the section has no questions" in text


def test_bonus_only_section_is_refused():
    form = f(replace(q("a"), bonus=True))
    assert any("every scored question in this section is a bonus" in m for m in messages(form))


def test_required_and_bounds_only_where_they_mean_something():
    text = "\n".join(messages(f(q("a", required=True), q("b", minimum=1))))
    assert "'required' applies to unscored questions" in text
    assert "min and max apply only to number questions" in text
