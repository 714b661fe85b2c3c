"""Bounds on the tables we import (.xlsx, .csv), and the checks made before openpyxl runs.

An .xlsx file is a zip of XML parts. A small one can claim gigabytes: a 1.6 MB zip bomb
made openpyxl peak at 3-5.7 GB, and workbooks under 3 MB holding 20 million rows or 20
million shared strings kept it busy for more than five minutes. So before openpyxl
opens a workbook, ``workbook_refusal`` reads the zip's directory (the uncompressed
size it declares is all Python's zipfile will ever inflate, so it can be trusted) and
refuses a part that is too large or compressed too well to be real data; then it scans
the shared-strings part and each sheet's XML as raw bytes, counting strings and rows
and reading the sheet's declared size (its ``<dimension>``), stopping as soon as a
count passes its limit. Counting bytes runs at hundreds of MB a second, so the worst
file is refused within a second or two.

openpyxl parses the XML through defusedxml when it is installed (``openpyxl.xml.
DEFUSEDXML``), which refuses entity declarations ("billion laughs" inside XML);
``workbook_refusal`` refuses to go on without it.

The limits on rows, columns and cell length are also checked while the rows are read
(``tabular_read``), for CSV files as for workbooks. Each message names the file, the
limit and what to do.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

# Excel's own limit: a sheet of more rows cannot be opened in Excel, so it is no export.
MAX_ROWS = 1_048_576
# Characters in one cell: the csv module's own default limit (csv.field_size_limit()),
# so workbooks and text files stop at the same length. Shorter cells that are still too
# long for their column (a 40,000-character name) are refused row by row by the import.
MAX_CELL_CHARS = 131_072
# Call logs, rosters and survey exports have tens of columns.
MAX_COLUMNS = 1_000
# Bytes of a text file (.csv): it is read and decoded whole (twice its size in memory
# while decoding), and 100 MB is about 700,000 call rows.
MAX_TEXT_BYTES = 100 * 1024 * 1024
# The parts of an .xlsx, uncompressed: all together, one part, the shared strings.
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_PART_BYTES = 512 * 1024 * 1024
MAX_STRINGS_BYTES = 64 * 1024 * 1024
# Different texts in one workbook (openpyxl keeps them all in memory).
MAX_SHARED_STRINGS = 1_000_000
# Sheet XML compresses about 5 to 20 times; a part over 1 MB compressed far better is
# made of one thing repeated, which is what zip bombs are.
MAX_RATIO = 100
_RATIO_FROM_BYTES = 1024 * 1024

_CHUNK = 1024 * 1024
# Bytes of text between two tags: a cell's characters take at most 4 bytes each in UTF-8.
_LONGEST_RUN = MAX_CELL_CHARS * 4
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]*)(\d*)(?::([A-Z]+)(\d+))?"')
_SPLIT_ADVICE = "split it into smaller files or save the sheet as CSV"


def _mb(size: int) -> str:
    return f"{size / 1_048_576:,.0f} MB"


def too_many_rows(path: Path) -> str:
    return (
        f"'{path.name}' has more than {MAX_ROWS:,} rows, the most a sheet can have; "
        f"{_SPLIT_ADVICE}."
    )


def too_many_columns(path: Path, row: int, columns: int) -> str:
    return (
        f"Row {row} of '{path.name}' has {columns:,} columns, more than the {MAX_COLUMNS:,} "
        f"an import reads; remove the empty or extra columns and import it again."
    )


def cell_too_long(path: Path, row: int, length: int) -> str:
    return (
        f"Row {row} of '{path.name}' has a cell of {length:,} characters, more than the "
        f"{MAX_CELL_CHARS:,} an import reads in one cell; check that the file is a table "
        f"of calls or people."
    )


def text_too_large(path: Path, size: int) -> str | None:
    if size <= MAX_TEXT_BYTES:
        return None
    return (
        f"'{path.name}' is {_mb(size)}, more than the {_mb(MAX_TEXT_BYTES)} a text file "
        f"import reads; split it into smaller files."
    )


def check_row(path: Path, number: int, row: list[object]) -> str | None:
    """Why row ``number`` cannot be imported (too many columns, a cell too long), or None."""
    if len(row) > MAX_COLUMNS:
        # A sheet pads short rows with empty cells up to its widest: only filled ones count.
        filled = len(row) - next(
            (i for i, v in enumerate(reversed(row)) if v not in (None, "")), len(row)
        )
        if filled > MAX_COLUMNS:
            return too_many_columns(path, number, filled)
    for value in row:
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            return cell_too_long(path, number, len(value))
    return None


# -- workbooks ---------------------------------------------------------------------------
def workbook_refusal(path: Path) -> str | None:
    """Why the workbook at ``path`` must not be given to openpyxl, or None.

    Reads only the zip directory and scans the shared strings and sheets as bytes; a
    file that is not a zip at all is left for openpyxl to report."""
    refusal = _defused_refusal(path)
    if refusal:
        return refusal
    try:
        with zipfile.ZipFile(path) as book:
            parts = book.infolist()
            return _sizes_refusal(path, parts) or _content_refusal(path, book, parts)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError):
        return None  # openpyxl says the file is not a workbook, in its own words
    except OSError as exc:
        return f"Cannot read '{path}': {exc.strerror or exc}."


def _defused_refusal(path: Path) -> str | None:
    from openpyxl.xml import DEFUSEDXML

    if DEFUSEDXML:
        return None
    return (
        f"'{path.name}' cannot be read safely because the defusedxml package is missing or "
        "turned off (OPENPYXL_DEFUSEDXML); reinstall QA Monitor, or save the sheet as CSV."
    )


def _sizes_refusal(path: Path, parts: list[zipfile.ZipInfo]) -> str | None:
    total = sum(p.file_size for p in parts)
    if total > MAX_UNZIPPED_BYTES:
        return (
            f"'{path.name}' unpacks to {_mb(total)}, more than the "
            f"{_mb(MAX_UNZIPPED_BYTES)} an import reads; {_SPLIT_ADVICE}."
        )
    for part in parts:
        if part.file_size > MAX_PART_BYTES:
            return (
                f"'{path.name}' holds a part ({part.filename}) of {_mb(part.file_size)}, "
                f"more than the {_mb(MAX_PART_BYTES)} an import reads; {_SPLIT_ADVICE}."
            )
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _RATIO_FROM_BYTES and ratio > MAX_RATIO:
            return (
                f"'{path.name}' holds a part ({part.filename}) compressed {ratio:,.0f} to 1, "
                f"more than the {MAX_RATIO} to 1 of real spreadsheet data: it is built to "
                f"fill the memory. Open it in Excel and save it again, or save it as CSV."
            )
    return None


def _content_refusal(path: Path, book: zipfile.ZipFile, parts: list[zipfile.ZipInfo]) -> str | None:
    for part in parts:
        name = part.filename.lower()
        if name.endswith("sharedstrings.xml"):
            if part.file_size > MAX_STRINGS_BYTES:
                return (
                    f"'{path.name}' holds {_mb(part.file_size)} of texts, more than the "
                    f"{_mb(MAX_STRINGS_BYTES)} an import reads; {_SPLIT_ADVICE}."
                )
            found = _scan(book, part, _STRING, MAX_SHARED_STRINGS)
            if found == "count":
                return (
                    f"'{path.name}' holds more than {MAX_SHARED_STRINGS:,} different texts, "
                    f"more than an import reads; {_SPLIT_ADVICE}."
                )
        elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
            refusal = _dimension_refusal(path, book, part)
            if refusal:
                return refusal
            found = _scan(book, part, _ROW, MAX_ROWS)
            if found == "count":
                return too_many_rows(path)
        else:
            continue
        if found == "text":
            return (
                f"'{path.name}' holds a text of more than {MAX_CELL_CHARS:,} characters, more "
                f"than an import reads in one cell; check that the file is a table of calls "
                f"or people."
            )
    return None


def _dimension_refusal(path: Path, book: zipfile.ZipFile, part: zipfile.ZipInfo) -> str | None:
    """The sheet's declared size (``<dimension ref="A1:T5000"/>``, near its start)."""
    with book.open(part) as stream:
        head = stream.read(4096)
    found = _DIMENSION.search(head)
    if found is None:
        return None
    last_column = found.group(3) or found.group(1)
    last_row = found.group(4) or found.group(2)
    if last_row and int(last_row) > MAX_ROWS:
        return too_many_rows(path)
    if last_column and _column_number(last_column) > MAX_COLUMNS:
        return (
            f"'{path.name}' has a sheet {_column_number(last_column):,} columns wide, more "
            f"than the {MAX_COLUMNS:,} an import reads; remove the extra columns and import "
            f"it again."
        )
    return None


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _scan(
    book: zipfile.ZipFile, part: zipfile.ZipInfo, tag: re.Pattern[bytes], limit: int
) -> str | None:
    """ "count" if ``part`` holds more than ``limit`` elements matching ``tag``, "text" if
    it holds a text (a run of bytes without '<') longer than a cell may be, else None.

    One pass over the inflated bytes, in chunks cut before a '<' (so no tag is split or
    counted twice). A run longer than ``_LONGEST_RUN`` contains a whole aligned window
    of half that length, so looking for '<' in each such window finds it in a few
    ``find`` calls a megabyte."""
    count = 0
    run = 0  # bytes since the last '<' of the chunks before
    half = _LONGEST_RUN // 2
    for data in _chunks(book, part):
        count += len(tag.findall(data))
        if count > limit:
            return "count"
        first = data.find(b"<")
        if first < 0:
            run += len(data)
            if run > _LONGEST_RUN:
                return "text"
            continue
        if run + first > _LONGEST_RUN:
            return "text"
        for start in range(first - first % half + half, len(data), half):
            if data.find(b"<", start, start + half) < 0 and _run_at(data, start) > _LONGEST_RUN:
                return "text"
        run = len(data) - data.rfind(b"<") - 1
    return None


def _run_at(data: bytes, at: int) -> int:
    """The length of the run without '<' in ``data`` around offset ``at``."""
    end = data.find(b"<", at)
    return (len(data) if end < 0 else end) - data.rfind(b"<", 0, at) - 1


def _chunks(book: zipfile.ZipFile, part: zipfile.ZipInfo) -> Iterator[bytes]:
    carry = b""
    with book.open(part) as stream:
        while True:
            block = stream.read(_CHUNK)
            if not block:
                break
            data = carry + block
            # A tag starting in the last bytes may end in the next block: keep it for then.
            cut = data.rfind(b"<", max(len(data) - 64, 0))
            if cut < 0:
                carry = b""
                yield data
            else:
                carry = data[cut:]
                yield data[:cut]
        if carry:
            yield carry
