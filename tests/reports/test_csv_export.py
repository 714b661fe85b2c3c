"""The CSV export: the Evaluations sheet's columns, UTF-8 with BOM, injection-safe, atomic."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from qa_monitor.core.answers import Answer
from qa_monitor.core.records import EvaluationFilter
from qa_monitor.reports.atomic_file import ExportCancelled, ExportError
from qa_monitor.reports.csv_export import csv_safe, export_csv
from qa_monitor.reports.xlsx_export import export_workbook
from qa_monitor.services import Services
from tests.factories import FakeClock, interaction_data, passing_answers, seed

NAMES = ("Сара Ахмади", "علی رضایی", "يوسف خليل", "=1+1", "+cmd", "-2", "@SUM(A1)")


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    with Services.open(tmp_path / "qa.db", clock=FakeClock()) as opened:
        s = seed(opened, zone="Asia/Tehran")
        for i, name in enumerate(NAMES):
            agent = opened.people.add_agent(name, team_id=s.team.id)
            interaction = opened.interactions.create_interaction(
                interaction_data(agent.id, external_id=f"call-{i}")
            )
            ev = opened.evaluations.start_evaluation(interaction.id, s.version.id, s.reviewer.id)
            answers = dict(passing_answers())
            answers["greet"] = Answer("greet", "yes")
            opened.evaluations.save_draft(ev.id, answers, overall_comment=f"\t{name}\r")
            opened.evaluations.submit(ev.id)
        yield opened


def _read(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_same_columns_and_rows_as_the_evaluations_sheet(services: Services, tmp_path: Path) -> None:
    export_csv(services, EvaluationFilter(), tmp_path / "e.csv")
    export_workbook(services, EvaluationFilter(), tmp_path / "e.xlsx", generated_by="t")
    rows = _read(tmp_path / "e.csv")
    ws = openpyxl.load_workbook(tmp_path / "e.xlsx")["Evaluations"]
    sheet = list(ws.iter_rows(values_only=True))[1:]  # below the sheet's counting note
    assert rows[0] == list(sheet[0])
    assert len(rows) == len(sheet) == len(NAMES) + 1
    score = rows[0].index("Score")
    for line, cells in zip(rows[1:], sheet[1:], strict=True):
        assert float(line[score]) == pytest.approx(cells[score], rel=1e-15)
        assert line[0] == str(cells[0])


def test_text_in_every_script_and_local_times(services: Services, tmp_path: Path) -> None:
    export_csv(services, EvaluationFilter(), tmp_path / "e.csv")
    rows = _read(tmp_path / "e.csv")
    agents = {r[rows[0].index("Agent")] for r in rows[1:]}
    assert {"Сара Ахмади", "علی رضایی", "يوسف خليل"} <= agents
    started = rows[1][rows[0].index("Started")]
    # 09:00 UTC is 12:30 in Tehran; the centre's clock is what supervisors read.
    assert datetime.strptime(started, "%Y-%m-%d %H:%M:%S").strftime("%H:%M") == "12:30"
    assert rows[1][rows[0].index("Duration")] == "0:05:12"


def test_formula_injection_gets_a_quote(services: Services, tmp_path: Path) -> None:
    export_csv(services, EvaluationFilter(), tmp_path / "e.csv")
    rows = _read(tmp_path / "e.csv")
    agents = {r[rows[0].index("Agent")] for r in rows[1:]}
    assert {"'=1+1", "'+cmd", "'-2", "'@SUM(A1)"} <= agents
    comments = [r[rows[0].index("Overall comment")] for r in rows[1:]]
    assert all(c.startswith("'\t") for c in comments)
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_csv_safe_prefixes(text: str) -> None:
    assert csv_safe(text) == "'" + text
    assert csv_safe("plain") == "plain" and csv_safe(None) == "" and csv_safe(2.5) == 2.5


def test_unwritable_targets_leave_no_file(services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "x.csv"
    folder.mkdir()
    with pytest.raises(ExportError, match="folder"):
        export_csv(services, EvaluationFilter(), folder)
    with pytest.raises(ExportError, match="does not exist"):
        export_csv(services, EvaluationFilter(), tmp_path / "missing" / "x.csv")


def test_permission_denied_is_explained(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*args: object, **kw: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("qa_monitor.reports.atomic_file.tempfile.mkstemp", denied)
    with pytest.raises(ExportError, match=r"permission denied.*another folder"):
        export_csv(services, EvaluationFilter(), tmp_path / "x.csv")
    assert list(tmp_path.glob("*.csv")) == []


def test_cancel_leaves_no_file(services: Services, tmp_path: Path) -> None:
    with pytest.raises(ExportCancelled):
        export_csv(services, EvaluationFilter(), tmp_path / "x.csv", cancelled=lambda: True)
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".db" and "qa.db" not in p.name] == []


def test_failure_keeps_the_old_file(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.csv"
    target.write_text("old", encoding="utf-8")

    def broken(*args: object, **kw: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("qa_monitor.reports.csv_export.write_csv_rows", broken)
    with pytest.raises(ExportError, match="disk is full"):
        export_csv(services, EvaluationFilter(), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir() if ".tmp" in p.name) == []
