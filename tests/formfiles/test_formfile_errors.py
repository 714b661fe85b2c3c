"""Broken form files: every problem is reported at once, with the file, the line and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_monitor.formfiles import (
    FormFileError,
    FormFileProblem,
    load_form,
    parse_form,
    validate_form_file,
    validate_form_text,
)

# Line numbers below refer to this file as printed here (line 1 is "format: ...").
BASE = """\
format: qa-monitor-form/1
id: demo
title: Demo form
sections:
  - id: opening
    title: Opening
    category: soft_skills
    questions:
      - id: greeted
        text: Greeted the customer
        type: yes_no
        points: 5
      - id: offered_callback
        text: Offered a callback
        type: yes_no
        points: 3
        allow_na: true
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


def test_the_base_file_is_valid() -> None:
    assert problems_of(BASE) == []


def test_yaml_syntax_error_names_the_line_with_the_mistake() -> None:
    p = only_problem(
        edit("        text: Greeted the customer", "        text Greeted the customer")
    )
    assert (p.line, p.column) == (10, 9)
    assert p.message == "YAML syntax error: could not find expected ':' (noticed on line 11)"
    assert "indentation" in p.hint


def test_unquoted_colon_in_text_is_a_syntax_error_with_a_quoting_hint() -> None:
    p = only_problem(edit("title: Demo form", "title: Demo: form"))
    assert p.line == 3
    assert "mapping values are not allowed here" in p.message
    assert "quotes" in p.hint


def test_unclosed_quote_points_at_where_the_quote_opens() -> None:
    p = only_problem(edit("title: Demo form", "title: 'Demo form"))
    assert (p.line, p.column) == (3, 8)
    assert "noticed on line 18" in p.message


def test_tab_indentation() -> None:
    p = only_problem(edit("        points: 3\n", "\tpoints: 3\n"))
    assert p.line == 16
    assert p.hint == "indent with spaces, not tabs"


def test_duplicate_key_in_one_mapping() -> None:
    p = only_problem(edit("        points: 5\n", "        points: 5\n        points: 4\n"))
    assert p.line == 13
    assert p.message == "key 'points' appears twice in the same mapping"


def test_unknown_key_suggests_the_closest_key() -> None:
    p = only_problem(edit("        points: 3\n", "        pionts: 3\n"))
    assert (p.line, p.column) == (16, 9)
    assert p.location == "section 'opening' › question 'offered_callback'"
    assert p.message == "unknown key 'pionts'"
    assert p.hint == "did you mean 'points'?"


def test_unknown_key_with_nothing_close_lists_the_allowed_keys() -> None:
    p = only_problem(edit("title: Demo form\n", "title: Demo form\nowner: Sam\n"))
    assert p.line == 4
    assert p.message == "unknown key 'owner'"
    assert p.hint.startswith("allowed keys: format, id, title, description")


def test_wrong_type_names_the_key_and_the_value() -> None:
    p = only_problem(edit("        points: 5", "        points: five"))
    assert (p.line, p.column) == (12, 17)
    assert p.message == "points must be a number, got 'five'"


def test_quoted_number_gets_a_remove_the_quotes_hint() -> None:
    p = only_problem(edit("        points: 5", '        points: "5"'))
    assert p.line == 12
    assert p.hint == "write the number without quotes"


def test_yes_is_not_a_boolean_in_yaml_1_2() -> None:
    p = only_problem(edit("        allow_na: true", "        allow_na: yes"))
    assert p.line == 17
    assert p.message == "allow_na must be true or false, got 'yes'"
    assert "YAML 1.2" in p.hint


def test_missing_required_key_points_at_the_question() -> None:
    p = only_problem(edit("        text: Greeted the customer\n", ""))
    assert (p.line, p.column) == (9, 9)
    assert p.location == "section 'opening' › question 'greeted'"
    assert p.message == "missing required key 'text'"


def test_scored_question_without_points_is_missing_a_required_key() -> None:
    p = only_problem(edit("        points: 5\n", ""))
    assert p.line == 9
    assert p.message == "missing required key 'points'"


def test_key_with_no_value_points_at_the_key() -> None:
    p = only_problem(edit("title: Demo form", "title:"))
    assert p.line == 3
    assert p.message == "'title' has no value"


def test_bad_enum_lists_the_allowed_values_and_suggests_one() -> None:
    p = only_problem(
        edit("        type: yes_no\n        points: 3", "        type: yesno\n        points: 3")
    )
    assert (p.line, p.column) == (15, 15)
    assert p.message == (
        "type 'yesno' is not allowed; use one of: yes_no, yes_partial_no, pass_fail, "
        "scale_1_5, scale_0_10, choice, text, number, datetime, tag, tags"
    )
    assert p.hint == "did you mean 'yes_no'?"


def test_dangling_condition() -> None:
    p = only_problem(BASE + "        show_if: {question: nope, is: 'yes'}\n")
    assert p.line == 18
    assert p.location == "section 'opening' › question 'offered_callback'"
    assert p.message == "the condition refers to 'nope', which is not an earlier question"


def test_condition_on_a_later_question() -> None:
    text = edit(
        "        points: 5\n",
        "        points: 5\n        show_if: {question: offered_callback, is: 'yes'}\n",
    )
    p = only_problem(text)
    assert p.line == 13
    assert p.location == "section 'opening' › question 'greeted'"
    assert "'offered_callback', which is not an earlier question" in p.message


def test_condition_naming_an_option_the_question_does_not_have() -> None:
    p = only_problem(BASE + "        show_if: {question: greeted, is: maybe}\n")
    assert p.line == 18
    assert p.message == "the condition names option 'maybe', which 'greeted' does not have"
    assert p.hint == "use one of: no, yes"


def test_duplicate_question_id_is_reported_on_both_questions() -> None:
    problems = problems_of(edit("      - id: offered_callback", "      - id: greeted"))
    assert [(p.line, p.message) for p in problems] == [
        (9, "question id 'greeted' is used 2 times"),
        (13, "question id 'greeted' is used 2 times"),
    ]


def test_problems_of_a_repeated_id_go_to_the_right_copy() -> None:
    text = edit("      - id: offered_callback", "      - id: greeted") + (
        "        show_if: {question: nowhere, is: 'yes'}\n"
    )
    problems = problems_of(text)
    assert [(p.line, p.message) for p in problems] == [
        (9, "question id 'greeted' is used 2 times"),
        (13, "question id 'greeted' is used 2 times"),
        (18, "the condition refers to 'nowhere', which is not an earlier question"),
    ]


def test_critical_question_with_no_failing_option() -> None:
    text = edit(
        "        points: 5\n",
        "        points: 5\n"
        "        critical: form\n"
        "        options:\n"
        "          - {id: 'yes', fraction: 1}\n"
        "          - {id: 'no', fraction: 0.5}\n",
    )
    p = only_problem(text)
    assert (p.line, p.column) == (13, 9)
    assert p.message == "the question is critical but no option fails it"
    assert "fails: true" in p.hint


def test_option_problems_point_at_the_option() -> None:
    text = edit(
        "        points: 5\n",
        "        points: 5\n"
        "        options:\n"
        "          - {id: 'yes', fraction: 1}\n"
        "          - {id: 'no', fraction: 2}\n",
    )
    p = only_problem(text)
    assert p.line == 15
    assert p.location == "section 'opening' › question 'greeted' › option 'no'"
    assert p.message == "option 'no' must be worth a fraction between 0 and 1"


def test_settings_problems_point_at_the_setting() -> None:
    text = edit(
        "sections:",
        "settings:\n  pass_mark: 120\n  bands:\n    - {name: Meets, min: 80}\nsections:",
    )
    problems = problems_of(text)
    assert [(p.line, p.location, p.message) for p in problems] == [
        (5, "settings", "pass mark 120 is outside 0–100"),
        (6, "settings", "no band covers scores from 0"),
    ]


def test_unsupported_format_version_is_refused_clearly() -> None:
    p = only_problem(edit("qa-monitor-form/1", "qa-monitor-form/2"))
    assert (p.line, p.column) == (1, 9)
    assert p.message == "format 'qa-monitor-form/2' is not supported by this version of QA Monitor"
    assert "qa-monitor-form/1" in p.hint


def test_a_later_format_version_is_not_checked_further() -> None:
    text = edit("qa-monitor-form/1", "qa-monitor-form/2") + "rubric: new in version 2\n"
    p = only_problem(text)
    assert p.message.startswith("format 'qa-monitor-form/2' is not supported")


def test_a_format_that_is_not_ours() -> None:
    p = only_problem(edit("qa-monitor-form/1", "scorecard-v1"))
    assert (p.line, p.column) == (1, 9)
    assert p.message == "format 'scorecard-v1' is not a QA Monitor form format"
    assert p.hint == "write 'format: qa-monitor-form/1'"


def test_missing_format() -> None:
    p = only_problem(edit("format: qa-monitor-form/1\n", ""))
    assert p.line == 1
    assert p.message == "missing required key 'format'"


def test_a_file_that_is_not_a_mapping() -> None:
    p = only_problem("- format: qa-monitor-form/1\n- id: demo\n")
    assert p.line == 1
    assert p.message.startswith("the file must be a mapping of keys")
    assert p.message.endswith("got a list")


def test_an_empty_file() -> None:
    p = only_problem("")
    assert (p.line, p.column) == (None, None)
    assert p.message == "the file is empty"
    assert str(p).startswith("forms/demo.yaml: form: the file is empty (")


def test_a_file_with_only_comments_is_empty() -> None:
    assert only_problem("# just a comment\n").message == "the file is empty"


def test_non_utf8_bytes(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(BASE.replace("Demo form", "Démo form").encode("latin-1"))
    (p,) = validate_form_file(path)
    assert (p.line, p.column) == (3, 9)
    assert p.message == "the file is not valid UTF-8 (byte 0xe9 at line 3, column 9)"
    assert p.hint == "save the file with UTF-8 encoding"
    with pytest.raises(FormFileError) as raised:
        load_form(path)
    assert raised.value.problems == [p]


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode())
    assert validate_form_file(path) == []
    assert load_form(path).id == "demo"


def test_a_missing_file(tmp_path: Path) -> None:
    (p,) = validate_form_file(tmp_path / "nope.yaml")
    assert p.line is None
    assert p.message.startswith("cannot read the file")


def test_control_characters_are_located() -> None:
    p = only_problem(edit("Demo form", "Demo\x01form"))
    assert (p.line, p.column) == (3, 12)
    assert "U+0001" in p.message


def test_all_problems_are_reported_at_once() -> None:
    text = edit("    category: soft_skills", "    category: softskills")
    text = edit("        points: 5\n", "        points: five\n", text)
    text = edit("        points: 3\n", "        pionts: 3\n", text)
    problems = problems_of(text)
    assert [(p.line, p.message) for p in problems] == [
        (
            7,
            "category 'softskills' is not allowed; use one of: soft_skills, process, compliance, "
            "outcome",
        ),
        (12, "points must be a number, got 'five'"),
        (16, "unknown key 'pionts'"),
    ]


def test_structure_and_core_problems_together_in_file_order() -> None:
    text = edit("        text: Greeted the customer\n", "")  # structure: missing text
    text += "        show_if: {question: nope, is: 'yes'}\n"  # core: dangling condition
    text = edit("title: Demo form", "title: Demo form\ncolour: blue", text)  # unknown key
    problems = problems_of(text)
    assert [(p.line, p.message) for p in problems] == [
        (4, "unknown key 'colour'"),
        (10, "missing required key 'text'"),
        (18, "the condition refers to 'nope', which is not an earlier question"),
    ]


def test_a_wrong_container_type_is_one_problem_not_a_cascade() -> None:
    text = BASE.split("    questions:")[0] + "    questions: 5\n"
    p = only_problem(text)
    assert p.line == 8
    assert p.message == "questions must be a list, got 5"


def test_unknown_question_type_silences_only_type_dependent_core_messages() -> None:
    text = BASE + "      - id: extra\n        text: ''\n        type: bogus\n        points: 4\n"
    problems = problems_of(text)
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (19, "the question has no text"),
        (20, "type 'bogus' is not allowed"),
    ]


def test_a_condition_may_be_a_true_boolean_only_in_quotes() -> None:
    p = only_problem(BASE + "        show_if: {question: greeted, is: true}\n")
    assert p.line == 18
    assert p.location == "section 'opening' › question 'offered_callback' › show_if"
    assert p.message == "is must name option ids, got true"


def test_parse_form_raises_with_every_structural_problem_rendered_by_line() -> None:
    text = edit("        points: 5", "        points: five")
    text = edit("        points: 3\n", "        pionts: 3\n", text)
    with pytest.raises(FormFileError) as raised:
        parse_form(text, "forms/x.yaml")
    assert str(raised.value).splitlines() == [
        "forms/x.yaml:12: section 'opening' › question 'greeted': points must be a number, "
        "got 'five' (write a number, e.g. points: 5)",
        "forms/x.yaml:16: section 'opening' › question 'offered_callback': unknown key 'pionts' "
        "(did you mean 'points'?)",
    ]
    assert raised.value.path == "forms/x.yaml"


def test_parse_form_loads_a_draft_with_core_problems_unless_asked_to_validate() -> None:
    text = BASE + "        show_if: {question: nope, is: 'yes'}\n"
    assert parse_form(text).id == "demo"
    with pytest.raises(FormFileError, match=r"<text>:18: .*not an earlier question"):
        parse_form(text, validate=True)


def test_load_form_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(edit("        points: 5", "        points: five"), encoding="utf-8")
    with pytest.raises(FormFileError) as raised:
        load_form(path)
    assert str(raised.value).startswith(f"{path}:12: ")
