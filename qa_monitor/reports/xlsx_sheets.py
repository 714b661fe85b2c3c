"""Streaming tables into write-only worksheets: typed, styled, safe and split at Excel's
row limit.

``TableWriter`` writes one logical table: an optional note line (which evaluations the
table counts), a styled header row (frozen with the note, with an autofilter), then
rows of plain Python values converted by the column's ``Kind``. Rows past the sheet
limit (1,048,576 rows, note and header included) continue on numbered sheets
("Answers (2)", ...), each with its own note and header.

Safety: a text value starting with ``= + - @``, a tab or a carriage return is written
as a string cell with Excel's quote prefix (never a formula), and characters XML
cannot hold are dropped.

Speed: each column has one reusable ``WriteOnlyCell`` carrying its style, filled
with the value's type already known from the column kind; the sheet's row
generator takes these cells as they are. openpyxl's default path infers every
value's type and, for cells passed in, raises and catches an exception per cell.
"""

from __future__ import annotations

import contextlib
import math
import re
import textwrap
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter

from qa_monitor.reports.xlsx_styles import (
    HEADER_ALIGNMENT,
    HEADER_BORDER,
    HEADER_FILL,
    HEADER_FONT,
    HEADER_INDENTED,
    HEADER_RIGHT,
    MAX_WIDTH,
    NOTE_FONT,
    NUMBER_FORMATS,
    TEXT,
    TOP,
    TOP_TEXT,
    WRAP,
    Kind,
    fit_width,
    text_width,
)

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_TEXT = 32_767
SHEET_NAME_MAX = 31
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot carry (tab, newline and carriage return are allowed).
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NUMERIC = {Kind.INT, Kind.SCORE, Kind.NUMBER, Kind.RATE, Kind.SIGNED, Kind.ALPHA}


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    width: float | None = None  # None: measured from the header and the first rows
    wrap: bool = False  # long text wraps within the width (small tables only: it costs)


def clean_text(value: str) -> str:
    """``value`` without XML-illegal characters, cut to what a cell can hold."""
    if ILLEGAL_XML.search(value):
        value = ILLEGAL_XML.sub("", value)
    if len(value) > EXCEL_MAX_TEXT:
        value = value[: EXCEL_MAX_TEXT - 1] + "…"
    return value


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unused sheet name: no ``[]:*?/\\``, not blank, at most 31 characters, not
    starting or ending with an apostrophe, unique ignoring case. Adds it to ``taken``."""
    base = _BAD_SHEET_CHARS.sub("_", name).strip().strip("'").strip() or "Sheet"
    candidate = base[:SHEET_NAME_MAX]
    number = 2
    while candidate.casefold() in taken:
        suffix = f" ({number})"
        candidate = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(candidate.casefold())
    return candidate


def new_sheet(wb: Workbook, name: str, taken: set[str]) -> WriteOnlyWorksheet:
    ws = wb.create_sheet(sheet_title(name, taken))
    assert isinstance(ws, WriteOnlyWorksheet)
    return ws


def save_workbook(wb: Workbook, path: Path) -> None:
    """``wb.save(path)``, except that a failure (a full disk) closes the zip file too:
    openpyxl leaves it open, and its finaliser then prints a stray traceback when the
    close fails again at exit."""
    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        wb.properties.modified = datetime.now(UTC).replace(tzinfo=None)
        ExcelWriter(wb, archive).save()
    except BaseException:
        with contextlib.suppress(Exception):
            archive.close()
        raise


def discard_workbook(wb: Workbook) -> None:
    """Close an unsaved write-only workbook and remove the temporary files of its sheets."""
    for ws in wb.worksheets:
        rows = getattr(ws, "_rows", None)
        if rows is not None:
            with contextlib.suppress(Exception):
                rows.close()
        writer = getattr(ws, "_writer", None)
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()
            with contextlib.suppress(Exception):
                writer.cleanup()


def wrapped_lines(value: object, width: float | None) -> int:
    """How many lines ``value`` takes wrapped in a column ``width`` characters wide (None:
    the widest column); a row of wrapped text is made this tall by hand, because not
    every program grows it by itself (LibreOffice does not)."""
    if not isinstance(value, str) or not value:
        return 1
    # Proportional letters are narrower than the "0" a width unit measures.
    room = max(width - 1.0, 1.0) * 1.15 if width is not None else MAX_WIDTH
    return sum(math.ceil(max(text_width(line), 1.0) / room) for line in value.splitlines())


def _cells_as_given(cells: Sequence[Cell], row_idx: int) -> Iterator[Cell]:
    for cell in cells:
        cell.row = row_idx
        yield cell


def styled_cell(ws: WriteOnlyWorksheet, value: object = None, **style: Any) -> WriteOnlyCell:
    """A cell holding ``value`` with ``style`` attributes set; dangerous text stays text."""
    if isinstance(value, str):
        value = clean_text(value)
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula or an error code
        if value.startswith(DANGEROUS_START):
            cell.quotePrefix = True
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


safe_cell = styled_cell


def value_cell(
    ws: WriteOnlyWorksheet, value: object, kind: Kind = Kind.TEXT, **style: Any
) -> WriteOnlyCell:
    """``styled_cell`` with the number format of ``kind``; text (a sentence standing in
    for a missing figure) and empty cells keep none."""
    cell = styled_cell(ws, value, **style)
    if kind in NUMBER_FORMATS and value is not None and not isinstance(value, str):
        cell.number_format = NUMBER_FORMATS[kind]
    return cell


def cover_page(ws: WriteOnlyWorksheet, widths: Sequence[tuple[str, float]]) -> None:
    """Set up a cover sheet (title, key figures, notes): column widths, no grid, printed
    landscape and one page wide. Call before the first row is written."""
    for letter, width in widths:
        ws.column_dimensions[letter].width = width
    ws.sheet_view.showGridLines = False
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _indented(kinds: Sequence[Kind], index: int) -> bool:
    """Whether column ``index`` (0-based) is text right of a number or date column: it
    is indented so the two never touch."""
    return kinds[index] is Kind.TEXT and index > 0 and kinds[index - 1] is not Kind.TEXT


def header_row(
    ws: WriteOnlyWorksheet, headers: Sequence[str], kinds: Sequence[Kind] = ()
) -> list[WriteOnlyCell]:
    """Styled header cells, aligned like their column's values."""
    kinds = [*kinds, *([Kind.TEXT] * (len(headers) - len(kinds)))]

    def alignment(i: int) -> object:
        if kinds[i] is not Kind.TEXT:
            return HEADER_RIGHT
        return HEADER_INDENTED if _indented(kinds, i) else HEADER_ALIGNMENT

    return [
        styled_cell(
            ws,
            clean_text(h),
            column=index,
            font=HEADER_FONT,
            fill=HEADER_FILL,
            border=HEADER_BORDER,
            alignment=alignment(index - 1),
        )
        for index, h in enumerate(headers, 1)
    ]


def take_cells_as_given(ws: WriteOnlyWorksheet) -> None:
    """Make ``ws.append`` take lists of ready cells (their columns set) without checks."""
    ws._values_to_row = _cells_as_given


class _TemplateCell(Cell):
    """A column's reusable cell: its style is set once, so its style id is worked out
    once (openpyxl looks it up in the workbook's style list for every cell written)."""

    __slots__ = ("_sid", "_styled")

    def freeze(self) -> _TemplateCell:
        self._styled = bool(self._style) and any(self._style)
        self._sid = Cell.style_id.fget(self)
        return self

    @property
    def style_id(self) -> int:
        return self._sid

    @property
    def has_style(self) -> bool:
        return self._styled


class _Filler:
    """Turns a row of values into the sheet's reusable, pre-styled cells."""

    def __init__(self, ws: WriteOnlyWorksheet, columns: Sequence[Column]):
        self.kinds = [c.kind for c in columns]
        self.plain: list[Cell] = []
        self.quoted: list[Cell] = []
        any_wrap = any(c.wrap for c in columns)
        for index, column in enumerate(columns, 1):
            cell = _TemplateCell(ws, row=1, column=index)
            if column.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column.kind]
            quoted = _TemplateCell(ws, row=1, column=index)
            quoted.quotePrefix = True
            # Only text right of a number is indented: the other cells stay plain (each
            # style costs write time).
            text = _indented(self.kinds, index - 1)
            if column.wrap:
                cell.alignment = quoted.alignment = WRAP
            elif any_wrap:  # in line with the wrapped text
                cell.alignment = quoted.alignment = TOP_TEXT if text else TOP
            elif text:
                cell.alignment = quoted.alignment = TEXT
            self.plain.append(cell.freeze())
            self.quoted.append(quoted.freeze())

    def cells(self, values: Sequence[object]) -> list[Cell]:
        out: list[Cell] = []
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            kind = self.kinds[index]
            if kind is Kind.TEXT or isinstance(value, str):
                text = clean_text(value if isinstance(value, str) else str(value))
                cell = self.quoted[index] if text.startswith(DANGEROUS_START) else self.plain[index]
                cell._value = text
                cell.data_type = "s"
            elif kind in _NUMERIC:
                if isinstance(value, bool):
                    value = int(value)
                if not isinstance(value, int | float) or not math.isfinite(value):
                    continue
                cell = self.plain[index]
                cell._value = value
                cell.data_type = "n"
            elif isinstance(value, date | time | timedelta):  # naive, on the centre's clock
                if isinstance(value, datetime | time) and value.tzinfo is not None:
                    value = value.replace(tzinfo=None)
                cell = self.plain[index]
                cell._value = value
                cell.data_type = "d"
            else:
                continue
            out.append(cell)
        return out


# ``finish_sheet(sheet, first data row, last data row)``: rows are 1-based, as in Excel.
FinishSheet = Callable[[WriteOnlyWorksheet, int, int], None]


class TableWriter:
    """One table over as many sheets as its rows need (see the module docstring)."""

    def __init__(
        self,
        wb: Workbook,
        title: str,
        columns: Sequence[Column],
        taken: set[str],
        *,
        max_rows: int = EXCEL_MAX_ROWS,
        sample_rows: int = 200,
        finish_sheet: FinishSheet | None = None,
        fit_to_page_width: bool = False,
        note: str | None = None,
        title_columns: int = 0,
        pages_wide: int = 1,
    ):
        self.note = note
        # Columns repeated on every printed page and frozen on screen (a wide table
        # prints across pages at a readable size instead of shrunk to one width).
        self.title_columns = title_columns
        self.pages_wide = pages_wide  # with fit_to_page_width: pages across, scaled
        self.top = 1 if note else 0  # rows above the header
        if max_rows < 2 + self.top:
            raise ValueError("a sheet needs room for its header and one row")
        self.wb = wb
        self.title = title
        self.columns = list(columns)
        self.taken = taken
        self.max_rows = max_rows
        self.sample_rows = sample_rows
        self.finish_sheet = finish_sheet
        self.fit_to_page_width = fit_to_page_width
        self.sheets: list[tuple[WriteOnlyWorksheet, int]] = []  # (sheet, data rows)
        self.rows = 0
        self._pending: list[Sequence[object]] | None = []
        self._widths: list[float] = []
        self._ws: WriteOnlyWorksheet | None = None
        self._in_sheet = 0
        self._header_written = False
        self._filler: _Filler | None = None
        self._wrapped = [i for i, c in enumerate(self.columns) if c.wrap]

    def reserve(self) -> None:
        """Create the first sheet now (keeps sheet order when other sheets come later)."""
        if self._ws is None:
            self._start_sheet()

    def append(self, values: Sequence[object]) -> None:
        if self._pending is not None:
            self._pending.append(values)
            if len(self._pending) >= self.sample_rows:
                self._flush_sample()
            return
        self._write(values)

    def close(self) -> list[tuple[WriteOnlyWorksheet, int]]:
        """Write what is buffered, then the filters and formats; returns (sheet, rows) pairs."""
        if self._pending is not None:
            self._flush_sample()
        if self._ws is None:
            self._start_sheet()
        self._write_header()
        self._finish_current()
        return self.sheets

    # -- internals ----------------------------------------------------------------------
    def _flush_sample(self) -> None:
        pending, self._pending = self._pending or [], None
        self._widths = [
            c.width
            if c.width is not None
            else fit_width(c.kind, c.header, [row[i] for row in pending if i < len(row)])
            for i, c in enumerate(self.columns)
        ]
        if self._ws is not None and not self._header_written:
            self._apply_widths(self._ws)
        for values in pending:
            self._write(values)

    def _write(self, values: Sequence[object]) -> None:
        if self._ws is None or self._in_sheet >= self.max_rows - 1 - self.top:
            if self._ws is not None:
                self._finish_current()
            self._start_sheet()
        self._write_header()
        assert self._ws is not None and self._filler is not None
        if self._wrapped:
            lines = max(
                (self._lines(values[i], i) for i in self._wrapped if i < len(values)), default=1
            )
            if lines > 1:
                # Not every program grows a wrapped row by itself (LibreOffice does not).
                row = self._in_sheet + 2 + self.top
                self._ws.row_dimensions[row].height = 15 * min(lines, 20)
        self._ws.append(self._filler.cells(values))
        self._in_sheet += 1
        self.rows += 1

    def _header_lines(self, header: str, index: int) -> int:
        # Bold words wrap whole: simulate it on the column's width.
        room = int(self._widths[index] - 1.0) if self._widths else int(MAX_WIDTH)
        return max(len(textwrap.wrap(header, max(room, 1))), 1)

    def _lines(self, value: object, index: int) -> int:
        if not isinstance(value, str) or not value:
            return 1
        return wrapped_lines(value, self._widths[index] if self._widths else None)

    def _start_sheet(self) -> None:
        number = len(self.sheets) + 1
        name = self.title if number == 1 else f"{self.title} ({number})"
        ws = new_sheet(self.wb, name, self.taken)
        header = self.top + 1
        ws.freeze_panes = f"{get_column_letter(self.title_columns + 1)}{header + 1}"
        ws.print_title_rows = f"{header}:{header}"
        if self.title_columns:
            ws.print_title_cols = f"A:{get_column_letter(self.title_columns)}"
        ws.page_setup.orientation = "landscape"
        if self.fit_to_page_width:
            # Page setup properties go out with the first row, so set them now.
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = self.pages_wide
            ws.page_setup.fitToHeight = 0
            if self.pages_wide > 1:  # left to right first, as the table reads
                ws.page_setup.pageOrder = "overThenDown"
        if self._widths:
            self._apply_widths(ws)
        self._ws = ws
        self._in_sheet = 0
        self._header_written = False
        self.sheets.append((ws, 0))
        take_cells_as_given(ws)
        self._filler = _Filler(ws, self.columns)

    def _write_header(self) -> None:
        # The first append writes the column widths too, so it waits for the sample.
        if not self._header_written and self._ws is not None:
            headers = [c.header for c in self.columns]
            lines = max((self._header_lines(h, i) for i, h in enumerate(headers)), default=1)
            if lines > 1:  # a wrapped header needs the room (LibreOffice does not grow it)
                self._ws.row_dimensions[self.top + 1].height = 15 * min(lines, 4)
            if self.note:
                self._ws.append([styled_cell(self._ws, self.note, column=1, font=NOTE_FONT)])
            self._ws.append(header_row(self._ws, headers, [c.kind for c in self.columns]))
            self._header_written = True

    def _apply_widths(self, ws: WriteOnlyWorksheet) -> None:
        for index, width in enumerate(self._widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width

    def _finish_current(self) -> None:
        ws = self._ws
        assert ws is not None
        header = self.top + 1
        last_row = header + self._in_sheet
        last_col = get_column_letter(max(len(self.columns), 1))
        ws.auto_filter.ref = f"A{header}:{last_col}{last_row}"
        self.sheets[-1] = (ws, self._in_sheet)
        if self.finish_sheet is not None and self._in_sheet:
            self.finish_sheet(ws, header + 1, last_row)
