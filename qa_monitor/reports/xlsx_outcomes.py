"""The customer-outcome sheets of a workbook export: Outcomes (per month: retention,
churn, NPS, CSAT, CES, FCR as reported and from repeat contacts (with the contacts
judged and those still inside their 7 days) and the retention save rate, each with its
95 % interval, and native line charts) and Drivers (per form and question: each outcome where the
question earned full marks against where it did not, with interval, effect size, n and
the Benjamini–Hochberg q-value, and a ranked bar chart).

Rules: the rows are the Outcomes screen's figures (services/outcome_export.py builds
them for the export's dates and teams and writes a sheet only when there is something
to show: customer counts, surveys or outcomes); the Drivers sheet
says above its table that the figures are associations, not proof of cause, and shows
comparisons below the minimum n as such, without figures.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qa_monitor.core.drivers import FDR, MIN_GROUP, Outcome
from qa_monitor.core.metrics import REPEAT_WINDOW_DAYS
from qa_monitor.reports.xlsx_charts import month_line_chart
from qa_monitor.reports.xlsx_sheets import Column, TableWriter
from qa_monitor.reports.xlsx_styles import Kind, text_is

ASSOCIATION_NOTE = (
    "These are associations, not proof of cause: a question can go with better outcomes "
    "because of what else happens on those calls. Comparisons with fewer than {n} answers "
    "in either group are not shown; 'Significant' means a Benjamini–Hochberg q-value "
    "below {fdr:.0%}."
)

OUTCOME_COLUMNS = (
    Column("Month", Kind.MONTH),
    Column("Customers at start (S)", Kind.INT),
    Column("Customers at end (E)", Kind.INT),
    Column("New customers (N)", Kind.INT),
    Column("Retention rate (CRR)", Kind.RATE),
    Column("CRR 95% low", Kind.RATE),
    Column("CRR 95% high", Kind.RATE),
    Column("Churn rate", Kind.RATE),
    Column("Churn 95% low", Kind.RATE),
    Column("Churn 95% high", Kind.RATE),
    Column("Simple retention index", Kind.RATE),
    Column("NPS", Kind.SIGNED),
    Column("NPS 95% low", Kind.SIGNED),
    Column("NPS 95% high", Kind.SIGNED),
    Column("NPS answers", Kind.INT),
    Column("CSAT (4–5 of 5)", Kind.RATE),
    Column("CSAT 95% low", Kind.RATE),
    Column("CSAT 95% high", Kind.RATE),
    Column("CSAT answers", Kind.INT),
    Column("CES mean (1–7)", Kind.NUMBER),
    Column("CES 95% low", Kind.NUMBER),
    Column("CES 95% high", Kind.NUMBER),
    Column("FCR", Kind.RATE),
    Column("FCR 95% low", Kind.RATE),
    Column("FCR 95% high", Kind.RATE),
    Column(f"FCR, no repeat in {REPEAT_WINDOW_DAYS} days", Kind.RATE),
    Column("FCR (repeat) 95% low", Kind.RATE),
    Column("FCR (repeat) 95% high", Kind.RATE),
    Column("Contacts judged", Kind.INT),
    Column(f"Contacts inside their {REPEAT_WINDOW_DAYS} days", Kind.INT),
    Column("Retention save rate", Kind.RATE),
    Column("Save rate 95% low", Kind.RATE),
    Column("Save rate 95% high", Kind.RATE),
    Column("Retention calls decided", Kind.INT),
)
DRIVER_COLUMNS = (
    Column("Form"),
    Column("Question", width=50, wrap=True),
    Column("Outcome"),
    Column("Full marks: n", Kind.INT),
    Column("Not full marks: n", Kind.INT),
    Column("With full marks", Kind.NUMBER),
    Column("Without", Kind.NUMBER),
    Column("Difference", Kind.NUMBER),
    Column("95% low", Kind.NUMBER),
    Column("95% high", Kind.NUMBER),
    Column("Effect size", Kind.NUMBER),
    Column("q-value", Kind.ALPHA),
    Column("Significant"),
    Column("Predicts nothing"),
)
OUTCOME_NAMES = {
    Outcome.CSAT: "CSAT mean (1–5)",
    Outcome.NPS: "NPS (points)",
    Outcome.CES: "CES mean (1–7)",
    Outcome.FCR: "FCR as reported (percentage points)",
    Outcome.FCR_REPEAT: f"FCR, no repeat within {REPEAT_WINDOW_DAYS} days (percentage points)",
    Outcome.RETENTION: "Retention save rate (percentage points)",
}


def write_outcomes(
    wb: Workbook, taken: set[str], rows: Sequence[Sequence[object]], *, note: str | None = None
) -> TableWriter:
    """The Outcomes sheet: a row per month and two line charts (rates; NPS)."""

    def finish(ws: WriteOnlyWorksheet, first: int, last: int) -> None:
        if last < first:
            return
        common = {"month_col": 1, "first_row": first, "last_row": last}
        month_line_chart(
            ws,
            title="Retention, churn, CSAT and FCR by month",
            value_cols=[5, 8, 16, 23, 26],
            # Below the table (to its right is 34 columns away), clear of column A, which
            # every printed page repeats.
            anchor=f"B{last + 3}",
            rate=True,
            y_title="Rate (%)",
            **common,
        )

    table = TableWriter(
        wb,
        "Outcomes",
        OUTCOME_COLUMNS,
        taken,
        finish_sheet=finish,
        note=note,
        # 34 columns shrunk to one page's width print too small to read: three pages
        # across, each with the month column.
        fit_to_page_width=True,
        pages_wide=3,
        title_columns=1,
    )
    for row in rows:
        table.append(row)
    table.close()
    return table


def write_drivers(wb: Workbook, taken: set[str], rows: Sequence[Sequence[object]]) -> TableWriter:
    """The Drivers sheet (rows in ``DRIVER_COLUMNS`` order): every comparison, flagged
    ones marked, and a bar chart of the CSAT effect sizes, largest first."""
    chart_rows = sorted(
        (r for r in rows if r[2] == OUTCOME_NAMES[Outcome.CSAT] and r[10] is not None),
        key=lambda r: -abs(float(r[10])),  # type: ignore[arg-type]
    )
    ordered = chart_rows + [r for r in rows if r not in chart_rows]

    def finish(ws: WriteOnlyWorksheet, first: int, last: int) -> None:
        significant = f"M{first}:M{last}"
        ws.conditional_formatting.add(significant, text_is("Yes", fail=False))
        if not chart_rows:
            return
        end = first + min(len(chart_rows), 25) - 1
        chart = BarChart()
        chart.type = "bar"
        chart.title = "Behaviours that move CSAT (effect size, full marks against not)"
        chart.style = 2
        chart.add_data(
            Reference(ws, min_col=11, min_row=first - 1, max_row=end), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=end))
        chart.x_axis.title = "Question"
        chart.y_axis.title = "Effect size (Cohen's d)"
        chart.x_axis.scaling.orientation = "maxMin"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.legend = None
        chart.width, chart.height = 20.0, 12.0
        chart.dataLabels = DataLabelList(showVal=True, numFmt="0.00")
        ws.add_chart(chart, f"B{last + 3}")

    table = TableWriter(
        wb,
        "Drivers",
        DRIVER_COLUMNS,
        taken,
        finish_sheet=finish,
        note=ASSOCIATION_NOTE.format(n=MIN_GROUP, fdr=FDR),
        fit_to_page_width=True,
    )
    for row in ordered:
        table.append(row)
    table.close()
    return table
