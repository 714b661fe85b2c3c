"""``qa-monitor calibration export`` as a scheduled job runs it: the workbook of the
revealed sessions, chosen by form and by the days they were revealed, and the exit codes
of the other export commands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from qa_monitor.cli import main
from qa_monitor.services import Services
from tests.calibration_data import build
from tests.factories import FakeClock, seed


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Three revealed sessions (tests/calibration_data.py), revealed on 2026-03-01, -02
    and -03; the last on the form "Follow-up call"."""
    path = tmp_path_factory.mktemp("calibration") / "qa.db"
    clock = FakeClock()
    with Services.open(path, clock=clock) as services:
        build(services, seed(services), clock)
    yield path


def _sessions(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path)["Sessions"]
    return [row[1] for row in ws.iter_rows(min_row=3, values_only=True)]


def test_export_every_revealed_session(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "calibration.xlsx"
    assert main(["--db", str(db), "calibration", "export", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"Exported 3 calibration sessions to {out}" in printed
    assert _sessions(out) == [
        "Billing calls, week 49",
        "Billing calls, week 50",
        "Follow-up, week 51",
    ]
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[-1] == "About" and "3 Follow-up, week 51" in book.sheetnames


def test_export_by_form_and_days(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "march.xlsx"
    args = ["--db", str(db), "calibration", "export", "--form", "Support call"]
    assert main([*args, "--from", "2026-03-02", str(out)]) == 0
    assert "Exported 1 calibration session to" in capsys.readouterr().out
    assert _sessions(out) == ["Billing calls, week 50"]
    assert main([*args[:-1], "follow_up", "--to", "2026-03-03", str(out)]) == 0
    assert _sessions(out) == ["Follow-up, week 51"]
    assert main(["--db", str(db), "calibration", "export", "--to", "2026-02-28", str(out)]) == 0
    assert "Exported 0 calibration sessions" in capsys.readouterr().out
    note = openpyxl.load_workbook(out)["Sessions"]["A1"].value
    assert note.startswith("No revealed calibration session matches:")


def test_bad_input_exits_2_and_writes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", str(db), "calibration", "export"]
    out = tmp_path / "x.xlsx"
    assert main([*base, "--form", "Sales", str(out)]) == 2
    assert "No form named 'Sales'. Known: Follow-up call, Support call" in capsys.readouterr().err
    assert main([*base, "--from", "2026-03-05", "--to", "2026-03-01", str(out)]) == 2
    assert "--from is after --to" in capsys.readouterr().err
    assert main([*base, str(tmp_path / "x.csv")]) == 2
    assert "should end in .xlsx" in capsys.readouterr().err
    assert main([*base, str(tmp_path / "missing" / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "Cannot write" in err and "does not exist" in err
    assert main(["--db", str(tmp_path / "none.db"), "calibration", "export", str(out)]) == 2
    assert "No database at" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.xlsx"))
    with pytest.raises(SystemExit) as usage:
        main([*base])
    assert usage.value.code == 2
