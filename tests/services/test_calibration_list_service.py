"""The Calibration screen's worker-thread reads say what the service says: the list
with the current reviewer's part, an open session's states (no scores), a revealed
session's comparison."""

from __future__ import annotations

from qa_monitor.core.answers import Answer
from qa_monitor.services import Services
from qa_monitor.services.calibration_list_service import (
    CalibrationListService,
    RevealView,
    SessionView,
)
from qa_monitor.services.calibration_service import SessionInput
from tests.factories import Seed, passing_answers


def _score(services: Services, session_id: int, reviewer_id: int, **changed: str) -> None:
    services.settings.set_current_reviewer(reviewer_id)
    evaluation_id = services.calibration.start(session_id)
    answers = dict(passing_answers())
    for qid, value in changed.items():
        answers[qid] = Answer(qid, value, comment="x")
    services.evaluations.save_draft(evaluation_id, answers)
    assert services.evaluations.submit(evaluation_id).ok


def test_the_reader_agrees_with_the_service(services: Services, seeded: Seed) -> None:
    services.settings.set_current_reviewer(seeded.expert.id)
    session_id, _ = services.calibration.create(
        SessionInput(
            "Week 49",
            seeded.interaction.id,
            seeded.version.id,
            seeded.expert.id,
            (seeded.reviewer.id,),
        )
    )
    reader = CalibrationListService(services.path)
    _score(services, session_id, seeded.expert.id)
    services.settings.set_current_reviewer(seeded.reviewer.id)
    (listed,) = reader.sessions(mine_only=True, limit=10)
    assert (listed.title, listed.submitted, listed.invited, listed.mine) == (
        "Week 49",
        1,
        2,
        "todo",
    )
    view = reader.detail(session_id)
    assert isinstance(view, SessionView)
    assert [p.state for p in view.participants] == ["submitted", "waiting"]

    _score(services, session_id, seeded.reviewer.id, greet="no")
    services.settings.set_current_reviewer(seeded.expert.id)
    services.calibration.reveal(session_id)
    shown = reader.detail(session_id)
    assert isinstance(shown, RevealView)
    expected = services.calibration.revealed(session_id)
    assert shown.reveal.results == expected.reveal.results
    assert shown.score_alpha == expected.score_alpha
