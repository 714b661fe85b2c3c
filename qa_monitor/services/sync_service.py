"""Team sync: send this installation's changes, then apply everyone else's.

The engine is the same whichever transport moves the changes (``sync_folder``,
``sync_server``): the local journal is the only source of what to send, and every
received batch is applied in one transaction together with its cursor, so a sync
that stops at any point (a crash, a lost connection, kill -9) resumes where it was,
with nothing lost or doubled.
"""

from __future__ import annotations

from collections.abc import Callable

from qa_monitor.services.sync_transport import Batch, SyncReport, Transport, TransportError
from qa_monitor.storage.database import Database
from qa_monitor.storage.sync_apply import (
    SyncApplier,
    begin_bulk,
    end_bulk,
    rollups_stale,
    worth_bulk,
)
from qa_monitor.storage.sync_journal import SyncJournal
from qa_monitor.storage.sync_schema import ENTITIES
from qa_monitor.storage.transactions import yield_to_waiting_writers

SEND_BATCH = 5000
# Changes applied per write transaction: about a quarter of a second of holding
# SQLite's write lock on a 2-core machine, so the app's own writes barely wait.
APPLY_CHUNK = 500
BULK_CHUNK_FACTOR = 10

# (phase, done, total): phase is "send" or "receive"; total 0 when unknown.
Progress = Callable[[str, int, int], None]


class SyncCancelled(Exception):
    """The user cancelled; what was already applied stays applied."""


def run_sync(
    db: Database,
    transport: Transport,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    publish: bool = True,
) -> SyncReport:
    """One sync over ``transport`` (TransportError when it cannot start). ``publish``:
    afterwards, write the team's snapshot if one is due (not in the sync at close:
    writing a large one takes minutes)."""
    journal = SyncJournal(db)
    report = SyncReport()
    report.backfilled = journal.backfill()
    transport.open()
    try:
        # A new installation of a folder team starts from the team's snapshot, if any:
        # one copy instead of replaying every change (services/sync_snapshot.py).
        start = getattr(transport, "start_from_snapshot", None)
        if start is not None:
            report.from_snapshot = start(report.problems)
            if report.from_snapshot:
                # Every kind of record arrived at once: every screen reloads.
                report.entities |= {entity.name for entity in ENTITIES}
        site = journal.site
        total = journal.pending_count(transport.source)
        while True:
            if cancelled is not None and cancelled():
                raise SyncCancelled
            changes = journal.changes(site, journal.cursor(transport.source, site), SEND_BATCH)
            if not changes:
                break
            transport.send(changes)
            journal.set_cursor(transport.source, site, changes[-1].seq)
            report.sent += len(changes)
            if progress is not None:
                progress("send", report.sent, total)
        applier = SyncApplier(db)
        bulk = rollups_stale(db)  # a first sync that was stopped goes on in bulk
        try:
            for batch in transport.incoming(report.problems):
                if cancelled is not None and cancelled():
                    raise SyncCancelled
                if not bulk and worth_bulk(db, batch.changes):
                    begin_bulk(db)
                    bulk = True
                _apply(applier, batch, transport.source, report, bulk)
                if progress is not None:
                    progress("receive", report.received, 0)
        finally:
            if bulk:
                end_bulk(db)
        after = getattr(transport, "after_sync", None)
        if after is not None and publish:
            after(report, cancelled)
    finally:
        transport.close()
    return report


def _apply(
    applier: SyncApplier, batch: Batch, source: str, report: SyncReport, bulk: bool
) -> None:
    """Apply a batch in short transactions, so the app's own writes (an autosave) never
    wait long for the write lock. Only the last one moves the cursor: a sync stopped in
    between reads the batch again, and the changes already stored count once."""
    changes = sorted(batch.changes, key=lambda c: c.order)
    # A first sync runs under its own progress window, into an installation with
    # nothing to autosave yet: larger steps cost less there (fewer commits and lookups).
    size = APPLY_CHUNK * BULK_CHUNK_FACTOR if bulk else APPLY_CHUNK
    chunks = [changes[i : i + size] for i in range(0, len(changes), size)]
    for i, chunk in enumerate(chunks or [[]]):
        last = i == len(chunks) - 1 or not chunks
        cursor = (source, batch.site, batch.upto) if last else None
        result = applier.apply(chunk, cursor, bulk=bulk)
        report.received += result.received
        report.applied += result.applied
        report.waiting = result.waiting
        report.conflicts += result.conflicts
        report.problems.extend(result.problems)
        report.entities |= result.entities
        if not last:
            yield_to_waiting_writers()  # an autosave waiting for the lock takes it now


__all__ = ["Progress", "SyncCancelled", "SyncReport", "TransportError", "run_sync"]
