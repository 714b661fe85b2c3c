"""Form and answers files that would take the machine are refused fast, with a sentence.

A few hundred bytes of aliases stand for billions of values; a duplicate key made
ruamel print them all (past 120 s and 11.9 GB before these limits).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from qa_monitor.formfiles import FormFileError, load_form, validate_form_file
from qa_monitor.formfiles.answers_file import AnswersFileError, load_answers
from qa_monitor.formfiles.yaml_limits import MAX_ALIASES, MAX_BYTES, MAX_DEPTH, MAX_NODES

HEAD = "format: qa-monitor-form/1\nid: bomb\ntitle: Bomb\n"


def alias_bomb(levels: int = 9) -> str:
    """The classic "billion laughs" (9**9 strings), with a duplicate key at the end."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi"[: levels - 1]:
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    lines.append(f"{previous}: 1")
    return HEAD + "\n".join(lines) + "\n"


def amplified_questions(count: int) -> str:
    """One question aliased ``count`` times: a few bytes per extra question."""
    question = "&q {id: q, text: Q, type: yes_no, points: 1}"
    items = ",".join(["*q"] * (count - 1))
    return HEAD + f"sections:\n  - id: s\n    title: S\n    questions: [{question}, {items}]\n"


def refused(tmp_path: Path, text: str, name: str = "hostile.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    problems = validate_form_file(path)
    with pytest.raises(FormFileError) as caught:
        load_form(path)
    assert time.perf_counter() - started < 5
    assert len(problems) == 1, problems
    assert str(problems[0]) == str(caught.value)
    assert str(path) in str(caught.value)
    return str(caught.value)


def test_the_alias_bomb_with_a_duplicate_key_is_refused_at_once(tmp_path: Path) -> None:
    text = alias_bomb()
    assert len(text.encode()) < 462
    message = refused(tmp_path, text)
    assert f"the file holds more than {MAX_NODES:,} values" in message
    assert "counting each alias (*name) as all the values it stands for" in message


def test_aliases_that_repeat_a_question_thousands_of_times_are_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, amplified_questions(MAX_ALIASES + 5))
    assert f"the file uses more than {MAX_ALIASES:,} aliases (*name)" in message


def test_a_question_repeated_by_aliases_is_checked_quickly(tmp_path: Path) -> None:
    # 900 copies of one id: each copy used to be validated again against the whole form.
    path = tmp_path / "repeated.yaml"
    path.write_text(amplified_questions(900), encoding="utf-8")
    started = time.perf_counter()
    problems = validate_form_file(path)
    assert time.perf_counter() - started < 5
    assert any("question id 'q' is used 900 times" in p.message for p in problems)


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path: Path) -> None:
    message = refused(tmp_path, HEAD + "description: " + "[" * 5000 + "]" * 5000 + "\n")
    assert f"nested more than {MAX_DEPTH} levels deep" in message


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    text = HEAD + "sections: &s\n  - id: s\n    title: S\n    questions: *s\n"
    assert "the alias *s is used inside its own anchor &s" in refused(tmp_path, text)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    text = HEAD + "description: " + "x" * MAX_BYTES + "\n"
    message = refused(tmp_path, text)
    assert f"more than the {MAX_BYTES // 1024:,} KB a form or answers file may have" in message


def test_a_number_too_long_for_python_is_a_sentence(tmp_path: Path) -> None:
    message = refused(tmp_path, HEAD + "version_note: " + "1" * 5000 + "\n")
    assert "a number in the file has more than 4,300 digits" in message


def test_plain_anchors_and_aliases_still_work(tmp_path: Path) -> None:
    text = HEAD + (
        "sections:\n"
        "  - id: s\n    title: S\n    category: soft_skills\n    questions:\n"
        "      - {id: a, text: A, type: yes_no, points: 1, options: &opts "
        "[{id: 'y', label: Y, fraction: 1}, {id: 'n', label: N, fraction: 0}]}\n"
        "      - {id: b, text: B, type: yes_no, points: 1, options: *opts}\n"
    )
    path = tmp_path / "shared_options.yaml"
    path.write_text(text, encoding="utf-8")
    form = load_form(path)
    assert [o.id for o in form.sections[0].questions[1].options] == ["y", "n"]


# -- answers files ---------------------------------------------------------------------------
FORM = HEAD.replace("bomb", "small") + (
    "sections:\n  - id: s\n    title: S\n    category: soft_skills\n    questions:\n"
    "      - {id: greeting, text: Greeted, type: yes_no, points: 5, allow_na: true}\n"
    "      - {id: handle_time, text: Minutes, type: number}\n"
)


@pytest.fixture
def form(tmp_path: Path):
    path = tmp_path / "form.yaml"
    path.write_text(FORM, encoding="utf-8")
    return load_form(path)


def answers(tmp_path: Path, form, text: str):
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return load_answers(path, form)


def answers_refused(tmp_path: Path, form, text: str) -> str:
    started = time.perf_counter()
    with pytest.raises(AnswersFileError) as caught:
        answers(tmp_path, form, text)
    assert time.perf_counter() - started < 5
    assert str(tmp_path / "answers.yaml") in str(caught.value)
    return str(caught.value)


@pytest.mark.parametrize(
    ("written", "na"),
    [("no", False), ("No", False), ("false", False), ("", False), ("yes", True), ("TRUE", True)],
)
def test_na_takes_yes_no_true_false_as_written(tmp_path: Path, form, written, na) -> None:
    got = answers(tmp_path, form, f"greeting: {{value: yes, na: {written}}}\n")
    assert got["greeting"].na is na
    assert got["greeting"].value == (None if na else "yes")


@pytest.mark.parametrize("written", ["maybe", "1", "0", "off", "[]"])
def test_na_refuses_every_other_spelling(tmp_path: Path, form, written) -> None:
    message = answers_refused(tmp_path, form, f"greeting: {{value: yes, na: {written}}}\n")
    assert "'na' of 'greeting' must be true or false (yes or no also work)" in message


@pytest.mark.parametrize("written", [".inf", "-.inf", ".nan", "abc", "-5", "1e300", "2.5", "true"])
def test_timestamps_that_are_not_whole_milliseconds_are_refused(
    tmp_path: Path, form, written
) -> None:
    message = answers_refused(
        tmp_path, form, f"greeting: {{value: yes, timestamp_ms: {written}}}\n"
    )
    assert (
        "'timestamp_ms' of 'greeting' must be a whole number of milliseconds from 0 to "
        "86,400,000 (24 hours)"
    ) in message


def test_a_good_timestamp_is_kept(tmp_path: Path, form) -> None:
    got = answers(tmp_path, form, "greeting: {value: yes, timestamp_ms: 61500}\n")
    assert got["greeting"].timestamp_ms == 61500


@pytest.mark.parametrize("written", [".inf", ".nan"])
def test_a_number_answer_must_be_finite(tmp_path: Path, form, written) -> None:
    message = answers_refused(tmp_path, form, f"handle_time: {written}\n")
    assert "the answer to 'handle_time' must be a finite number" in message


def test_a_mapping_as_a_value_is_refused(tmp_path: Path, form) -> None:
    message = answers_refused(tmp_path, form, "greeting: {value: {a: 1}}\n")
    assert "must be an option, a list of options, a number or text" in message


def test_deeply_nested_answers_are_refused(tmp_path: Path, form) -> None:
    message = answers_refused(tmp_path, form, "greeting: " + "[" * 5000 + "]" * 5000 + "\n")
    assert f"nested more than {MAX_DEPTH} levels deep" in message


def test_an_alias_bomb_in_an_answers_file_is_refused(tmp_path: Path, form) -> None:
    text = alias_bomb().replace(HEAD, "") + "greeting: yes\n"
    assert f"more than {MAX_NODES:,} values" in answers_refused(tmp_path, form, text)


def test_a_huge_answers_file_is_refused_before_it_is_read(tmp_path: Path, form) -> None:
    message = answers_refused(tmp_path, form, "greeting: yes\n#" + "x" * MAX_BYTES + "\n")
    assert "a form or answers file may have" in message
