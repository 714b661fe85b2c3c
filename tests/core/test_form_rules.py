"""Issue 11 item 5: form-level defaults, declared section maximums, weight warnings and
conditions on the interaction (channel, direction)."""

from __future__ import annotations

from dataclasses import replace

from qa_monitor.core.answer_checks import check_answers
from qa_monitor.core.answers import Answer
from qa_monitor.core.form_codec import form_from_data, form_to_data
from qa_monitor.core.form_diff import diff_forms
from qa_monitor.core.form_edit import new_question
from qa_monitor.core.form_problems import Severity
from qa_monitor.core.form_validation import validate_form
from qa_monitor.core.form_warnings import form_warnings
from qa_monitor.core.forms import (
    Category,
    Channel,
    CommentRule,
    Condition,
    Direction,
    Form,
    FormSettings,
    InteractionCondition,
    InteractionFacts,
    Question,
    QuestionDefaults,
    QuestionType,
    ScoringMode,
    Section,
    default_options,
)
from qa_monitor.core.scoring import QuestionStatus, score_evaluation

OUTBOUND_PHONE = InteractionCondition((Channel.PHONE,), (Direction.OUTBOUND,))
INBOUND_CALL = InteractionFacts(Channel.PHONE, Direction.INBOUND)
OUTBOUND_CALL = InteractionFacts(Channel.PHONE, Direction.OUTBOUND)


def yes_no(qid: str, points: float = 5.0, **kw: object) -> Question:
    options = default_options(QuestionType.YES_NO)
    return Question(qid, qid.title(), QuestionType.YES_NO, points, options, **kw)  # type: ignore[arg-type]


def disclosure_form() -> Form:
    """Greeting (5) for every call; the recording disclosure (10) only on outbound calls."""
    section = Section(
        "opening",
        "Opening",
        Category.COMPLIANCE,
        questions=(
            yes_no("greeting"),
            yes_no("disclosure", 10.0, interaction_condition=OUTBOUND_PHONE),
        ),
    )
    return Form("calls", "Calls", (section,))


def answered() -> dict[str, Answer]:
    """The greeting given, the disclosure missed."""
    return {"greeting": Answer("greeting", "yes"), "disclosure": Answer("disclosure", "no")}


# -- conditions on the interaction ------------------------------------------------------------


def test_a_question_for_outbound_calls_is_hidden_on_an_inbound_call() -> None:
    result = score_evaluation(disclosure_form(), answered(), INBOUND_CALL)
    disclosure = result.question("disclosure")
    assert disclosure is not None and disclosure.status is QuestionStatus.HIDDEN
    # Hidden counts as N/A: neither earned nor possible, so the greeting alone scores 100.
    assert (result.earned, result.possible, result.score) == (5.0, 5.0, 100.0)


def test_the_same_question_counts_on_an_outbound_call() -> None:
    result = score_evaluation(disclosure_form(), answered(), OUTBOUND_CALL)
    disclosure = result.question("disclosure")
    assert disclosure is not None and disclosure.status is QuestionStatus.SCORED
    assert (result.earned, result.possible) == (5.0, 15.0)


def test_unknown_facts_hide_nothing() -> None:
    for facts in (None, InteractionFacts(), InteractionFacts(Channel.PHONE, None)):
        result = score_evaluation(disclosure_form(), answered(), facts)
        assert result.possible == 15.0, facts


def test_an_interaction_condition_holds_on_any_listed_value() -> None:
    on = InteractionCondition((Channel.CHAT, Channel.EMAIL), ())
    assert on.holds(InteractionFacts(Channel.EMAIL, Direction.OUTBOUND))
    assert not on.holds(InteractionFacts(Channel.PHONE, Direction.INBOUND))
    assert not OUTBOUND_PHONE.holds(InteractionFacts(Channel.CHAT, Direction.OUTBOUND))


def test_both_conditions_must_hold() -> None:
    form = disclosure_form()
    section = form.sections[0]
    both = yes_no(
        "follow_up",
        condition=Condition("greeting", ("yes",)),
        interaction_condition=OUTBOUND_PHONE,
    )
    form = replace(form, sections=(replace(section, questions=(*section.questions, both)),))
    answers = {**answered(), "follow_up": Answer("follow_up", "yes")}
    shown = score_evaluation(form, answers, OUTBOUND_CALL).question("follow_up")
    assert shown is not None and shown.counts
    hidden = score_evaluation(form, answers, INBOUND_CALL).question("follow_up")
    assert hidden is not None and hidden.status is QuestionStatus.HIDDEN
    answers["greeting"] = Answer("greeting", "no")
    hidden = score_evaluation(form, answers, OUTBOUND_CALL).question("follow_up")
    assert hidden is not None and hidden.status is QuestionStatus.HIDDEN


def test_a_hidden_unanswered_question_does_not_block_submitting() -> None:
    answers = {"greeting": Answer("greeting", "yes")}
    assert check_answers(disclosure_form(), answers, interaction=INBOUND_CALL) == []
    problems = check_answers(disclosure_form(), answers, interaction=OUTBOUND_CALL)
    assert [p.question_id for p in problems] == ["disclosure"]


def test_an_interaction_condition_naming_nothing_is_an_error() -> None:
    form = disclosure_form()
    empty = replace(form.sections[0].questions[1], interaction_condition=InteractionCondition())
    form = replace(form, sections=(replace(form.sections[0], questions=(empty,)),))
    problems = validate_form(form)
    assert [(p.field, p.message) for p in problems] == [
        ("interaction_condition", "the interaction condition names no channel or direction")
    ]
    assert problems[0].severity is Severity.ERROR


# -- declared section maximums and weights ------------------------------------------------------


def points_form(max_points: float | None, *, mode: ScoringMode = ScoringMode.POINTS) -> Form:
    section = Section(
        "opening",
        "Opening",
        Category.SOFT_SKILLS,
        questions=(yes_no("a", 10), yes_no("b", 15), yes_no("extra", 5, bonus=True)),
        max_points=max_points,
    )
    return Form("f", "F", (section,), FormSettings(scoring_mode=mode))


def test_points_that_do_not_add_up_to_the_declared_maximum_warn() -> None:
    form = points_form(30)
    assert validate_form(form) == []  # a warning never blocks publishing
    [warning] = form_warnings(form)
    assert warning.severity is Severity.WARNING and warning.is_warning
    assert (warning.section_id, warning.field) == ("opening", "max_points")
    assert warning.message == (
        "the questions add up to 25 points, but the section declares max_points 30"
    )


def test_points_that_add_up_give_no_warning_and_bonus_points_do_not_count() -> None:
    assert form_warnings(points_form(25)) == []
    assert form_warnings(points_form(None)) == []


def test_a_maximum_that_is_not_positive_is_an_error_not_a_warning() -> None:
    form = points_form(0)
    assert [(p.field, p.message) for p in validate_form(form)] == [
        ("max_points", "max_points must be more than 0 (got 0)")
    ]
    assert form_warnings(form) == []


def weighted_form(*weights: float) -> Form:
    sections = tuple(
        Section(f"s{i}", f"S{i}", Category.PROCESS, w, (yes_no(f"q{i}"),))
        for i, w in enumerate(weights)
    )
    return Form("w", "W", sections, FormSettings(scoring_mode=ScoringMode.WEIGHTED))


def test_weighted_weights_that_do_not_add_up_to_100_warn() -> None:
    form = weighted_form(3, 2, 3)
    assert validate_form(form) == []
    [warning] = form_warnings(form)
    assert (warning.section_id, warning.field, warning.severity) == (
        None,
        "weight",
        Severity.WARNING,
    )
    assert warning.message == "the scored sections' weights add up to 8, not 100"


def test_weights_adding_up_to_100_or_points_mode_give_no_warning() -> None:
    assert form_warnings(weighted_form(33.3, 33.3, 33.4)) == []
    points = replace(weighted_form(3, 2), settings=FormSettings())
    assert form_warnings(points) == []


# -- form-level defaults -------------------------------------------------------------------


def test_default_points_that_are_not_positive_are_an_error() -> None:
    form = replace(disclosure_form(), defaults=QuestionDefaults(points=-2))
    assert ("defaults", "default points must be more than 0 (got -2)") in [
        (p.field, p.message) for p in validate_form(form)
    ]


def test_a_new_scored_question_takes_the_form_defaults() -> None:
    defaults = QuestionDefaults(points=3, allow_na=True, comment=CommentRule.NOT_FULL)
    form = replace(disclosure_form(), defaults=defaults)
    added = new_question(form, "Confirmed the address", QuestionType.YES_NO)
    assert (added.points, added.allow_na, added.comment) == (3, True, CommentRule.NOT_FULL)
    text = new_question(form, "Notes", QuestionType.TEXT)
    assert (text.points, text.allow_na, text.comment) == (0, False, CommentRule.NEVER)


def test_the_codec_keeps_defaults_maximums_and_interaction_conditions() -> None:
    form = replace(
        points_form(30),
        defaults=QuestionDefaults(points=5, allow_na=True, comment=CommentRule.ALWAYS),
    )
    form = replace(form, sections=(*form.sections, *disclosure_form().sections))
    assert form_from_data(form_to_data(form)) == form
    two_ways = InteractionCondition((Channel.CHAT, Channel.EMAIL), (Direction.INBOUND,))
    question = replace(yes_no("x"), interaction_condition=two_ways)
    only = replace(form, sections=(replace(form.sections[0], questions=(question,)),))
    assert form_from_data(form_to_data(only)) == only


def test_publishing_shows_a_changed_interaction_condition() -> None:
    old = disclosure_form()
    greeting, disclosure = old.sections[0].questions
    always = replace(disclosure, interaction_condition=None)
    new = replace(old, sections=(replace(old.sections[0], questions=(greeting, always)),))
    diff = diff_forms(old, new)
    assert [c.text for c in diff.changes] == [
        "Question “Disclosure” (disclosure): interaction condition changed: shown only on "
        "phone, outbound interactions → shown on every interaction"
    ]
    assert diff.affects_score


def test_publishing_shows_a_changed_maximum() -> None:
    texts = [c.text for c in diff_forms(points_form(None), points_form(25)).changes]
    assert texts == ["Section “Opening” declared maximum none → 25 points"]
