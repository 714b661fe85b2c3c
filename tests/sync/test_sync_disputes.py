"""A dispute travels: recorded by a supervisor on one machine, re-reviewed by another
reviewer on a second, both machines end with the same evaluation, score, history and
digest, and nothing is left in either dispute queue."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from qa_monitor.core.answers import Answer
from qa_monitor.core.disputes import Decision, ReceivedVia
from qa_monitor.core.records import EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.services.dispute_service import DecisionInput
from qa_monitor.services.evidence_check import check_evidence
from qa_monitor.storage.rollups import rollup_differences
from qa_monitor.storage.sync_journal import SyncJournal
from tests.factories import FakeClock
from tests.sync.conflict_setup import sync, two_sites

SUNDAY = date(2026, 3, 1)


def _ids(services: Services, uuid: str) -> tuple[int, int]:
    (ev,) = services.db.execute("SELECT id FROM evaluations WHERE uuid = ?", [uuid]).fetchone()
    (expert,) = services.db.execute(
        "SELECT id FROM reviewers WHERE name = 'Leila Navabi'"
    ).fetchone()
    return int(ev), int(expert)


def test_a_dispute_recorded_here_is_re_reviewed_there(tmp_path: Path) -> None:
    a, b, _folder = two_sites(tmp_path)
    with Services.open(a, clock=FakeClock()) as sa, Services.open(b, clock=FakeClock()) as sb:
        (uuid,) = sa.db.execute("SELECT uuid FROM evaluations").fetchone()
        ev_a, expert_a = _ids(sa, uuid)
        sa.disputes.open_dispute(
            ev_a, {"verify": "I verified at 0:40"}, SUNDAY, ReceivedVia.EMAIL, expert_a
        )
        sync(sa, sb)

        ev_b, expert_b = _ids(sb, uuid)
        queue_b = sb.disputes.queue(SUNDAY)
        assert [i.evaluation_id for i in queue_b] == [ev_b]
        sb.disputes.assign(ev_b, expert_b, expert_b)
        before = sb.evaluations.get_evaluation(ev_b).score
        current = sb.evaluations.get_evaluation(ev_b).answers["verify"].value
        new_value = "no" if current == "yes" else "yes"
        sb.disputes.decide(
            ev_b,
            {
                "verify": DecisionInput(
                    Decision.OVERTURNED, "Heard it again", Answer("verify", new_value)
                )
            },
            expert_b,
            "The identity question changed.",
        )
        sync(sa, sb)

        for s, ev in ((sa, ev_a), (sb, ev_b)):
            evaluation = s.evaluations.get_evaluation(ev)
            assert evaluation.status is EvaluationStatus.RESOLVED
            assert evaluation.answers["verify"].value == new_value
            assert evaluation.score != before
            dispute = s.disputes.dispute_of(ev)
            assert dispute is not None and dispute.overturned == ("verify",)
            assert s.disputes.queue(SUNDAY) == []
            assert rollup_differences(s.db) == {}
            assert check_evidence(s.db) == []
            assert SyncJournal(s.db).conflicts() == []
        assert SyncJournal(sa.db).digest() == SyncJournal(sb.db).digest()
        # Both histories tell the same story, in the same order.
        history = [
            [(h.entry.action, h.entry.field, h.entry.new) for h in s.disputes.history(ev)]
            for s, ev in ((sa, ev_a), (sb, ev_b))
        ]
        assert history[0] == history[1]
