"""A coaching session travels: made with its action plan on one installation, it
arrives on another with its actions, agent, coach and cited evaluation; an edit of
the plan there comes back, and a delete takes the actions with it everywhere."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from qa_monitor.core.coaching import ActionItem
from qa_monitor.services import Services
from qa_monitor.services.coaching_service import SessionInput
from tests.factories import FakeClock
from tests.sync.conflict_setup import sync, two_sites

SUNDAY = date(2026, 3, 1)


def _one(services: Services, sql: str) -> int:
    return int(services.db.execute(sql).fetchone()[0])


def test_a_session_with_its_actions_travels_and_so_do_edits(tmp_path: Path) -> None:
    a, b, _folder = two_sites(tmp_path)
    with Services.open(a, clock=FakeClock()) as sa, Services.open(b, clock=FakeClock()) as sb:
        ev_a = _one(sa, "SELECT id FROM evaluations")
        saved = sa.coaching.create(
            SessionInput(
                agent_id=_one(sa, "SELECT id FROM agents"),
                coach_id=_one(sa, "SELECT id FROM reviewers WHERE name = 'Omid Karimi'"),
                held_on=SUNDAY,
                evaluation_ids=(ev_a,),
                questions=(("support_call", "greet"),),
                notes="Greetings",
                actions=(
                    ActionItem("Greet by name", "Sara Ahmadi", date(2026, 3, 8)),
                    ActionItem("Listen to two calls", "Omid Karimi"),
                ),
            )
        )
        sync(sa, sb)

        ev_b = _one(sb, "SELECT id FROM evaluations")
        (listed,) = sb.coaching.sessions(today=SUNDAY)
        detail = sb.coaching.detail(listed.row.id)
        assert (detail.agent_name, detail.coach_name) == ("Sara Ahmadi", "Omid Karimi")
        assert [e.id for e in detail.evaluations] == [ev_b]
        assert [(x.text, x.owner, x.due_date) for x in detail.session.actions] == [
            ("Greet by name", "Sara Ahmadi", date(2026, 3, 8)),
            ("Listen to two calls", "Omid Karimi", None),
        ]
        assert [c.session_id for c in sb.coaching.citing(ev_b)] == [listed.row.id]

        first, _second = detail.session.actions
        sb.coaching.update(
            listed.row.id,
            SessionInput(
                agent_id=detail.session.agent_id,
                coach_id=detail.session.coach_id,
                held_on=SUNDAY,
                evaluation_ids=(ev_b,),
                questions=detail.session.questions,
                notes="Greetings, edited there",
                actions=(first, ActionItem("Read the script aloud", "Sara Ahmadi")),
            ),
        )
        sb.coaching.set_done(first.id or 0, True)
        sync(sa, sb)

        back = sa.coaching.get(saved.session_id)
        assert back.notes == "Greetings, edited there"
        assert [(x.text, x.done_on) for x in back.actions] == [
            ("Greet by name", SUNDAY),
            ("Read the script aloud", None),
        ]

        sa.coaching.delete(saved.session_id)
        sync(sa, sb)
        for services in (sa, sb):
            assert _one(services, "SELECT count(*) FROM coaching_sessions") == 0
            assert _one(services, "SELECT count(*) FROM coaching_actions") == 0
