"""The review queue travels: a rule and the queue it built on one machine reach another,
a call scored there is done on both, and two machines that queue the same call make one
record of it (its uuid comes from the call's)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from qa_monitor.core.records import Channel
from qa_monitor.core.sampling import RuleKind, SamplingRule
from qa_monitor.services import Services
from qa_monitor.storage.sync_journal import SyncJournal
from tests.factories import FakeClock, interaction_data, passing_answers
from tests.sync.conflict_setup import sync, two_sites

SUNDAY = date(2026, 3, 1)


def _calls(services: Services, n: int) -> None:
    (agent,) = services.db.execute("SELECT id FROM agents").fetchone()
    for i in range(n):
        services.interactions.create_interaction(
            interaction_data(
                agent,
                external_id=f"q-{i}",
                channel=Channel.CHAT if i % 3 == 0 else Channel.PHONE,
                started_at=datetime(2026, 3, 2 + i % 5, 9, i, tzinfo=UTC),
                csat=1 if i % 4 == 0 else 5,
            )
        )


def test_a_queue_built_here_is_worked_there(tmp_path: Path) -> None:
    a, b, _folder = two_sites(tmp_path)
    with Services.open(a, clock=FakeClock()) as sa, Services.open(b, clock=FakeClock()) as sb:
        _calls(sa, 10)
        (form_id,) = sa.db.execute("SELECT form_id FROM form_versions").fetchone()
        (reviewer,) = sa.db.execute(
            "SELECT id FROM reviewers WHERE name = 'Omid Karimi'"
        ).fetchone()
        sa.queue.save_rule(
            SamplingRule(id=None, name="Weekly", form_id=form_id, per_agent=3, seed=5)
        )
        built = sa.queue.build(date(2026, 3, 2), reviewer_ids=[reviewer])
        assert built.added == 3
        sync(sa, sb)

        (reviewer_b,) = sb.db.execute(
            "SELECT id FROM reviewers WHERE name = 'Omid Karimi'"
        ).fetchone()
        mine_b = sb.queue.my_queue(reviewer_b)
        assert [q.external_id for q in mine_b] == [
            q.external_id for q in sa.queue.my_queue(reviewer)
        ]
        assert {q.rule_name for q in mine_b} == {"Weekly"}
        # Scored on b: done on both once the evaluation arrives.
        first = mine_b[0]
        (version,) = sb.db.execute("SELECT id FROM form_versions").fetchone()
        ev = sb.evaluations.start_evaluation(first.interaction_id, version, reviewer_b)
        sb.evaluations.save_draft(ev.id, passing_answers())
        assert sb.evaluations.submit(ev.id).ok
        sync(sa, sb)
        done_a = sa.queue.item_for_interaction(
            sa.db.execute(
                "SELECT id FROM interactions WHERE external_id = ?", [first.external_id]
            ).fetchone()[0]
        )
        assert done_a is not None and done_a.done
        assert SyncJournal(sa.db).digest() == SyncJournal(sb.db).digest()


def test_two_machines_that_queue_the_same_call_make_one_record(tmp_path: Path) -> None:
    a, b, _folder = two_sites(tmp_path)
    with Services.open(a, clock=FakeClock()) as sa, Services.open(b, clock=FakeClock()) as sb:
        _calls(sa, 8)
        (form_id,) = sa.db.execute("SELECT form_id FROM form_versions").fetchone()
        sa.queue.save_rule(
            SamplingRule(
                id=None, name="Unhappy", form_id=form_id, kind=RuleKind.EVERY,
                per_agent=None, max_csat=1,
            )
        )  # fmt: skip
        sync(sa, sb)
        # Both supervisors build the same week offline.
        assert sa.queue.build(date(2026, 3, 2)).added == 2
        assert sb.queue.build(date(2026, 3, 2)).added == 2
        sync(sa, sb)
        for s in (sa, sb):
            rows = s.db.execute(
                "SELECT i.external_id FROM queue_items q"
                " JOIN interactions i ON i.id = q.interaction_id ORDER BY 1"
            ).fetchall()
            assert rows == [("q-0",), ("q-4",)]
        assert SyncJournal(sa.db).digest() == SyncJournal(sb.db).digest()
