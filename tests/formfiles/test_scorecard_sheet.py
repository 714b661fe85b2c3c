"""Importing scorecards kept in Excel/CSV: real files written in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from qa_monitor.core.form_validation import ID_PATTERN, validate_form
from qa_monitor.core.forms import (
    Category,
    CommentRule,
    CriticalLevel,
    QuestionType,
    ScoringMode,
)
from qa_monitor.formfiles.scorecard_sheet import (
    RowKind,
    ScorecardProblem,
    read_scorecard,
    sheets,
)
from qa_monitor.formfiles.slug_ids import slugify

HEADER = [
    "Section",
    "Category",
    "Question",
    "Type",
    "Points",
    "N/A allowed",
    "Critical",
    "Guidance",
]
GOOD_ROWS = [
    ["Opening", "Soft skills", "Greeted the customer", "Yes/No", 5, "N", "", "Within 5 seconds"],
    [None, None, "Used the customer's name", "1-5", 10, "Y", "no", None],
    [
        "Compliance",
        "compliance",
        "Verified the caller's identity",
        "yes_no",
        10,
        "",
        "auto-fail",
        "",
    ],
    [None, None, "Read the recording disclosure", "Pass/Fail", 5, "no", "section", "Word for word"],
    ["Resolution", "Outcome", "Resolved on first contact", "yes/no", 20, "x", "", ""],
    [None, None, "Call notes", "text", None, "", "", ""],
]


def write_xlsx(path: Path, rows: list[list[object]], *, sheet: str = "Scorecard", extra=()) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for name, other_rows in extra:
        other = book.create_sheet(name)
        for row in other_rows:
            other.append(row)
    book.save(path)
    return path


def test_good_scorecard_builds_the_form(tmp_path):
    result = read_scorecard(write_xlsx(tmp_path / "inbound_call.xlsx", [HEADER, *GOOD_ROWS]))
    assert result.problems == () and result.ok, result.report()
    form = result.form
    assert form is not None and validate_form(form) == []
    assert (form.id, form.title) == ("inbound_call", "Inbound call")
    assert form.settings.scoring_mode is ScoringMode.POINTS
    assert [(s.id, s.title, s.category) for s in form.sections] == [
        ("opening", "Opening", Category.SOFT_SKILLS),
        ("compliance", "Compliance", Category.COMPLIANCE),
        ("resolution", "Resolution", Category.OUTCOME),
    ]
    questions = {q.id: q for _s, q in form.questions()}
    assert list(questions) == [
        "greeted_the_customer",
        "used_the_customers_name",
        "verified_the_callers_identity",
        "read_the_recording_disclosure",
        "resolved_on_first_contact",
        "call_notes",
    ]
    greet = questions["greeted_the_customer"]
    assert (greet.type, greet.points, greet.allow_na, greet.critical) == (
        QuestionType.YES_NO,
        5,
        False,
        CriticalLevel.NONE,
    )
    assert greet.guidance == "Within 5 seconds"
    assert [o.id for o in greet.options] == ["yes", "no"]
    name = questions["used_the_customers_name"]
    assert (name.type, name.points, name.allow_na) == (QuestionType.SCALE_1_5, 10, True)
    assert questions["verified_the_callers_identity"].critical is CriticalLevel.FORM
    disclosure = questions["read_the_recording_disclosure"]
    assert disclosure.type is QuestionType.PASS_FAIL
    assert disclosure.critical is CriticalLevel.SECTION
    assert questions["resolved_on_first_contact"].allow_na is True
    notes = questions["call_notes"]
    assert (notes.type, notes.points, notes.options) == (QuestionType.TEXT, 0, ())
    assert [r.row for r in result.rows] == [2, 3, 4, 5, 6, 7]
    assert all(r.included and r.kind is RowKind.QUESTION for r in result.rows)
    assert result.header_row == 1 and result.sheet == "Scorecard"


def test_two_bad_rows_are_reported_and_the_good_rows_still_make_the_form(tmp_path):
    rows = [HEADER, *GOOD_ROWS]
    rows[2] = ["", "", "Used the customer's name", "1-5", "ten", "Y", "", ""]  # sheet row 3
    rows[5] = ["Resolution", "Outcome", "Resolved on first contact", "stars", 20, "", "", ""]
    result = read_scorecard(write_xlsx(tmp_path / "scorecard.xlsx", rows))
    assert [(p.row, p.column) for p in result.problems] == [(3, "Points"), (6, "Type")]
    lines = result.report().splitlines()
    assert lines[0] == (
        "scorecard.xlsx, row 3, column 'Points': 'ten' is not a number "
        "(write the maximum points as a number, e.g. 10)"
    )
    assert lines[1].startswith(
        "scorecard.xlsx, row 6, column 'Type': 'stars' is not a question type QA Monitor knows"
    )
    assert "Yes/No" in lines[1]  # the hint lists the types it knows
    assert not result.ok
    bad = {r.row: r for r in result.rows if not r.ok}
    assert set(bad) == {3, 6} and not any(r.included for r in bad.values())
    form = result.form
    assert form is not None
    ids = [q.id for _s, q in form.questions()]
    assert "used_the_customers_name" not in ids and "resolved_on_first_contact" not in ids
    assert ids == [
        "greeted_the_customer",
        "verified_the_callers_identity",
        "read_the_recording_disclosure",
        "call_notes",
    ]
    assert [s.id for s in form.sections] == ["opening", "compliance", "resolution"]


def test_header_on_row_three_under_a_title(tmp_path):
    rows = [["Retention team – QA scorecard"], ["Version 3, March 2026"], HEADER, *GOOD_ROWS]
    result = read_scorecard(write_xlsx(tmp_path / "book.xlsx", rows))
    assert result.ok, result.report()
    assert result.header_row == 3
    assert result.form.title == "Retention team – QA scorecard"
    assert result.form.id == "retention_team_qa_scorecard"
    assert [r.row for r in result.rows][:2] == [4, 5]
    # Asked for explicitly, the id and title win.
    named = read_scorecard(tmp_path / "book.xlsx", form_id="retention", title="Retention")
    assert (named.form.id, named.form.title) == ("retention", "Retention")


def test_csv_in_windows_1256_with_persian_text(tmp_path):
    # Windows-1256 has no Persian yeh (ی); Persian files written with it use the Arabic one.
    text = (
        "بخش,دسته,سوال,نوع,امتیاز,قابل اعمال نیست,بحرانی,راهنما\n"
        "خوشامدگویی,مهارت نرم,مشتری را با نام خطاب کرد,بله/خیر,5,خیر,خیر,\n"
        ",,همدلی نشان داد,1-5,10,بله,,با آرامش صحبت کند\n"
        "انطباق,انطباق,هویت تماس گیرنده را تایید کرد,بله/خیر,10,,بله,\n"
    ).replace("ی", "ي")
    path = tmp_path / "persian.csv"
    path.write_bytes(text.encode("cp1256"))
    result = read_scorecard(path)
    assert result.ok, result.report()
    form = result.form
    assert [s.title for s in form.sections] == ["خوشامدگويي", "انطباق"]
    assert [s.category for s in form.sections] == [Category.SOFT_SKILLS, Category.COMPLIANCE]
    questions = [q for _s, q in form.questions()]
    assert questions[0].text == "مشتري را با نام خطاب کرد"
    assert [q.type for q in questions] == [
        QuestionType.YES_NO,
        QuestionType.SCALE_1_5,
        QuestionType.YES_NO,
    ]
    assert questions[1].allow_na and questions[1].guidance == "با آرامش صحبت کند"
    assert questions[2].critical is CriticalLevel.FORM
    # Persian titles still give valid, stable ids.
    assert all(ID_PATTERN.match(i) for i in [form.id, *(q.id for q in questions)])
    assert all(ID_PATTERN.match(s.id) for s in form.sections)
    assert questions[1].id == slugify("همدلي نشان داد")


def test_csv_utf8_bom_and_russian_cp1251(tmp_path):
    header = "Раздел;Вопрос;Тип;Баллы\n"
    body = "Приветствие;Поздоровался с клиентом;да/нет;5\n;Назвал своё имя;1-5;10\n"
    bom = tmp_path / "bom.csv"
    bom.write_bytes((header + body).encode("utf-8-sig"))
    russian = tmp_path / "ru.csv"
    russian.write_bytes((header + body).encode("cp1251"))
    for path in (bom, russian):
        result = read_scorecard(path)
        assert not result.problems, result.report()
        section = result.form.sections[0]
        assert section.id == "privetstvie"
        assert [q.id for q in section.questions] == ["pozdorovalsya_s_klientom", "nazval_svoe_imya"]
        # No Category column: the section gets one and the notes say so.
        assert any("no category" in n for n in result.notes)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.xlsx", None, "missing.xlsx: the file does not exist"),
        (
            "broken.xlsx",
            b"this is not a zip file",
            "broken.xlsx: the file is not an Excel workbook",
        ),
        ("old.xls", b"\xd0\xcf\x11\xe0", "old.xls: this is an old Excel 97–2003 file"),
        ("notes.pdf", b"%PDF", "notes.pdf: QA Monitor reads scorecards from .xlsx and .csv"),
        ("empty.csv", b"", "empty.csv: the file is empty"),
        ("nohead.csv", b"a,b,c\n1,2,3\n", "nohead.csv: no header row was found"),
    ],
)
def test_unreadable_files_give_one_problem_naming_the_file(tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = read_scorecard(path)
    assert result.form is None and result.rows == ()
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.row is None and problem.hint
    assert str(problem).startswith(expected), str(problem)


def test_workbook_without_a_header_row(tmp_path):
    rows = [["Just some notes"], ["and numbers", 1, 2]]
    result = read_scorecard(write_xlsx(tmp_path / "notes.xlsx", rows))
    assert [str(p) for p in result.problems] == [
        "notes.xlsx: no header row was found in the first 10 rows (put the column titles in "
        "one row above the questions, e.g. Section, Category, Question, Type, Points, N/A "
        "allowed, Critical, Guidance; a Question column is required)"
    ]


def test_tolerant_headers_and_values(tmp_path):
    rows = [
        ["AREA ", "category", "Behaviour", "Question type", "Max points", "NA allowed", "Auto-fail",
         "Notes", "Owner"],
        ["Opening", "soft_skills", "Greeted", "Yes-No", "5 pts", "yes", "N", "Smile", "Ann"],
        [None, None, "Thanked", "scale 1–5", "2,5", "TRUE", "0", "", ""],
        ["Process", "Process adherence", "Logged the call", "PASS/FAIL", 3, 0, "Y", "", ""],
        [None, None, "Follow-up date", "date", "", "", "", "", ""],
    ]  # fmt: skip
    result = read_scorecard(write_xlsx(tmp_path / "t.xlsx", rows))
    assert result.ok, result.report()
    questions = [q for _s, q in result.form.questions()]
    assert [q.type for q in questions] == [
        QuestionType.YES_NO,
        QuestionType.SCALE_1_5,
        QuestionType.PASS_FAIL,
        QuestionType.DATETIME,
    ]
    assert [q.points for q in questions] == [5, 2.5, 3, 0]
    assert [q.allow_na for q in questions] == [True, True, False, False]
    assert questions[2].critical is CriticalLevel.FORM
    assert result.form.sections[1].category is Category.PROCESS
    assert "Columns not used: 'Owner'." in result.notes


def test_optional_columns_weights_options_and_ids(tmp_path):
    rows = [
        ["Id", "Section", "Weight", "Question", "Type", "Options", "Points", "Comment rule"],
        ["greet", "Opening", 30, "Greeted", "", "", 5, "when not full marks"],
        ["", "Opening", 30, "Tone", "choice", "Warm=1; Neutral=0.5; Cold=0", 10, ""],
        ["", "Closing", 70, "Offered more help", "yes/no", "Done; Not done", 5, "always"],
        ["", "Closing", "", "Churn reason", "tag", "Price; Features; Other", "", ""],
    ]
    result = read_scorecard(write_xlsx(tmp_path / "w.xlsx", rows))
    assert result.ok, result.report()
    form = result.form
    assert form.settings.scoring_mode is ScoringMode.WEIGHTED
    assert [(s.title, s.weight) for s in form.sections] == [("Opening", 30), ("Closing", 70)]
    greet, tone, help_, reason = (q for _s, q in form.questions())
    assert greet.id == "greet" and greet.comment is CommentRule.NOT_FULL
    assert [(o.id, o.fraction) for o in tone.options] == [
        ("warm", 1.0),
        ("neutral", 0.5),
        ("cold", 0.0),
    ]
    assert [(o.id, o.label) for o in help_.options] == [("yes", "Done"), ("no", "Not done")]
    assert help_.comment is CommentRule.ALWAYS
    assert reason.type is QuestionType.TAG and [o.id for o in reason.options] == [
        "price",
        "features",
        "other",
    ]


def test_form_check_problems_point_at_the_row(tmp_path):
    rows = [
        ["Section", "Question", "Type", "Options", "Points", "Critical"],
        ["Opening", "Greeted", "yes/no", "", 5, ""],
        ["Opening", "Tone", "choice", "Warm=1; Neutral=0.5", 10, "form"],  # nothing fails it
    ]
    result = read_scorecard(write_xlsx(tmp_path / "c.xlsx", rows))
    assert [(p.row, p.column) for p in result.problems] == [(3, "Critical")]
    assert "critical but no option fails it" in result.report()
    row = next(r for r in result.rows if r.row == 3)
    assert row.included and not row.ok  # in the preview, with its problem
    assert result.form is not None


def test_row_level_mistakes(tmp_path):
    rows = [
        ["Section", "Category", "Question", "Type", "Points", "Critical", "Weight"],
        ["Opening", "Soft skills", "Greeted", "yes/no", 5, "", 20],
        ["Opening", "Compliance", "Smiled", "yes/no", 5, "", 20],
        ["Opening", "", "Notes", "text", 3, "", ""],
        ["Opening", "", "Rated", "1-5", 0, "", 25],
        ["Opening", "", "", "yes/no", 5, "", ""],
        ["Closing", "", "Asked", "yes/no", 5, "maybe", ""],
        ["Closing", "", "Thanked", "yes/no", 5, "", ""],
        ["Total", "", "", "", 20, "", ""],
    ]
    result = read_scorecard(write_xlsx(tmp_path / "m.xlsx", rows))
    found = [(p.row, p.column, p.message) for p in result.problems]
    assert found == [
        (3, "Category", "section “Opening” is already Soft skills (row 2), not Compliance"),
        (4, "Points", "a text question is not scored, so it cannot have points"),
        (5, "Points", "points must be more than 0 (got 0)"),
        (5, "Weight", "section “Opening” already has weight 20 (row 2), not 25"),
        (6, "Question", "the row has no question"),
        (7, "Critical", "'maybe' is not a critical level"),
        (7, "Weight", "section “Closing” has no weight while other sections have one"),
    ]
    assert any("Row 9 looks like a total line" in n for n in result.notes)
    assert next(r for r in result.rows if r.row == 9).kind is RowKind.IGNORED
    assert [q.text for _s, q in result.form.questions()] == ["Greeted", "Thanked"]


def test_section_headings_and_duplicate_titles(tmp_path):
    rows = [
        ["Question", "Type", "Points"],
        ["Opening", None, None],  # a heading row: only its first cell
        ["Greeted", "yes/no", 5],
        ["Greeted", "yes/no", 5],
        ["Closing checks", None, None],
        ["Thanked", "yes/no", 5],
    ]
    result = read_scorecard(write_xlsx(tmp_path / "h.xlsx", rows))
    assert result.ok, result.report()
    assert [s.title for s in result.form.sections] == ["Opening", "Closing checks"]
    assert [q.id for _s, q in result.form.questions()] == ["greeted", "greeted_2", "thanked"]
    assert result.rows[0].kind is RowKind.SECTION


def test_sheet_picker_and_sheet_choice(tmp_path):
    path = write_xlsx(
        tmp_path / "two.xlsx",
        [["How to use this workbook"], ["Fill in the Scorecard sheet"]],
        sheet="Instructions",
        extra=[("Scorecard", [HEADER, *GOOD_ROWS])],
    )
    assert sheets(path) == ["Instructions", "Scorecard"]
    assert sheets(tmp_path / "x.csv") == []
    found = read_scorecard(path)  # the first sheet with a scorecard header
    assert found.ok and found.sheet == "Scorecard"
    assert any("Read sheet 'Scorecard'" in n for n in found.notes)
    chosen = read_scorecard(path, sheet="Instructions")
    assert chosen.form is None and "no header row" in chosen.report()
    missing = read_scorecard(path, sheet="Nope")
    assert "has no sheet named 'Nope'" in missing.report()
    assert "'Instructions', 'Scorecard'" in missing.report()


def test_problem_text_without_row_or_column():
    assert str(ScorecardProblem(None, None, "bad", "fix it", "a.xlsx")) == "a.xlsx: bad (fix it)"
    assert str(ScorecardProblem(4, None, "bad", "", "a.xlsx")) == "a.xlsx, row 4: bad"


def test_empty_section_and_empty_sheet(tmp_path):
    rows = [
        ["Section", "Category", "Question", "Type", "Points"],
        ["Opening", "Soft skills", None, None, None],  # a heading with its category
        [None, None, "Greeted", "yes/no", 5],
        ["Extras", "Outcome", None, None, None],  # a heading and nothing under it
    ]
    result = read_scorecard(write_xlsx(tmp_path / "e.xlsx", rows))
    assert [str(p) for p in result.problems] == [
        "e.xlsx, row 4, column 'Section': section “Extras” has no questions "
        "(add question rows under it, or delete the row)"
    ]
    assert result.form.sections[0].category is Category.SOFT_SKILLS
    assert [r.kind for r in result.rows] == [RowKind.SECTION, RowKind.QUESTION, RowKind.SECTION]
    only_header = read_scorecard(write_xlsx(tmp_path / "h.xlsx", [rows[0]]))
    assert only_header.form is None
    assert "no questions under its header row" in only_header.report()
