"""`qa-monitor forms import-sheet SHEET.xlsx -o FORM.yaml` on scorecards written with openpyxl."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from qa_monitor.cli import main
from qa_monitor.core.form_validation import validate_form
from qa_monitor.core.forms import CriticalLevel, QuestionType
from qa_monitor.formfiles import load_form, validate_form_file

HEADER = ["Section", "Category", "Question", "Type", "Points", "N/A allowed", "Critical"]
GOOD = [
    ["Opening", "Soft skills", "Greeted the customer", "Yes/No", 5, "N", ""],
    [None, None, "Used the customer's name", "1-5", 10, "Y", "no"],
    ["Compliance", "compliance", "Verified identity", "yes_no", 10, "", "auto-fail"],
    ["Resolution", "Outcome", "Resolved on first contact", "pass/fail", 20, "", ""],
]
# Sheet rows 5 and 7 (title on row 1, a blank row, the header on row 3).
BAD_POINTS = [None, None, "Checked the account", "Yes/No", "lots", "", ""]
BAD_TYPE = [None, None, "Read the disclosure", "Maybe/So-so", 5, "no", "section"]


def write_sheet(path: Path, rows: list[list[object]], *, title: str = "Inbound support") -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Scorecard"
    sheet.append([title])
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def good_sheet(tmp_path: Path) -> Path:
    return write_sheet(tmp_path / "inbound.xlsx", GOOD)


@pytest.fixture
def bad_sheet(tmp_path: Path) -> Path:
    rows = [GOOD[0], BAD_POINTS, GOOD[1], BAD_TYPE, *GOOD[2:]]
    return write_sheet(tmp_path / "inbound_bad.xlsx", rows)


def test_good_sheet_becomes_a_valid_form_file(
    good_sheet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "inbound.yaml"
    assert main(["forms", "import-sheet", str(good_sheet), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "4 rows read: 4 questions can be imported in 3 sections; 0 rows are left out." in printed
    assert f"Wrote the form “Inbound support” (id inbound_support) with 4 questions to {out}." in (
        printed
    )
    assert validate_form_file(out) == []
    form = load_form(out)
    assert (form.id, form.title) == ("inbound_support", "Inbound support")
    questions = [q for _s, q in form.questions()]
    assert [q.type for q in questions] == [
        QuestionType.YES_NO,
        QuestionType.SCALE_1_5,
        QuestionType.YES_NO,
        QuestionType.PASS_FAIL,
    ]
    assert questions[2].critical is CriticalLevel.FORM


def test_id_and_title_options_name_the_form(
    good_sheet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "named.yaml"
    args = ["forms", "import-sheet", str(good_sheet), "-o", str(out)]
    assert main([*args, "--id", "support_call", "--title", "Support call"]) == 0
    form = load_form(out)
    assert (form.id, form.title) == ("support_call", "Support call")
    assert main([*args, "--force", "--id", "Support Call"]) == 2
    assert "The id 'Support Call' is not valid: use lowercase letters" in capsys.readouterr().err


def test_refused_rows_are_listed_by_row_and_column_and_nothing_is_written(
    bad_sheet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "inbound.yaml"
    assert main(["forms", "import-sheet", str(bad_sheet), "-o", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "6 rows read: 4 questions can be imported in 3 sections; 2 rows are left out." in printed
    assert (
        "  inbound_bad.xlsx, row 5, column 'Points': 'lots' is not a number (write the "
        "maximum points as a number, e.g. 10)"
    ) in printed
    assert "  inbound_bad.xlsx, row 7, column 'Type': 'Maybe/So-so' is not a question type" in (
        printed
    )
    assert "or pass --partial to write the 4 good questions." in printed
    assert not out.exists()


def test_partial_writes_the_good_rows_and_still_exits_1(
    bad_sheet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "inbound.yaml"
    assert main(["forms", "import-sheet", str(bad_sheet), "-o", str(out), "--partial"]) == 1
    printed = capsys.readouterr().out
    assert "row 5, column 'Points'" in printed and "row 7, column 'Type'" in printed
    assert "The 2 rows left out are not in it" in printed
    form = load_form(out)
    assert validate_form(form) == []
    assert [q.text for _s, q in form.questions()] == [row[2] for row in GOOD]


def test_unreadable_file_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.yaml"
    assert main(["forms", "import-sheet", str(tmp_path / "missing.xlsx"), "-o", str(out)]) == 3
    assert "Cannot import missing.xlsx: the file does not exist" in capsys.readouterr().err
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    assert main(["forms", "import-sheet", str(fake), "-o", str(out)]) == 3
    assert "not an Excel workbook QA Monitor can open" in capsys.readouterr().err
    no_header_book = tmp_path / "plain.xlsx"
    book = Workbook()
    book.active.append(["just", "numbers"])  # type: ignore[union-attr]
    book.save(no_header_book)
    assert main(["forms", "import-sheet", str(no_header_book), "-o", str(out)]) == 3
    assert "no header row was found" in capsys.readouterr().err
    assert not out.exists()


def test_every_row_bad_exits_1_not_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = write_sheet(tmp_path / "all_bad.xlsx", [BAD_POINTS, BAD_TYPE])
    out = tmp_path / "x.yaml"
    assert main(["forms", "import-sheet", str(sheet), "-o", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "row 4, column 'Points'" in printed and "row 5, column 'Type'" in printed
    assert "Nothing was written: no row can be imported." in printed
    assert not out.exists()


def test_bad_arguments_exit_2_before_reading(
    good_sheet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "taken.yaml"
    taken.write_text("keep me", encoding="utf-8")
    args = ["forms", "import-sheet", str(good_sheet), "-o"]
    assert main([*args, str(taken)]) == 2
    assert "already exists; pass --force to replace it" in capsys.readouterr().err
    assert taken.read_text(encoding="utf-8") == "keep me"
    assert main([*args, str(taken), "--force"]) == 0
    assert load_form(taken).id == "inbound_support"
    assert main([*args, str(tmp_path / "nowhere" / "f.yaml")]) == 2
    assert f"The folder '{tmp_path / 'nowhere'}' does not exist" in capsys.readouterr().err
    assert main([*args, str(tmp_path / "form.txt")]) == 2
    assert "should end in .yaml" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["forms", "import-sheet", str(good_sheet)])  # -o is required
    assert exc.value.code == 2


def test_sheet_option_and_help(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_sheet(tmp_path / "two.xlsx", GOOD)
    args = ["forms", "import-sheet", str(path), "-o", str(tmp_path / "f.yaml")]
    assert main([*args, "--sheet", "Other"]) == 3
    assert "the workbook has no sheet named 'Other'" in capsys.readouterr().err
    assert main([*args, "--sheet", "Scorecard"]) == 0
    with pytest.raises(SystemExit):
        main(["forms", "import-sheet", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--partial" in text and "--force" in text and "exit codes:" in text
    assert "3 forms import-sheet: the scorecard file cannot be read at all" in text
