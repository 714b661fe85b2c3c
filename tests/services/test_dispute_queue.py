"""The dispute queue reads every open dispute's entries in one go: it gives what each
dispute read on its own gives, skips an evaluation marked disputed without dispute
entries, and its order is the deadline's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from qa_monitor.core.disputes import ReceivedVia
from qa_monitor.core.records import AuditAction, EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.services.dispute_service import DISPUTE_ACTIONS
from tests.factories import FakeClock, failing_answers, interaction_data, passing_answers, seed

SUNDAY, MONDAY = date(2026, 3, 1), date(2026, 3, 2)


def test_the_queue_reads_the_same_as_each_dispute_alone(tmp_path: Path) -> None:
    clock = FakeClock()
    with Services.open(tmp_path / "qa.db", clock=clock) as services:
        first = seed(services)
        ids = []
        for n, answers in enumerate([failing_answers(), passing_answers()] * 3):
            interaction = services.interactions.create_interaction(
                interaction_data(first.agent.id, external_id=f"call-{n}")
            )
            ev = services.evaluations.start_evaluation(
                interaction.id, first.version.id, first.reviewer.id
            )
            services.evaluations.save_draft(ev.id, answers)
            assert services.evaluations.submit(ev.id).ok
            ids.append(ev.id)
        clock.advance(days=1)
        for n, ev_id in enumerate(ids[:5]):
            reasons = {"greet": "I greeted", "empathy": "I was kind"} if n % 2 else {"verify": "x"}
            on = SUNDAY if n in (1, 3) else MONDAY
            services.disputes.open_dispute(ev_id, reasons, on, ReceivedVia.EMAIL, None)
        services.disputes.assign(ids[1], first.expert.id, first.expert.id)
        # As benchmarks/generate.py and older versions leave it: a status, no entries.
        services.evaluations.set_status(ids[5], EvaluationStatus.DISPUTED, None, "by hand")

        queue = services.disputes.queue(MONDAY)
        assert [i.evaluation_id for i in queue] == [ids[1], ids[3], ids[0], ids[2], ids[4]]
        for item in queue:
            alone = services.disputes.dispute_of(item.evaluation_id)
            assert alone is not None
            assert (item.disputed_on, item.deadline) == (alone.response.on, alone.response.deadline)
            assert item.questions == len(alone.questions)
        assert queue[0].re_reviewer_name == "Leila Navabi"
        assert {i.questions for i in queue} == {1, 2}

        # The batched read holds exactly the dispute actions, oldest first per evaluation.
        read = services.repos.audit.for_evaluations(ids, DISPUTE_ACTIONS)
        assert set(read) == set(ids[:5])
        for ev_id, entries in read.items():
            every = services.repos.audit.for_evaluation(ev_id)
            assert entries == [e for e in every if e.action in DISPUTE_ACTIONS]
            assert entries[0].action is AuditAction.RESPOND


def test_the_rates_count_through_the_analytics_index(tmp_path: Path) -> None:
    """Counting a reviewer's evaluations of a period reads one date range of the index
    that holds date, kind and reviewer, not every reviewer's range of another."""
    with Services.open(tmp_path / "qa.db") as services:
        seed(services)
        repo = services.repos.disputes
        source = repo._counted_evaluations()
        assert source == "evaluations INDEXED BY evaluations_analytics"
        plan = services.db.execute(
            f"EXPLAIN QUERY PLAN SELECT reviewer_id, count(*) FROM {source}"
            " WHERE status <> 'draft' AND kind = 'regular' AND interaction_date BETWEEN ? AND ?"
            " GROUP BY reviewer_id",
            ["2026-01-01", "2026-12-31"],
        ).fetchall()
        details = " ".join(str(row[-1]) for row in plan)
        assert "INDEX evaluations_analytics (interaction_date>? AND" in details, plan


def test_rates_totals_from_the_roll_ups_equal_the_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The per-reviewer totals read whole months from the reviewer roll-up and the edge
    months from the rows: equal to counting the rows, for any period."""
    from datetime import date, timedelta

    from qa_monitor.services import Services
    from qa_monitor.services.demo_data import DEMO_ANCHOR, build_demo_database

    path = tmp_path / "demo.db"
    build_demo_database(path)
    with Services.open(path) as services:
        repo = services.repos.disputes
        start = DEMO_ANCHOR - timedelta(days=400)
        periods = [
            (start, DEMO_ANCHOR),  # the whole history, ragged ends
            (date(2025, 1, 1), date(2025, 12, 31)),  # whole months only
            (date(2025, 3, 15), date(2025, 3, 20)),  # inside one month
            (date(2025, 2, 28), date(2025, 4, 1)),  # a day either side of whole months
            (date(2025, 5, 1), date(2025, 5, 31)),  # exactly one month
        ]
        for first, last in periods:
            assert repo._totals(first, last) == repo._raw_totals(first, last), (first, last)
        assert sum(repo._totals(start, DEMO_ANCHOR).values()) > 2000
