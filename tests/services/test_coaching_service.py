"""Coaching sessions on a real database: one transaction per session and its plan, the
plan replaced action by action, every refusal word for word, the list's filters, the
sessions citing an evaluation and the follow-up from real submitted answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from qa_monitor.core.answers import Answer
from qa_monitor.core.coaching import ActionItem, CoachingRefusal, Verdict
from qa_monitor.services import Services
from qa_monitor.services.coaching_service import SessionFilter, SessionInput
from qa_monitor.services.common import NotAllowedError
from qa_monitor.storage.settings_repo import TEAM_ROLE
from tests.factories import FakeClock, Seed, interaction_data, passing_answers

HELD = date(2026, 3, 1)  # the fake clock's day
GREET = ("support_call", "greet")


def _evaluate(services: Services, s: Seed, day: date, greeted: bool, agent_id: int = 0) -> int:
    interaction = services.interactions.create_interaction(
        interaction_data(
            agent_id or s.agent.id,
            started_at=datetime(day.year, day.month, day.day, 10, tzinfo=UTC),
            external_id=f"call-{day}-{greeted}-{agent_id}-{datetime.now().timestamp()}",
        )
    )
    ev = services.evaluations.start_evaluation(interaction.id, s.version.id, s.reviewer.id)
    answers = dict(passing_answers())
    if not greeted:
        answers["greet"] = Answer("greet", "no", comment="no greeting")
    services.evaluations.save_draft(ev.id, answers)
    assert services.evaluations.submit(ev.id).ok
    return ev.id


def _input(s: Seed, **kw: object) -> SessionInput:
    values: dict[str, object] = {
        "agent_id": s.agent.id,
        "coach_id": s.reviewer.id,
        "held_on": HELD,
        "questions": (GREET,),
        "notes": "Talked about greetings",
        "follow_weeks": 2,
    }
    values.update(kw)
    return SessionInput(**values)  # type: ignore[arg-type]


def test_a_session_and_its_plan_are_stored_together(services: Services, seeded: Seed) -> None:
    ev = _evaluate(services, seeded, date(2026, 2, 27), greeted=False)
    saved = services.coaching.create(
        _input(
            seeded,
            evaluation_ids=(ev,),
            actions=(
                ActionItem("Greet by name", "Sara Ahmadi", date(2026, 3, 8)),
                ActionItem("Listen to two good calls", "Omid Karimi"),
            ),
        )
    )
    assert saved.changes.programme
    detail = services.coaching.detail(saved.session_id)
    assert detail.agent_name == "Sara Ahmadi" and detail.coach_name == "Omid Karimi"
    assert [e.id for e in detail.evaluations] == [ev]
    assert detail.behaviours() == ["Greeted the customer"]
    assert [a.text for a in detail.session.actions] == [
        "Greet by name",
        "Listen to two good calls",
    ]
    uuids = services.db.execute("SELECT count(*) FROM coaching_actions WHERE uuid IS NULL")
    assert uuids.fetchone()[0] == 0  # the triggers gave every row its uuid
    (citation,) = services.coaching.citing(ev)
    assert (citation.held_on, citation.coach_name, citation.behaviours) == (
        HELD,
        "Omid Karimi",
        ("Greeted the customer",),
    )


def test_an_edit_updates_inserts_and_deletes_actions(services: Services, seeded: Seed) -> None:
    saved = services.coaching.create(
        _input(seeded, actions=(ActionItem("First"), ActionItem("Second")))
    )
    first, second = services.coaching.get(saved.session_id).actions
    uuid_of = "SELECT uuid FROM coaching_actions WHERE id = ?"
    second_uuid = services.db.execute(uuid_of, [second.id]).fetchone()[0]
    services.coaching.update(
        saved.session_id,
        _input(
            seeded,
            notes="Edited",
            actions=(ActionItem("First, reworded", id=first.id), ActionItem("Third")),
        ),
    )
    session = services.coaching.get(saved.session_id)
    assert session.notes == "Edited"
    assert [(a.id == first.id, a.text) for a in session.actions] == [
        (True, "First, reworded"),
        (False, "Third"),
    ]
    uuids = [services.db.execute(uuid_of, [a.id]).fetchone()[0] for a in session.actions]
    assert second_uuid not in uuids  # deleted (SQLite may give its id to the new one)
    services.coaching.set_done(first.id or 0, True)
    assert services.coaching.get(saved.session_id).actions[0].done_on == HELD
    services.coaching.set_done(first.id or 0, False)
    assert services.coaching.get(saved.session_id).actions[0].done_on is None
    services.coaching.delete(saved.session_id)
    assert services.db.execute("SELECT count(*) FROM coaching_actions").fetchone()[0] == 0


def _refused(services: Services, given: SessionInput) -> str:
    with pytest.raises(ValueError) as refused:
        services.coaching.create(given)
    return str(refused.value)


def test_refusals_word_for_word(services: Services, seeded: Seed) -> None:
    assert _refused(
        services,
        _input(seeded, actions=(ActionItem("Use the customer's name", "", date(2026, 2, 20)),)),
    ) == (
        "The action 'Use the customer's name' is due on 2026-02-20, which has passed; give "
        "a due date from today (2026-03-01) on."
    )
    assert _refused(services, _input(seeded, actions=(ActionItem(" "),))) == (
        "Action 1 of the plan has no text; say what is to be done, or remove the action."
    )
    assert _refused(services, _input(seeded, held_on=date(2026, 3, 2))) == (
        "The session date 2026-03-02 is after today (2026-03-01); record a session once it "
        "has been held."
    )
    assert _refused(services, _input(seeded, agent_id=None)) == (
        "Choose the agent who was coached; a coaching session is always about one agent."
    )
    assert _refused(services, _input(seeded, follow_weeks=0)) == (
        "A follow-up of 0 weeks is not possible; choose from 1 to 26 weeks."
    )
    other = services.people.add_agent("Reza Tehrani", team_id=seeded.team.id)
    theirs = _evaluate(services, seeded, date(2026, 2, 25), True, agent_id=other.id)
    assert _refused(services, _input(seeded, evaluation_ids=(theirs,))) == (
        "The evaluation of the interaction of 2026-02-25 is Reza Tehrani's, not Sara "
        "Ahmadi's; discuss only Sara Ahmadi's evaluations in this session."
    )
    assert _refused(services, _input(seeded, evaluation_ids=(99999,))) == (
        "One of the evaluations discussed no longer exists; untick it and save again."
    )
    assert services.db.execute("SELECT count(*) FROM coaching_sessions").fetchone()[0] == 0


def test_an_agents_login_cannot_write_coaching(services: Services, seeded: Seed) -> None:
    saved = services.coaching.create(_input(seeded))
    services.repos.settings.set(TEAM_ROLE, "agent")
    sentence = (
        "On the team server, supervisors and reviewers record coaching sessions; an "
        "agent's login cannot record or change them."
    )
    for attempt in (
        lambda: services.coaching.create(_input(seeded)),
        lambda: services.coaching.update(saved.session_id, _input(seeded)),
        lambda: services.coaching.delete(saved.session_id),
    ):
        with pytest.raises(NotAllowedError) as refused:
            attempt()
        assert str(refused.value) == sentence
    services.repos.settings.set(TEAM_ROLE, "reviewer")
    services.coaching.delete(saved.session_id)


def test_an_unchanged_past_due_date_is_kept_on_edit(
    services: Services, seeded: Seed, clock: FakeClock
) -> None:
    saved = services.coaching.create(
        _input(seeded, actions=(ActionItem("Greet by name", "", date(2026, 3, 3)),))
    )
    clock.advance(days=5)
    (action,) = services.coaching.get(saved.session_id).actions
    services.coaching.update(saved.session_id, _input(seeded, notes="later", actions=(action,)))
    moved = ActionItem(action.text, "", date(2026, 3, 4), id=action.id)
    with pytest.raises(CoachingRefusal):
        services.coaching.update(saved.session_id, _input(seeded, actions=(moved,)))
    (row,) = services.coaching.sessions(today=services.coaching.today())
    assert (row.row.open_actions, row.row.overdue_actions) == (1, 1)


def test_the_list_filters(services: Services, seeded: Seed) -> None:
    other_team = services.people.add_team("Sales")
    other = services.people.add_agent("Reza Tehrani", team_id=other_team.id)
    services.coaching.create(_input(seeded, actions=(ActionItem("Open one"),)))
    services.coaching.create(
        _input(seeded, agent_id=other.id, coach_id=seeded.expert.id, held_on=date(2026, 2, 1))
    )
    listed = services.coaching.sessions

    def agents(flt: SessionFilter) -> list[str]:
        return [s.row.agent_name for s in listed(flt, HELD)]

    assert agents(SessionFilter()) == ["Sara Ahmadi", "Reza Tehrani"]
    assert agents(SessionFilter(team_id=other_team.id)) == ["Reza Tehrani"]
    assert agents(SessionFilter(agent_id=seeded.agent.id)) == ["Sara Ahmadi"]
    assert agents(SessionFilter(coach_id=seeded.expert.id)) == ["Reza Tehrani"]
    assert agents(SessionFilter(held_from=date(2026, 2, 2))) == ["Sara Ahmadi"]
    assert agents(SessionFilter(held_to=date(2026, 2, 2))) == ["Reza Tehrani"]
    assert agents(SessionFilter(actions="open")) == ["Sara Ahmadi"]
    assert agents(SessionFilter(actions="overdue")) == []


def test_follow_up_counts_the_agents_scored_answers(
    services: Services, seeded: Seed, clock: FakeClock
) -> None:
    # Before (2026-02-15..2026-02-28): 5 calls, 1 greeted. After (03-02..03-15): 5, all.
    for i in range(5):
        _evaluate(services, seeded, date(2026, 2, 16) + timedelta(days=i), greeted=i == 0)
    saved = services.coaching.create(_input(seeded))
    for i in range(5):
        _evaluate(services, seeded, date(2026, 3, 2) + timedelta(days=i), greeted=True)
    _evaluate(services, seeded, HELD, greeted=False)  # the session's own day: neither window
    running = services.coaching.follow_up(saved.session_id, date(2026, 3, 10))
    (line,) = running.questions
    assert line.verdict is Verdict.RUNNING and running.ends == date(2026, 3, 15)
    assert (line.before.n, line.before.full_marks, line.after.n, line.after.full_marks) == (
        5,
        1,
        5,
        5,
    )
    done = services.coaching.follow_up(saved.session_id, date(2026, 3, 15))
    assert done.questions[0].verdict is Verdict.IMPROVED
    assert done.questions[0].change is not None
    assert done.questions[0].change.difference == pytest.approx(0.8)
    (listed,) = services.coaching.sessions(today=date(2026, 3, 15))
    assert listed.follow_up == done


def test_a_page_of_sessions_is_the_newest(services: Services, seeded: Seed) -> None:
    for day in (1, 2, 3):
        services.coaching.create(_input(seeded, held_on=date(2026, 2, day)))
    page = services.coaching.sessions(SessionFilter(limit=2), today=date(2026, 3, 1))
    assert [s.row.held_on for s in page] == [date(2026, 2, 3), date(2026, 2, 2)]
    everything = services.coaching.sessions(SessionFilter(), today=date(2026, 3, 1))
    assert len(everything) == 3
