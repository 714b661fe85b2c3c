"""What every sync transport (team folder, team server) offers the sync engine."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from qa_monitor.core.sync_merge import Change


class TransportError(Exception):
    """The transport cannot be used now; the message says why and what to do.
    Nothing was lost: the next sync tries again."""


@dataclass(frozen=True)
class Batch:
    """Changes received together, and the cursor to store once they are applied:
    ``site`` is the author site (folder) or the server's name; ``upto`` its position."""

    changes: list[Change]
    site: str
    upto: int


@dataclass
class SyncReport:
    sent: int = 0
    received: int = 0
    applied: int = 0
    waiting: int = 0
    conflicts: int = 0
    backfilled: int = 0
    from_snapshot: int = 0  # evaluations a snapshot start brought (sync_snapshot.py)
    problems: list[str] = field(default_factory=list)
    entities: set[str] = field(default_factory=set)  # kinds of record written here

    @property
    def clean(self) -> bool:
        return not self.problems and not self.waiting


class Transport(Protocol):
    #: Namespace of this transport's cursors in ``sync_cursors``.
    source: str

    def open(self) -> None:
        """Connect and check identity (team, format, credentials); TransportError if not."""

    def send(self, changes: list[Change]) -> None:
        """Store this site's ``changes`` (sequence order) for the team, all or nothing."""

    def incoming(self, problems: list[str]) -> Iterator[Batch]:
        """Batches from the team not applied here yet, oldest first; what cannot be read
        now is described in ``problems`` and retried at the next sync."""
        ...

    def close(self) -> None:
        """Release connections."""
