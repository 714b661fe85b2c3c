"""Exporting evaluations to an Excel workbook that opens looking finished.

Sheets: Summary (filters in words, who and when, key figures, score by category with
a bar chart), Evaluations (one row per evaluation), Answers (one row per answer;
optional, it is ~30× longer), Agents (per agent and month with 95 % intervals), Trend
(per month, with line charts) and Questions (miss rates and critical failures).

Which evaluations: those the filter selects, narrowed by a ``CountingRule`` (by default
the dashboard's: regular evaluations that were submitted); the Summary and the line
above every table say which kinds and statuses that is.

Rules: rows are streamed from SQL into write-only sheets (memory stays flat however
many evaluations); a table longer than a sheet continues on "Name (2)", ...; text
that Excel would read as a formula is written as text; the file is written under a
temporary name and moved into place at the end, so an error or a cancel leaves no
partial file (``ExportError`` says which file and what to do).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qa_monitor import __version__
from qa_monitor.core.forms import Category
from qa_monitor.core.records import EvaluationFilter
from qa_monitor.reports.atomic_file import ExportCancelled, ExportError, atomic_output
from qa_monitor.reports.counting_rule import CountingRule, counted_sentence
from qa_monitor.reports.export_columns import RESULT_COLUMN, EvaluationColumns
from qa_monitor.reports.xlsx_answers import (
    ANSWER_COLUMNS,
    ANSWER_FAIL_COLUMN,
    AnswerRows,
)
from qa_monitor.reports.xlsx_sheets import (
    EXCEL_MAX_ROWS,
    FinishSheet,
    TableWriter,
    discard_workbook,
    new_sheet,
    save_workbook,
)
from qa_monitor.reports.xlsx_styles import not_blank, score_scale, text_is
from qa_monitor.reports.xlsx_summary import (
    CategoryMean,
    SummaryInfo,
    describe_filter,
    write_summary,
)
from qa_monitor.reports.xlsx_tables import agent_rows, write_agents, write_questions, write_trend
from qa_monitor.storage import export_queries as q
from qa_monitor.storage.database import Database
from qa_monitor.storage.export_questions import question_misses

__all__ = ["ExportCancelled", "ExportError", "ExportResult", "export_workbook", "resolve_db"]

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
_CHECK_EVERY = 500


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    evaluations: int
    answers: int
    sheets: tuple[str, ...]
    seconds: float


def resolve_db(services_or_db: object) -> Database:
    """The database of a ``Services`` (its ``db``) or the ``Database`` itself."""
    db = getattr(services_or_db, "db", services_or_db)
    if not isinstance(db, Database):
        raise TypeError("give a Services or an open Database")
    return db


class _Work:
    """Progress and cancel checks shared by the export's steps."""

    def __init__(
        self, path: Path, total: int, progress: Progress | None, cancelled: Cancelled | None
    ):
        self.path = path
        self.total = max(total, 1)
        self.done = 0
        self._next = _CHECK_EVERY
        self.progress = progress
        self.cancelled = cancelled

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.done >= self._next:
            self._next = self.done + _CHECK_EVERY
            self.check()

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled(self.path)
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)


def _evaluation_formats(cols: EvaluationColumns) -> FinishSheet:
    score_cols = [*cols.score_columns, *range(cols.first_section, cols.causes_column)]

    def finish(ws: WriteOnlyWorksheet, first: int, last: int) -> None:
        for index in score_cols:
            letter = get_column_letter(index + 1)
            ws.conditional_formatting.add(f"{letter}{first}:{letter}{last}", score_scale())
        result = get_column_letter(RESULT_COLUMN + 1)
        cells = f"{result}{first}:{result}{last}"
        ws.conditional_formatting.add(cells, text_is("Fail", fail=True))
        ws.conditional_formatting.add(cells, text_is("Pass", fail=False))
        causes = get_column_letter(cols.causes_column + 1)
        ws.conditional_formatting.add(
            f"{causes}{first}:{causes}{last}", not_blank(f"{causes}{first}")
        )

    return finish


def _answer_formats(ws: WriteOnlyWorksheet, first: int, last: int) -> None:
    fail = get_column_letter(ANSWER_FAIL_COLUMN + 1)
    ws.conditional_formatting.add(f"{fail}{first}:{fail}{last}", not_blank(f"{fail}{first}"))


def _write_evaluations(
    db: Database,
    flt: EvaluationFilter,
    table: TableWriter,
    cols: EvaluationColumns,
    work: _Work,
) -> list[CategoryMean]:
    first = cols.first_category
    count = len(cols.layout.categories)
    sums = [0.0] * count
    ns = [0] * count
    for record, sections in q.evaluation_records(db, flt):
        values = cols.row(record, sections)
        table.append(values)
        for i in range(count):
            value = values[first + i]
            if value is not None:
                sums[i] += value  # type: ignore[operator]
                ns[i] += 1
        work.step()
    table.close()
    return [
        CategoryMean(Category(c).label, sums[i] / ns[i], ns[i])
        for i, c in enumerate(cols.layout.categories)
        if ns[i]
    ]


def export_workbook(
    services_or_db: object,
    flt: EvaluationFilter,
    path: str | Path,
    *,
    generated_by: str,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    include_answers: bool = True,
    max_rows: int = EXCEL_MAX_ROWS,
    title: str = "QA evaluations",
    now: datetime | None = None,
    rule: CountingRule | None = None,
    extra_sheets: Callable[[Workbook, set[str]], None] | None = None,
) -> ExportResult:
    """Write the evaluations ``flt`` selects, narrowed by ``rule`` (None: the default
    ``CountingRule``, the dashboard's), to ``path`` (see the module docstring).

    ``progress(done, total)`` is called now and then (rows written of rows to write);
    ``cancelled()`` returning True stops the export with ExportCancelled and no file.
    ``max_rows`` (rows per sheet, header included) exists for tests of the overflow.
    ``extra_sheets(workbook, taken sheet names)`` adds sheets after Questions (the
    customer-outcome sheets: services/outcome_export.py).
    Raises ExportError when the target cannot be written.
    """
    started = time.perf_counter()
    db = resolve_db(services_or_db)
    flt = (rule or CountingRule()).apply(flt)
    note = counted_sentence(flt)
    target = Path(path).expanduser().absolute()
    if target.suffix.lower() != ".xlsx":
        raise ExportError(f"'{target}' does not end in .xlsx; Excel would refuse to open it.")
    with atomic_output(target) as temp:
        zone = q.centre_timezone(db)
        layout = q.export_layout(db, flt)
        n_evaluations = q.count_evaluations(db, flt)
        n_answers = q.count_answers(db, flt) if include_answers else 0
        work = _Work(target, n_evaluations + n_answers, progress, cancelled)
        work.check()
        wb = Workbook(write_only=True)
        try:
            taken: set[str] = set()
            summary = new_sheet(wb, "Summary", taken)
            cols = EvaluationColumns(layout, zone)
            table = TableWriter(
                wb,
                "Evaluations",
                cols.columns,
                taken,
                max_rows=max_rows,
                finish_sheet=_evaluation_formats(cols),
                note=note,
            )
            table.reserve()
            categories = _write_evaluations(db, flt, table, cols, work)
            if include_answers:
                answers = TableWriter(
                    wb,
                    "Answers",
                    ANSWER_COLUMNS,
                    taken,
                    max_rows=max_rows,
                    finish_sheet=_answer_formats,
                    note=note,
                )
                builder = AnswerRows(layout)
                for group in q.answer_groups(db, flt):
                    for answer in group:
                        answers.append(builder.row(answer))
                    work.step(len(group))
                answers.close()
            scores = agent_rows(q.agent_month_scores(db, flt))
            write_agents(wb, taken, scores, max_rows, note=note)
            write_trend(wb, taken, q.monthly_trend(db, flt), note=note)
            work.check()
            write_questions(wb, taken, question_misses(db, flt), note=note)
            if extra_sheets is not None:
                extra_sheets(wb, taken)
                work.check()
            moment = (now or datetime.now(UTC)).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
            write_summary(
                summary,
                SummaryInfo(
                    title=title,
                    generated_at=moment,
                    generated_by=generated_by,
                    timezone=zone,
                    filters=describe_filter(db, flt),
                    totals=q.totals(db, flt),
                    categories=categories,
                    notes=(note, f"QA Monitor {__version__}"),
                ),
            )
            work.check()
            save_workbook(wb, temp)
        except BaseException:
            discard_workbook(wb)
            raise
        sheets = tuple(ws.title for ws in wb.worksheets)
    if progress is not None:
        progress(work.total, work.total)
    return ExportResult(target, n_evaluations, n_answers, sheets, time.perf_counter() - started)
