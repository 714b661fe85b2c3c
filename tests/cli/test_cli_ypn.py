"""The `score` command on Yes / Partial / No questions, and its verdict at the pass mark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_monitor.cli import main

YPN_FORM = """\
format: qa-monitor-form/1
id: ypn_call
title: YPN call
settings: {pass_mark: 80, partial_fails: PARTIAL_FAILS}
sections:
  - id: soft
    title: Soft skills
    category: soft_skills
    questions:
      - {id: empathy, text: Showed empathy, type: yes_partial_no, points: 10}
      - {id: plain, text: Plain words, type: yes_partial_no, points: 10, allow_na: true}
  - id: comp
    title: Compliance
    category: compliance
    questions:
      - {id: disclosure, text: Disclosure, type: yes_partial_no, points: 20, critical: section}
"""


def _score(tmp_path: Path, capsys, *, partial_fails: bool, answers: str) -> dict:
    form = tmp_path / "ypn.yaml"
    form.write_text(YPN_FORM.replace("PARTIAL_FAILS", str(partial_fails).lower()), "utf-8")
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text(answers, encoding="utf-8")
    code = main(["score", "--form", str(form), "--answers", str(answers_file), "--json"])
    assert code == 0
    data: dict = json.loads(capsys.readouterr().out)
    return data


def test_partial_answers_score_half(tmp_path, capsys):
    data = _score(
        tmp_path, capsys, partial_fails=False,
        answers="empathy: partial\nplain: N/A\ndisclosure: partial\n",
    )  # fmt: skip
    # (5 + 10) of (10 + 20): plain is N/A; the critical Partial is no failure by default.
    assert (data["earned"], data["possible"]) == (15, 30)
    assert data["score"] == 50
    assert data["critical_causes"] == []


def test_a_form_that_fails_partial_on_critical_questions(tmp_path, capsys):
    data = _score(
        tmp_path, capsys, partial_fails=True,
        answers="empathy: partial\nplain: N/A\ndisclosure: partial\n",
    )  # fmt: skip
    # Compliance is zeroed: 5 of 30 = 16.67 (before the critical failure: 15 of 30 = 50).
    assert data["score"] == pytest.approx(50 / 3)
    assert data["score_before_critical"] == 50
    assert [(c["question"], c["answer"]) for c in data["critical_causes"]] == [
        ("disclosure", "partial")
    ]
    assert data["passed"] is False


def test_a_score_shown_as_80_passes_80(tmp_path, capsys):
    form = tmp_path / "edge.yaml"
    form.write_text(
        "format: qa-monitor-form/1\nid: edge\ntitle: Edge\nsettings: {pass_mark: 80}\n"
        "sections:\n  - id: s\n    title: S\n    category: process\n    questions:\n"
        "      - {id: a, text: A, type: yes_no, points: 1599}\n"
        "      - {id: b, text: B, type: yes_no, points: 401}\n",
        encoding="utf-8",
    )
    answers = tmp_path / "a.yaml"
    answers.write_text('a: "yes"\nb: "no"\n', encoding="utf-8")
    assert main(["score", "--form", str(form), "--answers", str(answers)]) == 0
    out = capsys.readouterr().out
    # 1599 of 2000 = 79.95, shown 80.0: the verdict follows what is shown.
    assert "Overall score:           80.0   PASS" in out
