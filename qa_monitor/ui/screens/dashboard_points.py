"""What a clickable chart point or bar of the dashboard is: its tooltip and its period.

Keys and indexes are those of ``reports.charts`` (``clickable``): "score", "count",
"passed", "critical" (index = trend period), "category" (index = area, in ``Category``
order), "pareto" (index = bar, most missed first).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QLocale

from qa_monitor.reports.analytics import Dashboard, QuestionMiss
from qa_monitor.reports.charts_style import CATEGORY_LABELS
from qa_monitor.ui.date_texts import date_text

LRM = "\u200e"  # keeps numbers left-to-right inside right-to-left text
TREND_KEYS = ("score", "count", "passed", "critical")


def tr(text: str) -> str:
    return QCoreApplication.translate("DashboardScreen", text)


def _num(locale: QLocale, value: float) -> str:
    return LRM + locale.toString(float(value), "f", 1)


def period_text(locale: QLocale, start: date, end: date) -> str:
    """ "12/03/2026" for a day, else "12/03/2026 – 18/03/2026" (the locale's dates)."""
    first = date_text(start, locale)
    if start == end:
        return first
    return f"{LRM}{first} – {date_text(end, locale)}"


def trend_period(d: Dashboard, key: str, index: int) -> tuple[date, date] | None:
    """The period of a trend point or count bar (None for other keys or a bad index)."""
    points = d.score.points if key in ("score", "count") else d.rates.points
    if key not in TREND_KEYS or not 0 <= index < len(points):
        return None
    point = points[index]
    return point.start, point.end


def pareto_bars(d: Dashboard, top: int) -> list[QuestionMiss]:
    return [q for q in d.questions if q.missed][:top]


def describe(d: Dashboard, key: str, index: int, top: int, locale: QLocale | None = None) -> str:
    """The tooltip of a chart target: what it is, its numbers and what a click does."""
    loc = locale or QLocale()
    period = trend_period(d, key, index)
    if key in ("score", "count") and period:
        p = d.score.points[index]
        lines = [period_text(loc, *period)]
        if p.mean is not None:
            lines.append(tr("Mean score {0}%").format(_num(loc, p.mean)))
        if p.low is not None and p.high is not None:
            lines.append(tr("95% interval {0}–{1}%").format(_num(loc, p.low), _num(loc, p.high)))
        lines.append(tr("n = {0} evaluations").format(loc.toString(p.n)))
        lines.append(tr("Click to list these evaluations"))
        return "\n".join(lines)
    if key in ("passed", "critical") and period:
        r = d.rates.points[index]
        prop = r.passed if key == "passed" else r.critical
        lines = [period_text(loc, *period)]
        if prop is not None:
            what = tr("Pass rate") if key == "passed" else tr("Critical failures")
            lines.append(
                tr("{0} {1}% ({2} of {3})").format(
                    what, _num(loc, prop.rate * 100), loc.toString(prop.successes),
                    loc.toString(prop.n),
                )
            )  # fmt: skip
        lines.append(
            tr("Click to list these evaluations")
            if key == "passed"
            else tr("Click to list the evaluations with a critical failure")
        )
        return "\n".join(lines)
    if key == "category" and 0 <= index < len(d.categories):
        item = d.categories[index]
        name = tr(CATEGORY_LABELS[item.category])
        if item.average.percent is None:
            return tr("{0}: no data").format(name)
        return "\n".join(
            [
                tr("{0}: {1}% of possible points").format(name, _num(loc, item.average.percent)),
                tr("n = {0} section scores").format(loc.toString(item.average.n)),
                tr("Click to list the evaluations that lost points here"),
            ]
        )
    bars = pareto_bars(d, top)
    if key == "pareto" and 0 <= index < len(bars):
        q = bars[index]
        rate = q.missed / q.answered * 100 if q.answered else 0.0
        return "\n".join(
            [
                q.text,
                *([tr("Form: {0}").format(q.form_title)] if q.form_title else []),
                tr("Missed {0} of {1} times ({2}%)").format(
                    loc.toString(q.missed), loc.toString(q.answered), _num(loc, rate)
                ),
                tr("Click to list these evaluations"),
            ]
        )
    return ""
