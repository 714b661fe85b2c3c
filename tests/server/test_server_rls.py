"""Who may read and write what is decided by the server: roles and row-level security,
checked on a real PostgreSQL with each person's own login."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from qa_monitor.core.records import EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.services.common import NotAllowedError
from qa_monitor.services.sync_service import run_sync
from qa_monitor.services.sync_transport import TransportError
from tests.factories import FakeClock, interaction_data, passing_answers, seed
from tests.server.conftest import TeamDb
from tests.server.helpers import Site, local_id, server_count, submit


@pytest.fixture
def dbs(tmp_path: Path) -> Iterator[list[Services]]:
    opened = [Services.open(tmp_path / f"site{i}.db", clock=FakeClock()) for i in range(4)]
    yield opened
    for s in opened:
        s.close()


class Team:
    def __init__(self, team_db: TeamDb, dbs: list[Services]):
        sup, reza_db, sara_db, nima_db = dbs
        first = seed(sup)
        team = first.team.id
        nima = sup.people.add_agent("Nima Rahimi", team_id=team)
        reza = sup.people.add_reviewer("Reza Tehrani")
        sara_call = first.interaction.id
        nima_call = sup.interactions.create_interaction(
            interaction_data(nima.id, external_id="call-nima")
        ).id
        self.omid_on_sara = submit(sup, sara_call, first.version.id, first.reviewer.id)
        self.reza_on_nima = submit(sup, nima_call, first.version.id, reza.id)
        self.supervisor = Site(sup, team_db, *team_db.add("supervisor", name="Maryam"))
        self.supervisor.sync()
        self.reza = Site(reza_db, team_db, *team_db.add("reviewer", reviewer="Reza Tehrani"))
        self.sara = Site(sara_db, team_db, *team_db.add("agent", agent="Sara Ahmadi"))
        self.nima = Site(nima_db, team_db, *team_db.add("agent", agent="Nima Rahimi"))
        for site in (self.reza, self.sara, self.nima):
            site.sync()
        self.team_db = team_db

    def uuid(self, site: Site, table: str, local: int) -> str:
        row = site.s.db.execute(f"SELECT uuid FROM {table} WHERE id = ?", [local]).fetchone()
        return str(row[0])


@pytest.fixture
def team(team_db: TeamDb, dbs: list[Services], passfile_dir: Path) -> Team:
    return Team(team_db, dbs)


def _insert(conn: psycopg.Connection, entity: str, uuid: str, fields: dict, seq: int = 1) -> None:
    conn.execute(
        "INSERT INTO qa.changes (site, seq, hlc, entity, uuid, fields)"
        " VALUES (gen_random_uuid(), %s, 1, %s, %s, %s)",
        [seq, entity, uuid, json.dumps(fields)],
    )


def test_an_agent_reads_only_their_own_evaluations(team: Team) -> None:
    sara_ev = team.uuid(team.supervisor, "evaluations", team.omid_on_sara)
    nima_ev = team.uuid(team.supervisor, "evaluations", team.reza_on_nima)
    with team.team_db.login(team.sara.login, team.sara.password) as conn:
        rows = conn.execute(
            "SELECT DISTINCT uuid::text FROM qa.changes WHERE entity = 'evaluation'"
        ).fetchall()
        assert rows == [(sara_ev,)]
        assert conn.execute(
            "SELECT count(*) FROM qa.changes WHERE uuid = %s", [nima_ev]
        ).fetchone() == (0,)
        agents = conn.execute(
            "SELECT DISTINCT fields->>'name' FROM qa.changes WHERE entity = 'agent'"
        ).fetchall()
        assert agents == [("Sara Ahmadi",)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM qa.records")
    # Her installation holds her evaluation, her call and her own agent record only.
    db = team.sara.s.db
    assert [r[0] for r in db.execute("SELECT uuid FROM evaluations")] == [sara_ev]
    assert [r[0] for r in db.execute("SELECT name FROM agents")] == ["Sara Ahmadi"]
    assert db.execute("SELECT count(*) FROM interactions").fetchone()[0] == 1
    # Reviewers read everything.
    assert team.reza.s.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 2


def test_an_agent_may_acknowledge_their_evaluation_and_nothing_else(team: Team) -> None:
    sara = team.sara
    ev = int(sara.s.db.execute("SELECT id FROM evaluations").fetchone()[0])
    sara.s.evaluations.set_status(ev, EvaluationStatus.ACKNOWLEDGED, None)
    sara.sync()
    team.supervisor.sync()
    (status,) = team.supervisor.s.db.execute(
        "SELECT status FROM evaluations WHERE id = ?", [team.omid_on_sara]
    ).fetchone()
    assert status == "acknowledged"

    sara_ev = team.uuid(team.supervisor, "evaluations", team.omid_on_sara)
    nima_ev = team.uuid(team.supervisor, "evaluations", team.reza_on_nima)
    with team.team_db.login(sara.login, sara.password) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # content of her own
            _insert(conn, "evaluation", sara_ev, {"content": {"score": 100}})
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # someone else's
            _insert(conn, "evaluation", nima_ev, {"status": "disputed"})
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the roster
            _insert(conn, "team", "0190f000-0000-7000-8000-000000000001", {"name": "X"})


def test_an_agent_disputes_with_their_own_login_and_a_supervisor_re_reviews(
    team: Team,
) -> None:
    from datetime import date

    from qa_monitor.core.disputes import Decision, ReceivedVia
    from qa_monitor.services.dispute_service import DecisionInput

    sara, sup, reza = team.sara, team.supervisor, team.reza
    ev = int(sara.s.db.execute("SELECT id FROM evaluations").fetchone()[0])
    on = sara.s.evaluations.get_evaluation(ev).submitted_at.date()  # type: ignore[union-attr]
    with pytest.raises(NotAllowedError, match="in the agent's name"):
        sara.s.disputes.open_dispute(ev, {"greet": "x"}, on, ReceivedVia.AGENT_LOGIN, 1)
    sara.s.disputes.open_dispute(
        ev, {"greet": "I greeted at 0:02"}, on, ReceivedVia.AGENT_LOGIN, None
    )
    sara.sync()  # the server takes the status change, the response and the question
    sup.sync()
    queue = sup.s.disputes.queue(date(2026, 12, 31))
    assert [i.evaluation_id for i in queue] == [team.omid_on_sara]
    dispute = sup.s.disputes.dispute_of(team.omid_on_sara)
    assert dispute is not None and dispute.response.via is ReceivedVia.AGENT_LOGIN

    # Neither the agent nor a reviewer's login decides it; a supervisor's does.
    with pytest.raises(NotAllowedError, match="a supervisor's login assigns and records"):
        sara.s.disputes.decide(ev, {"greet": DecisionInput(Decision.UPHELD, "no")}, 1, "summary")
    reza.sync()
    sara_uuid = team.uuid(sup, "evaluations", team.omid_on_sara)
    (reza_ev,) = reza.s.db.execute(
        "SELECT id FROM evaluations WHERE uuid = ?", [sara_uuid]
    ).fetchone()
    with pytest.raises(NotAllowedError, match="a supervisor's login assigns and records"):
        reza.s.disputes.assign(reza_ev, 1, None)
    (expert,) = sup.s.db.execute("SELECT id FROM reviewers WHERE name = 'Leila Navabi'").fetchone()
    sup.s.disputes.decide(
        team.omid_on_sara,
        {"greet": DecisionInput(Decision.UPHELD, "No greeting in the recording")},
        expert,
        "The greeting was not heard.",
    )
    sup.sync()
    sara.sync()
    assert sara.s.evaluations.get_evaluation(ev).status is EvaluationStatus.RESOLVED
    assert sara.journal.pending_count("server") == 0


def test_an_agents_content_edit_is_refused_and_kept(team: Team) -> None:
    sara = team.sara
    ev = int(sara.s.db.execute("SELECT id FROM evaluations").fetchone()[0])
    answers = dict(passing_answers())
    answers["notes"] = answers["notes"].__class__("notes", "I would score it higher")
    sara.s.evaluations.edit_submitted(ev, answers, "better", None, "mine")
    before = server_count(team.team_db)
    with pytest.raises(TransportError) as caught:
        run_sync(sara.s.db, sara.server())
    assert str(caught.value).startswith(
        "The team server refused your change to Omid Karimi's evaluation of Sara Ahmadi's "
        "call on 2026-"
    )
    assert "An agent may only acknowledge or dispute their own evaluations" in str(caught.value)
    assert server_count(team.team_db) == before
    assert sara.journal.pending_count("server") > 0


def test_a_reviewer_cannot_change_another_reviewers_evaluation(team: Team) -> None:
    reza = team.reza
    omid_ev = int(
        reza.s.db.execute(
            "SELECT e.id FROM evaluations e JOIN reviewers r ON r.id = e.reviewer_id"
            " WHERE r.name = 'Omid Karimi'"
        ).fetchone()[0]
    )
    answers = dict(passing_answers())
    answers["notes"] = answers["notes"].__class__("notes", "Reza's opinion")
    reza.s.evaluations.edit_submitted(omid_ev, answers, "overruled", None, "I disagree")
    pending = reza.journal.pending_count("server")
    before = server_count(team.team_db)
    with pytest.raises(TransportError) as caught:
        run_sync(reza.s.db, reza.server())
    message = str(caught.value)
    assert "refused your change to Omid Karimi's evaluation of Sara Ahmadi's call" in message
    assert "A reviewer may change only their own evaluations" in message
    assert "Nothing was lost" in message
    # Nothing reached the server, nothing was lost here, and it is still waiting.
    assert server_count(team.team_db) == before
    assert reza.journal.pending_count("server") == pending
    (comment,) = reza.s.db.execute(
        "SELECT overall_comment FROM evaluations WHERE id = ?", [omid_ev]
    ).fetchone()
    assert comment == "overruled"
    team.supervisor.sync()
    (theirs,) = team.supervisor.s.db.execute(
        "SELECT overall_comment FROM evaluations WHERE id = ?", [team.omid_on_sara]
    ).fetchone()
    assert theirs != "overruled"


def test_a_reviewer_edits_their_own_and_scores_only_as_themselves(team: Team) -> None:
    reza = team.reza
    mine = int(
        reza.s.db.execute(
            "SELECT e.id FROM evaluations e JOIN reviewers r ON r.id = e.reviewer_id"
            " WHERE r.name = 'Reza Tehrani'"
        ).fetchone()[0]
    )
    answers = dict(passing_answers())
    answers["notes"] = answers["notes"].__class__("notes", "second listen")
    reza.s.evaluations.edit_submitted(mine, answers, "revised", None, "re-listened")
    reza.sync()
    # Scoring a new call in Omid's name is refused.
    call = reza.s.interactions.create_interaction(
        interaction_data(local_id(reza.s, "agents", "Sara Ahmadi"), external_id="call-new")
    )
    version = int(reza.s.db.execute("SELECT id FROM form_versions").fetchone()[0])
    submit(reza.s, call.id, version, local_id(reza.s, "reviewers", "Omid Karimi"))
    with pytest.raises(TransportError, match="A reviewer may change only their own"):
        run_sync(reza.s.db, reza.server())


def test_a_reviewers_login_may_not_change_the_team_settings_here(team: Team) -> None:
    """The role the server gives is kept, so the app never makes a change to the team's
    settings that the server would refuse (and that would hold up later changes)."""
    reza, sup = team.reza, team.supervisor
    reza.sync()
    sup.sync()
    assert not reza.s.settings.team_choices_allowed()
    with pytest.raises(NotAllowedError):
        reza.s.settings.set_week_start(5)
    assert sup.s.settings.team_choices_allowed()
    sup.s.settings.set_week_start(5)
    sup.sync()
    reza.sync()
    assert reza.s.settings.centre().week_start == 5


def test_only_supervisors_and_admins_edit_the_roster_and_publish_forms(team: Team) -> None:
    reza = team.reza
    reza.s.people.add_team("Retention")
    with pytest.raises(TransportError) as caught:
        run_sync(reza.s.db, reza.server())
    assert "refused your change to the team 'Retention'" in str(caught.value)
    assert "Only supervisors and admins edit the roster and publish forms" in str(caught.value)
    with (
        team.team_db.login(reza.login, reza.password) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        _insert(conn, "form_version", "0190f000-0000-7000-8000-000000000002", {"version": 9})
    # A supervisor's roster change goes through.
    sup = team.supervisor
    sup.s.people.add_team("Retention")
    sup.sync()
    assert server_count(team.team_db, "entity = 'team'") == 2


def test_nobody_rewrites_or_deletes_a_change(team: Team) -> None:
    sup = team.supervisor
    with team.team_db.login(sup.login, sup.password) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE qa.changes SET deleted = true")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM qa.changes")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # cursor is the server's
            conn.execute(
                "INSERT INTO qa.changes (cursor, site, seq, hlc, entity, uuid, fields)"
                " VALUES (1e12, gen_random_uuid(), 1, 1, 'team', gen_random_uuid(), '{}')"
            )
    with team.team_db.admin() as conn, pytest.raises(psycopg.errors.RaiseException):
        conn.execute("DELETE FROM qa.changes")


def test_reviewers_work_the_queue_and_coach_but_only_supervisors_set_rules(team: Team) -> None:
    """The programme's records on the server (issue 14): a supervisor's rule and queue
    reach a reviewer, whose skip and coaching session go back; a reviewer's rule is
    refused with its sentence; an agent reads their own coaching session only."""
    from datetime import date

    from qa_monitor.core.sampling import SamplingRule

    sup, reza, sara, nima = team.supervisor, team.reza, team.sara, team.nima
    form_id = sup.s.db.execute("SELECT form_id FROM form_versions").fetchone()[0]
    for i in range(3):
        sup.s.interactions.create_interaction(
            interaction_data(1, external_id=f"queue-{i}")  # Sara's calls, 2026-03-01
        )
    sup.s.queue.save_rule(SamplingRule(id=None, name="Weekly", form_id=form_id, per_agent=2))
    built = sup.s.queue.build(date(2026, 3, 1))
    assert built.added == 2
    sup.sync()
    reza.sync()
    assert reza.s.db.execute("SELECT count(*) FROM queue_items").fetchone() == (2,)
    # A reviewer skips a call; the supervisor sees it.
    (item,) = reza.s.db.execute("SELECT id FROM queue_items LIMIT 1").fetchone()
    reza.s.queue.skip(item, "recording missing")
    (sara_agent,) = reza.s.db.execute("SELECT id FROM agents WHERE name = 'Sara Ahmadi'").fetchone()
    reza.s.db.execute(
        "INSERT INTO coaching_sessions (agent_id, held_on, notes, created_at)"
        " VALUES (?, '2026-03-02', 'Greeting', '2026-03-02T10:00:00Z')",
        [sara_agent],
    )
    reza.sync()
    sup.sync()
    assert sup.s.db.execute(
        "SELECT status, note FROM queue_items WHERE status = 'skipped'"
    ).fetchall() == [("skipped", "recording missing")]
    assert sup.s.db.execute("SELECT count(*) FROM coaching_sessions").fetchone() == (1,)
    # The agent reads their own session, another agent does not.
    sara.sync()
    nima.sync()
    assert sara.s.db.execute("SELECT notes FROM coaching_sessions").fetchall() == [("Greeting",)]
    assert nima.s.db.execute("SELECT count(*) FROM coaching_sessions").fetchone() == (0,)
    # A reviewer's login is refused a sampling rule: by the app, and by the server.
    with pytest.raises(NotAllowedError, match="a supervisor's login sets sampling rules"):
        reza.s.queue.save_rule(SamplingRule(id=None, name="Mine", form_id=form_id))
    reza.s.db.execute(
        "INSERT INTO sampling_rules (name, form_id, kind, per_agent, created_at)"
        " VALUES ('Mine', ?, 'sample', 2, '2026-03-02T10:00:00Z')",
        [form_id],
    )
    with pytest.raises(TransportError) as caught:
        run_sync(reza.s.db, reza.server())
    assert str(caught.value).startswith(
        "The team server refused your change to a sampling rule. Only supervisors and admins"
        " set sampling rules. Nothing was lost"
    )


def test_a_reviewer_scores_a_calibration_session_through_the_server(team: Team) -> None:
    """Calibration (issue 15) on the server: a supervisor's session reaches the invited
    reviewer, whose blind score joins it on the supervisor's site; the reveal and the
    panel's note come back; agents never receive a session."""
    from qa_monitor.core.answers import Answer
    from qa_monitor.services.calibration_service import SessionInput

    sup, reza, sara = team.supervisor, team.reza, team.sara
    expert = local_id(sup.s, "reviewers", "Leila Navabi")
    version = int(sup.s.db.execute("SELECT id FROM form_versions").fetchone()[0])
    sup.s.settings.set_current_reviewer(expert)
    session, _ = sup.s.calibration.create(
        SessionInput(
            title="Week 10",
            interaction_id=int(sup.s.db.execute("SELECT min(id) FROM interactions").fetchone()[0]),
            form_version_id=version,
            expert_id=expert,
            reviewer_ids=(local_id(sup.s, "reviewers", "Reza Tehrani"),),
        )
    )
    sup.sync()
    reza.sync()
    reza.s.settings.set_current_reviewer(local_id(reza.s, "reviewers", "Reza Tehrani"))
    (listed,) = reza.s.calibration.sessions()
    assert listed.mine == "todo"
    draft = reza.s.calibration.start(listed.id)
    answers = dict(passing_answers())
    answers["greet"] = Answer("greet", "no", comment="not heard")
    reza.s.evaluations.save_draft(draft, answers)
    assert reza.s.evaluations.submit(draft).ok
    reza.sync()
    sup.sync()
    view = sup.s.calibration.view(session)
    assert [(p.name, p.state) for p in view.participants] == [
        ("Leila Navabi", "waiting"),
        ("Reza Tehrani", "submitted"),
    ]
    mine = sup.s.calibration.start(session)
    sup.s.evaluations.save_draft(mine, passing_answers())
    assert sup.s.evaluations.submit(mine).ok
    sup.s.calibration.reveal(session)
    sup.s.calibration.set_note(session, "greet", Answer("greet", "no"), "Not heard.")
    sup.sync()
    reza.sync()
    revealed = reza.s.calibration.revealed(listed.id)
    assert [r.participant.name for r in revealed.reveal.results] == ["Reza Tehrani"]
    assert reza.s.calibration.notes(listed.id)["greet"].note == "Not heard."
    sara.sync()
    assert sara.s.db.execute("SELECT count(*) FROM calibration_sessions").fetchone() == (0,)
