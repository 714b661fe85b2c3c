"""Repeat contacts (storage/repeat_contacts.py): the trigger-kept ``next_contact_at``
against the reference definition, ``core.metrics.fcr_from_contacts``, whatever order
contacts arrive in, with ties at one instant, repeats exactly 7 days later, contacts
moving in time or to another customer, and deletes; the roll-ups that count repeats
stay equal to a recomputation, a later contact moves the roll-ups of an earlier
contact's month, and a bulk load recomputes the column and puts the triggers back."""

from __future__ import annotations

import random
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

from qa_monitor.core.metrics import REPEAT_WINDOW_DAYS, fcr_from_contacts
from qa_monitor.core.records import InteractionData
from qa_monitor.services import Services
from qa_monitor.storage import bulk_load, repeat_contacts, rollup_drivers
from qa_monitor.storage.outcome_repo import OutcomeRepo
from qa_monitor.storage.rollups import rollup_differences
from qa_monitor.storage.values import parse_utc, utc_text
from tests.factories import FakeClock, interaction_data, passing_answers, seed

WINDOW = timedelta(days=REPEAT_WINDOW_DAYS)
DAY0 = datetime(2026, 1, 20, 9, tzinfo=UTC)
CUSTOMERS = ("A", "B", "C", "D", None)


def _moment(rng: random.Random) -> datetime:
    """On a coarse grid (so ties at one instant and gaps of exactly 7 days are common),
    sometimes a millisecond off it (just inside or just outside the window)."""
    moment = DAY0 + timedelta(days=rng.randrange(24), hours=rng.choice((0, 0, 6)))
    return moment + timedelta(milliseconds=rng.choice((0, 0, 0, 1, -1)))


def _contacts(services: Services) -> list[tuple[int, str | None, str, str | None]]:
    """(id, customer, started_at, next_contact_at) of every interaction, in id order."""
    return [
        (int(r[0]), r[1], str(r[2]), r[3])
        for r in services.db.execute(
            "SELECT id, customer_ref, started_at, next_contact_at FROM interactions ORDER BY id"
        )
    ]


def _expected_next(rows: list[tuple[int, str | None, str, str | None]]) -> dict[int, str | None]:
    """Each contact's next one by the same customer, in (time, id) order: the order in
    which fcr_from_contacts, given the contacts in id order, sorts them (stably)."""
    out: dict[int, str | None] = {}
    by_customer: dict[str, list[tuple[str, int]]] = {}
    for row_id, customer, started, _next in rows:
        out[row_id] = None
        if customer is not None:
            by_customer.setdefault(customer, []).append((started, row_id))
    for contacts in by_customer.values():
        contacts.sort()
        for (_start, row_id), (after, _id) in pairwise(contacts):
            out[row_id] = after
    return out


def _check_against_reference(services: Services, as_of: datetime) -> None:
    rows = _contacts(services)
    assert {r[0]: r[3] for r in rows} == _expected_next(rows)
    contacts = [(c, parse_utc(s)) for _i, c, s, _n in rows if c is not None]
    since = utc_text(as_of - WINDOW)
    judged, repeats, pending = services.db.execute(
        f"SELECT coalesce(sum(started_at <= ?), 0),"
        f" coalesce(sum(started_at <= ? AND {repeat_contacts.is_repeat('i')}), 0),"
        " coalesce(sum(started_at > ?), 0)"
        " FROM interactions i WHERE customer_ref IS NOT NULL",
        [since, since, since],
    ).fetchone()
    reference = fcr_from_contacts(contacts, as_of=as_of)
    assert (judged, judged - repeats, pending) == (
        reference.n,
        reference.resolved,
        reference.pending,
    )
    everything = fcr_from_contacts(contacts)
    (all_repeats,) = services.db.execute(
        f"SELECT coalesce(sum({repeat_contacts.is_repeat('i')}), 0) FROM interactions i"
    ).fetchone()
    assert everything.n - all_repeats == everything.resolved


def _data(interaction: object) -> InteractionData:
    return InteractionData(
        **{f.name: getattr(interaction, f.name) for f in fields(InteractionData)}
    )


def test_the_column_follows_the_reference_under_random_changes(tmp_path: Path) -> None:
    rng = random.Random(16_2026)
    with Services.open(tmp_path / "qa.db", clock=FakeClock()) as services:
        seeded = seed(services)
        services.db.execute("DELETE FROM interactions")
        ids: list[int] = []
        evaluated: set[int] = set()
        ties = boundaries = 0
        for step in range(300):
            action = rng.random()
            if action < 0.45 or len(ids) < 3:
                # Arrivals out of order: any moment on the grid, past or future.
                data = interaction_data(
                    seeded.agent.id, started_at=_moment(rng), customer_ref=rng.choice(CUSTOMERS)
                )
                interaction = services.interactions.create_interaction(data)
                ids.append(interaction.id)
                if rng.random() < 0.3:
                    started = services.evaluations.start_evaluation(
                        interaction.id, seeded.version.id, seeded.reviewer.id
                    )
                    services.evaluations.save_draft(started.id, passing_answers())
                    assert services.evaluations.submit(started.id).ok
                    evaluated.add(interaction.id)
            elif action < 0.65:
                moved = rng.choice(ids)
                current = services.interactions.get_interaction(moved)
                services.interactions.update_interaction(
                    moved, replace(_data(current), started_at=_moment(rng))
                )
            elif action < 0.85:
                moved = rng.choice(ids)
                current = services.interactions.get_interaction(moved)
                services.interactions.update_interaction(
                    moved, replace(_data(current), customer_ref=rng.choice(CUSTOMERS))
                )
            else:
                gone = ids.pop(rng.randrange(len(ids)))
                services.db.execute("DELETE FROM evaluations WHERE interaction_id = ?", [gone])
                services.repos.interactions.delete(gone)
                evaluated.discard(gone)
            _check_against_reference(services, as_of=_moment(rng))
            rows = _contacts(services)
            starts = [(c, s) for _i, c, s, _n in rows if c is not None]
            ties += len(starts) > len(set(starts))
            boundaries += any(
                n is not None and parse_utc(n) - parse_utc(s) == WINDOW for _i, _c, s, n in rows
            )
            if step % 15 == 0:
                assert rollup_differences(services.db) == {}, f"after step {step}"
        assert rollup_differences(services.db) == {}
        # The sequence made what the test is about: contacts of a customer at one instant,
        # next contacts exactly 7 days later, and repeats counted on evaluated calls.
        assert ties > 50 and boundaries > 20, (ties, boundaries)
        assert evaluated and _total(services, "n_repeat") > 0


def _total(services: Services, measure: str, table: str = rollup_drivers.TABLE) -> int:
    (n,) = services.db.execute(f"SELECT coalesce(sum({measure}), 0) FROM {table}").fetchone()
    return int(n)


def _outcome_month(services: Services, month: str) -> tuple[int, int]:
    row = services.db.execute(
        f"SELECT sum(contacts), sum(repeats) FROM {rollup_drivers.OUTCOME_TABLE} WHERE d = ?",
        [month],
    ).fetchone()
    return int(row[0] or 0), int(row[1] or 0)


def test_a_later_contact_moves_the_rollups_of_the_earlier_contacts_month(
    tmp_path: Path,
) -> None:
    with Services.open(tmp_path / "qa.db", clock=FakeClock()) as services:
        seeded = seed(services)
        services.db.execute("DELETE FROM interactions")
        january = datetime(2026, 1, 30, 15, tzinfo=UTC)
        first = services.interactions.create_interaction(
            interaction_data(seeded.agent.id, started_at=january, customer_ref="K-7")
        )
        started = services.evaluations.start_evaluation(
            first.id, seeded.version.id, seeded.reviewer.id
        )
        services.evaluations.save_draft(started.id, passing_answers())
        assert services.evaluations.submit(started.id).ok
        (answers,) = services.db.execute(
            f"SELECT sum(n_rc) FROM {rollup_drivers.TABLE} WHERE d = '2026-01-01'"
        ).fetchone()
        assert answers > 0 and _total(services, "n_repeat") == 0
        assert _outcome_month(services, "2026-01-01") == (1, 0)

        # The customer calls again in February, exactly 7 days later: January's call is
        # now repeat-followed, in both roll-ups, by the UPDATE the new call's trigger made.
        later = services.interactions.create_interaction(
            interaction_data(seeded.agent.id, started_at=january + WINDOW, customer_ref="K-7")
        )
        assert _outcome_month(services, "2026-01-01") == (1, 1)
        assert _outcome_month(services, "2026-02-01") == (1, 0)
        assert _total(services, "n_repeat") == answers
        assert rollup_differences(services.db) == {}

        # One millisecond later it is outside the window: January's call is resolved.
        services.interactions.update_interaction(
            later.id, replace(_data(later), started_at=january + WINDOW + timedelta(milliseconds=1))
        )
        assert _outcome_month(services, "2026-01-01") == (1, 0)
        assert _total(services, "n_repeat") == 0

        # Back inside, then deleted: January's call takes the next one along (none).
        services.interactions.update_interaction(later.id, _data(later))
        assert _total(services, "n_repeat") == answers
        services.repos.interactions.delete(later.id)
        assert _outcome_month(services, "2026-01-01") == (1, 0)
        assert _total(services, "n_repeat") == 0
        assert rollup_differences(services.db) == {}


def test_a_bulk_load_recomputes_the_column_and_puts_the_triggers_back(tmp_path: Path) -> None:
    rng = random.Random(7)
    with Services.open(tmp_path / "qa.db", clock=FakeClock()) as services:
        seeded = seed(services)
        first_id = bulk_load.next_id(services.db, "interactions")
        rows = []
        for n in range(400):
            started = _moment(rng)
            rows.append(
                {
                    "id": first_id + n,
                    "channel": "phone",
                    "started_at": utc_text(started),
                    "local_date": started.date().isoformat(),
                    "timezone": "UTC",
                    "agent_id": seeded.agent.id,
                    "team_id": seeded.team.id,
                    "customer_ref": rng.choice(("C-1001", *CUSTOMERS)),
                    "created_at": utc_text(started),
                }
            )
        with bulk_load.bulk_mode(services.db) as load:
            with bulk_load.deferred_indexes(services.db, ("interactions",)):
                bulk_load.insert_interactions(services.db, rows)
            # Suspended during the load: nothing filled the column yet.
            assert not services.db.execute(
                "SELECT 1 FROM sqlite_master WHERE name = ?", [repeat_contacts.TRIGGERS[0]]
            ).fetchone()
        assert load.seconds["rollups"] >= 0
        triggers = {
            r[0] for r in services.db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
        assert set(repeat_contacts.TRIGGERS) <= triggers
        _check_against_reference(services, as_of=DAY0 + timedelta(days=12))
        assert rollup_differences(services.db) == {}
        assert _total(services, "repeats", rollup_drivers.OUTCOME_TABLE) > 0
        # And the triggers work again after it.
        services.interactions.create_interaction(
            interaction_data(seeded.agent.id, started_at=_moment(rng), customer_ref="A")
        )
        _check_against_reference(services, as_of=DAY0)
        assert rollup_differences(services.db) == {}


def test_the_outcomes_partial_months_and_pending_contacts_read_one_index(tmp_path: Path) -> None:
    """The Outcomes screen's reads of raw interactions (the partial months at either end
    and the contacts still inside their 7 days) stay on covering indexes: the surveys on
    interactions_outcomes, the contacts on interactions_contacts. At 1M evaluations
    reading the wide rows cost half a second, and widening interactions_outcomes made
    every partial month read slower."""
    with Services.open(tmp_path / "qa.db", clock=FakeClock()) as services:
        seed(services)
        repo = OutcomeRepo(services.db)
        statements: list[str] = []
        services.db.conn.set_trace_callback(statements.append)
        try:
            repo.grouped(date(2026, 1, 10), date(2026, 3, 20), (), (), "month", "tallies")
            repo.pending_contacts(
                date(2026, 2, 1), date(2026, 3, 31), (), (), "2026-03-01T09:00:00.000Z"
            )
            assert repo.latest_contact() == "2026-03-01T09:00:00.000Z"
        finally:
            services.db.conn.set_trace_callback(None)
        raw = [s for s in statements if "FROM interactions" in s]
        # Two partial months (their outcomes, their contacts), the pending contacts, how
        # far the call log reaches.
        assert len(raw) == 6
        for statement in raw:
            plan = " ".join(
                str(r[3]) for r in services.db.execute("EXPLAIN QUERY PLAN " + statement)
            )
            index = "contacts" if "customer_ref IS NOT NULL" in statement else "outcomes"
            assert f"USING COVERING INDEX interactions_{index}" in plan, plan
            assert "SCAN" not in plan, plan
