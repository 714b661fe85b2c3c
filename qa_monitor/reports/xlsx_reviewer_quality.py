"""A reviewer-quality workbook: what the Reviewer quality screen shows, finished for a
meeting or a file and formatted like the other exports.

Sheets: About (the period, when and by whom it was exported, the totals, and what each
figure means in a QA lead's words), Reviewers (one row per reviewer: strictness with its
95 % interval and the latest month of its drift, calibration against the expert,
dispute and overturn rates), Drift (each reviewer's months) and Questions (agreement
per question in recent calibration sessions, least first, the unreliable flagged).

Rules:
- The workbook holds the report it is given (``ReviewerQualityService.report``): the
  figures the screen showed, nothing is read again.
- A figure that cannot be computed (no comparable work, no calibration against the
  expert, no evaluation, no decided dispute) is a short sentence in its cell, as on
  the screen, never an empty cell that could pass for a zero.
- Colour never carries meaning alone: the strictness is also read out in words
  ("stricter than peers", "within noise") and each question has its verdict.
- Every text is marked for translation here (``QT_TRANSLATE_NOOP``, context
  "ReviewerQualityWorkbook", which lupdate collects) and translated whole by the caller
  before writing (``WorkbookTexts.translated``); the command line writes them as they
  are. Numbers go into cells as numbers, so no sentence carries a formatted figure.
- Written like the other exports (``xlsx_sheets``: typed cells, styled and frozen
  header, autofilter, widths from content, landscape one page wide) and through
  ``atomic_output``: an error or a cancel leaves no partial file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qa_monitor.core.reviewer_quality import (
    MIN_SESSIONS,
    RELIABLE_ALPHA,
    TENTATIVE_ALPHA,
    Offset,
    Verdict,
)
from qa_monitor.reports.analytics_reviewers import (
    BOOTSTRAP_RESAMPLES,
    CALIBRATION_TOLERANCE,
    RECENT_SESSIONS,
    QuestionReliability,
)
from qa_monitor.reports.atomic_file import ExportCancelled, atomic_output
from qa_monitor.reports.xlsx_export import ExportResult
from qa_monitor.reports.xlsx_sheets import (
    Column,
    FinishSheet,
    TableWriter,
    cover_page,
    discard_workbook,
    new_sheet,
    save_workbook,
    value_cell,
    wrapped_lines,
)
from qa_monitor.reports.xlsx_styles import (
    LABEL_FONT,
    NOTE_FONT,
    SUBTITLE_FONT,
    TEXT,
    TITLE_FONT,
    TOP,
    WRAP,
    Kind,
    holds,
    rate_scale,
)

if TYPE_CHECKING:
    from qa_monitor.services.reviewer_quality_service import (
        ReviewerQualityReport,
        ReviewerQualityRow,
    )

CONTEXT = "ReviewerQualityWorkbook"
DEVIATION_TARGET = 5.0  # points from the expert, on average, that calibration aims under
_ABOUT_WIDTHS = (("A", 30.0), ("B", 100.0))


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for lupdate under ``context``; the caller translates it later."""
    return text


@dataclass(frozen=True, slots=True)
class WorkbookTexts:
    """Every text of the workbook, English as written; ``{0}`` marks a placeholder."""

    sheet_about: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "About")
    sheet_reviewers: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Reviewers")
    sheet_drift: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Drift")
    sheet_questions: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Questions")
    title: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Reviewer quality")
    period_between: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Calls dated {0} to {1}.")
    period_from: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Calls dated {0} or later.")
    period_to: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Calls dated {0} or earlier.")
    period_all: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook", "All calls, whatever their date."
    )
    exported: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Exported {0} ({1}).")
    exported_by: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Exported {0} ({1}) by {2}.")
    totals: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "In this period")
    total_evaluations: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook", "Scored regular evaluations"
    )
    total_sessions: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Calibration sessions")
    total_calibrations: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook", "Calibration evaluations"
    )
    meanings: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "What the figures mean")
    # Column headers, also the labels of the meanings.
    reviewer: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Reviewer")
    evaluations: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Evaluations")
    strictness: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Strictness (points)")
    interval: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "95% interval")
    interval_from: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "95% interval from")
    interval_to: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "95% interval to")
    groups: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Groups compared")
    reads_as: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Reads as")
    latest_month: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Latest month")
    latest_strictness: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Strictness that month")
    month: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Month")
    evaluations_compared: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook", "Evaluations in those groups"
    )
    calibrations: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Calibrations")
    deviation: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Mean deviation from the expert")
    bias: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Bias against the expert")
    within: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Within {0} points of the expert")
    dispute_rate: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Dispute rate")
    overturn_rate: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Overturn rate")
    form: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Form")
    question: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Question")
    alpha: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Agreement (alpha)")
    sessions: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Sessions")
    compared_as: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Compared as")
    verdict: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Verdict")
    # Cell words.
    expert_name: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "{0} (expert)")
    reads_stricter: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Stricter than peers")
    reads_lenient: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "More lenient than peers")
    reads_noise_stricter: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook", "Within noise (leans stricter)"
    )
    reads_noise_lenient: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook", "Within noise (leans more lenient)"
    )
    reads_one_group: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook", "One group only: too little to judge"
    )
    nominal: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Categories (nominal)")
    ordinal: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Ordered steps (ordinal)")
    verdict_unreliable: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "Unreliable: alpha below {0}, reviewers read it differently. Rewrite or drop it.",
    )
    verdict_tentative: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook", "Tentative: fair agreement; watch it."
    )
    verdict_reliable: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Reliable.")
    verdict_too_few: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook", "Too few calibration sessions to judge (fewer than {0})."
    )
    verdict_undefined: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook", "Every reviewer gave the same answer: nothing to judge."
    )
    # Sentences standing in for a figure that cannot be computed.
    no_comparable_work: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "No comparable work")
    no_interval: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "No interval (one group)")
    no_month: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "No month with comparable work")
    expert_benchmark: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook", "The expert is the benchmark"
    )
    no_calibration: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook", "No calibration against the expert"
    )
    no_evaluations: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook", "No regular evaluation in the period"
    )
    no_decided_dispute: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "No dispute decided")
    no_alpha_same: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook", "Not defined: every answer the same"
    )
    no_alpha_few: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "Not enough answers")
    no_alpha_interval: str = QT_TRANSLATE_NOOP("ReviewerQualityWorkbook", "No interval")
    no_reviewers: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "No scored evaluations of calls in this period. Choose a longer period, such as "
        "All time, or score some calls first.",
    )
    no_drift: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "No month in this period where a reviewer and a peer both scored the same form for "
        "the same team, and no calibration against the expert.",
    )
    no_calibration_evaluations: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "No calibration evaluations in this period. To calibrate, have the expert and the "
        "other reviewers each score the same call (kind: Calibration).",
    )
    no_scored_answers: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "The calibration evaluations in this period have no scored answers to compare.",
    )
    # What each figure means (About), in a QA lead's words.
    means_evaluations: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "Scored regular evaluations of calls dated in the period. Drafts, calibration "
        "evaluations and self-reviews do not count.",
    )
    means_strictness: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "How much lower the reviewer scores than peers on comparable work: the same form, "
        "for the same team, in the same month (a group). In each group where a peer scored "
        "too, the peers' average score minus the reviewer's; the strictness is the average "
        "of these differences, weighted by the reviewer's evaluations in each group, in "
        "points out of 100. Positive: stricter than peers; negative: more lenient.",
    )
    means_interval: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "Where the reviewer's strictness most likely lies (95%), from how much it varies "
        "from group to group. When the interval includes 0 the difference is within noise "
        "(filled amber when it does not). One group gives no interval.",
    )
    means_drift: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "Strictness month by month: the Drift sheet has every month, the Reviewers sheet "
        "the latest month with comparable work. A month far from the reviewer's usual "
        "strictness is worth a look; a single month rests on few evaluations.",
    )
    means_calibrations: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "Calibration evaluations of the reviewer on calls the expert scored too. The "
        "expert is the benchmark and has none.",
    )
    means_deviation: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "On those calls, the average distance between the reviewer's score and the "
        "expert's, in points. The target is {0} points or less (filled red above it).",
    )
    means_bias: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "On those calls, the average of the reviewer's score minus the expert's: positive "
        "means the reviewer scores higher than the expert, negative lower.",
    )
    means_within: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "The share of those calls where the reviewer's score is within {0} points of the expert's.",
    )
    means_dispute: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "Evaluations the agent disputed, out of the reviewer's regular evaluations in the period.",
    )
    means_overturn: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "Disputed questions whose answer was changed, out of the disputed questions decided.",
    )
    means_alpha: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "Krippendorff's alpha: how far reviewers give a question the same answer in recent "
        "calibration sessions, beyond what chance gives. 1 is full agreement, 0 no better "
        "than chance. {0} or more: reliable; {1} or more: tentative; below {1}: unreliable "
        "(filled red). Its 95% interval comes from resampling the sessions {2} times.",
    )
    means_sessions: str = QT_TRANSLATE_NOOP(
        "ReviewerQualityWorkbook",
        "Calibration sessions (one call scored by several reviewers) in which two or more "
        "reviewers answered the question: the latest {0} of each form. Fewer than {1} are "
        "too few to judge.",
    )

    def translated(self, translate: Callable[[str], str]) -> WorkbookTexts:
        """These texts through ``translate`` (e.g. Qt's, under ``CONTEXT``)."""
        return WorkbookTexts(**{f.name: translate(getattr(self, f.name)) for f in fields(self)})


ENGLISH = WorkbookTexts()


def _number(value: float) -> str:
    """A constant in a sentence: 10, 0.8, 0.667 (never a locale-formatted figure)."""
    return f"{value:g}"


def period_text(t: WorkbookTexts, start: date | None, end: date | None) -> str:
    if start is not None and end is not None:
        return t.period_between.format(start.isoformat(), end.isoformat())
    if start is not None:
        return t.period_from.format(start.isoformat())
    if end is not None:
        return t.period_to.format(end.isoformat())
    return t.period_all


def reading(t: WorkbookTexts, offset: Offset | None) -> str | None:
    """The strictness in words (None: there is none; its cell already says why)."""
    if offset is None:
        return None
    if offset.low is None or offset.high is None:
        return t.reads_one_group
    if offset.within_noise:
        return t.reads_noise_stricter if offset.value > 0 else t.reads_noise_lenient
    return t.reads_stricter if offset.value > 0 else t.reads_lenient


def verdict_text(t: WorkbookTexts, verdict: Verdict) -> str:
    return {
        Verdict.UNRELIABLE: t.verdict_unreliable.format(_number(TENTATIVE_ALPHA)),
        Verdict.TENTATIVE: t.verdict_tentative,
        Verdict.RELIABLE: t.verdict_reliable,
        Verdict.TOO_FEW: t.verdict_too_few.format(MIN_SESSIONS),
        Verdict.UNDEFINED: t.verdict_undefined,
    }[verdict]


def _offset_cells(t: WorkbookTexts, offset: Offset | None) -> list[object]:
    """Strictness, interval from, interval to, groups compared."""
    if offset is None:
        return [t.no_comparable_work, None, None, None]
    if offset.low is None or offset.high is None:
        return [offset.value, t.no_interval, None, offset.cells]
    return [offset.value, offset.low, offset.high, offset.cells]


def _calibration_cells(
    t: WorkbookTexts, is_expert: bool, n: int, mad: float | None, bias: float | None
) -> list[object]:
    """Calibrations, mean deviation, bias."""
    if is_expert:
        return [t.expert_benchmark, None, None]
    if n == 0:
        return [0, t.no_calibration, None]
    return [n, mad, bias]


def _reviewer_row(t: WorkbookTexts, row: ReviewerQualityRow) -> list[object]:
    q = row.quality
    latest = next((m for m in reversed(q.months) if m.offset is not None), None)
    if row.rates is None:
        rates: list[object] = [t.no_evaluations, None]
    else:
        overturn = row.overturn_rate
        rates = [row.dispute_rate, t.no_decided_dispute if overturn is None else overturn]
    calibration = _calibration_cells(
        t, q.is_expert, q.calibration_n, q.calibration_mad, q.calibration_bias
    )
    return [
        t.expert_name.format(q.name) if q.is_expert else q.name,
        q.evaluations,
        *_offset_cells(t, q.strictness),
        reading(t, q.strictness),
        t.no_month if latest is None else latest.month,
        None if latest is None or latest.offset is None else latest.offset.value,
        *calibration,
        q.calibration_within,
        *rates,
    ]


def _letters(first: int, last: int, *columns: str) -> str:
    return " ".join(f"{c}{first}:{c}{last}" for c in columns)


def _strictness_formats(value: str, low: str, high: str, *words: str) -> FinishSheet:
    """Amber on the strictness (and its words) where its interval leaves out zero."""

    def finish(ws: WriteOnlyWorksheet, first: int, last: int) -> None:
        clear = (
            f"AND(ISNUMBER(${low}{first}),ISNUMBER(${high}{first}),"
            f"OR(${low}{first}>0,${high}{first}<0))"
        )
        ws.conditional_formatting.add(
            _letters(first, last, value, *words), holds(clear, fail=False)
        )

    return finish


def _write_reviewers(
    wb: Workbook, taken: set[str], t: WorkbookTexts, report: ReviewerQualityReport, note: str
) -> None:
    columns = (
        Column(t.reviewer),
        Column(t.evaluations, Kind.INT),
        Column(t.strictness, Kind.SCORE),
        Column(t.interval_from, Kind.SCORE),
        Column(t.interval_to, Kind.SCORE),
        Column(t.groups, Kind.INT),
        Column(t.reads_as),
        Column(t.latest_month, Kind.MONTH),
        Column(t.latest_strictness, Kind.SCORE),
        Column(t.calibrations, Kind.INT),
        Column(t.deviation, Kind.SCORE),
        Column(t.bias, Kind.SCORE),
        Column(t.within.format(_number(CALIBRATION_TOLERANCE)), Kind.RATE),
        Column(t.dispute_rate, Kind.RATE),
        Column(t.overturn_rate, Kind.RATE),
    )
    strictness = _strictness_formats("C", "D", "E", "G")

    def finish(ws: WriteOnlyWorksheet, first: int, last: int) -> None:
        strictness(ws, first, last)
        above = f"AND(ISNUMBER(K{first}),K{first}>{_number(DEVIATION_TARGET)})"
        ws.conditional_formatting.add(_letters(first, last, "K"), holds(above, fail=True))
        ws.conditional_formatting.add(_letters(first, last, "M"), rate_scale())
        ws.conditional_formatting.add(_letters(first, last, "N"), rate_scale(reverse=True))
        ws.conditional_formatting.add(_letters(first, last, "O"), rate_scale(reverse=True))

    table = TableWriter(
        wb, t.sheet_reviewers, columns, taken, finish_sheet=finish, fit_to_page_width=True,
        note=note,
    )  # fmt: skip
    for row in report.reviewers:
        table.append(_reviewer_row(t, row))
    if not report.reviewers:
        table.append([t.no_reviewers])
    table.close()


def _write_drift(
    wb: Workbook, taken: set[str], t: WorkbookTexts, report: ReviewerQualityReport, note: str
) -> None:
    columns = (
        Column(t.reviewer),
        Column(t.month, Kind.MONTH),
        Column(t.strictness, Kind.SCORE),
        Column(t.interval_from, Kind.SCORE),
        Column(t.interval_to, Kind.SCORE),
        Column(t.groups, Kind.INT),
        Column(t.evaluations_compared, Kind.INT),
        Column(t.calibrations, Kind.INT),
        Column(t.deviation, Kind.SCORE),
        Column(t.bias, Kind.SCORE),
    )
    table = TableWriter(
        wb, t.sheet_drift, columns, taken, finish_sheet=_strictness_formats("C", "D", "E"),
        fit_to_page_width=True, note=note,
    )  # fmt: skip
    for row in report.reviewers:
        q = row.quality
        name = t.expert_name.format(q.name) if q.is_expert else q.name
        for point in q.months:
            if point.offset is None and point.calibration_n == 0:
                continue
            compared = None if point.offset is None else point.offset.n
            calibration = _calibration_cells(
                t, q.is_expert, point.calibration_n, point.calibration_mad, point.calibration_bias
            )
            table.append(
                [name, point.month, *_offset_cells(t, point.offset), compared, *calibration]
            )
    if table.rows == 0:
        table.append([t.no_drift])
    table.close()


def _question_row(t: WorkbookTexts, q: QuestionReliability) -> list[object]:
    if q.alpha is None:  # no session with two answers, or no disagreement to expect
        figures: list[object] = [t.no_alpha_few if q.sessions == 0 else t.no_alpha_same, None]
    elif q.low is None or q.high is None:
        figures = [q.alpha, t.no_alpha_interval]
    else:
        figures = [q.alpha, q.low, q.high]
    level = t.ordinal if q.level == "ordinal" else t.nominal
    return [
        q.form_title,
        q.text,
        *figures,
        *([None] * (3 - len(figures))),
        q.sessions,
        level,
        verdict_text(t, q.verdict),
    ]


def _write_questions(
    wb: Workbook, taken: set[str], t: WorkbookTexts, report: ReviewerQualityReport, note: str
) -> None:
    columns = (
        Column(t.form),
        Column(t.question, width=60, wrap=True),
        Column(t.alpha, Kind.NUMBER),
        Column(t.interval_from, Kind.NUMBER),
        Column(t.interval_to, Kind.NUMBER),
        Column(t.sessions, Kind.INT),
        Column(t.compared_as),
        Column(t.verdict, width=45, wrap=True),
    )

    def finish(ws: WriteOnlyWorksheet, first: int, last: int) -> None:
        judged = f"ISNUMBER($C{first}),$F{first}>={MIN_SESSIONS}"
        unreliable = f"AND({judged},$C{first}<{_number(TENTATIVE_ALPHA)})"
        tentative = (
            f"AND({judged},$C{first}>={_number(TENTATIVE_ALPHA)},"
            f"$C{first}<{_number(RELIABLE_ALPHA)})"
        )
        cells = _letters(first, last, "C", "H")
        ws.conditional_formatting.add(cells, holds(unreliable, fail=True))
        ws.conditional_formatting.add(cells, holds(tentative, fail=False))

    table = TableWriter(
        wb, t.sheet_questions, columns, taken, finish_sheet=finish, fit_to_page_width=True,
        note=note,
    )  # fmt: skip
    for q in report.questions:
        table.append(_question_row(t, q))
    if not report.questions:
        empty = t.no_calibration_evaluations if report.calibration_evaluations == 0 else None
        table.append([empty or t.no_scored_answers])
    table.close()


def _write_about(
    ws: WriteOnlyWorksheet,
    t: WorkbookTexts,
    report: ReviewerQualityReport,
    stamp: str,
) -> None:
    cover_page(ws, _ABOUT_WIDTHS)
    tolerance = _number(CALIBRATION_TOLERANCE)
    rows: list[list[object]] = [
        [value_cell(ws, t.title, font=TITLE_FONT)],
        [value_cell(ws, period_text(t, report.start, report.end), font=NOTE_FONT)],
        [value_cell(ws, stamp, font=NOTE_FONT)],
        [],
        [value_cell(ws, t.totals, font=SUBTITLE_FONT)],
    ]
    for label, count in (
        (t.total_evaluations, sum(r.quality.evaluations for r in report.reviewers)),
        (t.total_sessions, report.calibration_sessions),
        (t.total_calibrations, report.calibration_evaluations),
    ):
        figure = value_cell(ws, count, Kind.INT, alignment=TEXT)
        rows.append([value_cell(ws, label, font=LABEL_FONT), figure])
    rows += [[], [value_cell(ws, t.meanings, font=SUBTITLE_FONT)]]
    meanings = (
        (t.evaluations, t.means_evaluations),
        (t.strictness, t.means_strictness),
        (t.interval, t.means_interval),
        (t.sheet_drift, t.means_drift),
        (t.calibrations, t.means_calibrations),
        (t.deviation, t.means_deviation.format(_number(DEVIATION_TARGET))),
        (t.bias, t.means_bias),
        (t.within.format(tolerance), t.means_within.format(tolerance)),
        (t.dispute_rate, t.means_dispute),
        (t.overturn_rate, t.means_overturn),
        (
            t.alpha,
            t.means_alpha.format(
                _number(RELIABLE_ALPHA), _number(TENTATIVE_ALPHA), BOOTSTRAP_RESAMPLES
            ),
        ),
        (t.sessions, t.means_sessions.format(RECENT_SESSIONS, MIN_SESSIONS)),
    )
    for label, meaning in meanings:
        lines = wrapped_lines(meaning, _ABOUT_WIDTHS[1][1])
        if lines > 1:  # not every program grows a wrapped row by itself
            ws.row_dimensions[len(rows) + 1].height = 15 * lines
        rows.append(
            [
                value_cell(ws, label, font=LABEL_FONT, alignment=TOP),
                value_cell(ws, meaning, alignment=WRAP),
            ]
        )
    for row in rows:
        ws.append(row)


def export_reviewer_quality(
    report: ReviewerQualityReport,
    path: str | Path,
    *,
    exported_at: datetime,
    timezone: str,
    generated_by: str = "",
    texts: WorkbookTexts = ENGLISH,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write ``report`` to the workbook ``path``: About, Reviewers, Drift, Questions (see
    the module rules). ``exported_at`` is on the centre's clock (``timezone``).

    Raises ExportError (the target cannot be written; the message says what to do) or
    ExportCancelled; no file is left behind either way."""
    started = time.perf_counter()
    target = Path(path).expanduser().absolute()
    t = texts
    stamp = f"{exported_at:%Y-%m-%d %H:%M}"
    said = (
        t.exported_by.format(stamp, timezone, generated_by)
        if generated_by
        else t.exported.format(stamp, timezone)
    )
    note = period_text(t, report.start, report.end)

    def check() -> None:
        if cancelled is not None and cancelled():
            raise ExportCancelled(target)

    with atomic_output(target) as temp:
        wb = Workbook(write_only=True)
        try:
            taken: set[str] = set()
            _write_about(new_sheet(wb, t.sheet_about, taken), t, report, said)
            for write in (_write_reviewers, _write_drift, _write_questions):
                check()
                write(wb, taken, t, report, note)
            check()
            save_workbook(wb, temp)
        except BaseException:
            discard_workbook(wb)
            raise
    sheets = tuple(ws.title for ws in wb.worksheets)
    evaluations = sum(r.quality.evaluations for r in report.reviewers)
    return ExportResult(target, evaluations, 0, sheets, time.perf_counter() - started)
