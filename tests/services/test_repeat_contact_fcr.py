"""First-contact resolution from repeat contacts through the services the Outcomes
screen and the Drivers tab call, checked by hand on small data sets: the window and its
boundary, ties at one instant, contacts still inside their 7 days (pending, not judged),
a call log that ends before now (its last week is pending too), a period without
customer references; the drivers' comparison in percentage points with the pending
contacts taken out of both groups."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from qa_monitor.core.answers import Answer
from qa_monitor.core.drivers import Outcome
from qa_monitor.core.metrics import fcr_from_contacts
from qa_monitor.services import Services
from qa_monitor.services.drivers_service import DriversQuery, DriversService
from qa_monitor.services.outcome_service import OutcomeQuery, OutcomeService, repeat_cutoff
from tests.factories import (
    TEN_CONTACTS,
    Seed,
    feb,
    interaction_data,
    passing_answers,
    store_ten_contacts,
)

AS_OF = datetime(2026, 3, 1, 9, tzinfo=UTC)


def _store(services: Services, seeded: Seed) -> None:
    # The seed's call (1 March 09:00, customer C-1001) stays: the call log reaches the
    # moment the contacts are judged at.
    store_ten_contacts(services, seeded.agent.id)


def test_ten_contacts_of_four_customers_by_hand(services: Services, seeded: Seed) -> None:
    _store(services, seeded)
    query = OutcomeQuery(date(2026, 2, 1), date(2026, 2, 28), as_of=AS_OF)
    (february,) = OutcomeService(services.db).report(query).periods
    # Judged: A ×3, B ×2, C ×2 = 7; repeat-followed among them: A 1 Feb, B 10 Feb, the
    # first C. Resolved 4 of 7 = 57.1 %, Wilson 25.0–84.2 %; B 25 Feb and both D pending.
    figure = february.fcr_repeat
    assert figure is not None
    assert figure.value == pytest.approx(400 / 7)
    assert (figure.low, figure.high) == (
        pytest.approx(25.0458, abs=1e-3),
        pytest.approx(84.178, abs=1e-3),
    )
    assert figure.n == 7 and february.fcr_pending == 3
    assert dict(figure.inputs) == {"resolved": 4, "judged": 7, "pending": 3}
    # The reference definition gives the same on the same contacts.
    reference = fcr_from_contacts(TEN_CONTACTS, as_of=AS_OF)
    assert (reference.n, reference.resolved, reference.pending) == (7, 4, 3)
    # The reported FCR stays what the flag says: interaction_data leaves it unset.
    assert february.fcr is None and february.survey_n["fcr"] == 0

    # Ten days later, with no call imported since 1 March: a repeat after the end of the
    # call log cannot be seen, so the same three are still not judged.
    later = OutcomeQuery(date(2026, 2, 1), date(2026, 2, 28), as_of=AS_OF + timedelta(days=10))
    (february,) = OutcomeService(services.db).report(later).periods
    assert february.fcr_repeat is not None and february.fcr_pending == 3
    # The log now reaches 11 March: every window has closed. D 27 Feb is a repeat.
    services.interactions.create_interaction(
        interaction_data(
            seeded.agent.id,
            external_id="E-1",
            started_at=AS_OF + timedelta(days=10),
            customer_ref="E",
        )
    )
    (february,) = OutcomeService(services.db).report(later).periods
    assert february.fcr_repeat is not None and february.fcr_pending == 0
    assert dict(february.fcr_repeat.inputs) == {"resolved": 6, "judged": 10, "pending": 0}


def test_a_partial_month_and_a_team_filter_read_the_interactions(
    services: Services, seeded: Seed
) -> None:
    _store(services, seeded)
    # 10–28 February: not a whole month, so the figures come from the interactions.
    query = OutcomeQuery(date(2026, 2, 10), date(2026, 2, 28), as_of=AS_OF)
    (part,) = OutcomeService(services.db).report(query).periods
    # A 20 Feb, B 10 and 17 Feb, C ×2 judged (B 10 Feb and the first C repeat-followed).
    assert part.fcr_repeat is not None
    assert dict(part.fcr_repeat.inputs) == {"resolved": 3, "judged": 5, "pending": 3}
    other = services.people.add_team("Other")
    nobody = OutcomeQuery(date(2026, 2, 1), date(2026, 2, 28), team_ids=(other.id,), as_of=AS_OF)
    (empty,) = OutcomeService(services.db).report(nobody).periods
    assert empty.fcr_repeat is None and empty.survey_n["contacts"] == 0


def test_without_customer_references_there_is_no_figure(services: Services, seeded: Seed) -> None:
    _store(services, seeded)
    services.db.execute("UPDATE interactions SET customer_ref = NULL")
    query = OutcomeQuery(date(2026, 2, 1), date(2026, 2, 28), as_of=AS_OF)
    (february,) = OutcomeService(services.db).report(query).periods
    assert february.fcr_repeat is None
    assert february.survey_n["contacts"] == 0 and february.fcr_pending == 0


def test_drivers_compare_repeat_contacts_without_the_pending_ones(
    services: Services, seeded: Seed
) -> None:
    """80 evaluated calls from 2 to 25 February, 7 hours apart; greeted on even ones.
    Half the ungreeted customers call again 3 days later, one in ten greeted ones. The
    seed's call, 1 March 09:00, is the call log's latest contact."""
    expected = {"yes": [0, 0], "no": [0, 0]}  # greet → [judged, resolved]
    for i in range(80):
        when = feb(2, 9) + timedelta(hours=7 * i)
        greet = "yes" if i % 2 == 0 else "no"
        repeat = (greet == "no" and i % 4 == 1) or (greet == "yes" and i % 10 == 0)
        data = interaction_data(
            seeded.agent.id, external_id=f"D-{i}", started_at=when, customer_ref=f"K{i}"
        )
        interaction = services.interactions.create_interaction(data)
        started = services.evaluations.start_evaluation(
            interaction.id, seeded.version.id, seeded.reviewer.id
        )
        answers = dict(passing_answers())
        answers["greet"] = Answer("greet", greet, comment="" if greet == "yes" else "no hello")
        services.evaluations.save_draft(started.id, answers)
        assert services.evaluations.submit(started.id).ok
        if repeat:  # the repeat arrives after the evaluation: the roll-up follows it
            services.interactions.create_interaction(
                interaction_data(
                    seeded.agent.id,
                    external_id=f"D-{i}-again",
                    started_at=when + timedelta(days=3),
                    customer_ref=f"K{i}",
                )
            )
        if when + timedelta(days=7) <= AS_OF:
            expected[greet][0] += 1
            expected[greet][1] += not repeat
    # Calls from 22 February 09:00 on are still inside their 7 days on 1 March 09:00.
    assert expected == {"yes": [35, 28], "no": [34, 17]}

    query = DriversQuery(seeded.version.form_id, date(2026, 2, 1), date(2026, 2, 28), as_of=AS_OF)
    report = DriversService(services.db).report(query)
    question = next(q for q in report.questions if q.question_id == "greet")
    effect = next(e for e in question.effects if e.outcome is Outcome.FCR_REPEAT)
    assert (effect.n_full, effect.n_missed) == (35, 34)
    assert effect.value_full == pytest.approx(100 * 28 / 35)
    assert effect.value_missed == pytest.approx(100 * 17 / 34)
    assert effect.difference == pytest.approx(100 * (28 / 35 - 17 / 34))
    low, difference, high = effect.low, effect.difference, effect.high
    assert low is not None and difference is not None and high is not None
    assert low < difference < high and effect.flagged
    # The reported flag is its own comparison: every call was answered "resolved", so
    # it sees no difference where repeat contacts see one.
    reported = next(e for e in question.effects if e.outcome is Outcome.FCR)
    assert reported.value_full == reported.value_missed == 100.0 and not reported.flagged

    # Judged now, with the call log reaching 15 March, every call counts.
    services.interactions.create_interaction(
        interaction_data(
            seeded.agent.id,
            external_id="E-1",
            started_at=AS_OF + timedelta(days=14),
            customer_ref="E",
        )
    )
    later = DriversService(services.db).report(
        DriversQuery(seeded.version.form_id, date(2026, 2, 1), date(2026, 2, 28))
    )
    question = next(q for q in later.questions if q.question_id == "greet")
    effect = next(e for e in question.effects if e.outcome is Outcome.FCR_REPEAT)
    assert (effect.n_full, effect.n_missed) == (40, 40)


def test_the_cutoff_is_now_or_the_end_of_the_call_log_whichever_is_earlier() -> None:
    now = datetime(2026, 3, 20, 12, tzinfo=UTC)
    assert repeat_cutoff(now, None) == "2026-03-13T12:00:00.000Z"
    assert repeat_cutoff(now, "2026-03-01T09:00:00.000Z") == "2026-02-22T09:00:00.000Z"
    assert repeat_cutoff(now, "2026-04-01T09:00:00.000Z") == "2026-03-13T12:00:00.000Z"
