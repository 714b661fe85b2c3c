"""Calibration sessions on a real database: blind scoring (nobody sees another's answers
until the reveal, in the session or in the Evaluations list), joining the session on
submit, the reveal's refusals word for word, the comparison with the expert or the
panel, notes, and guidance fed back into a draft of the form."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qa_monitor.core.answers import Answer
from qa_monitor.core.calibration import Band, Bands, BenchmarkKind, CalibrationRefusal
from qa_monitor.core.records import EvaluationFilter, EvaluationKind
from qa_monitor.services import Services
from qa_monitor.services.calibration_service import SessionInput
from qa_monitor.services.common import NotAllowedError
from qa_monitor.storage.settings_repo import TEAM_ROLE
from tests.factories import FakeClock, Seed, passing_answers


def _panel(services: Services, s: Seed) -> list[int]:
    """Three more reviewers: Ali, Mina, Reza."""
    return [services.people.add_reviewer(n).id for n in ("Ali Rahimi", "Mina Sadr", "Reza Amini")]


def _as(services: Services, reviewer_id: int | None) -> None:
    services.settings.set_current_reviewer(reviewer_id)


def _score(services: Services, session_id: int, reviewer_id: int, **changed: object) -> int:
    """The reviewer starts the session's draft, answers and submits it."""
    _as(services, reviewer_id)
    evaluation_id = services.calibration.start(session_id)
    answers = dict(passing_answers())
    for qid, value in changed.items():
        answers[qid] = value if isinstance(value, Answer) else Answer(qid, value)
    services.evaluations.save_draft(evaluation_id, answers)
    result = services.evaluations.submit(evaluation_id)
    assert result.ok, result.problems
    return evaluation_id


def _session(services: Services, s: Seed, panel: list[int], **kw: object) -> int:
    _as(services, s.expert.id)
    given = SessionInput(
        title="Billing calls, week 49",
        interaction_id=s.interaction.id,
        form_version_id=s.version.id,
        expert_id=s.expert.id,
        reviewer_ids=(s.reviewer.id, *panel),
    )
    session_id, changes = services.calibration.create(replace(given, **kw))  # type: ignore[arg-type]
    assert changes.programme
    return session_id


def test_scoring_is_blind_until_the_reveal(services: Services, seeded: Seed) -> None:
    panel = _panel(services, seeded)
    session_id = _session(services, seeded, panel)
    expert = _score(services, session_id, seeded.expert.id)
    missed = Answer("greet", "no", comment="x")
    omid = _score(services, session_id, seeded.reviewer.id, greet=missed)
    view = services.calibration.view(session_id)
    assert [(p.name, p.state) for p in view.participants] == [
        ("Leila Navabi", "submitted"),
        ("Omid Karimi", "submitted"),
        ("Ali Rahimi", "waiting"),
        ("Mina Sadr", "waiting"),
        ("Reza Amini", "waiting"),
    ]
    # Omid sees his own evaluation in the list, not the expert's; Ali sees neither.
    everything = EvaluationFilter(kinds=(EvaluationKind.CALIBRATION,))
    assert [r.id for r in services.evaluations.list_evaluations(everything)] == [omid]
    _as(services, panel[0])
    assert services.evaluations.list_evaluations(everything) == []
    assert services.evaluations.count_evaluations(everything) == 0
    with pytest.raises(NotAllowedError) as refused:
        services.calibration.revealed(session_id)
    assert str(refused.value) == (
        "The session 'Billing calls, week 49' is not revealed yet; its answers stay hidden "
        "until it is (2 of 5 have submitted)."
    )
    # The reveal: the list shows both to everyone.
    _as(services, seeded.expert.id)
    with pytest.raises(CalibrationRefusal) as waiting:
        services.calibration.reveal(session_id)
    assert str(waiting.value) == (
        "2 of 5 reviewers have submitted; Ali Rahimi, Mina Sadr, Reza Amini have not. Reveal "
        "anyway, and their scores will not count in this session."
    )
    services.calibration.reveal(session_id, force=True)
    _as(services, panel[0])
    listed = services.evaluations.list_evaluations(everything)
    assert sorted(r.id for r in listed) == sorted([expert, omid])
    # Too late to join: Ali's score after the reveal would not be blind.
    with pytest.raises(CalibrationRefusal, match="was revealed"):
        services.calibration.start(session_id)


def test_the_reveal_needs_two_scores_and_the_expert(services: Services, seeded: Seed) -> None:
    panel = _panel(services, seeded)
    session_id = _session(services, seeded, panel)
    _as(services, seeded.expert.id)
    with pytest.raises(CalibrationRefusal) as none:
        services.calibration.reveal(session_id, force=True)
    assert str(none.value) == (
        "0 of 5 reviewers have submitted; a session is revealed once at least two have."
    )
    _score(services, session_id, panel[0])
    _score(services, session_id, panel[1])
    _as(services, seeded.expert.id)
    with pytest.raises(CalibrationRefusal) as no_expert:
        services.calibration.reveal(session_id, force=True)
    assert str(no_expert.value) == (
        "The expert has not submitted yet; the others are compared with the expert, so the "
        "session is revealed after the expert scores."
    )
    # A reviewer who is neither the expert nor the creator may not reveal on a server.
    services.repos.settings.set(TEAM_ROLE, "reviewer")
    _as(services, panel[0])
    with pytest.raises(NotAllowedError) as who:
        services.calibration.reveal(session_id, force=True)
    assert str(who.value) == (
        "Only the session's expert, whoever created it, or a supervisor may reveal the "
        "calibration session 'Billing calls, week 49'."
    )


def test_the_reveal_compares_each_reviewer_with_the_expert(
    services: Services, seeded: Seed
) -> None:
    panel = _panel(services, seeded)
    session_id = _session(services, seeded, panel)
    scores = {}
    scores["expert"] = _score(services, session_id, seeded.expert.id)
    _score(services, session_id, seeded.reviewer.id, greet=Answer("greet", "no", comment="late"))
    _score(services, session_id, panel[0], empathy="3")
    _score(services, session_id, panel[1])
    _score(services, session_id, panel[2], verify="no")
    _as(services, seeded.expert.id)
    services.calibration.reveal(session_id)
    view = services.calibration.revealed(session_id)
    r = view.reveal
    assert r.benchmark_kind is BenchmarkKind.EXPERT
    expert_score = r.participants[0].score
    assert r.participants[0].name == "Leila Navabi" and expert_score is not None
    by_name = {x.participant.name: x for x in r.results}
    for name, result in by_name.items():
        assert result.participant.score is not None
        assert result.deviation == pytest.approx(result.participant.score - expert_score), name
        assert result.band is Bands().band(result.deviation)
    assert by_name["Mina Sadr"].deviation == 0 and by_name["Mina Sadr"].band is Band.ACCEPTABLE
    # Reza missed a section-critical question: far below the expert.
    assert by_name["Reza Amini"].band is Band.RECALIBRATE
    rows = {row.question.id: row for row in r.rows}
    assert rows["greet"].disagrees and rows["verify"].disagrees and rows["empathy"].disagrees
    assert not rows["disclosure"].disagrees
    greet = {c.reviewer_id: c for c in rows["greet"].cells}
    assert greet[seeded.reviewer.id].differs and greet[seeded.reviewer.id].label == "No"
    assert not greet[panel[0]].differs
    all_scores = [p.score for p in r.participants if p.score is not None]
    assert r.spread is not None and r.spread.range == pytest.approx(
        max(all_scores) - min(all_scores)
    )
    # One session: every question has a single unit, so alpha pools the form's sessions.
    assert view.sessions == 1
    assert view.questions["greet"].estimate.units == 1
    assert view.call_alpha.units == len(r.rows)


def test_a_consensus_session_compares_with_the_agreed_answers(
    services: Services, seeded: Seed
) -> None:
    panel = _panel(services, seeded)
    session_id = _session(services, seeded, panel, expert_id=None)
    _score(services, session_id, panel[0])
    _score(services, session_id, panel[1], greet=Answer("greet", "no", comment="x"))
    _score(services, session_id, panel[2])
    _as(services, panel[0])
    services.repos.settings.set(TEAM_ROLE, None)
    services.calibration.reveal(session_id, force=True)
    view = services.calibration.revealed(session_id)
    assert view.reveal.benchmark_kind is BenchmarkKind.MEDIAN
    # Agreeing every answered question turns the benchmark into the agreed answers' score.
    for qid, answer in passing_answers().items():
        form = services.form_cache.form(seeded.version.id)
        question = next(q for _s, q in form.questions() if q.id == qid)
        if question.scored:
            services.calibration.set_note(session_id, qid, answer, "")
    view = services.calibration.revealed(session_id)
    assert view.reveal.benchmark_kind is BenchmarkKind.AGREED
    by_name = {x.participant.name: x for x in view.reveal.results}
    assert by_name["Ali Rahimi"].deviation == 0
    assert by_name["Mina Sadr"].deviation is not None and by_name["Mina Sadr"].deviation < 0


def test_notes_and_guidance_feed_a_new_draft_of_the_form(
    services: Services, seeded: Seed, clock: FakeClock
) -> None:
    panel = _panel(services, seeded)
    session_id = _session(services, seeded, panel)
    _score(services, session_id, seeded.expert.id)
    _score(services, session_id, panel[0], greet=Answer("greet", "no", comment="x"))
    _as(services, seeded.expert.id)
    with pytest.raises(CalibrationRefusal, match="once 'Billing calls, week 49' is revealed"):
        services.calibration.set_note(session_id, "greet", Answer("greet", "yes"), "n")
    services.calibration.reveal(session_id, force=True)
    with pytest.raises(CalibrationRefusal) as wrong:
        services.calibration.set_note(session_id, "greet", Answer("greet", "maybe"), "")
    assert str(wrong.value) == (
        "'maybe' is not an answer of 'Greeted the customer'; choose one of its options."
    )
    with pytest.raises(CalibrationRefusal) as no_na:
        services.calibration.set_note(session_id, "greet", Answer("greet", na=True), "")
    assert str(no_na.value) == (
        "'Greeted the customer' does not allow N/A; choose one of its answers."
    )
    note = "A greeting after the customer speaks first still counts."
    services.calibration.set_note(session_id, "greet", Answer("greet", "yes"), note, True)
    agreed = services.calibration.notes(session_id)["greet"]
    assert agreed.answer == Answer("greet", "yes") and agreed.guidance_change
    form_id = services.calibration.guidance_draft(session_id, "greet")
    draft = services.forms.get_draft(form_id)
    assert draft is not None
    form = services.repos.forms.definition_of(draft.id)
    greet = next(q for _s, q in form.questions() if q.id == "greet")
    assert greet.guidance.endswith(f"Calibration 'Billing calls, week 49', 2026-03-01: {note}")
    # Asking again does not repeat the note.
    services.calibration.guidance_draft(session_id, "greet")
    again = services.repos.forms.definition_of(draft.id)
    assert next(q for _s, q in again.questions() if q.id == "greet").guidance == greet.guidance


def test_a_revealed_evaluation_is_kept_as_scored(services: Services, seeded: Seed) -> None:
    panel = _panel(services, seeded)
    session_id = _session(services, seeded, panel)
    expert = _score(services, session_id, seeded.expert.id)
    _score(services, session_id, panel[0])
    _as(services, seeded.expert.id)
    services.calibration.reveal(session_id, force=True)
    with pytest.raises(NotAllowedError, match="it is kept as scored"):
        services.evaluations.edit_submitted(
            expert, passing_answers(), "", seeded.expert.id, "second thoughts"
        )


def test_refusals_when_creating_and_deleting(services: Services, seeded: Seed) -> None:
    panel = _panel(services, seeded)
    _as(services, seeded.expert.id)
    base = SessionInput(
        title="  ",
        interaction_id=seeded.interaction.id,
        form_version_id=seeded.version.id,
        expert_id=seeded.expert.id,
        reviewer_ids=(seeded.reviewer.id,),
    )
    with pytest.raises(CalibrationRefusal, match="Give the session a title"):
        services.calibration.create(base)
    with pytest.raises(CalibrationRefusal) as alone:
        services.calibration.create(replace(base, title="Solo", reviewer_ids=()))
    assert str(alone.value) == (
        "A calibration session compares at least two reviewers; invite another one."
    )
    with pytest.raises(CalibrationRefusal) as bands:
        services.calibration.create(replace(base, title="Bands", bands=Bands(8, 6)))
    assert str(bands.value) == (
        "The 'discuss' band ends at 6 points, below where the 'acceptable' band ends (8); "
        "make it at least 8."
    )
    session_id, _ = services.calibration.create(replace(base, title="Week 49"))
    with pytest.raises(CalibrationRefusal) as twice:
        services.calibration.create(replace(base, title="Week 49 again"))
    assert str(twice.value) == (
        "The call already has an open calibration session, 'Week 49'; reveal it before "
        "starting another on the same call."
    )
    _score(services, session_id, seeded.reviewer.id)
    _as(services, seeded.expert.id)
    with pytest.raises(CalibrationRefusal) as kept:
        services.calibration.delete(session_id)
    assert str(kept.value) == (
        "1 reviewer(s) have scored in 'Week 49'; a session with scores is kept. Reveal it instead."
    )
    with pytest.raises(CalibrationRefusal, match="Omid Karimi already scored"):
        services.calibration.update(
            session_id, replace(base, title="Week 49", reviewer_ids=tuple(panel))
        )
    # A plain reviewer (not an expert) may not start sessions on a team server.
    services.repos.settings.set(TEAM_ROLE, "reviewer")
    _as(services, panel[0])
    assert not services.calibration.may_create()
    with pytest.raises(NotAllowedError, match="Supervisors, admins and expert reviewers"):
        services.calibration.create(replace(base, title="Mine"))


def test_sessions_travel_in_the_journal(services: Services, seeded: Seed) -> None:
    panel = _panel(services, seeded)
    session_id = _session(services, seeded, panel)
    _score(services, session_id, seeded.expert.id)
    _score(services, session_id, panel[0])
    _as(services, seeded.expert.id)
    services.calibration.reveal(session_id, force=True)
    services.calibration.set_note(session_id, "greet", Answer("greet", "yes"), "ok")
    entities = [
        e
        for (e,) in services.db.execute(
            "SELECT entity FROM sync_journal WHERE entity LIKE 'calibration%' ORDER BY seq"
        )
    ]
    assert entities == [
        "calibration_session",
        "calibration_entry",
        "calibration_entry",
        "calibration_session",  # the reveal
        "calibration_note",
    ]
    listed = services.calibration.sessions()
    assert [(s.title, s.invited, s.submitted, s.mine) for s in listed] == [
        ("Billing calls, week 49", 5, 2, "done")
    ]
