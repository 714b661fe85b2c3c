"""``qa-monitor export`` and ``qa-monitor import`` as a scheduled job runs them."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from qa_monitor.cli import main
from qa_monitor.core.records import EvaluationKind
from qa_monitor.services import Services
from tests.factories import FakeClock, interaction_data, passing_answers, seed

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    """A database with two teams, three submitted evaluations and the seeded agent ext-17."""
    path = tmp_path / "qa.db"
    with Services.open(path, clock=FakeClock()) as services:
        s = seed(services)
        other = services.people.add_team("Retention")
        agent = services.people.add_agent("Olga Petrova", team_id=other.id, external_id="ext-2")
        for agent_id, call in ((s.agent.id, "call-0002"), (agent.id, "call-0003")):
            services.interactions.create_interaction(interaction_data(agent_id, external_id=call))
        for i in range(1, 4):
            interaction = services.interactions.find_interaction(f"call-000{i}")
            assert interaction is not None
            ev = services.evaluations.start_evaluation(interaction.id, s.version.id, s.reviewer.id)
            services.evaluations.save_draft(ev.id, passing_answers())
            services.evaluations.submit(ev.id)
    yield path


def test_export_xlsx(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "all.xlsx"
    assert main(["--db", str(db), "export", str(out)]) == 0
    assert "Exported 3 evaluations" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb["Evaluations"].max_row == 2 + 3 and "Answers" in wb.sheetnames  # note, header


def test_export_reviewer_quality(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "quality.xlsx"
    args = ["--db", str(db), "export", "--reviewer-quality", "--from", "2026-01-01", str(out)]
    assert main(args) == 0
    assert "Exported the reviewer quality report to" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["About", "Reviewers", "Drift", "Questions"]
    assert wb["About"]["A2"].value == "Calls dated 2026-01-01 or later."
    with Services.open(db) as services:
        names = {r.name for r in services.people.list_reviewers()}
    assert wb["Reviewers"]["A3"].value in names and wb["Reviewers"]["B3"].value == 3
    assert wb["Reviewers"]["A4"].value is None  # the one reviewer who scored
    assert wb["Reviewers"]["C3"].value == "No comparable work"  # nobody else scored

    for extra, message in (
        (["--team", "Billing"], "leave out --team"),
        (["--csv"], "leave out --csv"),
    ):
        assert main(["--db", str(db), "export", "--reviewer-quality", *extra, str(out)]) == 2
        assert message in capsys.readouterr().err
    other = tmp_path / "quality.csv"
    assert main(["--db", str(db), "export", "--reviewer-quality", str(other)]) == 2
    assert "should end in .xlsx" in capsys.readouterr().err
    assert not other.exists()


def test_export_filters_and_csv(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "team.csv"
    code = main(
        [
            "--db",
            str(db),
            "export",
            "--team",
            "retention",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--form",
            "Support call",
            "--csv",
            str(out),
        ]
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2 and rows[1][rows[0].index("Agent")] == "Olga Petrova"
    out2 = tmp_path / "agent.xlsx"
    assert main(["--db", str(db), "export", "--agent", "ext-17", "--no-answers", str(out2)]) == 0
    wb = openpyxl.load_workbook(out2)
    assert wb["Evaluations"].max_row == 2 + 2 and "Answers" not in wb.sheetnames


def _more_kinds(db: Path) -> None:
    """Add a draft, a calibration evaluation and a self-review of Sara's."""
    with Services.open(db, clock=FakeClock()) as services:
        sara = services.people.list_agents()[0]
        version = services.forms.published_versions()[0]
        reviewer = services.people.list_reviewers()[0]
        for n, kind in enumerate(EvaluationKind):
            call = services.interactions.create_interaction(
                interaction_data(sara.id, external_id=f"more-{n}")
            )
            ev = services.evaluations.start_evaluation(call.id, version.id, reviewer.id, kind)
            services.evaluations.save_draft(ev.id, passing_answers())
            if kind is not EvaluationKind.REGULAR:
                services.evaluations.submit(ev.id)


def _kinds(path: Path) -> list[tuple[str, str]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    kind, status = rows[0].index("Kind"), rows[0].index("Status")
    return sorted((r[kind], r[status]) for r in rows[1:])


def test_export_counts_like_the_dashboard_unless_asked(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _more_kinds(db)
    out = tmp_path / "default.csv"
    assert main(["--db", str(db), "export", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Counts evaluations of kind regular with status submitted" in said
    assert "drafts are left out" in said and "Exported 3 evaluations" in said
    assert _kinds(out) == [("Regular", "Submitted")] * 3
    out = tmp_path / "more.csv"
    args = ["--include-drafts", "--kinds", "Regular, self", str(out)]
    assert main(["--db", str(db), "export", *args]) == 0
    assert "drafts are included" in capsys.readouterr().out
    assert _kinds(out) == [
        ("Regular", "Draft"),
        *[("Regular", "Submitted")] * 3,
        ("Self-review", "Submitted"),
    ]
    out = tmp_path / "calibration.xlsx"
    assert main(["--db", str(db), "export", "--kinds", "calibration", str(out)]) == 0
    ws = openpyxl.load_workbook(out)["Evaluations"]
    assert ws["A1"].value.startswith("Counts evaluations of kind calibration with status")
    assert ws.max_row == 2 + 1


def test_export_refuses_an_unknown_kind(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(db), "export", "--kinds", "regular,weekly", str(tmp_path / "x.csv")])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "'weekly' is not a kind of evaluation; use one or more of regular, calibration" in err
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--team", "Nobody"], "No team named 'Nobody'. Known: Billing, Retention"),
        (["--agent", "Ghost"], "No agent named 'Ghost'"),
        (["--from", "2026-05-01", "--to", "2026-04-01"], "--from is after --to"),
    ],
)
def test_export_bad_input_exits_2(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "x.xlsx"
    assert main(["--db", str(db), "export", *args, str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_export_bad_date_and_unwritable_target(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "export", "--from", "01/05/2026", str(tmp_path / "x.xlsx")])
    assert exc.value.code == 2
    assert "is not a date; write it as YYYY-MM-DD" in capsys.readouterr().err
    assert main(["--db", str(db), "export", str(tmp_path)]) == 2  # a folder, not .xlsx
    folder = tmp_path / "taken.xlsx"
    folder.mkdir()
    assert main(["--db", str(db), "export", str(folder)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "none.db"), "export", str(tmp_path / "x.xlsx")]) == 2
    assert "No database at" in capsys.readouterr().err


def test_import_ok_then_refused_rows(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "calls.csv"
    good.write_text("Call ID;Start;Agent ID\nC-10;2026-03-02 09:00;ext-17\n", encoding="utf-8")
    assert main(["--db", str(db), "import", "interactions", str(good)]) == 0
    assert "calls.csv: 1 added, 0 updated (of 1 rows)." in capsys.readouterr().out
    assert main(["--db", str(db), "import", "interactions", str(good)]) == 0
    assert "0 added, 0 updated, 1 unchanged" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Call ID;Start;Agent ID\nC-11;2026-03-02 09:00;ext-17\nC-12;soon;ext-17\n", encoding="utf-8"
    )
    assert main(["--db", str(db), "import", "interactions", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "refused: bad.csv, row 3, column 'Start': 'soon' is not a date" in out
    assert "nothing imported" in out
    with Services.open(db) as services:
        assert services.interactions.find_interaction("C-11") is None
    assert main(["--db", str(db), "import", "interactions", str(bad), "--partial"]) == 1
    assert "1 added, 0 updated, 1 refused" in capsys.readouterr().out
    with Services.open(db) as services:
        assert services.interactions.find_interaction("C-11") is not None


def test_import_bad_input_exits_2(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db), "import", "roster", str(tmp_path / "missing.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    odd = tmp_path / "odd.csv"
    odd.write_text("foo,bar\n1,2\n", encoding="utf-8")
    assert main(["--db", str(db), "import", "surveys", str(odd)]) == 2
    assert "no column chosen for Interaction id" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "import", "people", str(odd)])
    assert exc.value.code == 2


def test_roster_import_in_a_real_process(db: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_bytes("Имя;Команда\nАнна Смирнова;Поддержка\n".encode("cp1251"))
    done = subprocess.run(
        [sys.executable, "-m", "qa_monitor", "--db", str(db), "import", "roster", str(roster)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 added" in done.stdout
    with Services.open(db) as services:
        assert "Анна Смирнова" in {a.name for a in services.people.list_agents()}


def test_import_outcome_data_from_the_command_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qa_monitor.services.import_mapping import ImportKind

    counts = tmp_path / "counts.csv"
    counts.write_text(
        "Period start;Period end;S;E;N\n2026-01-01;2026-01-31;20;24;5\n"
        "2026-02-01;2026-02-28;24;40;3\n",
        encoding="utf-8",
    )
    assert main(["--db", str(db), "import", "customer_counts", str(counts)]) == 1
    out = capsys.readouterr().out
    assert "refused: counts.csv, row 3, column 'E': E (40) is more than S (24) plus N (3)" in out
    assert "nothing imported" in out
    # Every kind the service knows is offered on the command line.
    for kind in ImportKind:
        counts.write_text("x\n", encoding="utf-8")
        code = main(["--db", str(db), "import", kind.value, str(counts)])
        assert code == 2, kind  # a file without the needed columns, not an unknown kind
        assert "invalid choice" not in capsys.readouterr().err
