"""Exporting evaluations to CSV: the Evaluations sheet's columns, for other tools.

UTF-8 with a byte-order mark, so Excel shows Persian, Arabic and Russian text
correctly; a cell starting with ``= + - @``, a tab or a carriage return gets a
leading apostrophe so no spreadsheet runs it as a formula (OWASP's advice); the file
is written under a temporary name and moved into place at the end (no partial file).
Numbers keep full precision, times are local (``YYYY-MM-DD HH:MM:SS``), durations are
``H:MM:SS``. Which evaluations: as in the workbook (the filter narrowed by a
``CountingRule``, by default regular evaluations that were submitted); a CSV has no
room for a note, so the caller states the rule (``counted_sentence``).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

from qa_monitor.core.records import EvaluationFilter
from qa_monitor.reports.atomic_file import ExportCancelled, ExportError, atomic_output
from qa_monitor.reports.counting_rule import CountingRule
from qa_monitor.reports.export_columns import EvaluationColumns
from qa_monitor.reports.xlsx_export import ExportResult, resolve_db
from qa_monitor.reports.xlsx_sheets import DANGEROUS_START
from qa_monitor.storage import export_queries as q

__all__ = ["ExportError", "csv_safe", "export_csv"]
_CHECK_EVERY = 1000


def csv_safe(value: object) -> object:
    """``value`` ready for a CSV cell: dangerous text prefixed with ``'``, times as text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(DANGEROUS_START) else value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        seconds = round(value.total_seconds())
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return value


def write_csv_rows(path: Path, header: list[str], rows: Iterable[list[object]]) -> int:
    """Write ``rows`` (with ``header``) to ``path`` as UTF-8-with-BOM CSV; returns the count."""
    n = 0
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([csv_safe(h) for h in header])
            for row in rows:
                writer.writerow([csv_safe(v) for v in row])
                n += 1
    finally:
        # A failed write (a full disk) must finish the row generator now, while the
        # database it reads is still open, not when it is collected later.
        close = getattr(rows, "close", None)
        if close is not None:
            close()
    return n


def export_csv(
    services_or_db: object,
    flt: EvaluationFilter,
    path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    rule: CountingRule | None = None,
) -> ExportResult:
    """Write one row per evaluation ``flt`` selects, narrowed by ``rule`` (None: the
    default ``CountingRule``), to ``path`` (see the module docstring).

    Raises ExportError when the target cannot be written, ExportCancelled on cancel;
    either way no file is left behind.
    """
    started = time.perf_counter()
    db = resolve_db(services_or_db)
    flt = (rule or CountingRule()).apply(flt)
    target = Path(path).expanduser().absolute()
    with atomic_output(target) as temp:
        cols = EvaluationColumns(q.export_layout(db, flt), q.centre_timezone(db))
        total = q.count_evaluations(db, flt)

        def rows() -> Iterable[list[object]]:
            for done, (record, sections) in enumerate(q.evaluation_records(db, flt), 1):
                if done % _CHECK_EVERY == 0:
                    if cancelled is not None and cancelled():
                        raise ExportCancelled(target)
                    if progress is not None:
                        progress(done, total)
                yield cols.row(record, sections)

        if cancelled is not None and cancelled():
            raise ExportCancelled(target)
        n = write_csv_rows(temp, [c.header for c in cols.columns], rows())
    if progress is not None:
        progress(total, total)
    return ExportResult(target, n, 0, (), time.perf_counter() - started)
