"""The Summary sheet: what was exported (filters in words), when and by whom, the key
figures, and the score by category with its chart.

Rates are written as numbers 0..1 with a percent format, scores as numbers with one
decimal, so they can be reused in formulas.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from openpyxl.styles import Alignment
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qa_monitor.core.metrics import csat, customer_effort_score, net_promoter_score
from qa_monitor.core.records import EvaluationFilter
from qa_monitor.reports.xlsx_charts import category_bar_chart
from qa_monitor.reports.xlsx_sheets import cover_page, header_row, safe_cell, value_cell
from qa_monitor.reports.xlsx_styles import (
    LABEL_FONT,
    NOTE_FONT,
    SUBTITLE_FONT,
    TITLE_FONT,
    Kind,
)
from qa_monitor.storage.database import Database
from qa_monitor.storage.export_queries import Totals, form_titles
from qa_monitor.storage.people_repo import PeopleRepo

INDENT = Alignment(indent=1)


@dataclass(frozen=True, slots=True)
class CategoryMean:
    label: str
    mean: float
    n: int


@dataclass(frozen=True, slots=True)
class SummaryInfo:
    title: str
    generated_at: datetime  # naive, centre's local time
    generated_by: str
    timezone: str
    filters: Sequence[tuple[str, str]]
    totals: Totals
    categories: Sequence[CategoryMean]
    notes: Sequence[str] = ()


def _names(items: Iterable[tuple[int, str]], ids: tuple[int, ...]) -> str:
    known = dict(items)
    return ", ".join(known.get(i, f"#{i}") for i in ids)


def describe_filter(db: Database, flt: EvaluationFilter) -> list[tuple[str, str]]:
    """The filter as (label, words) lines; "All" where a filter is not set."""
    people = PeopleRepo(db)
    if flt.date_from and flt.date_to:
        dates = f"{flt.date_from.isoformat()} to {flt.date_to.isoformat()}"
    elif flt.date_from:
        dates = f"from {flt.date_from.isoformat()}"
    elif flt.date_to:
        dates = f"up to {flt.date_to.isoformat()}"
    else:
        dates = "All dates"
    forms = form_titles(db)
    lines = [("Interaction dates", dates)]
    if flt.team_ids:
        teams = [(t.id, t.name) for t in people.list_teams()]
        lines.append(("Teams", _names(teams, flt.team_ids)))
    if flt.agent_ids:
        agents = [(a.id, a.name) for a in people.list_agents()]
        lines.append(("Agents", _names(agents, flt.agent_ids)))
    if flt.reviewer_ids:
        reviewers = [(r.id, r.name) for r in people.list_reviewers()]
        lines.append(("Reviewers", _names(reviewers, flt.reviewer_ids)))
    if flt.form_ids:
        lines.append(("Forms", ", ".join(forms.get(f, f) for f in flt.form_ids)))
    if flt.form_version_ids:
        lines.append(("Form versions", ", ".join(f"#{v}" for v in flt.form_version_ids)))
    for label, values in (
        ("Statuses", flt.statuses),
        ("Kinds", flt.kinds),
        ("Channels", flt.channels),
    ):
        if values:
            lines.append((label, ", ".join(v.value.replace("_", " ") for v in values)))
    if flt.score_min is not None or flt.score_max is not None:
        low = "0" if flt.score_min is None else f"{flt.score_min:g}"
        high = "100" if flt.score_max is None else f"{flt.score_max:g}"
        lines.append(("Score", f"{low} to {high}"))
    if flt.critical_failed is not None:
        lines.append(("Critical failure", "only failed" if flt.critical_failed else "none"))
    if flt.search.strip():
        lines.append(("Search", flt.search.strip()))
    for label in ("Teams", "Agents", "Forms"):
        if not any(line[0] == label for line in lines):
            lines.append((label, "All"))
    return lines


def _counts(tally: tuple[tuple[int, int], ...]) -> Iterable[int]:
    return itertools.chain.from_iterable(itertools.repeat(v, n) for v, n in tally)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def key_figures(t: Totals) -> list[tuple[str, object, Kind, str]]:
    """(label, value, kind, note) lines; survey lines only where answers exist."""
    figures: list[tuple[str, object, Kind, str]] = [
        ("Evaluations", t.n, Kind.INT, "in the filter, of the kinds and statuses counted"),
        ("Scored evaluations", t.scored, Kind.INT, "submitted; the figures below use these"),
        ("Mean score", t.mean, Kind.SCORE, "0–100"),
        ("Pass rate", _rate(t.passed, t.with_pass), Kind.RATE, "a critical failure is a fail"),
        (
            "Critical-failure rate",
            _rate(t.critical, t.scored),
            Kind.RATE,
            "scored evaluations with a failing answer on a critical question",
        ),
    ]
    c = csat(_counts(t.csat))
    if c.n:
        figures.append(
            (
                "CSAT",
                c.percent / 100 if c.percent is not None else None,
                Kind.RATE,
                f"share of 4–5 answers; {c.n:,} surveys",
            )
        )
    nps = net_promoter_score(_counts(t.nps))
    if nps.n:
        figures.append(("NPS", nps.nps, Kind.SCORE, f"−100 to 100; {nps.n:,} answers"))
    ces = customer_effort_score(_counts(t.ces))
    if ces.n and ces.easy_percent is not None:
        figures.append(("CES (mean)", ces.mean, Kind.NUMBER, f"1–7; {ces.n:,} answers"))
        figures.append(("CES easy (5–7)", ces.easy_percent / 100, Kind.RATE, ""))
    if t.with_resolved:
        figures.append(
            (
                "First-contact resolution",
                _rate(t.resolved, t.with_resolved),
                Kind.RATE,
                f"{t.with_resolved:,} interactions with an outcome",
            )
        )
    return figures


def write_summary(ws: WriteOnlyWorksheet, info: SummaryInfo) -> None:
    """Fill the (already created, still empty) Summary sheet."""
    # B and C are narrow for numbers; longer words (filters, notes) run on to the right.
    cover_page(ws, (("A", 28), ("B", 13), ("C", 13), ("D", 30)))
    rows: list[list[object]] = []

    def add(*cells: object) -> int:
        rows.append(list(cells))
        return len(rows)

    add(safe_cell(ws, info.title, font=TITLE_FONT))
    stamp = info.generated_at.strftime("%Y-%m-%d %H:%M")
    add(
        safe_cell(ws, f"Generated {stamp} ({info.timezone}) by {info.generated_by}", font=NOTE_FONT)
    )
    for note in info.notes:
        add(safe_cell(ws, note, font=NOTE_FONT))
    add()
    add(safe_cell(ws, "Filters", font=SUBTITLE_FONT))
    for label, words in info.filters:
        add(safe_cell(ws, label, font=LABEL_FONT), safe_cell(ws, words))
    add()
    add(safe_cell(ws, "Key figures", font=SUBTITLE_FONT))
    for label, value, kind, note in key_figures(info.totals):
        shown = "—" if value is None else value
        add(
            safe_cell(ws, label, font=LABEL_FONT),
            value_cell(ws, shown, kind),
            safe_cell(ws, note, font=NOTE_FONT, alignment=INDENT) if note else None,
        )
    add()
    add(safe_cell(ws, "Score by category", font=SUBTITLE_FONT))
    header = add(
        *header_row(
            ws, ["Category", "Mean score", "Evaluations"], [Kind.TEXT, Kind.SCORE, Kind.INT]
        )
    )
    for c in info.categories:
        add(
            safe_cell(ws, c.label),
            value_cell(ws, c.mean, Kind.SCORE),
            value_cell(ws, c.n, Kind.INT),
        )
    if not info.categories:
        add(safe_cell(ws, "No scored evaluations in the filter.", font=NOTE_FONT))
    for row in rows:
        ws.append(row)
    if info.categories:
        category_bar_chart(
            ws,
            title="Mean score by category",
            label_col=1,
            value_col=2,
            first_row=header + 1,
            last_row=header + len(info.categories),
            anchor="F2",
        )
