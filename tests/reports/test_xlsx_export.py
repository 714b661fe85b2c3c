"""The Excel export as a supervisor opens it: values, types, formats, charts, safety."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, LineChart

from qa_monitor.core.answers import Answer
from qa_monitor.core.records import EvaluationFilter, EvaluationStatus
from qa_monitor.core.statistics import mean_confidence_interval
from qa_monitor.reports.agent_feedback import export_agent_feedback
from qa_monitor.reports.atomic_file import ExportCancelled, ExportError
from qa_monitor.reports.xlsx_export import export_workbook
from qa_monitor.reports.xlsx_sheets import sheet_title
from qa_monitor.reports.xlsx_tables import mean_interval
from qa_monitor.services import Services
from qa_monitor.services.demo_data import build_demo_database
from tests.factories import FakeClock, interaction_data, passing_answers, seed

INJECTIONS = ("=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(A1)", "\tTAB", "\rCR")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo_database(path)
    return path


@pytest.fixture(scope="module")
def exported(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "qa.xlsx"
    flt = EvaluationFilter(date_from=date(2026, 8, 1), date_to=date(2026, 10, 31))
    with Services.open(demo_db) as services:
        export_workbook(
            services,
            flt,
            out,
            generated_by="Test Supervisor",
            now=datetime(2026, 11, 15, 8, 0).astimezone(),
        )
    return out


@pytest.fixture(scope="module")
def book(exported: Path) -> Iterator[openpyxl.Workbook]:
    wb = openpyxl.load_workbook(exported)
    yield wb
    wb.close()


def _db_rows(demo_db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(demo_db) as conn:
        return conn.execute(sql, params).fetchall()


# Every table sheet: the counting note on row 1, the header on row 2, data from row 3.
HEADER, FIRST = 2, 3
COUNTED = "kind = 'regular' AND status <> 'draft'"  # the default counting rule, in SQL


def _header(ws) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.value for c in next(ws.iter_rows(min_row=HEADER, max_row=HEADER))]


def test_sheets_in_order(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Summary", "Evaluations", "Answers", "Agents", "Trend", "Questions"]


def test_every_evaluation_once_with_exact_scores(book: openpyxl.Workbook, demo_db: Path) -> None:
    ws = book["Evaluations"]
    header = _header(ws)
    expected = dict(
        _db_rows(
            demo_db,
            f"SELECT id, score FROM evaluations WHERE interaction_date BETWEEN ? AND ?"
            f" AND {COUNTED}",
            ("2026-08-01", "2026-10-31"),
        )
    )
    got = {}
    for row in ws.iter_rows(min_row=FIRST, values_only=True):
        got[row[header.index("Evaluation")]] = row[header.index("Score")]
    assert got.keys() == expected.keys()
    for eid, score in expected.items():
        # Rounded only by the number format; openpyxl writes 16 significant digits
        # (Excel itself keeps 15).
        assert got[eid] == pytest.approx(score, rel=1e-15, abs=0)


def test_types_and_number_formats(book: openpyxl.Workbook) -> None:
    ws = book["Evaluations"]
    header = _header(ws)
    row = next(ws.iter_rows(min_row=FIRST, max_row=FIRST))
    cell = {h: row[i] for i, h in enumerate(header)}
    assert isinstance(cell["Started"].value, datetime)
    assert cell["Started"].number_format == "yyyy-mm-dd hh:mm"
    assert isinstance(cell["Duration"].value, timedelta)
    assert cell["Duration"].number_format == "[h]:mm:ss"
    assert isinstance(cell["Score"].value, float | int)
    assert cell["Score"].number_format == "0.0"
    assert cell["Result"].value in ("Pass", "Fail")
    assert isinstance(cell["Evaluation"].value, int)
    assert "Soft skills (category)" in header
    trend = book["Trend"]
    first = next(trend.iter_rows(min_row=FIRST, max_row=FIRST))
    assert isinstance(first[0].value, datetime) and first[0].number_format == "mmm yyyy"
    assert first[3].number_format == "0.0%" and 0 <= first[3].value <= 1


def test_header_frozen_filtered_and_sized(book: openpyxl.Workbook) -> None:
    for name in ("Evaluations", "Answers", "Agents", "Trend", "Questions"):
        ws = book[name]
        assert ws.freeze_panes == "A3", name  # the note and the header stay in view
        last = openpyxl.utils.get_column_letter(ws.max_column)
        assert ws.auto_filter.ref == f"A2:{last}{ws.max_row}", name
        assert ws["A2"].font.b and ws["A1"].font.i, name
        for index, title in enumerate(_header(ws), 1):
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(index)].width
            assert width >= min(len(max(title.split(), key=len)), 60), (name, title)


def test_native_charts(book: openpyxl.Workbook) -> None:
    assert [type(c) for c in book["Trend"]._charts] == [LineChart, LineChart]
    assert [type(c) for c in book["Summary"]._charts] == [BarChart]


def test_conditional_formats_on_scores_and_failures(book: openpyxl.Workbook) -> None:
    ws = book["Evaluations"]
    rules = {str(r.sqref): [x.type for x in r.rules] for r in ws.conditional_formatting}
    score_col = openpyxl.utils.get_column_letter(_header(ws).index("Score") + 1)
    assert rules[f"{score_col}3:{score_col}{ws.max_row}"] == ["colorScale"]
    result_col = openpyxl.utils.get_column_letter(_header(ws).index("Result") + 1)
    assert rules[f"{result_col}3:{result_col}{ws.max_row}"] == ["cellIs", "cellIs"]


def test_summary_key_figures(book: openpyxl.Workbook, demo_db: Path) -> None:
    ws = book["Summary"]
    figures = {r[0].value: r[1] for r in ws.iter_rows() if r[0].value and len(r) > 1}
    ((n, mean, passed, with_pass),) = _db_rows(
        demo_db,
        "SELECT count(*), avg(score), total(passed), count(passed) FROM evaluations"
        f" WHERE interaction_date BETWEEN '2026-08-01' AND '2026-10-31' AND {COUNTED}",
    )
    assert figures["Evaluations"].value == n
    assert figures["Mean score"].value == pytest.approx(mean)
    assert figures["Pass rate"].value == pytest.approx(passed / with_pass)
    assert figures["Pass rate"].number_format == "0.0%"
    assert figures["Interaction dates"].value == "2026-08-01 to 2026-10-31"
    assert "Test Supervisor" in ws["A2"].value
    assert {"CSAT", "NPS", "CES (mean)"} <= set(figures)


def test_agents_sheet_has_intervals(book: openpyxl.Workbook) -> None:
    ws = book["Agents"]
    assert _header(ws)[:8] == [
        "Agent",
        "Team",
        "Month",
        "Evaluations",
        "Mean score",
        "95% CI low",
        "95% CI high",
        "Pass rate",
    ]
    rows = ws.iter_rows(min_row=FIRST, values_only=True)
    for _agent, _team, month, n, mean, low, high, rate in rows:
        assert isinstance(month, datetime) and month.day == 1
        if n > 1:
            assert low <= mean <= high
        assert rate is None or 0 <= rate <= 1


def test_mean_interval_matches_core_statistics() -> None:
    values = [71.5, 88.0, 93.25, 60.0, 100.0]
    core = mean_confidence_interval(values)
    assert core is not None
    assert mean_interval(values) == pytest.approx((core.mean, core.low, core.high), abs=1e-9)


def test_answers_sheet_labels(book: openpyxl.Workbook) -> None:
    ws = book["Answers"]
    header = _header(ws)
    rows = list(ws.iter_rows(min_row=FIRST, max_row=200, values_only=True))
    answers = {r[header.index("Answer")] for r in rows}
    assert "Yes" in answers or "Pass" in answers  # labels, not option ids
    assert all(isinstance(r[header.index("Date")], datetime) for r in rows)


# -- safety --------------------------------------------------------------------------------
@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[Services]:
    """A database whose names and comments try formula injection."""
    with Services.open(tmp_path / "qa.db", clock=FakeClock()) as services:
        s = seed(services)
        for i, text in enumerate(INJECTIONS):
            team = services.people.add_team(f"team {i} {text}".strip())
            agent = services.people.add_agent(text if i else "=1+1", team_id=team.id)
            interaction = services.interactions.create_interaction(
                interaction_data(agent.id, external_id=f"{text}-{i}")
            )
            ev = services.evaluations.start_evaluation(interaction.id, s.version.id, s.reviewer.id)
            answers = dict(passing_answers())
            answers["greet"] = Answer("greet", "yes", comment=text)
            services.evaluations.save_draft(ev.id, answers, overall_comment=text)
            assert (
                services.evaluations.submit(ev.id).evaluation.status is EvaluationStatus.SUBMITTED
            )
        yield services


def test_formula_injection_is_written_as_text(hostile: Services, tmp_path: Path) -> None:
    out = tmp_path / "hostile.xlsx"
    export_workbook(hostile, EvaluationFilter(), out, generated_by='=HYPERLINK("x")')
    wb = openpyxl.load_workbook(out)
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t\r\n":
                    assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.value)
                    seen += 1
    ev = wb["Evaluations"]
    header = _header(ev)
    rows = list(ev.iter_rows(min_row=FIRST, values_only=True))
    assert {"=1+1", "-2", "@SUM(A1)"} <= {r[header.index("Agent")] for r in rows}
    comments = {r[header.index("Overall comment")] for r in rows}
    assert {"=1+1", "-2", "@SUM(A1)", "\tTAB", "+cmd|' /C calc'!A0"} <= comments
    assert "\nCR" in comments  # XML keeps a carriage return as a line break; still text
    assert seen >= len(INJECTIONS) * 3


def test_sheet_names_are_made_valid() -> None:
    taken: set[str] = set()
    assert sheet_title("Q1/Q2: [draft]*?", taken) == "Q1_Q2_ _draft___"
    long = "A very long sheet name that Excel would refuse"
    first = sheet_title(long, taken)
    second = sheet_title(long, taken)
    assert len(first) == 31 and len(second) <= 31 and second.endswith(" (2)")
    assert sheet_title("'", taken) == "Sheet"
    assert sheet_title("SHEET", taken) == "SHEET (2)"  # names are unique ignoring case


def test_rows_past_the_limit_continue_on_numbered_sheets(hostile: Services, tmp_path: Path) -> None:
    out = tmp_path / "split.xlsx"
    # Four rows a sheet: the note, the header and two evaluations.
    result = export_workbook(hostile, EvaluationFilter(), out, generated_by="t", max_rows=4)
    wb = openpyxl.load_workbook(out)
    evaluation_sheets = [n for n in wb.sheetnames if n.startswith("Evaluations")]
    assert evaluation_sheets == ["Evaluations", "Evaluations (2)", "Evaluations (3)"]
    data_rows = sum(wb[n].max_row - 2 for n in evaluation_sheets)
    assert data_rows == result.evaluations == len(INJECTIONS)
    for name in evaluation_sheets:
        ws = wb[name]
        assert ws.max_row == 4 and ws["A2"].value == "Evaluation"
        assert ws["A1"].value.startswith("Counts evaluations of kind regular")
    answer_sheets = [n for n in wb.sheetnames if n.startswith("Answers")]
    assert sum(wb[n].max_row - 2 for n in answer_sheets) == result.answers
    assert wb.sheetnames.index("Evaluations (3)") < wb.sheetnames.index("Answers")


# -- failures leave nothing behind -------------------------------------------------------
def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".xlsx") or ".tmp" in p.name)


def test_target_that_is_a_folder(hostile: Services, tmp_path: Path) -> None:
    folder = tmp_path / "out.xlsx"
    folder.mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export_workbook(hostile, EvaluationFilter(), folder, generated_by="t")
    assert list(folder.iterdir()) == []


def test_missing_folder(hostile: Services, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        export_workbook(hostile, EvaluationFilter(), tmp_path / "no" / "x.xlsx", generated_by="t")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder(hostile: Services, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ExportError, match="permission denied"):
            export_workbook(hostile, EvaluationFilter(), folder / "x.xlsx", generated_by="t")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_file_locked_by_another_program(
    hostile: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "open.xlsx"
    target.write_bytes(b"the old workbook")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr("qa_monitor.reports.atomic_file.os.replace", locked)
    with pytest.raises(ExportError, match="open in another program"):
        export_workbook(hostile, EvaluationFilter(), target, generated_by="t")
    assert target.read_bytes() == b"the old workbook"
    assert _leftovers(tmp_path) == ["open.xlsx"]


def test_failure_midway_leaves_no_file(
    hostile: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kw: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("qa_monitor.reports.xlsx_export.write_summary", broken)
    with pytest.raises(RuntimeError):
        export_workbook(hostile, EvaluationFilter(), tmp_path / "x.xlsx", generated_by="t")
    assert _leftovers(tmp_path) == []


def test_cancel_leaves_no_file_and_progress_is_reported(hostile: Services, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    with pytest.raises(ExportCancelled):
        export_workbook(
            hostile,
            EvaluationFilter(),
            tmp_path / "x.xlsx",
            generated_by="t",
            progress=lambda d, t: calls.append((d, t)),
            cancelled=lambda: len(calls) >= 1,
        )
    assert _leftovers(tmp_path) == []
    calls.clear()
    export_workbook(
        hostile,
        EvaluationFilter(),
        tmp_path / "x.xlsx",
        generated_by="t",
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls[-1][0] == calls[-1][1] > 0
    assert _leftovers(tmp_path) == ["x.xlsx"]


# -- agent feedback ---------------------------------------------------------------------------
def test_agent_feedback_workbook(demo_db: Path, tmp_path: Path) -> None:
    with Services.open(demo_db) as services:
        agent = services.people.list_agents()[0]
        out = tmp_path / "coaching.xlsx"
        result = export_agent_feedback(
            services, agent.id, date(2026, 1, 1), date(2026, 11, 15), out, generated_by="Coach"
        )
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "Overview",
        "Questions to work on",
        "Comments",
        "Coaching",
        "Evaluations",
    ]
    overview = wb["Overview"]
    assert agent.name in overview["A1"].value
    assert [type(c) for c in overview._charts] == [LineChart]
    assert wb["Evaluations"].max_row - 2 == result.evaluations > 0
    column = _header(wb["Evaluations"]).index("Agent")
    agents = {r[column] for r in wb["Evaluations"].iter_rows(min_row=FIRST, values_only=True)}
    assert agents == {agent.name}
    weakest = list(wb["Questions to work on"].iter_rows(min_row=FIRST, values_only=True))
    assert weakest and all(r[5] for r in weakest[10:])  # past ten: critical failures only
    rates = [r[4] for r in weakest]
    assert rates == sorted(rates, reverse=True)
    comments = list(wb["Comments"].iter_rows(min_row=FIRST, values_only=True))
    assert comments and all(isinstance(r[0], datetime) for r in comments)


def test_agent_feedback_unknown_agent(demo_db: Path, tmp_path: Path) -> None:
    with Services.open(demo_db) as services, pytest.raises(ExportError, match="does not exist"):
        export_agent_feedback(services, 99_999, None, None, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_question_miss_rates_from_rollups_equal_the_raw_answers(demo_db: Path) -> None:
    from qa_monitor.storage import export_questions as eq

    flt = EvaluationFilter(date_from=date(2026, 5, 10), date_to=date(2026, 9, 20))
    with Services.open(demo_db) as services:
        scope = eq.rollup_scope(flt)
        assert scope is not None
        fast = eq._rollup_counts(services.db, scope)
        slow = eq._raw_counts(services.db, flt)
        assert fast.keys() == slow.keys() and fast
        for key, (n, missed, failing, earned, possible) in slow.items():
            assert fast[key][:3] == (n, missed, failing)
            assert fast[key][3:] == pytest.approx((earned, possible), abs=1e-3)
        searched = EvaluationFilter(search="a", statuses=(EvaluationStatus.SUBMITTED,))
        assert eq.rollup_scope(searched) is None
        assert eq.question_misses(services.db, searched)  # raw answers path


def test_category_scores_match_the_scoring_rule_exactly(demo_db: Path) -> None:
    from qa_monitor.core.scoring import _categories
    from qa_monitor.reports.export_columns import category_percents
    from qa_monitor.storage import export_queries as q

    with Services.open(demo_db) as services:
        flt = EvaluationFilter()
        layout = q.export_layout(services.db, flt)
        checked = 0
        for row, sections in q.evaluation_records(services.db, flt):
            if not sections:
                continue
            mode = layout.versions[row[q.E_VERSION_ID]].mode
            expected = {c.category: c.percent for c in _categories(sections, mode)}
            assert category_percents(sections, mode) == {
                k: v for k, v in expected.items() if v is not None
            }
            checked += 1
    assert checked > 2000
