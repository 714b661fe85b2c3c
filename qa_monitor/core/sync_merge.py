"""How changes from many installations merge into one state (pure; see docs/sync.md).

A travelling record (a team, an agent, an evaluation, ...) is a set of fields. Each
change sets some of them and carries:

- its author's site id and that site's sequence number (unique together);
- a hybrid-logical-clock timestamp ``hlc`` (``core/sync_clock.py``);
- ``base``: the newest ``hlc`` of a change to the same record that the author's site
  had applied when it made this one (0 for a new record).

Rules, chosen so that every site that holds the same changes holds the same state,
whatever order the changes arrived in and however often:

1. Per field, the change with the greatest ``(hlc, site, seq)`` wins; the others stay
   in the record's history.
2. A deletion is a tombstone: once any change deletes a record, it stays deleted.
3. Two changes *conflict* when they come from different sites, neither author had
   seen the other (``a.base < b.hlc`` and ``b.base < a.hlc``), and they set a common
   field to different values. Rule 1 still picks the winner; the pair is listed so
   that a person can look at both versions. Nothing is discarded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Change:
    """One change to one record, as written to the journal."""

    site: str
    seq: int
    hlc: int
    entity: str
    uuid: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    base: int = 0
    deleted: bool = False
    # The fields as JSON text, when the change arrived as text: stored and sent on
    # as it came, instead of being encoded again.
    fields_json: str | None = field(default=None, compare=False, repr=False)

    @property
    def order(self) -> tuple[int, str, int]:
        """The total order every site sorts changes by."""
        return (self.hlc, self.site, self.seq)

    @property
    def key(self) -> tuple[str, int]:
        return (self.site, self.seq)

    def saw(self, other: Change) -> bool:
        """Whether this change's author had applied ``other`` when making it."""
        return self.base >= other.hlc


def concurrent(a: Change, b: Change) -> bool:
    """Made on different sites without either author having seen the other."""
    return a.site != b.site and not a.saw(b) and not b.saw(a)


@dataclass(frozen=True)
class Conflict:
    """Two concurrent changes that set ``field`` differently; ``kept`` won by rule 1."""

    uuid: str
    field: str
    kept: Change
    other: Change


@dataclass(frozen=True)
class Folded:
    """A record's state after all its changes: field values, winners and tombstone."""

    uuid: str
    fields: dict[str, Any]
    winners: dict[str, Change]
    deleted: bool

    @property
    def latest(self) -> int:
        """The newest hlc that shaped this state (0 for none)."""
        return max((c.hlc for c in self.winners.values()), default=0)


def fold(uuid: str, changes: Iterable[Change]) -> Folded:
    """The state of record ``uuid`` after ``changes`` (rules 1 and 2 above).

    Duplicates (the same site and sequence twice) count once.
    """
    unique = {c.key: c for c in changes}
    if len(unique) == 1:
        # Most records arrive in one change (a submitted evaluation, a call): no sorting.
        (only,) = unique.values()
        if only.deleted:
            return Folded(uuid, {}, {}, True)
        return Folded(uuid, dict(only.fields), dict.fromkeys(only.fields, only), False)
    values: dict[str, Any] = {}
    winners: dict[str, Change] = {}
    deleted = False
    for change in sorted(unique.values(), key=lambda c: c.order):
        if change.deleted:
            deleted = True
            continue
        for name, value in change.fields.items():
            values[name] = value
            winners[name] = change
    return Folded(uuid, values, winners, deleted)


def conflicts(
    uuid: str, changes: Iterable[Change], quiet: frozenset[str] = frozenset()
) -> list[Conflict]:
    """Every pair of concurrent changes that set a common field differently (rule 3),
    in a fixed order, so every site lists the same conflicts. Fields in ``quiet``
    still merge by rule 1 but are not listed."""
    ordered = sorted({c.key: c for c in changes}.values(), key=lambda c: c.order)
    found: list[Conflict] = []
    for i, older in enumerate(ordered):
        for newer in ordered[i + 1 :]:
            if not concurrent(older, newer):
                continue
            for name in sorted((older.fields.keys() & newer.fields.keys()) - quiet):
                if older.fields[name] != newer.fields[name]:
                    found.append(Conflict(uuid, name, newer, older))
    return found
