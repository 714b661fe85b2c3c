"""Pure form edits: each returns a new form, keeps ids unique and conditions pointing right."""

from __future__ import annotations

from dataclasses import replace

import pytest
from factories import sample_form
from hypothesis import given
from hypothesis import strategies as st

from qa_monitor.core import form_edit as fe
from qa_monitor.core.form_validation import ID_PATTERN, validate_form
from qa_monitor.core.forms import (
    Category,
    CommentRule,
    Condition,
    CriticalLevel,
    Option,
    QuestionType,
    default_options,
)


def order(form) -> list[tuple[str, list[str]]]:
    return [(s.id, [q.id for q in s.questions]) for s in form.sections]


# ---------------------------------------------------------------------- ids
@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Greeted the customer and used their name", "greeted_the_customer_and_used_their_name"),
        ("Verified the caller’s identity", "verified_the_callers_identity"),
        ("1. Opening", "opening"),
        ("Café crème", "cafe_creme"),
        ("Приветствие клиента", "privetstvie_klienta"),
        ("سلام و احوالپرسی با مشتری", "slam_v_ahvalprsy_ba_mshtry"),
        ("می‌خواهم", "mykhvahm"),  # the zero-width non-joiner does not split the word
        ("الترحيب بالعميل", "altrhyb_balamyl"),
        ("۱۲۳", "question_123"),  # Persian digits, and a letter first
        ("", "question"),
        ("!!! ???", "question"),
    ],
)
def test_slugify_reads_every_script_as_a_valid_id(title: str, expected: str) -> None:
    slug = fe.slugify(title, "question")
    assert slug == expected
    assert ID_PATTERN.match(slug)


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    slug = fe.slugify("Explained the options terms and costs in plain words without jargon")
    assert len(slug) <= fe.SLUG_MAX
    assert slug == "explained_the_options_terms_and_costs_in"


@given(st.text(max_size=200))
def test_any_text_gives_a_valid_unique_id(text: str) -> None:
    taken = {fe.slugify(text, "q")}
    new = fe.id_from_title(text, taken, "q")
    assert ID_PATTERN.match(new)
    assert new not in taken


def test_unique_id_counts_up_and_stays_within_64_characters() -> None:
    assert fe.unique_id("greet", {"greet", "greet_2"}) == "greet_3"
    base = "a" * 64
    assert fe.unique_id(base, {base}) == "a" * 62 + "_2"
    assert fe.follows_title("greet_2", "Greet")
    assert not fe.follows_title("hello", "Greet")


# ---------------------------------------------------------------------- adding
def test_new_items_are_valid_and_unique() -> None:
    form = sample_form()
    section = fe.new_section(form, "Process", Category.PROCESS)
    assert section.id == "process_2"
    form = fe.add_section(form, section, 1)
    assert form.sections[1].id == "process_2"
    question = fe.new_question(form, "Greeted the customer", QuestionType.YES_NO)
    assert question.id == "greeted_the_customer"
    assert question.points == fe.DEFAULT_POINTS
    assert question.options == default_options(QuestionType.YES_NO)
    form = fe.add_question(form, "process_2", question)
    assert [p for p in validate_form(form)] == []


@pytest.mark.parametrize("qtype", list(QuestionType))
def test_a_new_question_of_any_type_is_valid(qtype: QuestionType) -> None:
    form = sample_form()
    question = fe.new_question(form, "Anything", qtype)
    form = fe.add_question(form, "greeting", question)
    assert validate_form(form) == []


def test_duplicate_question_goes_right_after_with_a_new_id() -> None:
    form, new_id = fe.duplicate_question(sample_form(), "resolved")
    assert new_id == "resolved_2"
    assert order(form)[3][1][:2] == ["resolved", "resolved_2"]
    assert form.question("resolved_2").outcome_field is None  # one per form
    assert validate_form(form) == []


def test_duplicate_section_renames_questions_and_inner_conditions() -> None:
    form, new_id = fe.duplicate_section(sample_form(), "outcome")
    assert new_id == "outcome_2"
    copy = form.section("outcome_2")
    assert [q.id for q in copy.questions][:3] == ["resolved_2", "retention_2", "churn_reason_2"]
    assert copy.questions[2].condition == Condition("retention_2", ("lost",))
    assert validate_form(form) == []


# ---------------------------------------------------------------------- deleting
def test_delete_question_reports_and_clears_dependent_conditions() -> None:
    form = sample_form()
    assert [q.id for q in fe.dependents(form, {"retention"})] == ["churn_reason"]
    deletion = fe.delete_question(form, "retention")
    assert deletion.cleared_conditions == ("churn_reason",)
    assert deletion.form.question("retention") is None
    assert deletion.form.question("churn_reason").condition is None
    assert form.question("retention") is not None  # the original is untouched


def test_delete_section_clears_conditions_only_outside_it() -> None:
    form = sample_form()
    deletion = fe.delete_section(form, "outcome")
    assert deletion.cleared_conditions == ()
    assert [s.id for s in deletion.form.sections] == ["greeting", "process", "compliance"]
    moved = fe.move_question(form, "churn_reason", "compliance", 1)
    assert fe.delete_section(moved, "outcome").cleared_conditions == ("churn_reason",)


def test_unknown_ids_raise_key_error() -> None:
    with pytest.raises(KeyError, match="no question 'nope'"):
        fe.delete_question(sample_form(), "nope")
    with pytest.raises(KeyError, match="no section 'nope'"):
        fe.delete_section(sample_form(), "nope")


# ---------------------------------------------------------------------- moving
def test_move_question_within_and_across_sections() -> None:
    form = sample_form()
    within = fe.move_question(form, "verify", "process", 2)
    assert order(within)[1][1] == ["history", "empathy", "verify"]
    across = fe.move_question(form, "greet", "compliance", 0)
    assert order(across)[0][1] == ["name_used"]
    assert order(across)[2][1] == ["greet", "disclosure"]
    assert fe.move_question(form, "greet", "compliance", 99).sections[2].questions[-1].id == "greet"


def test_step_question_crosses_section_edges_and_stops_at_the_ends() -> None:
    form = sample_form()
    down = fe.step_question(form, "name_used", 1)
    assert order(down)[1][1] == ["name_used", "verify", "history", "empathy"]
    up = fe.step_question(down, "name_used", -1)
    assert order(up) == order(form)
    assert fe.step_question(form, "greet", -1) is None
    assert fe.step_question(form, "notes", 1) is None


def test_move_and_step_section() -> None:
    form = sample_form()
    assert fe.move_section(form, "outcome", 0).sections[0].id == "outcome"
    assert [s.id for s in fe.step_section(form, "greeting", 1).sections][:2] == [
        "process",
        "greeting",
    ]
    assert fe.step_section(form, "greeting", -1) is None


def test_positions_name_one_of_two_questions_sharing_an_id() -> None:
    form = sample_form()
    twin = replace(form.question("history"), id="verify")  # mid-rename: two 'verify's
    form = fe.replace_question(form, (1, 1), twin)
    form = fe.replace_question(form, (1, 1), replace(twin, points=9))
    assert form.sections[1].questions[0].points == 10  # the first 'verify' is untouched
    assert form.sections[1].questions[1].points == 9
    deletion = fe.delete_question(form, (1, 1))
    assert [q.id for q in deletion.form.sections[1].questions] == ["verify", "empathy"]
    with pytest.raises(KeyError, match=r"no question at 2\.9"):
        fe.delete_question(form, (1, 8))


# ---------------------------------------------------------------------- replacing
def test_renaming_a_question_id_carries_conditions_along() -> None:
    form = sample_form()
    old = form.question("retention")
    form = fe.replace_question(form, "retention", replace(old, id="kept"))
    assert form.question("churn_reason").condition == Condition("kept", ("lost",))
    assert validate_form(form) == []


def test_renaming_to_a_taken_id_leaves_conditions_alone() -> None:
    form = sample_form()
    old = form.question("retention")
    form = fe.replace_question(form, "retention", replace(old, id="notes"))
    assert form.question("churn_reason").condition == Condition("retention", ("lost",))


def test_renaming_an_option_in_place_carries_conditions_along() -> None:
    form = sample_form()
    old = form.question("retention")
    options = tuple(replace(o, id="gone") if o.id == "lost" else o for o in old.options)
    form = fe.replace_question(form, "retention", replace(old, options=options))
    assert form.question("churn_reason").condition == Condition("retention", ("gone",))


def test_replace_section_and_settings() -> None:
    form = sample_form()
    section = replace(form.sections[0], title="Hello", weight=3)
    form = fe.replace_section(form, "greeting", section)
    assert form.sections[0].title == "Hello"
    form = fe.replace_settings(form, replace(form.settings, pass_mark=70))
    assert form.settings.pass_mark == 70


# ---------------------------------------------------------------------- changing type
@pytest.mark.parametrize("start", list(QuestionType))
@pytest.mark.parametrize("target", list(QuestionType))
def test_retyping_a_new_question_never_creates_a_problem(
    start: QuestionType, target: QuestionType
) -> None:
    form = sample_form()
    question = fe.new_question(form, "Anything", start)
    form = fe.add_question(form, "greeting", question)
    retyped = fe.retype_question(question, target)
    assert validate_form(fe.replace_question(form, question.id, retyped)) == []


def test_retyping_clears_what_the_new_type_does_not_allow() -> None:
    form = sample_form()
    greet = replace(
        form.question("verify"), allow_na=True, comment=CommentRule.NOT_FULL, bonus=False
    )
    text = fe.retype_question(greet, QuestionType.TEXT)
    assert (text.points, text.options, text.allow_na) == (0.0, (), False)
    assert text.critical is CriticalLevel.NONE
    assert text.comment is CommentRule.NEVER
    back = fe.retype_question(text, QuestionType.YES_NO)
    assert back.points == fe.DEFAULT_POINTS
    assert back.options == default_options(QuestionType.YES_NO)


def test_retyping_keeps_custom_labels_between_choice_and_tag() -> None:
    tag = fe.retype_question(
        replace(
            fe.new_question(sample_form(), "Reason", QuestionType.TAG),
            options=(Option("a", "Alpha"), Option("b", "Beta"), Option("c", "Gamma")),
        ),
        QuestionType.CHOICE,
    )
    assert [(o.label, o.fraction) for o in tag.options] == [
        ("Alpha", 1.0),
        ("Beta", 0.5),
        ("Gamma", 0.0),
    ]
    again = fe.retype_question(tag, QuestionType.TAGS)
    assert [(o.label, o.fraction) for o in again.options] == [
        ("Alpha", None),
        ("Beta", None),
        ("Gamma", None),
    ]
