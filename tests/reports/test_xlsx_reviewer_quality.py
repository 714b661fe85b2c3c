"""The reviewer-quality workbook, opened again with openpyxl: every figure equals the
report's, a missing figure is a sentence, the sheets are formatted like the other
exports, every text goes through the caller's translation, and a failed or cancelled
export leaves no file.

The planted centre (``tests.services.reviewer_quality_data``): R1 stricter than R2 in
March and April 2026, six calibration sessions in March with q1 read differently, and
one calibration session scored by the expert, R1 and R2.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from qa_monitor.core.records import EvaluationKind
from qa_monitor.core.reviewer_quality import Verdict
from qa_monitor.reports.atomic_file import ExportCancelled, ExportError
from qa_monitor.reports.xlsx_reviewer_quality import (
    ENGLISH,
    export_reviewer_quality,
)
from qa_monitor.services.reviewer_quality_service import (
    ReviewerQualityReport,
    ReviewerQualityService,
)
from tests.reports.analytics_data import Centre, evaluate, misses_for, open_centre
from tests.services.reviewer_quality_data import plant_strictness, plant_unreliable_q1

MARCH, END = date(2026, 3, 1), date(2026, 4, 30)
EXPORTED = datetime(2026, 5, 2, 9, 30)


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    services, built = open_centre(tmp_path / "qa.db")
    with services:
        yield built


@pytest.fixture
def report(centre: Centre) -> ReviewerQualityReport:
    plant_strictness(centre)
    plant_unreliable_q1(centre)
    r1, r2 = centre.reviewers
    first = evaluate(
        centre, centre.agents[1], date(2026, 3, 20), misses_for(80),
        reviewer=centre.expert, kind=EvaluationKind.CALIBRATION,
    )  # fmt: skip
    interaction = centre.services.evaluations.get_evaluation(first).interaction_id
    for reviewer, score in ((r1, 70), (r2, 90)):
        evaluate(
            centre, centre.agents[1], date(2026, 3, 20), misses_for(score), reviewer=reviewer,
            kind=EvaluationKind.CALIBRATION, interaction_id=interaction,
        )  # fmt: skip
    return ReviewerQualityService(centre.services.path).report(MARCH, END)


def _write(report: ReviewerQualityReport, path: Path, **kw: object) -> openpyxl.Workbook:
    result = export_reviewer_quality(
        report, path, exported_at=EXPORTED, timezone="Europe/Berlin", generated_by="Lead", **kw
    )  # type: ignore[arg-type]
    assert result.path == path and result.sheets == ("About", "Reviewers", "Drift", "Questions")
    assert result.evaluations == sum(r.quality.evaluations for r in report.reviewers)
    return openpyxl.load_workbook(path)


def stored(value: float | None) -> float | None:
    """``value`` as a workbook holds it: openpyxl writes 16 significant digits."""
    return None if value is None else float(f"{value:.16g}")


def _table(ws: Worksheet) -> tuple[list[str], list[dict[str, object]]]:
    """Header (row 2, under the period note) and the rows as header → value."""
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[1]]
    return header, [dict(zip(header, row, strict=True)) for row in rows[2:]]


def test_every_figure_is_the_reports(report: ReviewerQualityReport, tmp_path: Path) -> None:
    wb = _write(report, tmp_path / "quality.xlsx")

    about = [row for row in wb["About"].iter_rows(values_only=True) if any(row)]
    assert about[0][0] == "Reviewer quality"
    assert about[1][0] == "Calls dated 2026-03-01 to 2026-04-30."
    assert about[2][0] == "Exported 2026-05-02 09:30 (Europe/Berlin) by Lead."
    figures = {row[0]: row[1] for row in about}
    assert figures["Scored regular evaluations"] == 9
    assert figures["Calibration sessions"] == report.calibration_sessions == 7
    assert figures["Calibration evaluations"] == report.calibration_evaluations == 21
    # Each figure is defined in words, with the constants of the rules.
    assert "same form, for the same team, in the same month" in str(figures["Strictness (points)"])
    assert "0.8 or more: reliable; 0.667 or more: tentative" in str(figures["Agreement (alpha)"])
    assert "within 10 points" in str(figures["Within 10 points of the expert"])

    ws = wb["Reviewers"]
    assert ws["A1"].value == "Calls dated 2026-03-01 to 2026-04-30."  # the period above
    header, rows = _table(ws)
    assert header[:3] == ["Reviewer", "Evaluations", "Strictness (points)"]
    assert [r["Reviewer"] for r in rows] == ["R1", "R2", "Expert (expert)"]
    for row, shown in zip(report.reviewers, rows, strict=True):
        q = row.quality
        assert shown["Evaluations"] == q.evaluations
        if q.strictness is not None:
            s = q.strictness
            assert shown["Strictness (points)"] == stored(s.value)
            assert shown["95% interval from"] == stored(s.low)
            assert shown["95% interval to"] == stored(s.high)
            assert shown["Groups compared"] == s.cells
            april = q.months[-1]
            assert april.offset is not None
            assert shown["Latest month"] == datetime(2026, 4, 1)
            assert shown["Strictness that month"] == stored(april.offset.value)
        if not q.is_expert:
            assert shown["Calibrations"] == q.calibration_n == 7
            assert shown["Mean deviation from the expert"] == stored(q.calibration_mad)
            assert shown["Bias against the expert"] == stored(q.calibration_bias)
            assert shown["Within 10 points of the expert"] == stored(q.calibration_within)
            assert shown["Dispute rate"] == row.dispute_rate == 0.0
    r1, r2, expert = rows
    assert (r1["Reads as"], r2["Reads as"]) == (
        "Within noise (leans stricter)",
        "Within noise (leans more lenient)",
    )
    # A figure without a denominator is a sentence, as on the screen.
    assert r1["Overturn rate"] == "No dispute decided"
    assert expert["Strictness (points)"] == "No comparable work"
    assert expert["Latest month"] == "No month with comparable work"
    assert expert["Calibrations"] == "The expert is the benchmark"
    assert expert["Dispute rate"] == "No regular evaluation in the period"

    _header, drift = _table(wb["Drift"])
    r1_months = [m for m in report.reviewers[0].quality.months if m.offset is not None]
    shown_r1 = [d for d in drift if d["Reviewer"] == "R1"]
    assert [d["Month"] for d in shown_r1] == [datetime(2026, 3, 1), datetime(2026, 4, 1)]
    for point, shown in zip(r1_months, shown_r1, strict=True):
        assert point.offset is not None
        assert shown["Strictness (points)"] == stored(point.offset.value)
        assert shown["Evaluations in those groups"] == point.offset.n
        assert shown["Calibrations"] == point.calibration_n
    assert shown_r1[1]["95% interval from"] == "No interval (one group)"  # April: one cell
    assert shown_r1[1]["Mean deviation from the expert"] == "No calibration against the expert"

    _header, questions = _table(wb["Questions"])
    assert len(questions) == len(report.questions)
    for q, shown in zip(report.questions, questions, strict=True):
        assert (shown["Form"], shown["Question"]) == (q.form_title, q.text)
        assert shown["Sessions"] == q.sessions
        if q.alpha is not None:
            assert shown["Agreement (alpha)"] == stored(q.alpha)
    q1 = questions[0]
    assert report.questions[0].verdict is Verdict.UNRELIABLE
    assert (q1["95% interval from"], q1["95% interval to"]) == (
        stored(report.questions[0].low),
        stored(report.questions[0].high),
    )
    assert str(q1["Verdict"]).startswith("Unreliable: alpha below 0.667")
    assert q1["Compared as"] == "Categories (nominal)"
    same = next(
        s
        for q, s in zip(report.questions, questions, strict=True)
        if q.verdict is Verdict.UNDEFINED
    )  # q4: "yes" from everyone in every session
    assert same["Agreement (alpha)"] == "Not defined: every answer the same"
    assert same["95% interval from"] is None
    assert same["Verdict"] == "Every reviewer gave the same answer: nothing to judge."


def test_formatted_like_the_other_exports(report: ReviewerQualityReport, tmp_path: Path) -> None:
    wb = _write(report, tmp_path / "quality.xlsx")
    for name in ("Reviewers", "Drift", "Questions"):
        ws = wb[name]
        assert ws.freeze_panes == "A3"  # the note and the header stay in view
        assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A2:")
        assert ws["A2"].font.bold and ws["A2"].fill.fgColor.rgb.endswith("DCE6F1")
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows == "$2:$2"
    reviewers = wb["Reviewers"]
    assert reviewers["C3"].number_format == "0.0"  # strictness: one decimal
    assert reviewers["H3"].number_format == "mmm yyyy"  # the latest month
    assert reviewers["N3"].number_format == "0.0%"  # dispute rate
    rules = {str(r.sqref): r.rules for r in reviewers.conditional_formatting}
    assert any("C3:C5" in ranges for ranges in rules)  # amber: interval leaves out zero
    assert any("K3:K5" in ranges for ranges in rules)  # red: above the 5-point target
    flagged = {str(r.sqref): r.rules for r in wb["Questions"].conditional_formatting}
    formulas = [f for rules_ in flagged.values() for rule in rules_ for f in rule.formula]
    assert any("$C3<0.667" in f and "$F3>=5" in f for f in formulas)
    about = wb["About"]
    assert about["A1"].font.size == 16 and not about.sheet_view.showGridLines


def test_every_text_goes_through_the_translation(
    report: ReviewerQualityReport, tmp_path: Path
) -> None:
    shouted = ENGLISH.translated(str.upper)
    result = export_reviewer_quality(
        report, tmp_path / "loud.xlsx", exported_at=EXPORTED, timezone="UTC", texts=shouted
    )
    assert result.sheets == ("ABOUT", "REVIEWERS", "DRIFT", "QUESTIONS")
    wb = openpyxl.load_workbook(result.path)
    assert wb["ABOUT"]["A1"].value == "REVIEWER QUALITY"
    assert wb["ABOUT"]["A2"].value == "CALLS DATED 2026-03-01 TO 2026-04-30."
    header = [c.value for c in wb["REVIEWERS"][2]]
    assert header[0] == "REVIEWER" and header[12] == "WITHIN 10 POINTS OF THE EXPERT"
    assert wb["REVIEWERS"]["A5"].value == "Expert (EXPERT)"  # the name is data, not a text


def test_an_empty_period_says_so(centre: Centre, tmp_path: Path) -> None:
    empty = ReviewerQualityService(centre.services.path).report(None, None)
    wb = _write(empty, tmp_path / "empty.xlsx")
    assert wb["Reviewers"]["A3"].value.startswith("No scored evaluations of calls in this period")
    assert wb["Drift"]["A3"].value.startswith("No month in this period")
    assert wb["Questions"]["A3"].value.startswith("No calibration evaluations in this period")
    assert wb["About"]["A2"].value == "All calls, whatever their date."


def test_failure_and_cancel_leave_no_file(report: ReviewerQualityReport, tmp_path: Path) -> None:
    missing = tmp_path / "no such folder" / "quality.xlsx"
    with pytest.raises(ExportError, match="does not exist"):
        export_reviewer_quality(report, missing, exported_at=EXPORTED, timezone="UTC")
    target = tmp_path / "quality.xlsx"
    with pytest.raises(ExportCancelled):
        export_reviewer_quality(
            report, target, exported_at=EXPORTED, timezone="UTC", cancelled=lambda: True
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["qa.db", "qa.db-shm", "qa.db-wal"]
