"""The Type column of an Excel scorecard, written the many ways teams write it."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from qa_monitor.core.forms import QuestionType
from qa_monitor.formfiles.scorecard_sheet import read_scorecard
from qa_monitor.formfiles.scorecard_values import BadValue, parse_options, parse_type
from tests.formfiles.data.ypn_scorecard import (
    BAD_CELLS,
    GOOD_QUESTIONS,
    write_ypn_scorecard,
)

YPN = QuestionType.YES_PARTIAL_NO


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Yes/Partial/No", YPN),
        ("Yes/No/Partial", YPN),
        ("Y/P/N", YPN),
        ("y / p / n", YPN),
        ("Yes / Partially / No", YPN),
        ("yes-partial-no", YPN),
        ("YES  PARTIAL  NO", YPN),
        ("Partial/No/Yes", YPN),
        ("Yes, Partly or No", YPN),
        ("yes_partial_no", YPN),
        ("Да / Частично / Нет", YPN),
        ("بله/تا حدی/خیر", YPN),
        ("Yes/No", QuestionType.YES_NO),
        ("No / Yes", QuestionType.YES_NO),
        ("Y-N", QuestionType.YES_NO),
        ("yes or no", QuestionType.YES_NO),
        ("Yes/No/N/A", QuestionType.YES_NO),
        ("Pass / Fail", QuestionType.PASS_FAIL),
        ("Fail/Partial/Pass", QuestionType.PASS_FAIL),
        ("Met / Partially met / Not met", QuestionType.PASS_FAIL),
        ("1 – 5", QuestionType.SCALE_1_5),
        ("Scale (1-5)", QuestionType.SCALE_1_5),
        ("0-10", QuestionType.SCALE_0_10),
        ("Rating [0-10]", QuestionType.SCALE_0_10),
    ],
)
def test_type_wordings_in_any_order_case_and_spacing(written: str, expected: QuestionType):
    assert parse_type(written) is expected


@pytest.mark.parametrize(
    "written",
    ["Good/Bad/Ugly", "Yes/Yes", "Yes/Pass", "Scale (1-10)", "Yes (1) / Partial (0.6) / No (0)"],
)
def test_unknown_types_list_the_known_ones_and_which_offer_partial(written: str):
    with pytest.raises(BadValue) as caught:
        parse_type(written)
    assert caught.value.message == f"'{written}' is not a question type QA Monitor knows"
    hint = caught.value.hint
    for known in ("Yes/No", "Yes/Partial/No", "Pass/Partial/Fail", "1-5", "0-10", "Choice"):
        assert known in hint
    assert "Yes/Partial/No and Pass/Partial/Fail offer a partial answer" in hint


def test_options_relabel_the_standard_answers_by_meaning():
    relabelled = parse_options("No; Partly; Yes", YPN)
    assert [(o.id, o.label, o.fraction) for o in relabelled] == [
        ("no", "No", 0.0),
        ("partial", "Partly", 0.5),
        ("yes", "Yes", 1.0),
    ]
    valued = parse_options("Yes=1; Partially=0.6; No=0", YPN)
    assert [(o.id, o.fraction) for o in valued] == [("yes", 1.0), ("partial", 0.6), ("no", 0.0)]


def test_a_type_naming_na_allows_na_when_the_na_column_is_blank(tmp_path):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (
        ["Section", "Question", "Type", "Points", "N/A allowed"],
        ["Opening", "Greeted", "Yes/No/N/A", 5, ""],
        [None, "Named", "Yes/Partial/No (N/A allowed)", 5, "N"],
    ):
        sheet.append(row)
    book.save(tmp_path / "na.xlsx")
    result = read_scorecard(tmp_path / "na.xlsx")
    assert result.ok, result.report()
    assert result.form is not None
    greeted, named = result.form.sections[0].questions
    assert (greeted.type, greeted.allow_na) == (QuestionType.YES_NO, True)
    assert (named.type, named.allow_na) == (YPN, False)  # the N/A column says no


def test_the_ypn_sheet_imports_its_good_rows_and_names_both_bad_ones(tmp_path):
    result = read_scorecard(write_ypn_scorecard(tmp_path / "ypn_scorecard.xlsx"))
    assert [(p.row, p.column) for p in result.problems] == BAD_CELLS
    assert result.form is not None
    assert result.form.question_count == GOOD_QUESTIONS
    disclosure = next(q for _s, q in result.form.questions() if q.text.startswith("Verified"))
    assert disclosure.type is YPN and disclosure.options[1].id == "partial"
