"""Reading a table from a spreadsheet file (.xlsx, .xlsm, .csv, .txt, .tsv) without Qt.

Text files: the encoding is detected (a byte-order mark → UTF-8/UTF-16; valid UTF-8 →
UTF-8; otherwise Windows-1256 (Arabic/Persian) or Windows-1251 (Russian), whichever
makes the more plausible words) and the delimiter sniffed among comma, semicolon and
tab. Workbooks: the first sheet with content (or the named one), values as openpyxl
gives them (numbers, datetimes, text).

Rows are numbered as a spreadsheet shows them (the header is usually row 1), so a
problem report can say "row 17" and the user finds it.

Lives at the top of the package because services/ (call logs, rosters, surveys) and
formfiles/ (scorecards kept in Excel) both read tables, and formfiles/ stands below
services/.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

Row = list[object]
TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
BOOK_SUFFIXES = {".xlsx", ".xlsm"}
DELIMITERS = (",", ";", "\t")
_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE_BYTES = 256 * 1024


class TableReadError(Exception):
    """The file cannot be read as a table; the message names it and says what to do."""


@dataclass(frozen=True, slots=True)
class Table:
    """A table read from a file: its header cells and a way to walk its data rows."""

    path: Path
    headers: tuple[str, ...]
    header_row: int  # 1-based row number of the header
    encoding: str | None = None  # text files only
    delimiter: str | None = None
    sheet: str | None = None  # workbooks only
    _rows: Callable[[], Iterator[tuple[int, Row]]] = field(default=lambda: iter(()), repr=False)
    # About how many data rows follow the header (for progress bars; blank rows count).
    estimated_rows: int = 0
    # The non-blank rows above the header (a title, a date...), in order.
    preamble: tuple[Row, ...] = ()

    def rows(self) -> Iterator[tuple[int, Row]]:
        """(row number, cells) of every data row after the header; blank rows skipped."""
        return self._rows()


# -- encodings -------------------------------------------------------------------------
def _plausibility(text: str, script: Callable[[str], bool]) -> float:
    """Share of words with letters of ``script`` that look like real words in it: one
    script only, and lower case, capitalised or upper case (not mixed)."""
    good = total = 0
    for word in _WORD.findall(text):
        if not any(script(ch) for ch in word):
            continue
        total += 1
        if all(script(ch) for ch in word) and (
            word.islower()
            or word.isupper()
            or word.istitle()
            or not word.isalpha()
            or not any(ch.isupper() for ch in word)
        ):
            good += 1
    return good / total if total else 0.0


_PERSIAN_LETTERS = frozenset("\u067e\u0686\u0698\u06a9\u06af\u06cc")  # پ چ ژ ک گ ی


def _arabic(ch: str) -> bool:
    # The letters Arabic and Persian words are made of (not tatweel or rare letters,
    # which Cyrillic bytes read as Windows-1256 often turn into).
    return "\u0621" <= ch <= "\u063a" or "\u0641" <= ch <= "\u064a" or ch in _PERSIAN_LETTERS


def _cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def detect_encoding(data: bytes) -> str:
    """The encoding of a text file's bytes (see the module docstring)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    sample = data[:_SAMPLE_BYTES]
    arabic = sample.decode("cp1256", errors="replace")
    russian = sample.decode("cp1251", errors="replace")
    # Each single-byte code page turns every high byte into some letter, so counting
    # letters says little; whether the words look like words says a lot.
    score_ar = _plausibility(arabic, _arabic) * sum(map(_arabic, arabic))
    score_ru = _plausibility(russian, _cyrillic) * sum(map(_cyrillic, russian))
    return "cp1256" if score_ar >= score_ru else "cp1251"


def sniff_delimiter(text: str, lines: int = 30) -> str:
    """The delimiter (comma, semicolon or tab) that splits the first lines most evenly."""
    sample = "\n".join(text.splitlines()[:lines])
    best, best_score = ",", (-1, 0)
    for delimiter in DELIMITERS:
        counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        if not counts:
            continue
        widest = max(counts)
        # Rows agreeing on the number of fields (more than one), then more fields.
        common = max(set(counts), key=counts.count)
        score = (counts.count(common) if common > 1 else 0, widest)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# -- reading -----------------------------------------------------------------------------
def _blank(row: Row) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _header_index(rows: list[tuple[int, Row]], looks_like_header: Callable[[Row], bool]) -> int:
    for index, (_n, row) in enumerate(rows[:10]):
        if looks_like_header(row):
            return index
    return 0


def _cell_text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _read_text(path: Path, looks_like_header: Callable[[Row], bool]) -> Table:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TableReadError(f"Cannot read '{path}': {exc.strerror}.") from exc
    encoding = detect_encoding(data)
    text = data.decode(encoding, errors="replace")
    delimiter = sniff_delimiter(text)

    def numbered() -> Iterator[tuple[int, Row]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, row in enumerate(reader, 1):
            # The first cell usually says the row is not blank; join only when it does not.
            if row and (row[0].strip() or "".join(row).strip()):
                yield number, row  # type: ignore[misc]

    head = [r for _, r in zip(range(10), numbered(), strict=False)]
    if not head:
        raise TableReadError(f"'{path}' is empty: it has no header row and no data.")
    index = _header_index(head, looks_like_header)
    header_no, header = head[index]

    def rows() -> Iterator[tuple[int, Row]]:
        for number, row in numbered():
            if number > header_no:
                yield number, row

    estimate = max(text.count("\n") - header_no, 0)
    return Table(
        path,
        tuple(_cell_text(h) for h in header),
        header_no,
        encoding,
        delimiter,
        None,
        rows,
        estimate,
        tuple(row for _n, row in head[:index]),
    )


def _read_book(path: Path, looks_like_header: Callable[[Row], bool], sheet: str | None) -> Table:
    from openpyxl import load_workbook

    def open_sheet():
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for damaged files
            raise TableReadError(
                f"Cannot read '{path}' as an Excel workbook ({exc}). Save it again from "
                "Excel as .xlsx, or as CSV."
            ) from exc
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise TableReadError(f"'{path}' has no sheet named '{sheet}'.")
            return wb, wb[sheet]
        for ws in wb.worksheets:
            if ws.max_row and ws.max_row > 0 and ws.calculate_dimension() != "A1:A1":
                return wb, ws
        return wb, wb.worksheets[0]

    def numbered() -> Iterator[tuple[int, Row]]:
        wb, ws = open_sheet()
        try:
            for number, values in enumerate(ws.iter_rows(values_only=True), 1):
                row = list(values)
                if not _blank(row):
                    yield number, row
        finally:
            wb.close()

    head = [r for _, r in zip(range(10), numbered(), strict=False)]
    if not head:
        raise TableReadError(f"'{path}' has no rows: its first sheet is empty.")
    index = _header_index(head, looks_like_header)
    header_no, header = head[index]
    wb, ws = open_sheet()
    title, estimate = ws.title, max((ws.max_row or 0) - header_no, 0)
    wb.close()

    def rows() -> Iterator[tuple[int, Row]]:
        for number, row in numbered():
            if number > header_no:
                yield number, row

    headers = tuple(_cell_text(h) for h in header)
    preamble = tuple(row for _n, row in head[:index])
    return Table(path, headers, header_no, None, None, title, rows, estimate, preamble)


def read_table(
    path: str | Path,
    looks_like_header: Callable[[Row], bool] = lambda row: False,
    *,
    sheet: str | None = None,
) -> Table:
    """Open ``path`` as a table. The header is the first of the first ten non-blank rows
    that ``looks_like_header`` accepts (else the first non-blank row). Raises
    TableReadError with a message naming the file."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise TableReadError(f"'{path}' is a folder; choose a .csv or .xlsx file.")
    if not path.exists():
        raise TableReadError(f"'{path}' does not exist.")
    suffix = path.suffix.lower()
    if suffix in BOOK_SUFFIXES:
        return _read_book(path, looks_like_header, sheet)
    if suffix in TEXT_SUFFIXES or not suffix:
        return _read_text(path, looks_like_header)
    if suffix == ".xls":
        raise TableReadError(
            f"'{path}' is an old Excel 97–2003 file. Open it in Excel or LibreOffice and "
            "save it as .xlsx or .csv, then import that."
        )
    raise TableReadError(f"'{path}' is not a .csv or .xlsx file; save it as one of those.")
