"""`forms validate` shows warnings without failing; `score` takes the interaction's channel
and direction for questions shown only on some interactions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_monitor.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
COMPLIANCE = ROOT / "forms" / "compliance_call.yaml"

WEIGHTED = """\
format: qa-monitor-form/1
id: weighted
title: Weighted
settings: {scoring_mode: weighted}
sections:
  - id: s1
    title: S1
    category: process
    weight: 3
    max_points: 8
    questions:
      - {id: q1, text: Q1, type: yes_no, points: 5}
"""


def test_validate_prints_warnings_and_still_succeeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "weighted.yaml"
    path.write_text(WEIGHTED, encoding="utf-8")
    assert main(["forms", "validate", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{path}: OK, with 2 warning(s)",
        f"  {path}:4: settings: warning: the scored sections' weights add up to 3, not 100 "
        "(give each section its share of the score in percent, so the weights add up to 100)",
        f"  {path}:10: section 's1': warning: the questions add up to 5 points, but the section "
        "declares max_points 8 (change a question's points, or the section's max_points, "
        "so they agree)",
    ]


def _score(capsys: pytest.CaptureFixture[str], *options: str) -> str:
    answers = str(DATA / "compliance_answers.yaml")
    assert main(["score", "--form", str(COMPLIANCE), "--answers", answers, *options]) == 0
    return capsys.readouterr().out


def test_score_hides_the_outbound_only_question_on_an_inbound_call(
    capsys: pytest.CaptureFixture[str],
) -> None:
    everything = _score(capsys, "--json")
    inbound = _score(capsys, "--json", "--channel", "phone", "--direction", "inbound")
    outbound = _score(capsys, "--json", "--channel", "phone", "--direction", "outbound")
    def disclosure(out: str) -> tuple[str, float]:
        data = json.loads(out)
        found = [q for q in data["questions"] if q["id"] == "recording_disclosure"]
        return found[0]["status"], data["possible"]

    # Without the interaction nothing is hidden; the recording disclosure is 10 points.
    assert disclosure(everything) == ("scored", 70)
    assert disclosure(outbound) == ("scored", 70)
    assert disclosure(inbound) == ("hidden", 60)


def test_score_refuses_an_unknown_channel_listing_the_valid_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["score", "--form", str(COMPLIANCE), "--answers", "x", "--channel", "fax"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument --channel: invalid choice: 'fax'" in err
    assert "'phone', 'chat', 'email', 'social'" in err
