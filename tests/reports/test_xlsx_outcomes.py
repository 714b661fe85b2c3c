"""The workbook export's customer-outcome sheets: Outcomes (per month, with intervals
and a native chart) and Drivers (every comparison, the association note, a ranked
chart), written only when there is something to show."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from qa_monitor.core.answers import Answer
from qa_monitor.core.records import EvaluationFilter
from qa_monitor.services import Services
from qa_monitor.services.import_mapping import ImportKind
from qa_monitor.services.import_service import ImportService
from qa_monitor.services.outcome_export import export_workbook
from tests.factories import Seed, interaction_data, passing_answers, seed


@pytest.fixture
def services(tmp_path: Path):
    with Services.open(tmp_path / "qa.db") as opened:
        yield opened


def _calls(services: Services, seeded: Seed, greet: str, csats: list[int]) -> None:
    for i, csat in enumerate(csats):
        when = datetime(2026, 3, 2, 9, tzinfo=UTC) + timedelta(minutes=41 * i)
        data = interaction_data(seeded.agent.id, external_id=f"{greet}-{i}", started_at=when)
        interaction = services.interactions.create_interaction(data)
        started = services.evaluations.start_evaluation(
            interaction.id, seeded.version.id, seeded.reviewer.id
        )
        answers = dict(passing_answers())
        answers["greet"] = Answer("greet", greet, comment="" if greet == "yes" else "no hello")
        services.evaluations.save_draft(started.id, answers)
        assert services.evaluations.submit(started.id).ok
        services.interactions.link_survey(interaction.id, csat=csat)


def _charts(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(1 for n in z.namelist() if n.startswith("xl/charts/chart"))


def test_outcomes_and_drivers_sheets(services: Services, tmp_path: Path) -> None:
    seeded = seed(services)
    counts = tmp_path / "counts.csv"
    counts.write_text("Period start,Period end,S,E,N\n2026-03-01,2026-03-31,20,24,5\n", "utf-8")
    ImportService.from_services(services).run_import(counts, ImportKind.CUSTOMER_COUNTS)
    _calls(services, seeded, "yes", [5, 4] * 20)
    _calls(services, seeded, "no", [3, 2] * 20)
    path = tmp_path / "out.xlsx"
    flt = EvaluationFilter(
        date_from=datetime(2026, 3, 1).date(), date_to=datetime(2026, 3, 31).date()
    )
    result = export_workbook(services, flt, path, generated_by="test")
    assert result.sheets[-2:] == ("Outcomes", "Drivers")
    book = openpyxl.load_workbook(path)
    outcomes = book["Outcomes"]
    header = [c.value for c in outcomes[2]]
    march = [c.value for c in outcomes[3]]
    row = dict(zip(header, march, strict=True))
    assert row["Retention rate (CRR)"] == pytest.approx(0.95)
    assert row["Customers at start (S)"] == 20 and row["CSAT answers"] == 80
    assert row["CSAT (4–5 of 5)"] == pytest.approx(0.5)
    # 34 columns print three pages across at a readable size, each page with its month.
    assert outcomes.page_setup.fitToWidth == 3 and outcomes.page_setup.fitToHeight == 0
    assert outcomes.print_title_cols == "$A:$A" and outcomes.freeze_panes == "B3"
    drivers = book["Drivers"]
    assert "associations, not proof of cause" in drivers["A1"].value
    dheader = [c.value for c in drivers[2]]
    first = dict(zip(dheader, [c.value for c in drivers[3]], strict=True))
    assert first["Outcome"] == "CSAT mean (1–5)"  # the ranked CSAT rows come first
    assert first["Difference"] == pytest.approx(2.0) and first["Significant"] == "Yes"
    assert first["Question"] != "greet"  # the question's wording
    # Native charts: the Trend sheet's two and the Summary's, plus Outcomes and Drivers.
    assert _charts(path) >= 5


def test_no_outcome_sheets_without_outcome_data(services: Services, tmp_path: Path) -> None:
    seeded = seed(services)
    started = services.evaluations.start_evaluation(
        seeded.interaction.id, seeded.version.id, seeded.reviewer.id
    )
    services.evaluations.save_draft(started.id, passing_answers())
    services.evaluations.submit(started.id)
    # A customer reference is outcome data too (repeat contacts give FCR): none here.
    services.db.execute(
        "UPDATE interactions SET resolved_first_contact = NULL, retention = NULL,"
        " customer_ref = NULL"
    )
    result = export_workbook(services, EvaluationFilter(), tmp_path / "o.xlsx", generated_by="t")
    assert "Outcomes" not in result.sheets and "Drivers" not in result.sheets


def test_repeat_contact_fcr_in_both_sheets(services: Services, tmp_path: Path) -> None:
    """A call log with customer references and nothing else: the Outcomes sheet carries
    FCR from repeat contacts with what it judged, the Drivers sheet its comparisons."""
    seeded = seed(services)  # its call of 1 March is the call log's latest contact
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    for i in range(10):
        # Customers R0..R9 call once; R0..R3 call again 2 days later (repeats).
        for again in (0, 2) if i < 4 else (0,):
            data = interaction_data(
                seeded.agent.id,
                external_id=f"R{i}-{again}",
                started_at=start + timedelta(days=again, hours=i),
                customer_ref=f"R{i}",
                resolved_first_contact=None,
            )
            services.interactions.create_interaction(data)
    path = tmp_path / "r.xlsx"
    flt = EvaluationFilter(date_from=start.date(), date_to=start.date() + timedelta(days=20))
    result = export_workbook(services, flt, path, generated_by="test")
    assert "Outcomes" in result.sheets
    sheet = openpyxl.load_workbook(path)["Outcomes"]
    row = dict(zip([c.value for c in sheet[2]], [c.value for c in sheet[3]], strict=True))
    # 14 contacts, all judged (January is long past): 4 followed by a repeat.
    assert row["Contacts judged"] == 14 and row["Contacts inside their 7 days"] == 0
    assert row["FCR, no repeat in 7 days"] == pytest.approx(10 / 14)
    assert row["FCR (repeat) 95% low"] < 10 / 14 < row["FCR (repeat) 95% high"]
    assert row["FCR"] is None  # nothing reported
