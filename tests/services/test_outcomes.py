"""Customer outcome data: the imports (counts, customer list, churn events) and the
figures the Outcomes screen shows, checked by hand on small data sets (issue 16)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from qa_monitor.services import Services
from qa_monitor.services.import_mapping import ImportKind
from qa_monitor.services.import_service import ImportService
from qa_monitor.services.outcome_service import Gap, Grain, OutcomeQuery, OutcomeService
from tests.factories import Seed, interaction_data


def _csv(path: Path, rows: list[list[object]]) -> Path:
    path.write_text("\n".join(",".join(str(c) for c in row) for row in rows) + "\n", "utf-8")
    return path


COUNT_HEADER = [
    "Period start",
    "Period end",
    "Team",
    "Customers at start",
    "Customers at end",
    "New customers",
]


@pytest.fixture
def imports(services: Services, seeded: Seed) -> ImportService:
    return ImportService.from_services(services)


def _report(services: Services, start: date, end: date, **kw: object) -> list:
    query = OutcomeQuery(start, end, **kw)  # type: ignore[arg-type]
    return list(OutcomeService(services.db).report(query).periods)


def test_crr_and_churn_of_the_articles_example_through_the_service(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    # S = 20 customers, 5 new, one leaves: E = 24 → CRR = (24 − 5) / 20 = 95 %.
    path = _csv(
        tmp_path / "counts.csv", [COUNT_HEADER, ["2026-01-01", "2026-01-31", "", 20, 24, 5]]
    )
    report = imports.run_import(path, ImportKind.CUSTOMER_COUNTS)
    assert (report.committed, report.created, report.refused) == (True, 1, ())
    (january,) = _report(services, date(2026, 1, 1), date(2026, 1, 31))
    assert january.crr.value == pytest.approx(95.0)
    assert january.crr.inputs == (("S", 20), ("E", 24), ("N", 5))
    # 19 of 20 kept: the Wilson interval of 0.95 with n = 20.
    assert january.crr.low == pytest.approx(76.39, abs=0.01)
    assert january.crr.high == pytest.approx(99.11, abs=0.01)
    assert january.base.lost == 1
    assert january.churn.value == pytest.approx(5.0)
    assert january.simple_index is None  # new customers joined: E / S would overstate


def test_simple_index_of_the_articles_example(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    # 352 customers at the start, none new, 298 at the end: 84.659…, shown as 84.7 %.
    path = _csv(
        tmp_path / "counts.csv", [COUNT_HEADER, ["2026-02-01", "2026-02-28", "", 352, 298, 0]]
    )
    imports.run_import(path, ImportKind.CUSTOMER_COUNTS)
    (february,) = _report(services, date(2026, 2, 1), date(2026, 2, 28))
    assert february.simple_index.value == pytest.approx(298 / 352 * 100)
    assert round(february.simple_index.value, 2) == 84.66
    assert february.simple_index.low is None  # not a share: no interval
    assert february.churn.value == pytest.approx(54 / 352 * 100)  # 15.34 %


def _surveys(
    services: Services, seeded: Seed, answers: list[tuple[int | None, int | None, int | None]]
) -> None:
    """One interaction per answer triple (CSAT, NPS, CES), on 10 March 2026."""
    from datetime import UTC, datetime

    for i, (csat, nps, ces) in enumerate(answers):
        when = datetime(2026, 3, 10, 9, i, tzinfo=UTC)
        data = interaction_data(seeded.agent.id, external_id=f"S-{i}", started_at=when)
        interaction = services.interactions.create_interaction(data)
        services.interactions.link_survey(interaction.id, csat=csat, nps=nps, ces=ces)


def test_nps_and_csat_by_hand(services: Services, seeded: Seed) -> None:
    nps_answers = [9, 10, 10, 9, 8, 7, 6, 3, 10, 8]  # 5 promoters, 2 detractors of 10
    csat_answers = [5, 5, 4, 4, 3, 2, 5, 4, None, None]  # 6 of 8 are 4 or 5
    _surveys(
        services, seeded, [(c, n, None) for c, n in zip(csat_answers, nps_answers, strict=True)]
    )
    (march,) = _report(services, date(2026, 3, 1), date(2026, 3, 31))
    assert march.nps.value == pytest.approx(30.0)  # 50 % − 20 %
    # Var = (0.5 + 0.2 − 0.3²) / 10 = 0.061; ± 1.96 × √0.061 = ± 48.41 points.
    assert march.nps.low == pytest.approx(30.0 - 48.408, abs=0.01)
    assert march.nps.high == pytest.approx(30.0 + 48.408, abs=0.01)
    assert march.csat.value == pytest.approx(75.0)
    assert march.csat.low == pytest.approx(40.93, abs=0.01)  # Wilson, 6 of 8
    assert march.csat.high == pytest.approx(92.85, abs=0.01)
    assert march.csat_mean.value == pytest.approx(32 / 8)
    assert march.base is None and march.gap is Gap.NO_COUNTS  # a period with no counts


def test_a_figure_below_the_minimum_n_is_not_shown(services: Services, seeded: Seed) -> None:
    _surveys(services, seeded, [(5, 10, 7), (4, 9, 6)])
    (march,) = _report(services, date(2026, 3, 1), date(2026, 3, 31))
    assert march.nps is None and march.csat is None and march.ces is None
    assert march.survey_n["nps"] == 2


def test_e_above_s_plus_n_is_refused_with_a_sentence_and_nothing_is_written(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path / "counts.csv",
        [
            COUNT_HEADER,
            ["2026-01-01", "2026-01-31", "", 100, 95, 5],
            ["2026-02-01", "2026-02-28", "", 95, 130, 20],
        ],
    )
    report = imports.run_import(path, ImportKind.CUSTOMER_COUNTS)
    assert not report.committed
    (problem,) = report.refused
    assert problem.row == 3 and problem.column == "Customers at end"
    assert "E (130) is more than S (95) plus N (20)" in str(problem)
    assert (
        OutcomeService(services.db).repo.stored_counts() == 0
    )  # nothing lost, nothing half-written
    # The good row goes in when the user asks for a partial import.
    partial = imports.run_import(path, ImportKind.CUSTOMER_COUNTS, allow_partial=True)
    assert (partial.created, len(partial.refused)) == (1, 1)


def test_reimporting_counts_updates_instead_of_adding(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    rows = [COUNT_HEADER, ["2026-01-01", "2026-01-31", "Billing", 20, 24, 5]]
    imports.run_import(_csv(tmp_path / "a.csv", rows), ImportKind.CUSTOMER_COUNTS)
    again = imports.run_import(_csv(tmp_path / "a.csv", rows), ImportKind.CUSTOMER_COUNTS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    rows[1][4] = 23
    changed = imports.run_import(_csv(tmp_path / "a.csv", rows), ImportKind.CUSTOMER_COUNTS)
    assert (changed.created, changed.updated) == (0, 1)
    assert OutcomeService(services.db).repo.stored_counts() == 1


def test_an_unknown_team_is_refused_with_what_to_do(imports: ImportService, tmp_path: Path) -> None:
    rows = [COUNT_HEADER, ["2026-01-01", "2026-01-31", "Nobody", 20, 24, 5]]
    report = imports.run_import(_csv(tmp_path / "a.csv", rows), ImportKind.CUSTOMER_COUNTS)
    (problem,) = report.refused
    assert "no team named 'Nobody'" in problem.reason and "roster" in problem.reason


def test_quarter_chains_its_months_and_a_gap_is_said(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    rows = [
        COUNT_HEADER,
        ["2026-01-01", "2026-01-31", "", 100, 98, 3],
        ["2026-02-01", "2026-02-28", "", 98, 97, 4],
        ["2026-03-01", "2026-03-31", "", 97, 99, 5],
        ["2026-04-01", "2026-04-30", "", 99, 99, 0],
        ["2026-06-01", "2026-06-30", "", 99, 98, 0],  # May is missing
    ]
    imports.run_import(_csv(tmp_path / "q.csv", rows), ImportKind.CUSTOMER_COUNTS)
    q1, q2 = _report(services, date(2026, 1, 1), date(2026, 6, 30), grain=Grain.QUARTER)
    assert (q1.base.start, q1.base.end, q1.base.new) == (100, 99, 12)
    assert q1.crr.value == pytest.approx((99 - 12) / 100 * 100)
    assert q2.base is None and q2.gap is Gap.NOT_CONSECUTIVE


def test_customer_list_gives_s_e_and_n(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    rows = [["Customer", "Customer since", "Left on"]]
    rows += [[f"C{i}", "2025-06-01", ""] for i in range(18)]  # stay
    rows += [["C18", "2025-06-01", "2026-01-20"], ["C19", "2025-06-01", "2026-01-31"]]
    rows += [[f"N{i}", "2026-01-10", ""] for i in range(5)]  # join in January
    rows += [["N5", "2026-01-12", "2026-01-25"]]  # joins and leaves in January
    report = imports.run_import(_csv(tmp_path / "c.csv", rows), ImportKind.CUSTOMERS)
    assert report.created == 26
    (january,) = _report(services, date(2026, 1, 1), date(2026, 1, 31))
    # S = 20 on 1 January. E = 18 stayers + 5 new = 23: a customer who left on the
    # 31st is gone at the period's end. N = 6 (N5 joined and left within January).
    assert (january.base.start, january.base.end, january.base.new) == (20, 23, 6)
    assert january.base.source == "customer list"
    # The formula assumes new customers stay: N5's leaving counts against S, so 85 %
    # where 18 of the 20 starting customers (90 %) stayed. It is the articles' formula.
    assert january.crr.value == pytest.approx((23 - 6) / 20 * 100)


def test_churn_event_for_an_unknown_customer_is_refused(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    imports.run_import(
        _csv(tmp_path / "c.csv", [["Customer", "Customer since"], ["C1", "2025-01-01"]]),
        ImportKind.CUSTOMERS,
    )
    rows = [
        ["Customer", "Churn date", "Reason"],
        ["C1", "2026-01-05", "Too expensive for us"],
        ["C404", "2026-01-06", "price"],
    ]
    report = imports.run_import(_csv(tmp_path / "churn.csv", rows), ImportKind.CHURN_EVENTS)
    assert not report.committed
    (problem,) = report.refused
    assert problem.row == 3
    assert "no customer 'C404' on the customer list or in the call log" in problem.reason
    partial = imports.run_import(
        _csv(tmp_path / "churn.csv", rows), ImportKind.CHURN_EVENTS, allow_partial=True
    )
    assert partial.created == 1
    (tally,) = OutcomeService(services.db).repo.churn_by_reason(date(2026, 1, 1), date(2026, 1, 31))
    assert (tally.reason, tally.reason_text, tally.n) == (
        "competitor_price",
        "Too expensive for us",
        1,
    )


def test_churn_reasons_pareto_grouped_by_acting_team(
    imports: ImportService, services: Services, seeded: Seed, tmp_path: Path
) -> None:
    customers = [["Customer", "Customer since"]] + [[f"C{i}", "2025-01-01"] for i in range(10)]
    imports.run_import(_csv(tmp_path / "c.csv", customers), ImportKind.CUSTOMERS)
    rows = [["Customer", "Churn date", "Reason"]]
    rows += [[f"C{i}", "2026-01-05", "Competitor"] for i in range(5)]
    rows += [[f"C{i}", "2026-01-06", "ROI and value"] for i in range(5, 8)]
    rows += [["C8", "2026-01-07", "Did not say"], ["C9", "2026-01-07", "Low usage"]]
    assert (
        imports.run_import(_csv(tmp_path / "ch.csv", rows), ImportKind.CHURN_EVENTS).created == 10
    )
    reasons = services.settings.churn_reasons()
    query = OutcomeQuery(date(2026, 1, 1), date(2026, 1, 31))
    report = OutcomeService(services.db).churn_reasons(query, reasons)
    assert [(r.code, r.n) for r in report.left] == [
        ("competitor_price", 5),
        ("roi_value", 3),
        ("low_usage", 1),
        ("other", 1),
    ]
    assert [round(r.cumulative) for r in report.left] == [50, 80, 90, 100]
    assert report.left[-1].texts == (("Did not say", 1),)  # kept as written
    assert report.by_team[0] == ("Marketing and sales", 5)
    assert report.left[0].acting_team == "Marketing and sales"


def test_a_quarter_with_counts_for_only_two_of_its_months_says_so(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    rows = [
        COUNT_HEADER,
        ["2026-01-01", "2026-01-31", "", 100, 98, 3],
        ["2026-02-01", "2026-02-28", "", 98, 97, 4],
    ]
    imports.run_import(_csv(tmp_path / "q.csv", rows), ImportKind.CUSTOMER_COUNTS)
    (q1,) = _report(services, date(2026, 1, 1), date(2026, 3, 31), grain=Grain.QUARTER)
    assert q1.base is None and q1.gap is Gap.PARTIAL
    january, february, march = _report(services, date(2026, 1, 1), date(2026, 3, 31))
    assert january.crr is not None and february.crr is not None
    assert march.gap is Gap.NO_COUNTS
