"""The Drivers service on a real database: the figures come from the drivers roll-up
(kept by triggers whichever arrives first, the survey or the evaluation), regular
evaluations only, compared with the same calculation on the raw answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from qa_monitor.core.answers import Answer
from qa_monitor.core.drivers import Outcome
from qa_monitor.core.records import EvaluationKind
from qa_monitor.services import Services
from qa_monitor.services.drivers_service import DriversQuery, DriversService, pearson
from tests.factories import Seed, interaction_data, passing_answers


def _evaluate(
    services: Services,
    seeded: Seed,
    n: int,
    greet: str,
    csat: int,
    *,
    survey_first: bool,
    kind: EvaluationKind = EvaluationKind.REGULAR,
) -> None:
    for i in range(n):
        when = datetime(2026, 3, 2, 9, tzinfo=UTC) + timedelta(minutes=37 * i)
        data = interaction_data(
            seeded.agent.id, external_id=f"{greet}-{kind}-{csat}-{i}", started_at=when
        )
        interaction = services.interactions.create_interaction(data)
        if survey_first:
            services.interactions.link_survey(interaction.id, csat=csat)
        started = services.evaluations.start_evaluation(
            interaction.id, seeded.version.id, seeded.reviewer.id, kind
        )
        answers = dict(passing_answers())
        answers["greet"] = Answer("greet", greet, comment="" if greet == "yes" else "no hello")
        services.evaluations.save_draft(started.id, answers)
        assert services.evaluations.submit(started.id).ok
        if not survey_first:
            services.interactions.link_survey(interaction.id, csat=csat)


def test_greeting_moves_csat_by_the_planted_two_points(services: Services, seeded: Seed) -> None:
    # 40 calls greeted (CSAT 5 and 4 alternately: 20 + 20) and 40 not (3 and 2).
    for csat, survey_first in ((5, True), (4, False)):
        _evaluate(services, seeded, 20, "yes", csat, survey_first=survey_first)
    for csat, survey_first in ((3, False), (2, True)):
        _evaluate(services, seeded, 20, "no", csat, survey_first=survey_first)
    # Calibration scores of the same kind of call do not count.
    _evaluate(services, seeded, 5, "no", 5, survey_first=True, kind=EvaluationKind.CALIBRATION)
    report = DriversService(services.db).report(
        DriversQuery(seeded.version.form_id, date(2026, 3, 10), date(2026, 3, 12))
    )
    assert report.months == (date(2026, 3, 1), date(2026, 3, 31))  # whole months
    greet = next(q for q in report.questions if q.question_id == "greet")
    csat = next(e for e in greet.effects if e.outcome is Outcome.CSAT)
    assert (csat.n_full, csat.n_missed) == (40, 40)
    assert csat.value_full == pytest.approx(4.5) and csat.value_missed == pytest.approx(2.5)
    assert csat.difference == pytest.approx(2.0)
    # Welch with equal variances 0.2564 (n − 1 = 39): se = √(2 × 0.2564 / 40) = 0.1132.
    assert csat.high - csat.difference == pytest.approx(1.9908 * 0.11323, abs=0.002)
    assert csat.flagged and csat.effect_size == pytest.approx(2.0 / 0.50637, abs=0.001)
    assert report.text("greet") != "greet"  # its wording, not its id
    # Every call was resolved: no comparison for FCR (no group without full marks), and
    # the question that records FCR is never compared with FCR.
    resolved = next(q for q in report.questions if q.question_id == "resolved")
    assert all(e.outcome is not Outcome.FCR for e in resolved.effects)
    assert report.score_csat.n == 80 and report.score_csat.r is not None
    assert report.score_csat.r > 0.5
    assert len(report.points) == 80


def test_pearson_from_sums() -> None:
    xs, ys = [1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 4.0, 5.0, 4.0, 5.0]
    r = pearson(
        5,
        sum(xs),
        sum(ys),
        sum(x * x for x in xs),
        sum(y * y for y in ys),
        sum(x * y for x, y in zip(xs, ys, strict=True)),
    )
    assert r.r == pytest.approx(0.7745967, abs=1e-6)  # by hand: 6 / √(10 × 6)
    assert r.low is not None and r.low < r.r < r.high
    assert pearson(2, 1, 1, 1, 1, 1).r is None
