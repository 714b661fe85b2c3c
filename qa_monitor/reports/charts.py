"""Dashboard charts as matplotlib Figures (never pyplot): shown in the UI's canvas and
saved by exports from the same object.

Rules (UX.md, Charts):
- Every chart has a title and labelled axes with units (score %, count); a legend only
  when it shows several series; dates use ``ConciseDateFormatter`` so ticks never
  overlap; the pass mark is a dashed line; confidence intervals are light bands or
  whiskers.
- A chart whose data is empty says so: "No evaluations match these filters".
- Long labels (question texts, names) are wrapped to two lines and cut with an
  ellipsis, and the figure grows with the number of bars, so labels never overlap.
- Trend points sit in the middle of their period; empty periods leave a gap. Time
  charts span exactly their periods (first start to last end), so two charts of one
  filter side by side share their date range.
- Every builder takes a ``theme`` (``charts_style.LIGHT`` by default) and may be given
  the figure it built last time (``fig``): it then redraws into the same axes.
- Click targets (``charts_style.clickable``): the score line and the count columns
  ("score", "count": index = period; the columns are one ``PolyCollection``), the
  pass and critical-failure lines ("passed", "critical": index = period), the area
  bars ("category": index = ``Category`` order) and the Pareto bars ("pareto":
  index = bar, most missed first).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from qa_monitor.core.forms import Category
from qa_monitor.reports.analytics_agents import LeagueRow
from qa_monitor.reports.analytics_breakdown import SeriesPoint, TrendSeries
from qa_monitor.reports.analytics_filter import Granularity
from qa_monitor.reports.analytics_questions import QuestionMiss
from qa_monitor.reports.analytics_trends import (
    CategoryAverage,
    RatePoint,
    RateTrend,
    ScorePoint,
    ScoreTrend,
)
from qa_monitor.reports.charts_marks import (
    columns,
    label_box,
    pass_mark_label,
    pass_mark_lines,
)
from qa_monitor.reports.charts_style import (
    BAND_ALPHA,
    CATEGORY_COLOURS,
    CATEGORY_LABELS,
    CRITICAL_COLOUR,
    LIGHT,
    NEUTRAL_COLOUR,
    OKABE_ITO,
    PASS_COLOUR,
    ChartTheme,
    chart_style,
    clickable,
    empty_figure,
    finish_axes,
    pin_labels,
    reuse_axes,
    set_margins,
    team_colour,
    text_inches,
    tick_chars,
    wrap_label,
)

_PERIOD_WORD = {
    Granularity.DAY: "day",
    Granularity.WEEK: "week",
    Granularity.MONTH: "month",
    Granularity.QUARTER: "quarter",
    Granularity.YEAR: "year",
}
NAN = math.nan


def _middle(start: date, end: date) -> date:
    return start + timedelta(days=(end - start).days / 2)


def _x_of(points: Sequence[ScorePoint | RatePoint]) -> list[float]:
    """Each period's middle as a matplotlib date number (floats keep the axes typed)."""
    return [float(mdates.date2num(_middle(p.start, p.end))) for p in points]


def _width_days(points: Sequence[tuple[date, date]]) -> float:
    """Bar width: 80% of the shortest full period."""
    spans = [(end - start).days + 1 for start, end in points] or [1]
    return max(0.6, 0.8 * sorted(spans)[len(spans) // 2])


def _period_range(ax: Axes, points: Sequence[ScorePoint | RatePoint | SeriesPoint]) -> None:
    """The x range from the first period's start to the last one's end: the same for
    every time chart of one filter, so charts side by side line up by date."""
    if points:
        first = float(mdates.date2num(points[0].start))
        last = float(mdates.date2num(points[-1].end + timedelta(days=1)))
        ax.set_xlim(first, last)


def _date_axis(ax: Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _two_rows(ratios: tuple[float, float]) -> Callable[[Figure], Sequence[Axes]]:
    return lambda fig: fig.subplots(2, 1, sharex=True, height_ratios=ratios)


def score_trend_figure(
    trend: ScoreTrend, *, theme: ChartTheme = LIGHT, fig: Figure | None = None
) -> Figure:
    """Mean score per period with its 95% band, the pass mark(s) and, below, the count
    of scored evaluations per period."""
    title = f"Mean score per {_PERIOD_WORD[trend.granularity]}"
    if trend.n == 0:
        return empty_figure(title, theme=theme, fig=fig)
    with chart_style(theme):
        fig, (top, bottom) = reuse_axes(fig, "score", theme, _two_rows((3, 1)))
        points = trend.points
        x = _x_of(points)
        mean = [NAN if p.mean is None else p.mean for p in points]
        low = [NAN if p.low is None else p.low for p in points]
        high = [NAN if p.high is None else p.high for p in points]
        top.fill_between(x, low, high, color=theme.score, alpha=BAND_ALPHA, linewidth=0)
        line = top.plot(x, mean, color=theme.score, marker="o", markersize=3.5, linewidth=1.8)
        clickable(line, "score")
        forms = dict(trend.pass_mark_forms)
        pass_mark_lines(top, trend.pass_marks, theme=theme, forms=forms, outside=True)
        values = [v for v in [*low, *high, *mean, *trend.pass_marks] if not math.isnan(v)]
        top.set_ylim(max(0.0, min(values) - 3), max(values) + 3)
        top.set_title(f"{title} (band: 95% confidence interval)")
        top.set_ylabel("Mean score (%)")
        counts = [p.n for p in points]
        bars = columns(bottom, x, counts, _width_days([(p.start, p.end) for p in points]))
        bars.set_color(theme.count)
        clickable([bars], "count")
        bottom.set_ylim(0, max(counts) * 1.08 or 1)
        bottom.set_ylabel("Evaluations\n(count)")
        bottom.set_xlabel("Interaction date")
        _date_axis(bottom)
        _period_range(bottom, points)
        finish_axes(top)
        finish_axes(bottom)
        pin_labels(top)
        pin_labels(bottom, y_tick_chars=tick_chars(max(p.n for p in points) * 1.05))
        set_margins(fig, left=0.9, bottom=0.75, hspace=0.12, right=_score_right(trend))
    return fig


def _score_right(trend: ScoreTrend) -> float:
    """The score trend's right margin: room for its pass-mark labels."""
    forms = dict(trend.pass_mark_forms)
    return _marks_width({m: forms.get(m, ()) for m in trend.pass_marks})


def _marks_width(forms: dict[float, tuple[str, ...]]) -> float:
    """The right margin (inches) for pass-mark labels beside the axes."""
    return max(
        (
            text_inches(pass_mark_label(m, names, outside=True), 8) + 0.2
            for m, names in forms.items()
        ),
        default=0.25,
    )


def rate_trend_figure(
    trend: RateTrend,
    *,
    theme: ChartTheme = LIGHT,
    fig: Figure | None = None,
    beside: ScoreTrend | None = None,
) -> Figure:
    """Pass rate (top) and critical-failure rate (bottom) per period, as % of
    evaluations, each with its 95% Wilson band. ``beside``: the score trend shown next
    to it, whose right margin (its pass-mark labels) it takes, so the two date axes line
    up to the pixel."""
    word = _PERIOD_WORD[trend.granularity]
    if not any(p.n for p in trend.points):
        return empty_figure(f"Pass and critical-failure rates per {word}", theme=theme, fig=fig)
    with chart_style(theme):
        fig, (top, bottom) = reuse_axes(fig, "rates", theme, _two_rows((1, 1)))
        x = _x_of(trend.points)
        for ax, attr, colour, label in (
            (top, "passed", PASS_COLOUR, "Pass rate"),
            (bottom, "critical", CRITICAL_COLOUR, "Critical-failure rate"),
        ):
            props = [getattr(p, attr) for p in trend.points]
            rate = [NAN if q is None else q.rate * 100 for q in props]
            low = [NAN if q is None else q.low * 100 for q in props]
            high = [NAN if q is None else q.high * 100 for q in props]
            ax.fill_between(x, low, high, color=colour, alpha=BAND_ALPHA, linewidth=0)
            line = ax.plot(x, rate, color=colour, marker="o", markersize=3.5, linewidth=1.8)
            clickable(line, attr)
            ax.set_ylabel("Evaluations (%)")
            whole = getattr(trend, attr)
            overall = "" if whole is None else f" — {whole.rate * 100:.1f}% overall"
            ax.set_title(f"{label} per {word}{overall}", fontsize=10.5)
            values = [v for v in high if not math.isnan(v)]
            ax.set_ylim(0, min(100.0, max(values, default=10.0) * 1.1 + 1))
            finish_axes(ax)
        bottom.set_xlabel("Interaction date")
        _date_axis(bottom)
        _period_range(bottom, trend.points)
        pin_labels(top)
        pin_labels(bottom)
        right = 0.25 if beside is None else _score_right(beside)
        set_margins(fig, left=0.9, bottom=0.75, hspace=0.45, right=right)
    return fig


def category_figure(
    categories: Sequence[CategoryAverage],
    pass_marks: Sequence[float] = (),
    *,
    theme: ChartTheme = LIGHT,
    fig: Figure | None = None,
    pass_mark_forms: Sequence[tuple[float, Sequence[str]]] = (),
) -> Figure:
    """Points earned as % of possible in each of the four areas (after critical
    failures), with the number of section scores behind each bar, and the pass mark(s)
    as the target line."""
    title = "Score by area"
    if not any(c.average.n for c in categories):
        return empty_figure(title, theme=theme, fig=fig)
    with chart_style(theme):
        fig, (ax,) = reuse_axes(fig, "category", theme, lambda f: [f.add_subplot()], height=3.6)
        # Two short lines each, so four labels fit a narrow chart side by side.
        labels = [wrap_label(CATEGORY_LABELS[c.category], 12) for c in categories]
        values = [c.average.percent or 0.0 for c in categories]
        # Numbers, not the labels, on x: a categorical axis would keep old labels on reuse.
        bars = ax.bar(
            range(len(categories)),
            values,
            color=[CATEGORY_COLOURS[c.category] for c in categories],
            width=0.6,
        )
        clickable(bars, "category", indexed=True)
        ax.set_xticks(range(len(categories)), labels)
        ax.set_xlim(-0.6, len(categories) - 0.4)
        for bar, item in zip(bars, categories, strict=True):
            text = (
                "no data"
                if item.average.percent is None
                else f"{item.average.percent:.1f}%\nn = {item.average.n:,}"
            )
            ax.annotate(
                text,
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8.5,
                bbox=label_box(theme),  # a pass-mark line passes behind, not through
                zorder=3,
            )
        forms = dict(pass_mark_forms)
        pass_mark_lines(ax, pass_marks, outside=True, theme=theme, forms=forms)
        ax.set_ylim(0, 112)
        ax.set_ylabel("Points earned (% of possible)")
        ax.set_title(title)
        finish_axes(ax)
        pin_labels(ax)
        labelled = {m: tuple(forms.get(m, ())) for m in pass_marks}
        set_margins(fig, left=0.8, bottom=0.6, right=_marks_width(labelled))
    return fig


SERIES_COLOURS = ("blue", "orange", "bluish_green", "reddish_purple", "vermillion", "sky_blue")


def breakdown_trend_figure(
    series: Sequence[TrendSeries],
    title: str,
    ylabel: str,
    granularity: Granularity,
    *,
    theme: ChartTheme = LIGHT,
    fig: Figure | None = None,
) -> Figure:
    """One line per section or question (``analytics_breakdown``) over the periods of
    the score trend, with the legend below the axes (one entry a line, wording cut to
    one line; the full wording is in the tables)."""
    full_title = f"{title} per {_PERIOD_WORD[granularity]}"
    if not series or not any(p.value is not None for s in series for p in s.points):
        return empty_figure(full_title, theme=theme, fig=fig)
    legend_height = 0.2 * len(series) + 0.1
    bottom_margin = 0.75 + legend_height
    with chart_style(theme):
        fig, (ax,) = reuse_axes(
            fig,
            f"breakdown-{len(series)}",
            theme,
            lambda f: [f.add_subplot()],
            height=3.0 + legend_height,
        )
        for old in list(fig.legends):
            old.remove()
        handles = []
        for i, item in enumerate(series):
            points = item.points
            x = [float(mdates.date2num(_middle(p.start, p.end))) for p in points]
            y = [NAN if p.value is None else p.value for p in points]
            (line,) = ax.plot(
                x,
                y,
                color=OKABE_ITO[SERIES_COLOURS[i % len(SERIES_COLOURS)]],
                marker="o",
                markersize=3,
                linewidth=1.5,
                label=wrap_label(item.label, 70, 1),
            )
            handles.append(line)
        values = [p.value for s in series for p in s.points if p.value is not None]
        ax.set_ylim(max(0.0, min(values) - 5), min(100.0, max(values) + 5))
        ax.set_ylabel(ylabel)
        ax.set_xlabel("Interaction date")
        ax.set_title(full_title)
        _date_axis(ax)
        _period_range(ax, series[0].points)
        fig.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0.02, 0.0),
            ncols=1,
            fontsize=8,
            frameon=False,
            handlelength=1.6,
        )
        finish_axes(ax)
        pin_labels(ax)
        set_margins(fig, left=0.8, bottom=bottom_margin, right=0.3)
    return fig


def pareto_label(q: QuestionMiss, texts: Sequence[str]) -> str:
    """A Pareto bar's label: the question's wording, with its form's title on a line of
    its own when another form asks a question worded the same (never an id)."""
    label = wrap_label(q.text)
    if texts.count(q.text) > 1 and q.form_title:
        label += "\n" + wrap_label(f"({q.form_title})", 42, 1)
    return label


def pareto_figure(
    questions: Sequence[QuestionMiss],
    top: int = 10,
    *,
    theme: ChartTheme = LIGHT,
    fig: Figure | None = None,
) -> Figure:
    """The ``top`` most missed questions as horizontal bars of their misses (most first,
    the order of the bars' length), coloured by area and labelled with the count they
    are sorted by and the miss rate; a line on the top axis gives the cumulative share
    of all misses (the Pareto line). The area legend sits below the chart, off the
    bars."""
    title = "Most missed behaviours"
    shown = sorted((q for q in questions if q.missed), key=lambda q: -q.missed)[:top]
    if not shown:
        return empty_figure(title, theme=theme, fig=fig)
    texts = [q.text for q in shown]
    labels = [pareto_label(q, texts) for q in shown]
    present = [c for c in Category if any(q.category is c for q in shown)]
    legend_rows = 1 if len(present) > 1 else 0
    lines = sum(label.count("\n") + 1 for label in labels)
    bottom_margin = 0.85 + 0.3 * legend_rows
    height = max(2.8, 1.0 + bottom_margin + 0.24 * lines + 0.12 * len(shown))
    with chart_style(theme):
        fig, (ax, share_ax) = reuse_axes(
            fig, "pareto", theme, lambda f: _with_top_axis(f.add_subplot()), height=height
        )
        for old in list(fig.legends):
            old.remove()
        y = list(range(len(shown)))
        colours = [CATEGORY_COLOURS.get(q.category, NEUTRAL_COLOUR) for q in shown]  # type: ignore[arg-type]
        bars = ax.barh(y, [q.missed for q in shown], color=colours, height=0.65)
        clickable(bars, "pareto", indexed=True)
        ax.set_yticks(y, labels)
        ax.set_ylim(len(shown) - 0.5, -0.5)  # the most missed on top
        most = max(q.missed for q in shown)
        for i, q in enumerate(shown):
            rate = q.missed / q.answered * 100 if q.answered else 0.0
            ax.annotate(
                f"{q.missed:,} ({rate:.0f}% of {q.answered:,})",
                (q.missed, i),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                bbox=label_box(theme),  # the cumulative line passes behind, not through
                zorder=4,
            )
        ax.set_xlim(0, most * 1.45)  # room for the labels beside the bars
        ax.set_xlabel("Times missed\n(scored answers below full marks)")
        ax.set_title(title, pad=30)
        # The line is drawn on the bars' axes (over the bars, under their labels), in
        # counts scaled so that 100% of all misses falls where the top axis says 100.
        reach = most * 1.45
        to_count = reach / 145.0
        cumulative = [q.cumulative_share * 100 for q in shown]
        ax.plot(
            [c * to_count for c in cumulative],
            y,
            color=theme.text,
            marker="o",
            markersize=3.5,
            linewidth=1.2,
            zorder=3,
        )
        share_ax.set_xlim(0, 145.0)
        share_ax.set_xticks([0, 25, 50, 75, 100])
        share_ax.set_xlabel("Cumulative share of all misses (%)", fontsize=8.5, labelpad=2)
        share_ax.tick_params(axis="x", labelsize=8)
        if legend_rows:
            fig.legend(
                handles=[
                    Patch(color=CATEGORY_COLOURS[c], label=CATEGORY_LABELS[c]) for c in present
                ],
                loc="lower center",
                bbox_to_anchor=(0.5, 0.0),
                ncols=len(present),
                fontsize=8,
                frameon=False,
                handlelength=1.2,
                columnspacing=1.0,
            )
        finish_axes(ax, grid_axis="x")
        pin_labels(ax)
        set_margins(
            fig,
            left=max(text_inches(t) for t in labels) + 0.3,
            right=0.3,
            top=1.0,
            bottom=bottom_margin,
        )
    return fig


def _with_top_axis(ax: Axes) -> list[Axes]:
    """``ax`` and a twin sharing its y (bars) with its own x axis on top (the
    cumulative share)."""
    twin = ax.twiny()
    twin.grid(False)
    for side in ("right", "bottom", "left"):
        twin.spines[side].set_visible(False)
    twin.spines["top"].set_visible(True)
    # Clicks land on the bars' axes, drawn over the twin (which only has the ticks).
    twin.set_zorder(ax.get_zorder())
    ax.set_zorder(twin.get_zorder() + 1)
    ax.patch.set_visible(False)
    twin.patch.set_visible(True)
    return [ax, twin]


def league_figure(
    rows: Sequence[LeagueRow],
    pass_marks: Sequence[float] = (),
    limit: int = 20,
    *,
    theme: ChartTheme = LIGHT,
    fig: Figure | None = None,
) -> Figure:
    """Agents' mean scores as dots with 95% interval whiskers, coloured by team; the
    first ``limit`` rows (the caller orders them)."""
    scored = [r for r in rows if r.mean is not None]
    title = "Agents: mean score with 95% interval"
    if not scored:
        return empty_figure(title, theme=theme, fig=fig)
    shown = scored[:limit]
    if len(scored) > len(shown):
        title += f" (first {len(shown)} of {len(scored)})"
    height = max(2.8, 1.0 + 0.28 * len(shown))
    with chart_style(theme):
        fig, (ax,) = reuse_axes(fig, "league", theme, lambda f: [f.add_subplot()], height=height)
        for i, row in enumerate(shown):
            colour = team_colour(row.team_id)
            mean = row.mean if row.mean is not None else NAN
            right = mean if row.high is None else row.high
            if row.low is not None and row.high is not None:
                ax.plot([row.low, row.high], [i, i], color=colour, linewidth=1.6, alpha=0.55)
            ax.plot([mean], [i], "o", color=colour, markersize=5.5)
            # The count sits beside the whisker, not in the name: a right-to-left name
            # would otherwise pull it to the wrong side.
            ax.annotate(
                f"n={row.n}",
                (right, i),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=7.5,
                color=theme.muted,
            )
        ax.set_yticks(range(len(shown)), [wrap_label(r.name, 28, 1) for r in shown])
        ax.set_ylim(len(shown) - 0.5, -0.5)  # the first row on top
        pass_mark_lines(ax, pass_marks, vertical=True, theme=theme)
        lows = [r.low if r.low is not None else r.mean for r in shown]
        highs = [r.high if r.high is not None else r.mean for r in shown]
        span = [v for v in [*lows, *highs, *pass_marks] if v is not None]
        ax.set_xlim(max(0.0, min(span) - 3), max(span) + 4)
        ax.set_xlabel("Mean score (%)")
        ax.set_title(title)
        teams: dict[int | None, str] = {}
        for row in shown:
            teams.setdefault(row.team_id, row.team_name or "No team")
        legend_width = 0.0
        if 1 < len(teams) <= 8:
            legend_width = max(text_inches(name, 8) for name in teams.values()) + 0.5
            handles = [
                Line2D([], [], marker="o", linestyle="", color=team_colour(t), label=name)
                for t, name in teams.items()
            ]
            ax.legend(
                handles=handles,
                loc="upper left",
                bbox_to_anchor=(1.01, 1.0),
                fontsize=8,
                title="Team",
                title_fontsize=8.5,
            )
        finish_axes(ax, grid_axis="x")
        left = max(text_inches(wrap_label(r.name, 28, 1)) for r in shown) + 0.3
        set_margins(fig, left=left, right=0.3 + legend_width)
    return fig
