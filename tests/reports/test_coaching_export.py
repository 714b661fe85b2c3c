"""The coaching workbook's Coaching sheet, read back with openpyxl: each behaviour with
its follow-up figures, each action with its owner, due and done dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from qa_monitor.core.answers import Answer
from qa_monitor.core.coaching import ActionItem
from qa_monitor.reports.agent_feedback import export_agent_feedback
from qa_monitor.services import Services
from qa_monitor.services.coaching_service import SessionInput
from tests.factories import FakeClock, Seed, interaction_data, passing_answers, seed


def _evaluate(services: Services, s: Seed, day: date, greeted: bool) -> None:
    interaction = services.interactions.create_interaction(
        interaction_data(
            s.agent.id,
            started_at=datetime(day.year, day.month, day.day, 10, tzinfo=UTC),
            external_id=f"call-{day}",
        )
    )
    ev = services.evaluations.start_evaluation(interaction.id, s.version.id, s.reviewer.id)
    answers = dict(passing_answers())
    if not greeted:
        answers["greet"] = Answer("greet", "no", comment="no greeting")
    services.evaluations.save_draft(ev.id, answers)
    assert services.evaluations.submit(ev.id).ok


def test_the_coaching_sheet(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 4, 15, 9, tzinfo=UTC))
    out = tmp_path / "coaching.xlsx"
    with Services.open(tmp_path / "qa.db", clock=clock) as services:
        first = seed(services)
        for i in range(5):
            _evaluate(services, first, date(2026, 2, 2) + timedelta(days=i), greeted=i == 0)
            _evaluate(services, first, date(2026, 3, 2) + timedelta(days=i), greeted=True)
        services.coaching.create(
            SessionInput(
                first.agent.id,
                first.reviewer.id,
                date(2026, 3, 1),
                questions=(("support_call", "greet"),),
                notes="Greetings",
                actions=(
                    ActionItem("Greet by name", "Sara Ahmadi", date(2026, 4, 30)),
                    ActionItem("Listen to calls", "Omid Karimi", None, date(2026, 4, 2)),
                ),
            )
        )
        export_agent_feedback(
            services, first.agent.id, None, None, out, now=datetime(2026, 4, 15, tzinfo=UTC)
        )
    ws = openpyxl.load_workbook(out)["Coaching"]
    rows = [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]
    header_at = next(i for i, r in enumerate(rows) if r[0] == "Held on")
    header, body = rows[header_at], rows[header_at + 1 :]
    assert header[:4] == ("Held on", "Coach", "Row", "Behaviour, action or notes")
    assert [r[2] for r in body] == ["Behaviour", "Action", "Action", "Notes"]
    behaviour = dict(zip(header, body[0], strict=True))
    assert behaviour["Held on"] == datetime(2026, 3, 1)
    assert behaviour["Coach"] == "Omid Karimi"
    assert behaviour["Behaviour, action or notes"] == "Greeted the customer"
    # 1 of 5 before, 5 of 5 after: +80 points, Newcombe (0.1926, 0.9638).
    assert (behaviour["Scored before"], behaviour["Scored after"]) == (5, 5)
    assert behaviour["Full marks before"] == pytest.approx(0.2)
    assert behaviour["Full marks after"] == pytest.approx(1.0)
    assert behaviour["Change"] == pytest.approx(0.8)
    assert behaviour["Change from"] == pytest.approx(0.192591, abs=1e-6)
    assert behaviour["Change to"] == pytest.approx(0.963776, abs=1e-6)
    assert behaviour["Verdict"] == "Improved"
    action = dict(zip(header, body[2], strict=True))
    assert (action["Owner"], action["Due"], action["Done on"]) == (
        "Omid Karimi",
        None,
        datetime(2026, 4, 2),
    )
    assert ws.cell(row=3, column=12).number_format == "0.0%"  # the note, the header, then rows
