"""The calibration workbook of three revealed sessions on a real database, read back with
openpyxl: its figures equal the service's ``RevealView``s (scores, deviations, bands,
alphas, agreed answers, notes), its marks are on the right cells in fills and in words,
and it is laid out like the other exports (frozen header, widths, print titles)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from qa_monitor.core.calibration import Band, BenchmarkKind, CalibrationRefusal, reviewer_totals
from qa_monitor.reports.atomic_file import ExportCancelled, ExportError
from qa_monitor.reports.xlsx_calibration_matrix import AMBER_FILL
from qa_monitor.reports.xlsx_styles import FAIL_FILL, PASS_FILL
from qa_monitor.services import NotAllowedError, Services
from qa_monitor.services.calibration_export import (
    CalibrationScope,
    export_calibration_workbook,
)
from qa_monitor.services.calibration_service import RevealView, SessionInput
from qa_monitor.storage.settings_repo import TEAM_ROLE
from tests.calibration_data import GREETING_NOTE, Built, build
from tests.factories import FakeClock, seed

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(tmp_path: Path, clock: FakeClock) -> Iterator[Services]:
    with Services.open(tmp_path / "qa.db", clock=clock) as opened:
        yield opened


@pytest.fixture
def built(services: Services, clock: FakeClock) -> Built:
    services.settings.set_timezone("Europe/Berlin")  # revealed at 10:00 UTC = 11:00 here
    return build(services, seed(services, zone="Europe/Berlin"), clock)


def _views(services: Services, built: Built) -> list[RevealView]:
    return [services.calibration.revealed(i) for i in (built.week_49, built.week_50, built.week_51)]


def _table(ws: Worksheet, header_row: int = 2) -> list[dict[str, object]]:
    rows = list(ws.iter_rows(values_only=True))
    header = rows[header_row - 1]
    return [dict(zip(header, r, strict=True)) for r in rows[header_row:]]


def _fill(cell: object) -> str:
    return cell.fill.fgColor.rgb[-6:] if cell.fill and cell.fill.fill_type else ""  # type: ignore[attr-defined]


def _rgb(fill: object) -> str:
    return fill.fgColor.rgb[-6:]  # type: ignore[attr-defined]


@pytest.fixture
def book(services: Services, built: Built, tmp_path: Path) -> openpyxl.Workbook:
    out = tmp_path / "calibration.xlsx"
    result = export_calibration_workbook(services, out, generated_by="Leila Navabi", now=NOW)
    assert result.sessions == 3 and result.path == out
    assert result.sheets == (
        "Sessions",
        "Deviations",
        "Reviewers",
        "1 Billing calls, week 49",
        "2 Billing calls, week 50",
        "3 Follow-up, week 51",
        "About",
    )
    return openpyxl.load_workbook(out)


def test_the_sessions_overview_equals_the_reveal(
    book: openpyxl.Workbook, services: Services, built: Built
) -> None:
    ws = book["Sessions"]
    assert ws.freeze_panes == "A3"
    assert "Revealed calibration sessions: Form: All forms; Revealed: Any date." in ws["A1"].value
    rows = _table(ws)
    assert [r["Session"] for r in rows] == [
        "Billing calls, week 49",
        "Billing calls, week 50",
        "Follow-up, week 51",
    ]
    for row, view in zip(rows, _views(services, built), strict=True):
        r = view.reveal
        assert r.spread is not None
        assert row["Benchmark score"] == pytest.approx(r.benchmark)
        assert row["Lowest score"] == pytest.approx(r.spread.low)
        assert row["Highest score"] == pytest.approx(r.spread.high)
        assert row["Range"] == pytest.approx(r.spread.range)
        assert row["Standard deviation"] == pytest.approx(r.spread.sd)
        assert (row["Acceptable up to"], row["Discuss up to"]) == (
            r.bands.acceptable,
            r.bands.discuss,
        )
        bands = [x.band for x in r.results]
        assert (row["Acceptable"], row["Discuss"], row["Recalibrate"]) == (
            bands.count(Band.ACCEPTABLE),
            bands.count(Band.DISCUSS),
            bands.count(Band.RECALIBRATE),
        )
        assert row["Reviewers scored"] == len(r.participants)
        assert row["Questions answered differently"] == r.disagreeing_rows
        assert row["Score alpha"] == pytest.approx(view.score_alpha.alpha)
        assert row["Score alpha 95% low"] == pytest.approx(view.score_alpha.low)
        assert row["Score alpha 95% high"] == pytest.approx(view.score_alpha.high)
        assert row["Score alpha n (sessions)"] == view.score_alpha.units
        assert row["Score alpha verdict"] == "Too few sessions"  # 1 or 2 of the 5 needed
        assert row["Sessions pooled"] == view.sessions
        assert row["This call's alpha"] == pytest.approx(view.call_alpha.alpha)
    week_49, week_50, week_51 = rows
    assert week_49["Invited"] == 5 and week_49["Reviewers scored"] == 4  # Reza never scored
    assert week_49["Benchmark"] == "Expert: Leila Navabi"
    assert week_50["Benchmark"] == "Agreed answers"
    assert week_51["Form"] == "Follow-up call" and week_51["Acceptable up to"] == 2
    assert week_49["Call"] == "call-0049" and week_49["Agent"] == "Sara Ahmadi"
    assert week_49["Sheet"] == "1 Billing calls, week 49"
    # Revealed at 10:00 UTC, written on the centre's clock (Berlin, UTC+1).
    assert week_49["Revealed on"] == datetime(2026, 3, 1, 11, 0)
    assert week_50["Sessions pooled"] == 2  # week 49 and 50 share a form; week 51 not
    assert ws.column_dimensions["B"].width == 30


def test_deviations_and_reviewer_totals(
    book: openpyxl.Workbook, services: Services, built: Built
) -> None:
    ws = book["Deviations"]
    rows = _table(ws)
    views = _views(services, built)
    expected = [
        (v.view.record.title, x.participant.name, x.participant.score, v.reveal.benchmark, x)
        for v in views
        for x in v.reveal.results
    ]
    assert len(rows) == len(expected) == 3 + 3 + 2
    for row, (title, name, score, benchmark, result) in zip(rows, expected, strict=True):
        assert (row["Session"], row["Reviewer"]) == (title, name)
        assert row["Score"] == pytest.approx(score)
        assert row["Benchmark"] == pytest.approx(benchmark)
        assert row["Deviation"] == pytest.approx(result.deviation)
        assert row["Absolute deviation"] == pytest.approx(abs(result.deviation))
        assert row["Band"] == result.band.value.capitalize()
    reza = rows[-1]
    assert reza["Reviewer"] == "Reza Amini" and reza["Band"] == "Recalibrate"
    assert reza["Deviation"] < -4 and reza["Acceptable up to"] == 2
    # Signed deviations show their sign; the band fills come from its word.
    assert ws["H3"].number_format == "+0.0;-0.0;0.0"
    rules = {
        (str(cf.sqref), rule.formula[0], _rgb(rule.dxf.fill))
        for cf in ws.conditional_formatting
        for rule in cf.rules
    }
    assert ("H3:J10", '$J3="Recalibrate"', _rgb(FAIL_FILL)) in rules
    assert ("H3:J10", '$J3="Acceptable"', _rgb(PASS_FILL)) in rules
    assert ("H3:J10", '$J3="Discuss"', _rgb(AMBER_FILL)) in rules

    totals = {r["Reviewer"]: r for r in _table(book["Reviewers"])}
    core = {t.name: t for t in reviewer_totals(v.reveal for v in views)}
    assert set(totals) == set(core) == {"Ali Rahimi", "Mina Sadr", "Omid Karimi", "Reza Amini"}
    for name, total in core.items():
        row = totals[name]
        assert row["Sessions compared"] == total.sessions
        assert row["Mean absolute deviation"] == pytest.approx(total.mean_absolute)
        assert row["Mean deviation (bias)"] == pytest.approx(total.bias)
        assert row["Within acceptable"] == pytest.approx(total.within_acceptable)
    # Mina: 0 against the expert in week 49, about −6 against the agreed answers in 50.
    mina = totals["Mina Sadr"]
    assert mina["Sessions compared"] == 2
    assert mina["Within acceptable"] == 0.5 and mina["Discuss"] == 1
    # Reza: acceptable in week 50, recalibrate in week 51 (its bands are 2 and 4).
    assert (totals["Reza Amini"]["Acceptable"], totals["Reza Amini"]["Recalibrate"]) == (1, 1)


def test_a_session_sheet_marks_disagreement_in_fills_and_words(
    book: openpyxl.Workbook, services: Services, built: Built
) -> None:
    view = services.calibration.revealed(built.week_49)
    ws = book["1 Billing calls, week 49"]
    assert ws["A1"].value == "Billing calls, week 49"
    lines = [ws.cell(r, 1).value for r in range(2, 6)]
    assert lines[0].startswith("Call call-0049 · Sara Ahmadi · 2026-03-01 · phone; form Support")
    assert lines[1] == f"Benchmark: the expert Leila Navabi's score, {view.reveal.benchmark:.1f}."
    assert lines[3] == "Invited but not submitted, so not compared: Reza Amini."
    header = 6  # the title, four lines, then the header
    assert ws.freeze_panes == f"D{header + 1}"
    assert ws.print_title_rows == f"${header}:${header}"
    assert ws.print_title_cols == "$A:$C"
    assert ws.column_dimensions["B"].width == 45
    names = [ws.cell(header, c).value for c in range(1, ws.max_column + 1)]
    assert names[:7] == [
        "Section",
        "Question",
        "Answers",
        "Leila Navabi (expert)",
        "Ali Rahimi",
        "Mina Sadr",
        "Omid Karimi",
    ]
    col = {name: i + 1 for i, name in enumerate(names)}
    rows = {ws.cell(r, 2).value: r for r in range(header + 1, header + 1 + len(view.reveal.rows))}
    greet, empathy, verify = (
        rows["Greeted the customer"],
        rows["Showed empathy"],
        rows["Verified identity"],
    )
    # A disagreeing row says "Differ" and is shaded; Omid's No is marked ≠ and filled.
    assert ws.cell(greet, col["Answers"]).value == "Differ"
    assert {_fill(ws.cell(greet, c)) for c in (1, 2, 3)} == {_rgb(AMBER_FILL)}
    omid = ws.cell(greet, col["Omid Karimi"])
    assert omid.value == "≠ No" and _fill(omid) == _rgb(FAIL_FILL)
    assert omid.comment is not None and omid.comment.text == "Greeted late"
    ali = ws.cell(greet, col["Ali Rahimi"])
    assert ali.value == "Yes" and _fill(ali) == ""
    assert ws.cell(empathy, col["Ali Rahimi"]).value == "≠ 3"
    assert ws.cell(verify, col["Answers"]).value == "Same" and _fill(ws.cell(verify, 1)) == ""
    assert (
        ws.auto_filter.ref == f"A{header}:{ws.cell(header, len(names)).column_letter}{header + 7}"
    )
    # Each question's agreement, alpha and verdict as the service has them.
    for text, r in rows.items():
        row = next(x for x in view.reveal.rows if x.question.text == text)
        alpha = view.questions[row.question.id]
        assert ws.cell(r, col["Agreement"]).value == pytest.approx(row.modal_share)
        assert ws.cell(r, col["Alpha"]).value == alpha.estimate.alpha
        assert ws.cell(r, col["n (sessions)"]).value == alpha.estimate.units
        assert ws.cell(r, col["Verdict"]).value == "Too few sessions"
    assert ws.cell(greet, col["Agreed answer"]).value == "Yes"
    assert ws.cell(greet, col["Note"]).value == GREETING_NOTE
    assert ws.cell(greet, col["Guidance to change"]).value == "Yes"
    assert ws.cell(empathy, col["Guidance to change"]).value is None
    # Under the matrix: scores, deviations and bands per reviewer.
    below = {ws.cell(r, 2).value: r for r in range(header + 8, ws.max_row + 1)}
    results = {x.participant.name: x for x in view.reveal.results}
    for name in ("Ali Rahimi", "Mina Sadr", "Omid Karimi"):
        c = col[name]
        assert ws.cell(below["Score"], c).value == pytest.approx(results[name].participant.score)
        assert ws.cell(below["Deviation from the benchmark"], c).value == pytest.approx(
            results[name].deviation
        )
    expert = col["Leila Navabi (expert)"]
    assert ws.cell(below["Deviation from the benchmark"], expert).value == "Benchmark"
    band = ws.cell(below["Band"], col["Omid Karimi"])
    assert band.value == "Discuss" and _fill(band) == _rgb(AMBER_FILL)


def test_hidden_answers_and_the_consensus_benchmark(
    book: openpyxl.Workbook, services: Services, built: Built
) -> None:
    ws = book["3 Follow-up, week 51"]
    cells = {ws.cell(r, 2).value: r for r in range(1, ws.max_row + 1)}
    headers = [c.value for c in ws[5]]  # title, three lines (nobody missing), header
    reza = headers.index("Reza Amini") + 1
    assert ws.cell(cells["Showed empathy"], reza).value == "Not shown"
    assert ws.cell(cells["Verified identity"], reza).value == "≠ No"
    band = ws.cell(cells["Band"], reza)
    assert band.value == "Recalibrate" and _fill(band) == _rgb(FAIL_FILL)
    consensus = book["2 Billing calls, week 50"]
    view = services.calibration.revealed(built.week_50)
    assert view.reveal.benchmark_kind is BenchmarkKind.AGREED
    assert consensus["A3"].value == (
        f"Benchmark: the score of the agreed answers, {view.reveal.benchmark:.1f}."
    )
    # Every reviewer is compared, so no column says "Benchmark".
    values = [c.value for row in consensus.iter_rows() for c in row]
    assert "Benchmark" not in values and "Ali Rahimi" in values


def test_the_about_sheet(book: openpyxl.Workbook) -> None:
    ws = book["About"]
    cells = [(r[0], r[1] if len(r) > 1 else None) for r in ws.iter_rows(values_only=True)]
    assert cells[0][0] == "Calibration sessions"
    assert cells[1][0] == "Generated 2026-03-10 13:00 (Europe/Berlin) by Leila Navabi."
    about = dict(c for c in cells if c[0] and c[1])
    assert about["In this workbook"] == "3 revealed sessions"
    assert "0.80 or more is reliable, 0.667 or more is tentative" in about["Verdicts"]
    assert "Fewer than 5 sessions" in about["Verdicts"]
    assert "30 in all at most" in about["Pooled sessions"]
    assert "500 times" in about["Interval"]
    assert "ordinal" in about["Levels"] and "interval" in about["Levels"]
    assert ws.column_dimensions["B"].width == 90


def test_choosing_sessions_and_the_cap(services: Services, built: Built, tmp_path: Path) -> None:
    out = tmp_path / "some.xlsx"
    scope = CalibrationScope(form_id="support_call")
    result = export_calibration_workbook(services, out, scope, limit=1)
    assert result.sessions == 1
    wb = openpyxl.load_workbook(out)
    assert "Only the newest 1 of the 2 matching sessions" in wb["Sessions"]["A1"].value
    assert [r["Session"] for r in _table(wb["Sessions"])] == ["Billing calls, week 50"]
    chosen = export_calibration_workbook(
        services, out, CalibrationScope(session_ids=(built.week_51, built.week_49))
    )
    wb = openpyxl.load_workbook(out)
    assert chosen.sessions == 2  # in the order they were revealed
    assert [r["Session"] for r in _table(wb["Sessions"])] == [
        "Billing calls, week 49",
        "Follow-up, week 51",
    ]
    with pytest.raises(CalibrationRefusal) as too_many:
        export_calibration_workbook(
            services, out, CalibrationScope(session_ids=(built.week_49, built.week_50)), limit=1
        )
    assert str(too_many.value) == (
        "A calibration workbook holds at most 1 sessions; 2 are chosen. Choose fewer, or "
        "export by form and dates."
    )
    # Revealed on 2026-03-02 (Berlin): only week 50.
    day = datetime(2026, 3, 2).date()
    assert (
        export_calibration_workbook(services, out, CalibrationScope(None, day, day)).sessions == 1
    )
    nothing = CalibrationScope(None, datetime(2027, 1, 1).date(), None)
    assert export_calibration_workbook(services, out, nothing).sessions == 0
    wb = openpyxl.load_workbook(out)
    assert wb["Sessions"]["A1"].value.startswith(
        "No revealed calibration session matches: Form: All forms; Revealed: from 2027-01-01"
    )
    assert wb["Sessions"].max_row == 2  # the sentence and the header


def test_refusals_leave_no_file(services: Services, built: Built, tmp_path: Path) -> None:
    s = built.seed
    services.settings.set_current_reviewer(s.expert.id)
    interaction = services.interactions.find_interaction("call-0001")
    assert interaction is not None
    open_id, _ = services.calibration.create(
        SessionInput("Still open", interaction.id, s.version.id, s.expert.id, (s.reviewer.id,))
    )
    out = tmp_path / "no.xlsx"
    with pytest.raises(NotAllowedError, match="'Still open' is not revealed yet"):
        export_calibration_workbook(services, out, CalibrationScope(session_ids=(open_id,)))
    with pytest.raises(ExportError, match=r"does not end in \.xlsx"):
        export_calibration_workbook(services, tmp_path / "no.csv")
    with pytest.raises(ExportError, match="does not exist"):
        export_calibration_workbook(services, tmp_path / "missing" / "x.xlsx")
    with pytest.raises(ExportCancelled):
        export_calibration_workbook(services, out, cancelled=lambda: True)
    services.repos.settings.set(TEAM_ROLE, "agent")
    with pytest.raises(NotAllowedError, match="reviewers and supervisors only"):
        export_calibration_workbook(services, out)
    assert list(tmp_path.glob("*.xlsx")) == [] and not list(tmp_path.glob(".*tmp*"))


def test_progress_counts_sessions(services: Services, built: Built, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    export_calibration_workbook(
        services, tmp_path / "p.xlsx", progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(0, 4), (1, 4), (2, 4), (4, 4)]
