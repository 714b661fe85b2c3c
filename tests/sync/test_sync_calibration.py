"""A calibration session travels: created on one installation, scored blind on another,
the score arrives in the session but stays out of the other reviewers' lists until the
reveal, which travels back with the panel's notes; the centre's bands are team-wide."""

from __future__ import annotations

from pathlib import Path

from qa_monitor.core.answers import Answer
from qa_monitor.core.calibration import Bands
from qa_monitor.core.records import EvaluationFilter, EvaluationKind
from qa_monitor.services import Services
from qa_monitor.services.calibration_service import SessionInput
from tests.factories import FakeClock, passing_answers
from tests.sync.conflict_setup import sync, two_sites

CALIBRATION = EvaluationFilter(kinds=(EvaluationKind.CALIBRATION,))


def _id(services: Services, sql: str, *params: object) -> int:
    return int(services.db.execute(sql, list(params)).fetchone()[0])


def _score(services: Services, session_id: int, reviewer: str, **changed: str) -> None:
    services.settings.set_current_reviewer(
        _id(services, "SELECT id FROM reviewers WHERE name = ?", reviewer)
    )
    evaluation_id = services.calibration.start(session_id)
    answers = dict(passing_answers())
    for qid, value in changed.items():
        answers[qid] = Answer(qid, value, comment="heard it")
    services.evaluations.save_draft(evaluation_id, answers)
    assert services.evaluations.submit(evaluation_id).ok


def test_a_session_scored_on_two_machines_stays_blind_until_revealed(tmp_path: Path) -> None:
    a, b, _folder = two_sites(tmp_path)
    with Services.open(a, clock=FakeClock()) as sa, Services.open(b, clock=FakeClock()) as sb:
        expert_a = _id(sa, "SELECT id FROM reviewers WHERE name = 'Leila Navabi'")
        sa.settings.set_current_reviewer(expert_a)
        sa.calibration.set_centre_bands(Bands(4, 8))
        session_a, _ = sa.calibration.create(
            SessionInput(
                title="Week 10",
                interaction_id=_id(sa, "SELECT id FROM interactions"),
                form_version_id=_id(sa, "SELECT id FROM form_versions"),
                expert_id=expert_a,
                reviewer_ids=(_id(sa, "SELECT id FROM reviewers WHERE name = 'Omid Karimi'"),),
                bands=sa.calibration.centre_bands(),
            )
        )
        sync(sa, sb)

        assert sb.calibration.centre_bands() == Bands(4, 8)
        (listed,) = sb.calibration.sessions()
        session_b = listed.id
        _score(sb, session_b, "Omid Karimi", greet="no")
        sync(sa, sb)

        # On a, the expert sees that Omid has scored, not what he scored.
        view = sa.calibration.view(session_a)
        assert [(p.name, p.state) for p in view.participants] == [
            ("Leila Navabi", "waiting"),
            ("Omid Karimi", "submitted"),
        ]
        assert sa.evaluations.list_evaluations(CALIBRATION) == []
        _score(sa, session_a, "Leila Navabi")
        sa.calibration.reveal(session_a)
        sa.calibration.set_note(session_a, "greet", Answer("greet", "yes"), "Counts.", True)
        sync(sa, sb)

        revealed = sb.calibration.revealed(session_b)
        assert revealed.reveal.bands == Bands(4, 8)
        (omid,) = revealed.reveal.results
        assert omid.participant.name == "Omid Karimi" and omid.deviation is not None
        assert omid.deviation < 0
        assert sb.calibration.notes(session_b)["greet"].note == "Counts."
        sb.settings.set_current_reviewer(
            _id(sb, "SELECT id FROM reviewers WHERE name = 'Leila Navabi'")
        )
        assert len(sb.evaluations.list_evaluations(CALIBRATION)) == 2
