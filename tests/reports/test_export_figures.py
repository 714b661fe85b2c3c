"""Export figures a supervisor forwards, on hand-built data with known answers: critical
failures count only failing answers on critical questions (on every sheet), and every
export counts what the dashboard counts (regular, submitted evaluations) unless asked.

The data (``figures``): Sara's three regular, submitted evaluations on version 1 of the
sample form: one with two critical failures (identity not verified: section-critical;
no recording disclosure: form-critical) and two non-critical failing answers (no
greeting, not resolved); one passing; one where only the greeting fails. Then one
regular evaluation on version 2, where the greeting became form-critical, failing it;
one draft; one calibration and one self-review, both failing ``verify``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import CriticalLevel
from qa_monitor.core.records import EvaluationFilter, EvaluationKind, EvaluationStatus
from qa_monitor.reports.agent_feedback import export_agent_feedback
from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.reports.analytics_questions import question_pareto
from qa_monitor.reports.counting_rule import CountingRule, counted_sentence, parse_kinds
from qa_monitor.reports.csv_export import export_csv
from qa_monitor.reports.xlsx_export import export_workbook
from qa_monitor.services import Services
from qa_monitor.storage import export_questions
from tests.factories import (
    FakeClock,
    failing_answers,
    interaction_data,
    passing_answers,
    sample_form,
    seed,
)

NOW = datetime(2026, 3, 20, 9, 0).astimezone()


def _evaluate(
    services: Services,
    agent_id: int,
    version_id: int,
    reviewer_id: int,
    answers: dict[str, Answer] | None,
    kind: EvaluationKind = EvaluationKind.REGULAR,
    **interaction: object,
) -> int:
    call = services.interactions.create_interaction(interaction_data(agent_id, **interaction))
    ev = services.evaluations.start_evaluation(call.id, version_id, reviewer_id, kind)
    if answers is None:
        services.evaluations.save_draft(ev.id, passing_answers())
        return ev.id
    services.evaluations.save_draft(ev.id, answers)
    assert services.evaluations.submit(ev.id, reviewer_id).ok
    return ev.id


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    path = tmp_path_factory.mktemp("figures") / "qa.db"
    with Services.open(path, clock=FakeClock()) as services:
        s = seed(services)
        v1, sara, omid = s.version.id, s.agent.id, s.reviewer.id
        two_critical = {**failing_answers(), "disclosure": Answer("disclosure", "no")}
        only_greeting = {**passing_answers(), "greet": Answer("greet", "no", comment="none")}
        _evaluate(services, sara, v1, omid, two_critical, external_id="c1", contact_reason="Bill")
        _evaluate(services, sara, v1, omid, passing_answers(), external_id="c2")
        _evaluate(services, sara, v1, omid, only_greeting, external_id="c3")
        form = sample_form()
        greeting = form.sections[0]
        greet = replace(greeting.questions[0], critical=CriticalLevel.FORM)
        greeting = replace(greeting, questions=(greet, *greeting.questions[1:]))
        v2 = services.forms.publish_form(
            replace(form, sections=(greeting, *form.sections[1:])), s.expert.id
        ).id
        _evaluate(services, sara, v2, omid, only_greeting, external_id="c4")
        _evaluate(services, sara, v2, omid, None, external_id="c5")
        for n, kind in enumerate((EvaluationKind.CALIBRATION, EvaluationKind.SELF)):
            _evaluate(services, sara, v2, omid, failing_answers(), kind, external_id=f"k{n}")
        yield services


def _table(ws: Any) -> tuple[list[str], list[tuple]]:
    """(header, data rows) of a table sheet: the counting note, the header, the rows."""
    note, header, *rows = list(ws.iter_rows(values_only=True))
    assert str(note[0]).startswith("Counts evaluations of kind")
    return list(header), rows


def _by_question(header: list[str], rows: list[tuple], column: str) -> dict[str, object]:
    return {r[header.index("Question")]: r[header.index(column)] for r in rows}


# -- critical failures, per sheet ---------------------------------------------------------------
@pytest.mark.parametrize("search", ["", "c"])  # roll-ups, then raw answers (a search)
def test_questions_sheet_counts_failures_of_critical_questions_only(
    figures: Services, tmp_path: Path, search: str
) -> None:
    out = tmp_path / "q.xlsx"
    flt = EvaluationFilter(search=search)
    assert (export_questions.rollup_scope(flt) is None) == bool(search)
    export_workbook(figures, flt, out, generated_by="t", now=NOW)
    header, rows = _table(openpyxl.load_workbook(out)["Questions"])
    failures = _by_question(header, rows, "Critical failures")
    missed = _by_question(header, rows, "Missed")
    # The greeting failed three times: twice while not critical (version 1), once while
    # form-critical (version 2). Not resolving is never critical.
    assert missed["Greeted the customer"] == 3 and failures["Greeted the customer"] == 1
    assert missed["Resolved on first contact"] == 1
    assert failures["Resolved on first contact"] == 0
    assert failures["Verified identity"] == 1 and failures["Read the recording disclosure"] == 1
    assert sum(int(v or 0) for v in failures.values()) == 3


def test_coaching_overview_and_questions_to_work_on_agree(
    figures: Services, tmp_path: Path
) -> None:
    out = tmp_path / "coaching.xlsx"
    sara = figures.people.list_agents()[0]
    export_agent_feedback(figures, sara.id, date(2026, 1, 1), date(2026, 3, 31), out, now=NOW)
    wb = openpyxl.load_workbook(out)
    overview = {r[0]: (r[1], r[2]) for r in wb["Overview"].iter_rows(values_only=True) if r}
    header, rows = _table(wb["Questions to work on"])
    listed = _by_question(header, rows, "Critical failures")
    # Three failing answers on critical questions, in two evaluations.
    assert overview["Critical failures"] == (3, "on critical questions, in 2 evaluations")
    assert sum(int(v or 0) for v in listed.values()) == 3
    assert listed["Greeted the customer"] == 1 and listed["Resolved on first contact"] == 0
    assert overview["Evaluations"][0] == 4  # regular, submitted: no draft, calibration, self


def test_dashboard_pareto_counts_critical_failures_only(figures: Services) -> None:
    pareto = {q.question_id: q for q in question_pareto(figures.db, DashboardFilter())}
    assert pareto["greet"].missed == 3 and pareto["greet"].critical_failures == 1
    assert pareto["resolved"].critical_failures == 0
    assert pareto["verify"].critical_failures == 1


# -- one counting rule ------------------------------------------------------------------------
def _summary(path: Path) -> dict[object, tuple]:
    ws = openpyxl.load_workbook(path)["Summary"]
    return {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r and r[0]}


def test_summary_counts_regular_submitted_evaluations_by_default(
    figures: Services, tmp_path: Path
) -> None:
    out = tmp_path / "s.xlsx"
    export_workbook(figures, EvaluationFilter(), out, generated_by="t", now=NOW)
    summary = _summary(out)
    note = counted_sentence(CountingRule().apply(EvaluationFilter()))
    assert note in summary  # the line under the title
    assert note == (
        "Counts evaluations of kind regular with status submitted, acknowledged, disputed, "
        "resolved; drafts are left out."
    )
    assert summary["Evaluations"][0] == 4 and summary["Scored evaluations"][0] == 4
    # Two of the four failed critically (c1, c4); the calibration evaluation and the
    # self-review, both failing critically too, are not counted.
    assert summary["Critical-failure rate"][0] == pytest.approx(2 / 4)
    assert summary["Kinds"][0] == "regular"


def test_every_sheet_says_what_it_counts(figures: Services, tmp_path: Path) -> None:
    out = tmp_path / "all.xlsx"
    rule = CountingRule(include_drafts=True, kinds=parse_kinds("regular, self-review"))
    export_workbook(figures, EvaluationFilter(), out, generated_by="t", now=NOW, rule=rule)
    wb = openpyxl.load_workbook(out)
    note = (
        "Counts evaluations of kind regular, self-review with status draft, submitted, "
        "acknowledged, disputed, resolved; drafts are included."
    )
    for name in wb.sheetnames[1:]:
        assert wb[name]["A1"].value == note, name
    header, rows = _table(wb["Evaluations"])
    kinds = sorted((r[header.index("Kind")], r[header.index("Status")]) for r in rows)
    assert kinds == [
        ("Regular", "Draft"),
        *[("Regular", "Submitted")] * 4,
        ("Self-review", "Submitted"),
    ]
    assert _summary(out)["Evaluations"][0] == 6  # the calibration evaluation is left out


def test_csv_counts_like_the_workbook(figures: Services, tmp_path: Path) -> None:
    export_csv(figures, EvaluationFilter(), tmp_path / "d.csv")
    lines = (tmp_path / "d.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 4
    everything = CountingRule(True, tuple(EvaluationKind))
    result = export_csv(figures, EvaluationFilter(), tmp_path / "all.csv", rule=everything)
    assert result.evaluations == 7


def test_the_rule_narrows_a_filter_and_never_widens_it() -> None:
    rule = CountingRule()
    assert rule.apply(EvaluationFilter()).statuses == tuple(
        s for s in EvaluationStatus if s is not EvaluationStatus.DRAFT
    )
    assert rule.apply(EvaluationFilter()).kinds == (EvaluationKind.REGULAR,)
    disputed = EvaluationFilter(statuses=(EvaluationStatus.DISPUTED, EvaluationStatus.DRAFT))
    assert rule.apply(disputed).statuses == (EvaluationStatus.DISPUTED,)
    # Nothing the filter asks for is counted: no evaluation, never "any".
    drafts = rule.apply(EvaluationFilter(statuses=(EvaluationStatus.DRAFT,)))
    assert drafts.evaluation_ids == (0,)
    asked = CountingRule.asked_by(EvaluationFilter(kinds=(EvaluationKind.SELF,)))
    assert asked == CountingRule(False, (EvaluationKind.SELF,))
    with pytest.raises(ValueError, match="'weekly' is not a kind of evaluation"):
        parse_kinds("regular,weekly")


# -- customer reference and contact reason -----------------------------------------------------
def test_evaluations_sheet_and_csv_carry_customer_and_contact_reason(
    figures: Services, tmp_path: Path
) -> None:
    export_workbook(figures, EvaluationFilter(), tmp_path / "e.xlsx", generated_by="t", now=NOW)
    export_csv(figures, EvaluationFilter(), tmp_path / "e.csv")
    header, rows = _table(openpyxl.load_workbook(tmp_path / "e.xlsx")["Evaluations"])
    by_call = {r[header.index("External id")]: r for r in rows}
    first = by_call["c1"]
    assert first[header.index("Customer reference")] == "C-1001"
    assert first[header.index("Contact reason")] == "Bill"
    assert by_call["c2"][header.index("Contact reason")] is None
    csv_lines = (tmp_path / "e.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv_lines[0].split(",")[:12] == header[:12]
    assert any(",C-1001,Bill," in line for line in csv_lines)
