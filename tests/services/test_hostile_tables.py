"""Hostile .xlsx and .csv imports are refused fast, before or while streaming, with a sentence.

Small versions of the files in benchmarks/hostile_files.py (which runs the full-size
ones through the command line): the same shapes, with the limits lowered where the
full size would be slow to write.
"""

from __future__ import annotations

import importlib.util
import io
import sys
import time
from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_monitor import table_limits, tabular_read
from qa_monitor.formfiles.scorecard_sheet import read_scorecard
from qa_monitor.services import Services
from qa_monitor.services.import_mapping import ImportKind
from qa_monitor.services.import_service import ImportInputError, ImportService
from qa_monitor.table_limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_RATIO
from qa_monitor.tabular_read import TableReadError, read_table

_SPEC = importlib.util.spec_from_file_location(
    "hostile_files", Path(__file__).parents[2] / "benchmarks" / "hostile_files.py"
)
assert _SPEC is not None and _SPEC.loader is not None
hostile = importlib.util.module_from_spec(_SPEC)
sys.modules.setdefault("hostile_files", hostile)  # dataclasses look their module up there
_SPEC.loader.exec_module(hostile)


def refusal(path: Path) -> str:
    """The message reading ``path`` (and all its rows) ends with, within 5 s."""
    started = time.perf_counter()
    with pytest.raises(TableReadError) as caught:
        table = read_table(path)
        for _row in table.rows():
            pass
    assert time.perf_counter() - started < 5
    message = str(caught.value)
    assert path.name in message
    assert "Traceback" not in message
    return message


def test_defusedxml_is_installed_and_in_force_for_openpyxl() -> None:
    import defusedxml  # noqa: F401  (a dependency: pyproject.toml)

    assert openpyxl.xml.DEFUSEDXML is True


def test_an_xml_entity_expansion_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "entities.xlsx"
    hostile.entities_workbook(path)
    message = refusal(path)
    assert message.startswith("'entities.xlsx' contains XML entity declarations")
    assert "Open it in Excel and save it again, or save it as CSV." in message


def test_without_defusedxml_no_workbook_is_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    path = tmp_path / "calls.xlsx"
    hostile.rows_workbook(path, rows=3)
    assert "the defusedxml package is missing or turned off" in refusal(path)


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    hostile.zip_bomb(path, megabytes=8)
    assert path.stat().st_size < 100_000
    message = refusal(path)
    assert "holds a part (xl/sharedStrings.xml) compressed" in message
    assert f"more than the {MAX_RATIO} to 1 of real spreadsheet data" in message


def test_a_workbook_unpacking_to_more_than_the_limit_is_refused(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(table_limits, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    path = tmp_path / "big.xlsx"
    hostile.rows_workbook(path, rows=40_000)
    assert "unpacks to 2 MB, more than the 1 MB an import reads" in refusal(path)


def test_rows_past_the_limit_are_counted_before_openpyxl_reads_them(
    tmp_path: Path, monkeypatch
) -> None:
    # 20 million rows compress too well (the ratio refuses them); this checks the count.
    monkeypatch.setattr(table_limits, "MAX_ROWS", 5_000)
    path = tmp_path / "rows.xlsx"
    hostile.rows_workbook(path, rows=6_000)
    message = refusal(path)
    assert message == (
        "'rows.xlsx' has more than 5,000 rows, the most a sheet can have; split it into "
        "smaller files or save the sheet as CSV."
    ).replace("5,000", f"{table_limits.MAX_ROWS:,}")


def test_millions_of_rows_in_a_small_file_are_refused_fast(tmp_path: Path) -> None:
    # The benchmark writes 20 million (2.3 MB; 11 s to write); 2 million show the same.
    path = tmp_path / "rows_2m.xlsx"
    hostile.rows_workbook(path, rows=2_000_000)
    assert path.stat().st_size < 300_000
    message = refusal(path)
    assert "holds a part (xl/worksheets/sheet1.xml) compressed" in message


def test_a_declared_size_past_the_limits_is_refused(tmp_path: Path) -> None:
    tall = tmp_path / "tall.xlsx"
    hostile.rows_workbook(tall, rows=3, dimension="A1:B2000000")
    assert "has more than 1,048,576 rows, the most a sheet can have" in refusal(tall)
    wide = tmp_path / "wide.xlsx"
    hostile.rows_workbook(wide, rows=3, dimension="A1:XFD4")
    assert f"16,384 columns wide, more than the {MAX_COLUMNS:,}" in refusal(wide)


def test_a_text_longer_than_a_cell_is_found_before_openpyxl_reads_it(tmp_path: Path) -> None:
    # 3 MB of varied letters: under the ratio limit, so only the scan for long texts sees it.
    path = tmp_path / "long_text.xlsx"
    hostile.long_text(path, megabytes=3)
    assert refusal(path) == (
        "'long_text.xlsx' holds a text of more than 131,072 characters, more than an import "
        "reads in one cell; check that the file is a table of calls or people."
    )


@pytest.mark.parametrize("length", [530_000, 700_000])
def test_a_long_text_between_short_ones_is_found_in_one_chunk(tmp_path: Path, length) -> None:
    path = tmp_path / "mixed.xlsx"
    texts = [f"name {i}" for i in range(2_000)]
    texts[1_000] = "x" * length  # more bytes than a cell's 131,072 characters can take
    hostile.write_workbook(path, hostile._sheet(0), hostile._strings(*texts))
    assert "holds a text of more than 131,072 characters" in str(
        table_limits.workbook_refusal(path)
    )


def test_texts_within_the_limit_pass_the_scan(tmp_path: Path) -> None:
    path = tmp_path / "fine.xlsx"
    texts = [f"name {i}" * (i % 50) for i in range(20_000)]
    hostile.write_workbook(path, hostile._sheet(0), hostile._strings(*texts))
    assert table_limits.workbook_refusal(path) is None


def test_shared_strings_past_the_limit_are_counted(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(table_limits, "MAX_SHARED_STRINGS", 5_000)
    path = tmp_path / "strings.xlsx"
    hostile.strings_workbook(path, strings=6_000)
    assert "holds more than 5,000 different texts" in refusal(path)


def test_a_long_cell_in_a_workbook_is_refused_with_its_row(tmp_path: Path) -> None:
    # Written by hand: openpyxl itself cuts longer texts to 32,767 characters.
    def sheet():
        yield hostile._SHEET_HEAD + "<sheetData>" + hostile._HEADER_ROW
        yield '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
        yield '<row r="3"><c r="A3" t="s"><v>2</v></c></row></sheetData></worksheet>'

    path = tmp_path / "long.xlsx"
    hostile.write_workbook(path, sheet, hostile._strings("call_id", "agent", "x" * 200_000))
    assert refusal(path) == (
        "Row 3 of 'long.xlsx' has a cell of 200,000 characters, more than the "
        f"{MAX_CELL_CHARS:,} an import reads in one cell; check that the file is a table "
        "of calls or people."
    )


# -- text files ------------------------------------------------------------------------------
def test_a_field_past_the_csv_limit_is_a_sentence_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "field.csv"
    hostile.csv_with_field(path, field_chars=300_000)
    assert refusal(path) == (
        "Row 3 of 'field.csv' has a cell longer than 131,072 characters; check that its "
        "quotes are closed, or that the file is a table."
    )


def test_too_many_columns_are_refused_with_the_row(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    wide = ",".join(f"c{i}" for i in range(MAX_COLUMNS + 5))
    path.write_text(f"call_id,agent\nc1,Ana\n{wide}\n", encoding="utf-8")
    assert refusal(path) == (
        f"Row 3 of 'wide.csv' has {MAX_COLUMNS + 5:,} columns, more than the "
        f"{MAX_COLUMNS:,} an import reads; remove the empty or extra columns and import it "
        "again."
    )


def test_too_many_rows_in_a_text_file_are_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tabular_read, "MAX_ROWS", 100)
    path = tmp_path / "long.csv"
    path.write_text("call_id,agent\n" + "c1,Ana\n" * 200, encoding="utf-8")
    assert "'long.csv' has more than 1,048,576 rows" in refusal(path)


def test_a_text_file_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(table_limits, "MAX_TEXT_BYTES", 1024 * 1024)
    path = tmp_path / "huge.csv"
    path.write_text("call_id,agent\n" + "c1,Ana\n" * 300_000, encoding="utf-8")
    assert "more than the 1 MB a text file import reads; split it into smaller files" in (
        refusal(path)
    )


# -- through the services --------------------------------------------------------------------
def test_an_import_refuses_a_limit_met_while_streaming(tmp_path: Path, services: Services) -> None:
    path = tmp_path / "calls.csv"
    rows = "".join(f"c{i},AG1,2026-03-02 09:{i % 60:02d},300\n" for i in range(30))
    path.write_text(
        "call_id,agent_id,started_at,duration_s\n" + rows + "c99," + "x" * 200_000 + "\n",
        encoding="utf-8",
    )
    imports = ImportService.from_services(services)
    with pytest.raises(ImportInputError) as caught:
        imports.run_import(path, ImportKind.INTERACTIONS)
    assert str(caught.value) == (
        "Row 32 of 'calls.csv' has a cell longer than 131,072 characters; check that its "
        "quotes are closed, or that the file is a table."
    )


def test_a_scorecard_zip_bomb_is_reported_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "scorecard.xlsx"
    hostile.zip_bomb(path, megabytes=8)
    started = time.perf_counter()
    result = read_scorecard(path)
    assert time.perf_counter() - started < 5
    assert result.form is None
    (problem,) = result.problems
    assert problem.message.startswith("the file holds a part (xl/sharedStrings.xml) compressed")


@given(st.text(alphabet='ab,"\r\n', max_size=40))
def test_lines_are_split_as_csv_expects(text: str) -> None:
    # tabular_read walks the text line by line instead of through io.StringIO (which
    # holds it again at four bytes a character); the lines must be the same.
    assert list(tabular_read._lines(text)) == list(io.StringIO(text, newline=""))
