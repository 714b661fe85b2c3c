"""Reading a table from a spreadsheet file (.xlsx, .xlsm, .csv, .txt, .tsv) without Qt.

Text files: the encoding is the one given, else detected: a byte-order mark → UTF-8 or
UTF-16; valid UTF-8 → UTF-8; otherwise charset-normalizer chooses among Windows-1252
(Western European), Windows-1256 (Arabic/Persian) and Windows-1251 (Cyrillic) from at
most 256 KB of the file. A short file can fool any detector (a few Cyrillic names read
as Western European), so the preview shows a sample of the decoded text and the user
can choose the encoding. The delimiter is sniffed among comma, semicolon and tab.
Workbooks: the first sheet with content (or the named one), values as openpyxl gives
them (numbers, datetimes, text).

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
from typing import TYPE_CHECKING

from qa_monitor.core.echo_text import shorten
from qa_monitor.table_limits import (
    MAX_ROWS,
    check_row,
    text_too_large,
    too_many_rows,
    workbook_refusal,
)

if TYPE_CHECKING:
    from charset_normalizer import CharsetMatches

Row = list[object]
TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
BOOK_SUFFIXES = {".xlsx", ".xlsm"}
DELIMITERS = (",", ";", "\t")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# At most this much of a file is given to the detector.
_SAMPLE_BYTES = 256 * 1024
# The code pages the detector chooses among for a file that is not UTF-8: the Windows
# ones call-centre systems export in (Western European, Arabic/Persian, Cyrillic).
# Offering more makes short files ambiguous (Latin-2 reads "Núñez" as "Núńez").
DETECTED_CODE_PAGES = ("cp1252", "cp1256", "cp1251")
# What a user can choose instead (the import dialog, ``import --encoding``).
ENCODING_CHOICES = ("utf-8", "cp1252", "cp1256", "cp1251", "iso-8859-1", "utf-16")


class TableReadError(Exception):
    """The file cannot be read as a table; the message names it and says what to do."""


@dataclass(frozen=True, slots=True)
class Table:
    """A table read from a file: its header cells and a way to walk its data rows."""

    path: Path
    headers: tuple[str, ...]
    header_row: int  # 1-based row number of the header
    encoding: str | None = None  # text files only
    # The encoding was the user's choice, not detected.
    encoding_chosen: bool = False
    delimiter: str | None = None
    sheet: str | None = None  # workbooks only
    _rows: Callable[[], Iterator[tuple[int, Row]]] = field(default=lambda: iter(()), repr=False)
    # About how many data rows follow the header (for progress bars; blank rows count).
    estimated_rows: int = 0
    # The non-blank rows above the header (a title, a date...), in order.
    preamble: tuple[Row, ...] = ()
    # Text files: a few decoded lines to judge the encoding by (``text_sample``).
    text_sample: tuple[str, ...] = ()

    def rows(self) -> Iterator[tuple[int, Row]]:
        """(row number, cells) of every data row after the header; blank rows skipped."""
        return self._rows()


# -- encodings -------------------------------------------------------------------------
def from_bytes(window: bytes, cp_isolation: list[str]) -> CharsetMatches:
    """charset_normalizer's guess, imported on first use: the import services are
    loaded at every start, and only a text file that is not UTF-8 needs it (~0.1 s)."""
    from charset_normalizer import from_bytes as guess

    return guess(window, cp_isolation=cp_isolation)


def _code_page(window: bytes) -> str:
    """The likeliest of DETECTED_CODE_PAGES for bytes that are not UTF-8."""
    best = from_bytes(window, cp_isolation=list(DETECTED_CODE_PAGES)).best()
    return codecs.lookup(best.encoding).name if best is not None else DETECTED_CODE_PAGES[0]


def _window(data: bytes, at: int) -> bytes:
    """At most _SAMPLE_BYTES of ``data`` from a little before offset ``at``."""
    start = max(at - 1024, 0)
    return data[start : start + _SAMPLE_BYTES]


def detect_encoding(data: bytes) -> str:
    """The encoding of a text file's bytes (see the module docstring). Reads at most
    _SAMPLE_BYTES from the first non-ASCII byte on (a log is often ASCII for many rows
    before its first accented or non-Latin name)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if data.isascii():  # far faster than the search below on a big file
        return "utf-8"
    high = _HIGH_BYTE.search(data)
    if high is None:
        return "utf-8"
    window = _window(data, high.start())
    ends = max(high.start() - 1024, 0) + len(window) == len(data)
    try:
        # Not final unless the window reaches the end: it may cut a character in two.
        codecs.getincrementaldecoder("utf-8")().decode(window, final=ends)
    except UnicodeDecodeError:
        return _code_page(window)
    return "utf-8"


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding): ``data`` decoded with ``encoding``, or the detected one when
    None. A byte the encoding cannot map becomes U+FFFD. A file detected as UTF-8 whose
    later part is not (two exports pasted together) is read with the code page detected
    where the UTF-8 stops."""
    chosen = encoding or detect_encoding(data)
    try:
        return data.decode(chosen), chosen
    except UnicodeDecodeError as exc:
        if encoding is None and chosen == "utf-8":
            chosen = _code_page(_window(data, exc.start))
        return data.decode(chosen, errors="replace"), chosen


def check_encoding(name: str) -> str:
    """Python's name for the encoding ``name`` (cp1251 for windows-1251); TableReadError
    naming the common ones if there is no such encoding."""
    try:
        codec = codecs.lookup(name.strip())
    except LookupError:
        raise TableReadError(
            f"'{name}' is not an encoding; use one of {', '.join(ENCODING_CHOICES)}."
        ) from None
    return {"utf-16-le": "utf-16", "utf-16-be": "utf-16"}.get(codec.name, codec.name)


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their line ends (\\n, \\r\\n or a lone \\r, as
    ``open(newline="")`` gives them to csv), one at a time: io.StringIO would hold the
    whole text again at four bytes a character. str.find, not a regex: a 50 MB line is
    crossed in milliseconds."""
    start, size = 0, len(text)
    while start < size:
        newline = text.find("\n", start)
        # A \r just before the \n belongs to it (\r\n); one before that ends a line.
        cr_end = newline - 1 if newline >= 0 else size
        lone_cr = text.find("\r", start, cr_end) if cr_end > start else -1
        if lone_cr >= 0:
            end = lone_cr + 1
        elif newline >= 0:
            end = newline + 1
        else:
            end = size
        yield text[start:end]
        start = end


def text_sample(text: str, lines: int = 3, width: int = 120) -> tuple[str, ...]:
    """The first ``lines`` non-blank lines of ``text``, and the first line that is not
    plain ASCII (where a wrong encoding shows) if it comes later, each cut to ``width``
    characters: what the import preview shows beside the encoding."""
    first: list[str] = []
    for raw in _lines(text):
        if len(first) >= lines:
            break
        if raw.strip():
            first.append(raw.rstrip("\r\n"))
    high = None if text.isascii() else _NON_ASCII.search(text)
    if high is not None and all(line.isascii() for line in first):
        start = text.rfind("\n", 0, high.start()) + 1
        end = text.find("\n", high.start())
        first.append(text[start : end if end >= 0 else len(text)].rstrip("\r"))
    # Cut before shorten(), which splits on spaces: a line may be megabytes long.
    return tuple(shorten(line[: width * 2], width) for line in first)


def sniff_delimiter(text: str, lines: int = 30) -> str:
    """The delimiter (comma, semicolon or tab) that splits the first lines most evenly."""
    # Lines from the first 64 KB only: splitting a whole 100 MB file would copy it.
    sample = "\n".join(text[:65536].splitlines()[:lines])
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


def _read_text(path: Path, looks_like_header: Callable[[Row], bool], encoding: str | None) -> Table:
    try:
        refusal = text_too_large(path, path.stat().st_size)
        if refusal:
            raise TableReadError(refusal)
        data = path.read_bytes()
    except OSError as exc:
        raise TableReadError(f"Cannot read '{path}': {exc.strerror}.") from exc
    text, used = decode_text(data, encoding)
    del data
    delimiter = sniff_delimiter(text)

    def numbered() -> Iterator[tuple[int, Row]]:
        reader = csv.reader(_lines(text), delimiter=delimiter)
        number = 0
        try:
            for number, row in enumerate(reader, 1):
                if number > MAX_ROWS:
                    raise TableReadError(too_many_rows(path))
                # The first cell usually says the row is not blank; join only when not.
                if row and (row[0].strip() or "".join(row).strip()):
                    _check(path, number, row)  # type: ignore[arg-type]
                    yield number, row  # type: ignore[misc]
        except csv.Error as exc:
            # csv.field_size_limit() (131,072 characters unless changed) stops a runaway
            # field, e.g. an unclosed quote that swallows the rest of the file.
            raise TableReadError(_csv_problem(path, number + 1, exc)) from None

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
        used,
        encoding is not None,
        delimiter,
        None,
        rows,
        estimate,
        tuple(row for _n, row in head[:index]),
        text_sample(text),
    )


def _read_book(path: Path, looks_like_header: Callable[[Row], bool], sheet: str | None) -> Table:
    from openpyxl import load_workbook

    refusal = workbook_refusal(path)
    if refusal:
        raise TableReadError(refusal)

    def open_sheet():
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for damaged files
            raise TableReadError(_book_problem(path, exc)) from exc
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
                if number > MAX_ROWS:
                    raise TableReadError(too_many_rows(path))
                row = list(values)
                if not _blank(row):
                    _check(path, number, row)
                    yield number, row
        except TableReadError:
            raise
        except Exception as exc:  # defusedxml, or a part openpyxl cannot parse
            raise TableReadError(_book_problem(path, exc)) from exc
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
    return Table(path, headers, header_no, None, False, None, title, rows, estimate, preamble)


def _check(path: Path, number: int, row: Row) -> None:
    refusal = check_row(path, number, row)
    if refusal:
        raise TableReadError(refusal)


def _csv_problem(path: Path, row: int, exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return (
            f"Row {row} of '{path.name}' has a cell longer than {csv.field_size_limit():,} "
            "characters; check that its quotes are closed, or that the file is a table."
        )
    return f"Row {row} of '{path.name}' cannot be read as CSV ({exc}); save it again as CSV."


def _from_defusedxml(exc: BaseException | None) -> bool:
    """Whether defusedxml refused the XML, possibly under openpyxl's own exception."""
    seen = 0
    while exc is not None and seen < 10:
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _book_problem(path: Path, exc: Exception) -> str:
    """A sentence for openpyxl's (or defusedxml's) exception about the workbook ``path``."""
    if _from_defusedxml(exc):
        return (
            f"'{path.name}' contains XML entity declarations, which Excel never writes; it "
            "may be built to fill the memory. Open it in Excel and save it again, or save "
            "it as CSV."
        )
    return (
        f"Cannot read '{path}' as an Excel workbook ({exc}). Save it again from Excel as "
        ".xlsx, or as CSV."
    )


def read_table(
    path: str | Path,
    looks_like_header: Callable[[Row], bool] = lambda row: False,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
) -> Table:
    """Open ``path`` as a table. The header is the first of the first ten non-blank rows
    that ``looks_like_header`` accepts (else the first non-blank row). ``encoding``
    (text files only; None: detect) is checked first. Raises TableReadError with a
    message naming the file."""
    if encoding is not None:
        encoding = check_encoding(encoding)
    path = Path(path).expanduser()
    if path.is_dir():
        raise TableReadError(f"'{path}' is a folder; choose a .csv or .xlsx file.")
    if not path.exists():
        raise TableReadError(f"'{path}' does not exist.")
    suffix = path.suffix.lower()
    if suffix in BOOK_SUFFIXES:
        return _read_book(path, looks_like_header, sheet)
    if suffix in TEXT_SUFFIXES or not suffix:
        return _read_text(path, looks_like_header, encoding)
    if suffix == ".xls":
        raise TableReadError(
            f"'{path}' is an old Excel 97–2003 file. Open it in Excel or LibreOffice and "
            "save it as .xlsx or .csv, then import that."
        )
    raise TableReadError(f"'{path}' is not a .csv or .xlsx file; save it as one of those.")
