"""The analysis sheets of an export: Agents (per agent and month, with 95 % intervals),
Trend (per month, with native line charts) and Questions (miss rates).

Small samples mislead, so every agent-month carries its t-interval for the mean score
(``core.statistics``' rule) next to the pass rate.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qa_monitor.core.forms import Category
from qa_monitor.core.statistics import t_critical
from qa_monitor.reports.xlsx_charts import month_line_chart
from qa_monitor.reports.xlsx_sheets import EXCEL_MAX_ROWS, Column, TableWriter
from qa_monitor.reports.xlsx_styles import Kind, positive, rate_scale, score_scale

AGENT_COLUMNS = (
    Column("Agent"),
    Column("Team"),
    Column("Month", Kind.MONTH),
    Column("Evaluations", Kind.INT),
    Column("Mean score", Kind.SCORE),
    Column("95% CI low", Kind.SCORE),
    Column("95% CI high", Kind.SCORE),
    Column("Pass rate", Kind.RATE),
)
TREND_COLUMNS = (
    Column("Month", Kind.MONTH),
    Column("Evaluations", Kind.INT),
    Column("Mean score", Kind.SCORE),
    Column("Pass rate", Kind.RATE),
    Column("Critical-failure rate", Kind.RATE),
)
QUESTION_COLUMNS = (
    Column("Form"),
    Column("Section"),
    Column("Category"),
    Column("Question", width=60, wrap=True),
    Column("Critical"),
    Column("Answered", Kind.INT),
    Column("Missed", Kind.INT),
    Column("Miss rate", Kind.RATE),
    Column("Critical failures", Kind.INT),
    Column("Points earned", Kind.RATE),
)
_CRITICAL_WORDS = {"none": "", "section": "Section", "form": "Whole form"}


def month_start(text: str) -> date:
    """'YYYY-MM' as the first day of that month."""
    return date(int(text[:4]), int(text[5:7]), 1)


@lru_cache(maxsize=256)
def _t95(df: int) -> float:
    return t_critical(df, 0.95)


def mean_interval(values: list[float]) -> tuple[float, float | None, float | None]:
    """Mean and its 95 % t-interval (``core.statistics.mean_confidence_interval``'s rule,
    with the t quantile cached: an export computes thousands of them)."""
    n = len(values)
    mean = math.fsum(values) / n
    if n < 2:
        return mean, None, None
    half = _t95(n - 1) * statistics.stdev(values, mean) / math.sqrt(n)
    return mean, mean - half, mean + half


def score_interval(values: list[float]) -> tuple[float, float | None, float | None]:
    """``mean_interval`` shown on the score scale: a score cannot go below 0 or above 100
    (above only with uncapped bonus points), so neither does its interval."""
    mean, low, high = mean_interval(values)
    top = max(100.0, max(values))
    return mean, None if low is None else max(low, 0.0), None if high is None else min(high, top)


def _range(col: int, first: int, last: int) -> str:
    letter = get_column_letter(col)
    return f"{letter}{first}:{letter}{last}"


def agent_rows(scores: Iterable[tuple]) -> Iterator[list[object]]:
    """Agent-month rows from (agent id, agent, team, month, score, passed) grouped rows."""
    key: tuple[int, str] | None = None
    name = team = None
    values: list[float] = []
    passes: list[int] = []

    def row() -> list[object]:
        assert key is not None
        mean, low, high = score_interval(values)
        rate = sum(passes) / len(passes) if passes else None
        return [name, team, month_start(key[1]), len(values), mean, low, high, rate]

    for agent_id, agent, agent_team, month, score, passed in scores:
        if key != (agent_id, month):
            if key is not None:
                yield row()
            key, name, team, values, passes = (agent_id, month), agent, agent_team, [], []
        values.append(score)
        if passed is not None:
            passes.append(passed)
    if key is not None:
        yield row()


def write_agents(
    wb: Workbook,
    taken: set[str],
    rows: Iterable[list[object]],
    max_rows: int = EXCEL_MAX_ROWS,
    *,
    note: str | None = None,
) -> TableWriter:
    def finish(ws: WriteOnlyWorksheet, first: int, last: int) -> None:
        ws.conditional_formatting.add(_range(5, first, last), score_scale())
        ws.conditional_formatting.add(_range(8, first, last), rate_scale())

    table = TableWriter(
        wb,
        "Agents",
        AGENT_COLUMNS,
        taken,
        max_rows=max_rows,
        finish_sheet=finish,
        fit_to_page_width=True,
        note=note,
    )
    for values in rows:
        table.append(values)
    table.close()
    return table


def write_trend(
    wb: Workbook, taken: set[str], months: list[tuple], *, note: str | None = None
) -> TableWriter:
    """Per month: evaluations, mean score, pass rate, critical-failure rate (evaluations
    with a critical failure); two charts."""

    def finish(ws: WriteOnlyWorksheet, first: int, last: int) -> None:
        ws.conditional_formatting.add(_range(3, first, last), score_scale())
        common = {"month_col": 1, "first_row": first, "last_row": last}
        month_line_chart(
            ws, title="Mean score by month", value_cols=[3], anchor="G2", rate=False, **common
        )
        month_line_chart(
            ws,
            title="Pass and critical-failure rates by month",
            value_cols=[4, 5],
            anchor="G20",
            rate=True,
            **common,
        )

    table = TableWriter(
        wb, "Trend", TREND_COLUMNS, taken, finish_sheet=finish, fit_to_page_width=True, note=note
    )
    for month, n, mean, passed, with_pass, critical in months:
        table.append(
            [
                month_start(month),
                n,
                mean,
                passed / with_pass if with_pass else None,
                critical / n if n else None,
            ]
        )
    table.close()
    return table


def write_questions(
    wb: Workbook, taken: set[str], questions: list[tuple], *, note: str | None = None
) -> TableWriter:
    """Per question: how often it was answered below full marks, and its critical
    failures (failing answers while the question was critical: never on a question that
    is not critical)."""

    def finish(ws: WriteOnlyWorksheet, first: int, last: int) -> None:
        ws.conditional_formatting.add(_range(8, first, last), rate_scale(reverse=True))
        ws.conditional_formatting.add(_range(9, first, last), positive(f"I{first}"))

    table = TableWriter(
        wb,
        "Questions",
        QUESTION_COLUMNS,
        taken,
        finish_sheet=finish,
        fit_to_page_width=True,
        note=note,
    )
    for form, section, category, text, n, missed, failing, earned, possible, critical in questions:
        table.append(
            [
                form,
                section,
                Category(category).label,
                text,
                _CRITICAL_WORDS.get(critical, critical),
                n,
                int(missed),
                missed / n if n else None,
                int(failing),
                earned / possible if possible else None,
            ]
        )
    table.close()
    return table
