"""The workbook export with its customer-outcome sheets (reports/xlsx_outcomes.py).

``export_workbook`` is reports.xlsx_export's, plus an Outcomes sheet (per month of the
export's dates, for its teams) and a Drivers sheet (per form of the export: its forms,
else every form with outcome data in the dates), each written only when it has
something to show. An open date range is read from the first to the last interaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from qa_monitor.core.drivers import Outcome
from qa_monitor.core.outcome_figures import Figure
from qa_monitor.core.records import EvaluationFilter
from qa_monitor.reports import xlsx_export
from qa_monitor.reports.xlsx_outcomes import (
    MIN_GROUP,
    OUTCOME_NAMES,
    write_drivers,
    write_outcomes,
)
from qa_monitor.services.drivers_service import DriversQuery, DriversReport, DriversService
from qa_monitor.services.outcome_service import OutcomeQuery, OutcomeReport, OutcomeService
from qa_monitor.storage.database import Database
from qa_monitor.storage.drivers_queries import DriversQueries
from qa_monitor.storage.outcome_repo import OutcomeRepo


def _rate(figure: Figure | None) -> list[object]:
    if figure is None:
        return [None, None, None]
    low = None if figure.low is None else figure.low / 100.0
    high = None if figure.high is None else figure.high / 100.0
    return [figure.value / 100.0, low, high]


def _plain(figure: Figure | None) -> list[object]:
    return [None, None, None] if figure is None else [figure.value, figure.low, figure.high]


def outcome_rows(report: OutcomeReport) -> list[list[object]]:
    """One row per period, in ``xlsx_outcomes.OUTCOME_COLUMNS`` order."""
    rows = []
    for p in report.periods:
        base = p.base
        counts = [None, None, None] if base is None else [base.start, base.end, base.new]
        index = None if p.simple_index is None else p.simple_index.value / 100.0
        rows.append(
            [
                p.start,
                *counts,
                *_rate(p.crr),
                *_rate(p.churn),
                index,
                *_plain(p.nps),
                p.survey_n.get("nps", 0),
                *_rate(p.csat),
                p.survey_n.get("csat", 0),
                *_plain(p.ces),
                *_rate(p.fcr),
                *_rate(p.fcr_repeat),
                p.survey_n.get("fcr_repeat", 0),
                p.fcr_pending,
                *_rate(p.save_rate),
                p.survey_n.get("save", 0),
            ]
        )
    return rows


def has_outcomes(report: OutcomeReport) -> bool:
    keys = ("nps", "csat", "ces", "fcr", "save", "contacts")
    return any(p.base is not None or any(p.survey_n.get(k) for k in keys) for p in report.periods)


def driver_rows(reports: list[DriversReport]) -> list[list[object]]:
    """One row per question and outcome, in ``xlsx_outcomes.DRIVER_COLUMNS`` order."""
    rows: list[list[object]] = []
    for report in reports:
        for question in report.questions:
            nothing = "Yes" if question.predicts_nothing else ""
            text = report.text(question.question_id)
            for e in question.effects:
                head: list[object] = [
                    report.form_title,
                    text,
                    OUTCOME_NAMES[e.outcome],
                    e.n_full,
                    e.n_missed,
                ]
                if not e.shown:
                    few = f"too few answers (under {MIN_GROUP} in a group)"
                    rows.append([*head, *([None] * 7), few, nothing])
                    continue
                rows.append(
                    [
                        *head,
                        e.value_full,
                        e.value_missed,
                        e.difference,
                        e.low,
                        e.high,
                        e.effect_size,
                        e.q_value,
                        "Yes" if e.flagged else "No",
                        nothing,
                    ]
                )
    return rows


def _range(db: Database, flt: EvaluationFilter) -> tuple[date, date] | None:
    span = OutcomeRepo(db).interaction_span()
    if span is None:
        return None
    start, end = flt.date_from or span[0], flt.date_to or span[1]
    return (start, end) if start <= end else None


def _forms(db: Database, flt: EvaluationFilter, start: date, end: date) -> list[str]:
    return list(flt.form_ids) or DriversQueries(db).forms_with_outcomes(start, end)


def outcome_sheets(db: Database, flt: EvaluationFilter) -> Callable[[Workbook, set[str]], None]:
    """What writes the Outcomes and Drivers sheets of the export ``flt`` describes."""

    def write(wb: Workbook, taken: set[str]) -> None:
        span = _range(db, flt)
        if span is None:
            return
        start, end = span
        now = datetime.now(UTC)
        report = OutcomeService(db).report(
            OutcomeQuery(start, end, team_ids=flt.team_ids, as_of=now)
        )
        if has_outcomes(report):
            note = "Customer outcomes per month for the export's dates and teams."
            write_outcomes(wb, taken, outcome_rows(report), note=note)
        drivers = [
            DriversService(db).report(DriversQuery(form_id, start, end, flt.team_ids, now))
            for form_id in _forms(db, flt, start, end)
        ]
        drivers = [
            d
            for d in drivers
            if any(e.n_full or e.n_missed for q in d.questions for e in q.effects)
        ]
        if drivers:
            write_drivers(wb, taken, driver_rows(drivers))

    return write


def export_workbook(
    services_or_db: object, flt: EvaluationFilter, path: str | Path, **options: Any
) -> xlsx_export.ExportResult:
    """reports.xlsx_export.export_workbook with the Outcomes and Drivers sheets."""
    db = xlsx_export.resolve_db(services_or_db)
    return xlsx_export.export_workbook(
        services_or_db, flt, path, extra_sheets=outcome_sheets(db, flt), **options
    )


__all__ = ["Outcome", "driver_rows", "export_workbook", "outcome_rows", "outcome_sheets"]
