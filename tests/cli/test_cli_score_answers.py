"""`qa-monitor score`: answers written as option ids or labels, and answers that fit nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_monitor.cli import main

# A scale whose options carry their own labels, as teams write them.
FORM = """\
format: qa-monitor-form/1
id: small_call
title: Small call
sections:
  - id: main
    title: Main
    category: soft_skills
    questions:
      - id: greeting
        text: Greeted the customer
        type: yes_no
        points: 5
      - id: courtesy
        text: Courtesy and patience
        type: scale_1_5
        points: 10
        allow_na: true
        options:
          - {id: "1", label: Unacceptable, fraction: 0}
          - {id: "2", label: Below expectations, fraction: 0.25}
          - {id: "3", label: Meets expectations, fraction: 0.5}
          - {id: "4", label: Above expectations, fraction: 0.75}
          - {id: "5", label: Outstanding, fraction: 1}
      - id: outcome
        text: Resolved the request
        type: pass_fail
        points: 5
      - id: topics
        text: Topics raised
        type: tags
        options:
          - {id: billing, label: Billing or payment}
          - {id: fault, label: Technical fault}
"""


@pytest.fixture
def form(tmp_path: Path) -> Path:
    path = tmp_path / "small_call.yaml"
    path.write_text(FORM, encoding="utf-8")
    return path


def score(form: Path, tmp_path: Path, answers: str, *extra: str) -> int:
    path = tmp_path / "answers.yaml"
    path.write_text(answers, encoding="utf-8")
    return main(["score", "--form", str(form), "--answers", str(path), *extra])


def test_labels_in_any_case_score_like_option_ids(
    form: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """greeting Yes 5/5, courtesy "Meets expectations" = option 3 (half of 10), outcome
    Partial 2.5/5: 12.5 of 20 = 62.5 %, the same as writing the ids."""
    by_label = (
        "greeting: Yes\n"
        "courtesy: meets EXPECTATIONS\n"
        "outcome: PARTIAL\n"
        "topics: [technical fault, Billing]\n"
    )
    assert score(form, tmp_path, by_label, "--json") == 0
    labelled = json.loads(capsys.readouterr().out)
    by_id = 'greeting: "yes"\ncourtesy: 3\noutcome: partial\ntopics: [fault, billing]\n'
    assert score(form, tmp_path, by_id, "--json") == 0
    plain = json.loads(capsys.readouterr().out)
    assert labelled["score"] == pytest.approx(62.5)
    assert labelled == plain


def test_an_answer_that_fits_no_option_is_an_error_not_a_zero(
    form: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = score(form, tmp_path, "greeting: Yess\ncourtesy: great\noutcome: pass\n")
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no breakdown, no FAIL printed
    err = captured.err.splitlines()
    assert err == [
        f"{tmp_path / 'answers.yaml'}:1: the answer 'Yess' to 'greeting' is none of its "
        "options; write one of: yes, no",
        f"{tmp_path / 'answers.yaml'}:2: the answer 'great' to 'courtesy' is none of its "
        "options; write one of: 1 (Unacceptable), 2 (Below expectations), "
        "3 (Meets expectations), 4 (Above expectations), 5 (Outstanding), N/A",
    ]


def test_bad_answers_inside_a_mapping_or_a_list_are_errors_too(
    form: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = (
        "greeting: {value: maybe, comment: unsure}\n"
        "outcome: {na: true}\n"
        "topics: [billing, weather]\n"
    )
    assert score(form, tmp_path, answers) == 2
    err = capsys.readouterr().err
    assert "the answer 'maybe' to 'greeting' is none of its options" in err
    assert "'outcome' does not allow N/A; choose an answer" in err
    assert "the answer 'weather' to 'topics' is none of its options" in err


def test_unknown_question_id_is_an_error_with_a_suggestion(
    form: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert score(form, tmp_path, "greeting: yes\ncurtesy: 3\nweather: sunny\n") == 2
    err = capsys.readouterr().err
    assert "answers.yaml:2: 'curtesy' is not a question of form 'small_call'; did you mean " in err
    assert "'courtesy'?" in err
    assert "answers.yaml:3: 'weather' is not a question of form 'small_call'; use the " in err


def test_exit_codes_are_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "exit codes:" in out and "141" in out
    assert "an answer that is none of its question's options" in " ".join(out.split())
