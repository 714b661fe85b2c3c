"""The demo database: sizes, story (improving / declining agents, calibration), determinism,
and scores that equal ``score_evaluation`` on the stored answers."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from statistics import mean

import pytest

from qa_monitor.core.drivers import Outcome
from qa_monitor.core.records import EvaluationFilter, EvaluationKind, EvaluationStatus
from qa_monitor.core.scoring import score_evaluation
from qa_monitor.services import Services, demo_effects
from qa_monitor.services.demo_data import DEMO_ANCHOR, DEMO_TABLES, build_demo_database
from qa_monitor.services.drivers_service import DriversQuery, DriversService
from qa_monitor.storage.repeat_contacts import is_repeat
from qa_monitor.storage.rollups import rollup_differences

SUBMITTED = tuple(s for s in EvaluationStatus if s is not EvaluationStatus.DRAFT)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    return path, build_demo_database(path)


@pytest.fixture
def services(demo: tuple[Path, dict[str, int]]) -> Iterator[Services]:
    with Services.open(demo[0]) as opened:
        yield opened


def _scores(services: Services, flt: EvaluationFilter) -> list[float]:
    total = services.evaluations.count_evaluations(flt)
    rows = services.evaluations.list_evaluations(flt, 0, total)
    return [r.score for r in rows if r.score is not None]


def test_counts_are_in_the_expected_ranges(demo: tuple[Path, dict[str, int]]) -> None:
    _path, counts = demo
    assert tuple(counts) == DEMO_TABLES
    assert counts["teams"] == 3
    assert counts["agents"] == 30
    assert counts["reviewers"] == 5
    assert counts["forms"] == 4
    assert counts["form_versions"] == 5  # every shipped form, one of them twice
    assert 2_700 <= counts["evaluations"] <= 3_300
    assert counts["interactions"] >= counts["evaluations"] * 0.9
    assert counts["answers"] > counts["evaluations"] * 15
    assert counts["audit_log"] >= counts["evaluations"]


def test_people_settings_and_forms(services: Services) -> None:
    assert services.settings.centre().timezone == "Asia/Tehran"
    teams = services.people.list_teams()
    assert {t.name for t in teams} == {"Retention", "Customer Care", "Digital Support"}
    agents = services.people.list_agents()
    assert all(len(services.people.list_agents(team_id=t.id)) == 10 for t in teams)
    assert all(a.external_id and a.external_id.startswith("AG") and a.hire_date for a in agents)
    # Some names in their own script (Persian/Arabic, Cyrillic) to exercise RTL and Unicode.
    assert any(any("\u0600" <= ch <= "\u06ff" for ch in a.name) for a in agents)
    assert any(any("\u0400" <= ch <= "\u04ff" for ch in a.name) for a in agents)
    reviewers = services.people.list_reviewers()
    assert sum(r.is_expert for r in reviewers) == 1
    infos = services.forms.list_forms()
    assert len(infos) == 4
    assert sorted(len(i.versions) for i in infos) == [1, 1, 1, 2]


def test_volume_per_agent_per_month(services: Services) -> None:
    flt = EvaluationFilter(
        kinds=(EvaluationKind.REGULAR,),
        date_from=date(2026, 3, 1),
        date_to=date(2026, 3, 31),
    )
    per_agent = services.evaluations.count_evaluations(flt) / 30
    assert 6 <= per_agent <= 10


def test_critical_failures_and_calibration(services: Services) -> None:
    evaluations = services.evaluations
    submitted = evaluations.count_evaluations(EvaluationFilter(statuses=SUBMITTED))
    critical = evaluations.count_evaluations(
        EvaluationFilter(statuses=SUBMITTED, critical_failed=True)
    )
    assert critical >= 1
    assert 0.01 <= critical / submitted <= 0.06

    calibration = EvaluationFilter(kinds=(EvaluationKind.CALIBRATION,))
    rows = evaluations.list_evaluations(calibration, 0, 1000)
    assert len(rows) >= 10
    by_interaction: dict[int, set[int]] = {}
    for row in rows:
        by_interaction.setdefault(row.interaction_id, set()).add(row.reviewer_id)
    reviewer_ids = {r.id for r in services.people.list_reviewers()}
    assert len(by_interaction) >= 5
    assert all(ids == reviewer_ids for ids in by_interaction.values())

    assert evaluations.count_evaluations(EvaluationFilter(kinds=(EvaluationKind.SELF,))) > 0
    for status in EvaluationStatus:
        assert evaluations.count_evaluations(EvaluationFilter(statuses=(status,))) > 0


def test_one_improving_and_one_declining_agent(services: Services) -> None:
    first = (DEMO_ANCHOR - timedelta(days=365), DEMO_ANCHOR - timedelta(days=274))
    last = (DEMO_ANCHOR - timedelta(days=91), DEMO_ANCHOR)
    changes = {}
    for agent in services.people.list_agents():
        quarters = []
        for date_from, date_to in (first, last):
            flt = EvaluationFilter(
                agent_ids=(agent.id,),
                kinds=(EvaluationKind.REGULAR,),
                statuses=SUBMITTED,
                date_from=date_from,
                date_to=date_to,
            )
            quarters.append(mean(_scores(services, flt)))
        changes[agent.name] = quarters[1] - quarters[0]
    ranked = sorted(changes.items(), key=lambda item: item[1])
    (declining, drop), (_name, second_drop) = ranked[0], ranked[1]
    (_name, second_rise), (improving, rise) = ranked[-2], ranked[-1]
    assert rise >= 15 and rise - second_rise >= 8, ranked
    assert drop <= -10 and second_drop - drop >= 5, ranked
    assert improving != declining


def test_stored_scores_equal_score_evaluation(services: Services) -> None:
    flt = EvaluationFilter(statuses=SUBMITTED)
    rows = services.evaluations.list_evaluations(
        flt, 0, services.evaluations.count_evaluations(flt)
    )
    for row in random.Random(7).sample(rows, 50):
        evaluation = services.evaluations.get_evaluation(row.id)
        form = services.evaluations.form_of(evaluation)
        facts = services.interactions.get_interaction(evaluation.interaction_id).facts
        result = score_evaluation(form, evaluation.answers, facts)
        assert evaluation.score == result.score  # exact: full precision, same rules
        assert evaluation.score_before_critical == result.score_before_critical
        assert (evaluation.earned, evaluation.possible) == (result.earned, result.possible)
        assert evaluation.passed == result.passed and evaluation.band == result.band
        assert evaluation.critical_failed == result.critical_failed
        assert evaluation.sections == result.sections
        stored = {(a.question_id, a.status, a.earned, a.possible) for a in evaluation.answer_scores}
        assert stored == {(q.question_id, q.status, q.earned, q.possible) for q in result.questions}


def test_database_is_consistent(services: Services) -> None:
    assert services.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert rollup_differences(services.db) == {}
    assert services.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    interactions = services.interactions.list_interactions(limit=5000)
    assert all(i.timezone == "Asia/Tehran" for i in interactions)
    assert all(i.local_date <= DEMO_ANCHOR for i in interactions)
    surveyed = [i for i in interactions if i.csat is not None]
    assert 0.3 <= len(surveyed) / len(interactions) <= 0.5
    assert any(i.transcript for i in interactions)
    assert any(i.retention is not None for i in interactions)
    assert any(i.churn_reason for i in interactions)
    assert any(i.callback_promised_at for i in interactions)
    # Recordings only where the audio file exists (the committed demo calls).
    recorded = [i for i in interactions if i.recording_path]
    assert all(Path(i.recording_path).is_file() for i in recorded if i.recording_path)
    assert all(i.transcript and i.duration_s and i.channel.value == "phone" for i in recorded)


def test_same_seed_same_scores_and_refuses_to_overwrite(
    demo: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    path, counts = demo
    again = tmp_path / "again.db"
    assert build_demo_database(again) == counts
    with Services.open(path) as first, Services.open(again) as second:
        assert _ordered_scores(first) == _ordered_scores(second)
    with pytest.raises(FileExistsError):
        build_demo_database(again)
    assert build_demo_database(again, replace=True) == counts


def _ordered_scores(services: Services) -> list[tuple[int, float | None]]:
    flt = EvaluationFilter()
    rows = services.evaluations.list_evaluations(
        flt, 0, services.evaluations.count_evaluations(flt)
    )
    return sorted((r.id, r.score) for r in rows)


def test_a_demo_recording_is_found_after_the_install_moves(tmp_path):
    from qa_monitor.services.demo_recordings import CALLS, recording_path, resolve_recording

    name = next(iter(CALLS))
    old_install = tmp_path / "old" / "resources" / "demo_audio" / f"{name}.ogg"
    assert resolve_recording(str(old_install)) == str(recording_path(name))
    # Anything else is left as it is, so the player can say what is missing.
    other = tmp_path / "calls" / "demo_audio" / "unknown.ogg"
    assert resolve_recording(str(other)) == str(other)
    assert resolve_recording(None) is None


def test_the_demos_disputes_are_recorded_as_the_app_records_them(services: Services) -> None:
    """Every disputed or resolved demo evaluation has its dispute (day, way, questions),
    every resolved one was decided by a reviewer other than the one who scored it, and
    the open ones fill the dispute queue."""
    from qa_monitor.core.disputes import Decision

    rows = services.db.execute(
        "SELECT id, status, reviewer_id FROM evaluations WHERE status IN ('disputed', 'resolved')"
    ).fetchall()
    assert len(rows) > 20
    for evaluation_id, status, reviewer_id in rows:
        dispute = services.disputes.dispute_of(evaluation_id)
        assert dispute is not None and dispute.questions
        if status == "resolved":
            assert dispute.decided
            assert {q.decision for q in dispute.questions} == {Decision.UPHELD}
            assert dispute.decided_by != reviewer_id
    open_ids = {r[0] for r in rows if r[1] == "disputed"}
    assert {i.evaluation_id for i in services.disputes.queue(DEMO_ANCHOR)} == open_ids
    acknowledged = services.db.execute(
        "SELECT id FROM evaluations WHERE status = 'acknowledged' LIMIT 1"
    ).fetchone()[0]
    response = services.disputes.response_of(acknowledged).response
    assert response is not None and response.kind == "acknowledged"


def test_customers_call_again_as_the_planted_model_says(services: Services) -> None:
    """Calls answered "not resolved" are followed by a repeat within 7 days far more
    often than others (demo_effects.repeat_chance), so the drivers find solution_fits
    through repeat contacts too, with the planted amount inside its interval."""
    shares = dict(
        services.db.execute(
            f"SELECT resolved_first_contact, avg({is_repeat('i')}) FROM interactions i"
            " WHERE resolved_first_contact IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    # Near the model's chances (a call at the very end of the year, or in a quiet week of
    # its team, finds no later call to be its repeat; a thousand calls vary by ±0.03).
    assert abs(shares[0] - demo_effects.REPEAT_IF_UNRESOLVED) < 0.1
    assert abs(shares[1] - demo_effects.REPEAT_IF_RESOLVED) < 0.05
    planted = next(
        e
        for e in demo_effects.PLANTED
        if e.question_id == "solution_fits" and e.outcome is Outcome.FCR_REPEAT
    )
    start = DEMO_ANCHOR - timedelta(days=365)
    report = DriversService(services.db).report(DriversQuery("inbound_service", start, DEMO_ANCHOR))
    question = next(q for q in report.questions if q.question_id == "solution_fits")
    effect = next(e for e in question.effects if e.outcome is Outcome.FCR_REPEAT)
    assert effect.flagged and effect.low is not None and effect.high is not None
    assert effect.low <= planted.amount <= effect.high
