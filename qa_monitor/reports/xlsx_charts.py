"""Native Excel charts (openpyxl.chart) over cells the export wrote: they stay live,
editable and sharp in Excel and LibreOffice, unlike pictures.

Axes are titled with units, scores run 0–100, rates 0–100 %, a legend appears only
when a chart has several series, and series use the Okabe–Ito colours.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.axis import ChartLines
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qa_monitor.reports.xlsx_styles import PALETTE

WIDTH_CM = 18.0
HEIGHT_CM = 8.5


def _style_series(chart: LineChart | BarChart, *, line: bool) -> None:
    for index, series in enumerate(chart.series):
        colour = PALETTE[index % len(PALETTE)]
        if line:
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 28575  # 2.25 pt
            series.marker.symbol = "circle"
            series.marker.size = 5
            series.marker.graphicalProperties = GraphicalProperties(solidFill=colour)
            series.marker.graphicalProperties.line.solidFill = colour
            series.smooth = False
        else:
            series.graphicalProperties = GraphicalProperties(solidFill=colour)
            series.graphicalProperties.line.solidFill = colour


def _axes(chart: LineChart | BarChart, x_title: str, y_title: str, *, rate: bool) -> None:
    chart.x_axis.title = x_title
    chart.y_axis.title = y_title
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1 if rate else 100
    chart.y_axis.majorUnit = 0.2 if rate else 20
    chart.y_axis.number_format = "0%" if rate else "0"
    chart.y_axis.majorGridlines = ChartLines(
        spPr=GraphicalProperties(ln=LineProperties(solidFill="D9D9D9"))
    )
    # openpyxl hides axes unless told otherwise (delete=True by default in 3.1).
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width = WIDTH_CM
    chart.height = HEIGHT_CM


def month_line_chart(
    ws: WriteOnlyWorksheet,
    *,
    title: str,
    month_col: int,
    value_cols: list[int],
    first_row: int,
    last_row: int,
    anchor: str,
    rate: bool,
    y_title: str | None = None,
) -> LineChart:
    """A line per column ``value_cols`` over the months in ``month_col`` (header row just
    above ``first_row``, so series take their names from it); ``y_title`` None: the
    evaluations' axis title."""
    chart = LineChart()
    chart.title = title
    chart.style = 2
    for col in value_cols:
        data = Reference(ws, min_col=col, min_row=first_row - 1, max_row=last_row)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=month_col, min_row=first_row, max_row=last_row))
    default = "Share of evaluations (%)" if rate else "Mean score (%)"
    _axes(chart, "Month", y_title or default, rate=rate)
    chart.x_axis.number_format = "mmm yy"
    chart.x_axis.majorTimeUnit = "months"
    if len(value_cols) == 1:
        chart.legend = None
    else:
        chart.legend.position = "b"
    _style_series(chart, line=True)
    ws.add_chart(chart, anchor)
    return chart


def category_bar_chart(
    ws: WriteOnlyWorksheet,
    *,
    title: str,
    label_col: int,
    value_col: int,
    first_row: int,
    last_row: int,
    anchor: str,
) -> BarChart:
    """Horizontal bars of the mean score per category (0–100), labelled with their values."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.style = 2
    chart.add_data(
        Reference(ws, min_col=value_col, min_row=first_row - 1, max_row=last_row),
        titles_from_data=True,
    )
    chart.set_categories(Reference(ws, min_col=label_col, min_row=first_row, max_row=last_row))
    _axes(chart, "Category", "Mean score (%)", rate=False)
    chart.x_axis.scaling.orientation = "maxMin"  # first category on top, as in the table
    chart.legend = None
    chart.gapWidth = 60
    chart.dataLabels = DataLabelList(
        showVal=True,
        showCatName=False,
        showSerName=False,
        showLegendKey=False,
        showPercent=False,
        numFmt="0.0",
    )
    _style_series(chart, line=False)
    ws.add_chart(chart, anchor)
    return chart
