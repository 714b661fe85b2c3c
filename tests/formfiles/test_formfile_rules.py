"""Form files with form-level defaults, declared section maximums and interaction conditions:
read, written back in the same shape, and every mistake named at its line."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from qa_monitor.core.forms import (
    Channel,
    CommentRule,
    Direction,
    InteractionCondition,
    QuestionDefaults,
)
from qa_monitor.formfiles import (
    FormFileError,
    FormFileProblem,
    dump_form,
    form_text_warnings,
    parse_form,
    validate_form_text,
)

# Line numbers below refer to this text (line 1 is "format: ...").
BASE = """\
format: qa-monitor-form/1
id: demo
title: Demo form
defaults:
  points: 5
  allow_na: true
  comment: not_full
sections:
  - id: opening
    title: Opening
    category: compliance
    max_points: 15
    questions:
      - id: greeted
        text: Greeted the customer
        type: yes_no
      - id: disclosure
        text: Said the call is recorded
        type: yes_no
        points: 10
        allow_na: false
        show_if: {interaction: {channel: phone, direction: outbound}}
      - id: notes
        text: Notes
        type: text
"""


def edit(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def problems_of(text: str) -> list[FormFileProblem]:
    return validate_form_text(text, "forms/demo.yaml")


def only_problem(text: str) -> FormFileProblem:
    problems = problems_of(text)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# -- defaults ----------------------------------------------------------------------------------


def test_scored_questions_take_the_form_defaults_unless_they_say_otherwise() -> None:
    form = parse_form(BASE)
    assert form.defaults == QuestionDefaults(5.0, True, CommentRule.NOT_FULL)
    greeted, disclosure, notes = form.sections[0].questions
    assert (greeted.points, greeted.allow_na, greeted.comment) == (5, True, CommentRule.NOT_FULL)
    assert (disclosure.points, disclosure.allow_na) == (10, False)
    # Unscored questions are not affected: no points, no N/A, no comment rule.
    assert (notes.points, notes.allow_na, notes.comment) == (0, False, CommentRule.NEVER)
    assert problems_of(BASE) == []


def test_the_writer_keeps_the_defaults_instead_of_repeating_them() -> None:
    form = parse_form(BASE)
    text = dump_form(form)
    assert parse_form(text) == form
    data = YAML(typ="safe").load(text)
    assert data["defaults"] == {"points": 5, "allow_na": True, "comment": "not_full"}
    greeted, disclosure, notes = data["sections"][0]["questions"]
    assert greeted == {"id": "greeted", "text": "Greeted the customer", "type": "yes_no"}
    assert (disclosure["points"], disclosure["allow_na"]) == (10, False)
    assert "comment" not in disclosure
    assert notes == {"id": "notes", "text": "Notes", "type": "text"}


def test_without_default_points_a_scored_question_still_needs_points() -> None:
    text = edit("  points: 5\n", "", BASE)
    p = only_problem(text)
    assert (p.line, p.message) == (13, "missing required key 'points'")
    assert "defaults: {points: 5}" in p.hint


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("  points: 5\n", "  points: 0\n", 5, "default points must be more than 0 (got 0)"),
        ("  allow_na: true\n", "  allow_na: yes\n", 6, "allow_na must be true or false, got 'yes'"),
        (
            "  comment: not_full\n",
            "  comment: sometimes\n",
            7,
            "comment 'sometimes' is not allowed; use one of: never, not_full, always",
        ),
        ("  points: 5\n", "  pionts: 5\n", 5, "unknown key 'pionts'"),
    ],
)
def test_bad_defaults_are_named_at_their_line(old: str, new: str, line: int, message: str) -> None:
    problems = problems_of(edit(old, new))
    assert (problems[0].line, problems[0].message) == (line, message), [str(p) for p in problems]


# -- declared section maximums -----------------------------------------------------------------


def test_max_points_is_read_and_written_back() -> None:
    form = parse_form(BASE)
    assert form.sections[0].max_points == 15
    assert "    max_points: 15\n" in dump_form(form)


def test_points_not_adding_up_to_max_points_is_a_warning_on_its_line() -> None:
    text = edit("max_points: 15", "max_points: 20")
    assert problems_of(text) == []  # loads and can be published
    [warning] = form_text_warnings(text, "forms/demo.yaml")
    assert warning.warning and warning.line == 12
    assert str(warning) == (
        "forms/demo.yaml:12: section 'opening': warning: the questions add up to 15 points, "
        "but the section declares max_points 20 (change a question's points, or the "
        "section's max_points, so they agree)"
    )


def test_weights_not_adding_up_to_100_warn_on_the_scoring_mode_line() -> None:
    text = edit("defaults:\n", "settings:\n  scoring_mode: weighted\ndefaults:\n")
    [warning] = form_text_warnings(text, "forms/demo.yaml")
    assert (warning.line, warning.location, warning.warning) == (5, "settings", True)
    assert warning.message == "the scored sections' weights add up to 1, not 100"
    assert form_text_warnings(edit("max_points: 15", "weight: 100\n    max_points: 15", text)) == []


def test_a_max_points_that_is_not_a_positive_number_is_an_error() -> None:
    assert only_problem(edit("max_points: 15", "max_points: -1")).message == (
        "max_points must be more than 0 (got -1)"
    )
    assert only_problem(edit("max_points: 15", "max_points: lots")).message == (
        "max_points must be a number, got 'lots'"
    )


# -- conditions on the interaction ------------------------------------------------------------


def test_an_interaction_condition_is_read() -> None:
    disclosure = parse_form(BASE).sections[0].questions[1]
    assert disclosure.condition is None
    assert disclosure.interaction_condition == InteractionCondition(
        (Channel.PHONE,), (Direction.OUTBOUND,)
    )


def test_lists_and_an_answer_condition_go_with_it_and_are_written_back() -> None:
    text = edit(
        "show_if: {interaction: {channel: phone, direction: outbound}}",
        'show_if: {question: greeted, is: "yes", interaction: {channel: [chat, email]}}',
    )
    form = parse_form(text)
    disclosure = form.sections[0].questions[1]
    assert disclosure.condition is not None and disclosure.condition.question_id == "greeted"
    assert disclosure.interaction_condition == InteractionCondition(
        (Channel.CHAT, Channel.EMAIL), ()
    )
    written = dump_form(form)
    assert (
        '        show_if: {question: greeted, is: "yes", interaction: {channel: [chat, email]}}\n'
        in written
    )
    assert parse_form(written) == form


def test_an_unknown_channel_lists_the_valid_ones() -> None:
    p = only_problem(edit("channel: phone", "channel: fax"))
    assert p.line == 22
    assert p.location == "section 'opening' › question 'disclosure' › show_if › interaction"
    assert p.message == "channel 'fax' is not allowed; use one of: phone, chat, email, social"


def test_an_unknown_direction_in_a_list_is_named_with_a_suggestion() -> None:
    p = only_problem(edit("direction: outbound", "direction: [inbound, outbond]"))
    assert (p.line, p.message) == (
        22,
        "direction 'outbond' is not allowed; use one of: inbound, outbound",
    )
    assert p.hint == "did you mean 'outbound'?"


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (
            "show_if: {interaction: outbound}",
            "interaction must be a mapping of keys, got 'outbound'",
        ),
        ("show_if: {interaction: {chanel: phone}}", "unknown key 'chanel'"),
        ("show_if: {interaction: {}}", "the interaction condition names no channel or direction"),
    ],
)
def test_a_malformed_interaction_condition_is_one_clear_problem(new: str, message: str) -> None:
    p = only_problem(edit("show_if: {interaction: {channel: phone, direction: outbound}}", new))
    assert (p.line, p.message) == (22, message)


def test_a_file_with_a_bad_channel_does_not_load() -> None:
    with pytest.raises(FormFileError, match="channel 'fax' is not allowed"):
        parse_form(edit("channel: phone", "channel: fax"))
