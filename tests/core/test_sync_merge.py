"""The merge rules of team sync, without a database (core/sync_merge.py, sync_clock.py)."""

from __future__ import annotations

import uuid as uuidlib

from hypothesis import given, settings
from hypothesis import strategies as st

from qa_monitor.core.sync_clock import HybridClock, hlc_pack, uuid7, uuid7_ms
from qa_monitor.core.sync_merge import Change, concurrent, conflicts, fold


def test_uuid7_is_a_version_7_uuid_that_carries_its_time() -> None:
    text = uuid7(ms=1_700_000_000_123)
    parsed = uuidlib.UUID(text)
    assert parsed.version == 7
    assert parsed.variant == uuidlib.RFC_4122
    assert uuid7_ms(text) == 1_700_000_000_123
    assert uuid7(ms=1) < uuid7(ms=2)


def test_the_clock_never_goes_back_and_moves_past_what_it_sees() -> None:
    wall = iter([1000, 1000, 900, 900])
    clock = HybridClock(wall_ms=lambda: next(wall))
    first = clock.now()
    second = clock.now()  # same millisecond: the counter moves on
    assert second == first + 1
    third = clock.now()  # the wall clock went back: the clock does not
    assert third > second
    clock.observe(hlc_pack(5000, 7))
    assert clock.now() > hlc_pack(5000, 7)


def change(site: str, seq: int, hlc: int, base: int = 0, **fields: object) -> Change:
    return Change(site, seq, hlc, "team", "u1", fields, base)


def test_per_field_the_later_change_wins_and_fields_merge() -> None:
    create = change("a", 1, 10, name="Billing", active=1)
    rename = change("b", 1, 20, base=10, name="Billing & Payments")
    deactivate = change("c", 1, 15, base=10, active=0)
    state = fold("u1", [rename, create, deactivate])
    assert state.fields == {"name": "Billing & Payments", "active": 0}
    assert state.winners["name"] is rename


def test_concurrent_edits_of_one_field_are_listed_and_nothing_is_lost() -> None:
    create = change("a", 1, 10, name="Billing")
    edit_a = change("a", 2, 30, base=10, name="Billing A")
    edit_b = change("b", 1, 25, base=10, name="Billing B")
    assert concurrent(edit_a, edit_b)
    found = conflicts("u1", [create, edit_a, edit_b])
    assert [(c.field, c.kept, c.other) for c in found] == [("name", edit_a, edit_b)]
    # A change made after seeing the other is not a conflict.
    later = change("b", 2, 40, base=30, name="Billing C")
    assert not concurrent(edit_a, later)


def test_a_deletion_is_a_tombstone() -> None:
    create = change("a", 1, 10, name="Billing")
    delete = Change("b", 1, 20, "team", "u1", {}, 10, deleted=True)
    late_edit = change("c", 1, 30, base=10, name="Late")
    assert fold("u1", [late_edit, delete, create]).deleted


@st.composite
def histories(draw: st.DrawFn) -> list[Change]:
    """Changes of three sites to three records, each site's base being what it had
    received when it wrote (a random subset of the others' earlier changes)."""
    sites = ["a", "b", "c"]
    seen: dict[str, list[Change]] = {s: [] for s in sites}
    made: list[Change] = []
    seq = dict.fromkeys(sites, 0)
    clock = 0
    for _ in range(draw(st.integers(1, 25))):
        site = draw(st.sampled_from(sites))
        # Deliver some of the others' changes first.
        for c in made:
            if c.site != site and c not in seen[site] and draw(st.booleans()):
                seen[site].append(c)
        record = draw(st.sampled_from(["u1", "u2", "u3"]))
        clock += draw(st.integers(0, 3))
        known = [c.hlc for c in seen[site] if c.uuid == record]
        hlc = max([clock, *(c.hlc + 1 for c in seen[site])]) * 4 + sites.index(site)
        seq[site] += 1
        fields = draw(
            st.dictionaries(
                st.sampled_from(["name", "active", "email"]), st.integers(0, 3), min_size=1
            )
        )
        new = Change(site, seq[site], hlc, "team", record, fields, max(known, default=0))
        made.append(new)
        seen[site].append(new)
    return made


@settings(max_examples=100, deadline=None)
@given(histories(), st.randoms(use_true_random=False))
def test_any_delivery_order_with_duplicates_converges(
    changes: list[Change], rng: object
) -> None:
    import random

    assert isinstance(rng, random.Random)
    results = []
    for _ in range(3):
        delivered = changes + rng.sample(changes, k=len(changes) // 2)  # some twice
        rng.shuffle(delivered)
        per_record = {}
        for record in ("u1", "u2", "u3"):
            mine = [c for c in delivered if c.uuid == record]
            per_record[record] = (
                fold(record, mine).fields,
                [(c.field, c.kept.key, c.other.key) for c in conflicts(record, mine)],
            )
        results.append(per_record)
    assert results[0] == results[1] == results[2]
