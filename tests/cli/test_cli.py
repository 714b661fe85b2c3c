"""The command line as a user runs it (in-process through main(), plus one real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa_monitor.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("qa-monitor ")


def test_forms_validate_accepts_every_shipped_form(capsys):
    files = sorted(str(p) for p in (ROOT / "forms").glob("*.yaml"))
    assert len(files) >= 4
    assert main(["forms", "validate", *files]) == 0
    out = capsys.readouterr().out
    assert f"{len(files)} of {len(files)} file(s) valid" in out


def test_forms_validate_reports_problems_with_lines(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: qa-monitor-form/1\nid: bad\ntitle: Bad\nsections:\n"
        "  - id: s1\n    title: S\n    category: softskills\n    questions:\n"
        "      - id: q1\n        text: Q\n        type: yes_no\n        points: five\n",
        encoding="utf-8",
    )
    assert main(["forms", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "bad.yaml:7" in out and "softskills" in out
    assert "bad.yaml:12" in out and "five" in out


def test_score_matches_hand_calculation(capsys):
    """Compliance form, section-critical failure on secure_payment, five N/A answers.

    Possible: identity 10 + disclosures 15 + data protection 15 + complaints 0 (all N/A)
    + conduct 18 + outcome 12 = 70. Earned before critical: 10 + 15 + 10 + 0 + 14.25 + 12
    = 61.25 -> 87.5 %. The critical failure zeroes data protection: 51.25 / 70 = 73.214 %.
    """
    code = main(
        [
            "score",
            "--form",
            str(ROOT / "forms" / "compliance_call.yaml"),
            "--answers",
            str(DATA / "compliance_answers.yaml"),
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["possible"] == 70
    assert data["score_before_critical"] == pytest.approx(61.25 / 70 * 100)
    assert data["score"] == pytest.approx(51.25 / 70 * 100)
    assert data["passed"] is False
    assert [c["question"] for c in data["critical_causes"]] == ["secure_payment"]
    complaints = next(s for s in data["sections"] if s["id"] == "complaints")
    assert complaints["percent"] is None
    assert data["problems"] == []


def test_score_text_output(capsys):
    main(
        [
            "score",
            "--form",
            str(ROOT / "forms" / "compliance_call.yaml"),
            "--answers",
            str(DATA / "compliance_answers.yaml"),
        ]
    )
    out = capsys.readouterr().out
    assert "Overall score:           73.2   FAIL (critical failure)" in out
    assert "Score before critical:   87.5" in out


def test_score_with_bad_answers_file_names_the_line(tmp_path, capsys):
    answers = tmp_path / "a.yaml"
    answers.write_text('verified_identity: full\nnot_a_question: "yes"\n', encoding="utf-8")
    code = main(
        ["score", "--form", str(ROOT / "forms" / "compliance_call.yaml"), "--answers", str(answers)]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "a.yaml:2" in err and "not_a_question" in err and "Traceback" not in err


def test_demo_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "demo.db"
    target.write_bytes(b"")
    assert main(["demo", str(target)]) == 2
    assert "--force" in capsys.readouterr().err


def test_module_entry_point_runs():
    proc = subprocess.run(
        [sys.executable, "-m", "qa_monitor", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 0 and "qa-monitor" in proc.stdout
