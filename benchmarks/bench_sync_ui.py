"""How long team sync's screens hold the GUI thread on a big database.

    python benchmarks/bench_sync_ui.py DB [--conflicts 50] [--runs 5] [--no-backfill]

DB is changed (its journal is backfilled, a few evaluations are edited and listed as
conflicts): run it on a copy, e.g. ``cp /tmp/bench1m.db /tmp/sync1m.db``. It prints:

- the backfill that the first sync runs (journals every record of a database that
  predates sync; on a worker in the app). ``--no-backfill`` skips it (minutes at a
  million evaluations): every read measured here is an index lookup whose cost does
  not depend on the journal's length;
- the reads the GUI thread makes itself (team settings, who I am, and the status at
  close), medians of ``--runs``;
- for the status bar's refresh and the Sync conflicts view's load (both on workers),
  how long the result took and the longest gap between the ticks of a 5 ms timer
  on the GUI thread meanwhile: the most the window could have frozen (target ≤ 50 ms).

The conflicts are real journal entries of real evaluations (an edit each, listed
against the evaluation's first entry), so the view describes them as it would after a
sync: names, dates, the form's question texts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent)]  # run from a checkout without installing
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from qa_monitor.services import Services  # noqa: E402
from qa_monitor.storage.sync_journal import SyncJournal  # noqa: E402
from qa_monitor.ui.dialogs.sync_conflicts_dialog import (  # noqa: E402
    EMPTY,
    LIST,
    SyncConflictsDialog,
)
from qa_monitor.ui.session import Session  # noqa: E402
from qa_monitor.ui.team_sync_runner import TeamSyncRunner  # noqa: E402


class GapMeter:
    """The longest time between two ticks of a 5 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self._tick)
        self.last = 0
        self.longest = 0

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self) -> None:
        self.clock.start()
        self.last, self.longest = 0, 0
        self.timer.start()

    def stop(self) -> int:
        self.timer.stop()
        return self.longest


def run_until(done: Callable[[], bool], timeout_s: float = 120) -> None:
    loop = QEventLoop()
    end = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("no answer in time")
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def make_conflicts(services: Services, count: int, edits: int) -> None:
    """``count`` evaluations edited ``edits`` times, the last edit listed against the
    evaluation's first journal entry (as two offline edits of it would be)."""
    db = services.db
    rows = db.execute(
        "SELECT id FROM evaluations WHERE status = 'submitted' ORDER BY id DESC LIMIT ?",
        [count],
    ).fetchall()
    actor = db.execute("SELECT min(id) FROM reviewers").fetchone()[0]
    for (ev_id,) in rows:
        for n in range(edits):
            ev = services.evaluations.get_evaluation(ev_id)
            services.evaluations.edit_submitted(
                ev_id, ev.answers, f"Edited for the benchmark ({n + 1}).", actor, "benchmark"
            )
    with db.conn:
        db.execute(
            "INSERT OR IGNORE INTO sync_conflicts (uuid, entity, field, kept_site, kept_seq,"
            " other_site, other_seq)"
            " SELECT e.uuid, 'evaluation', 'content', j2.site, j2.seq, j1.site, j1.seq"
            " FROM evaluations e"
            " JOIN sync_journal j1 ON j1.uuid = e.uuid"
            " JOIN sync_journal j2 ON j2.uuid = e.uuid AND j2.seq > j1.seq"
            " AND j2.seq = (SELECT max(seq) FROM sync_journal j3 WHERE j3.uuid = e.uuid)"
            " AND j1.seq = (SELECT min(seq) FROM sync_journal j4 WHERE j4.uuid = e.uuid)"
            f" WHERE e.id IN ({','.join(str(r[0]) for r in rows)})"
            " AND j2.fields LIKE '%\"content\"%'"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--conflicts", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-backfill", action="store_true")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    services = Services.open(args.db)
    count = services.db.execute("SELECT count(*) FROM evaluations").fetchone()[0]
    print(f"{args.db}: {count:,} evaluations")
    if not args.no_backfill:
        started = time.perf_counter()
        added = SyncJournal(services.db).backfill()
        print(f"backfill (first sync, on a worker): {added:,} entries in "
              f"{time.perf_counter() - started:.1f} s")
    journal = services.db.execute("SELECT count(*) FROM sync_journal").fetchone()[0]
    print(f"journal: {journal:,} entries")
    started = time.perf_counter()
    make_conflicts(services, args.conflicts, 2 if args.no_backfill else 1)
    listed = SyncJournal(services.db).conflict_count()
    print(f"{listed} conflicts made in {time.perf_counter() - started:.1f} s\n")

    team = services.team_sync
    print(f"GUI thread, medians of {args.runs} runs:")
    print(f"  team_settings()          {median_ms(team.team_settings, args.runs):7.2f} ms")
    print(f"  identity()               {median_ms(team.identity, args.runs):7.2f} ms")
    print(f"  status() (at close)      {median_ms(team.status, args.runs):7.2f} ms\n")

    meter = GapMeter()
    print("On workers: result in / longest GUI-thread gap meanwhile")
    runner = TeamSyncRunner(team, first_delay_ms=3_600_000)
    for _ in range(args.runs):
        got: list[object] = []
        runner.statusChanged.connect(got.append)
        meter.start()
        started = time.perf_counter()
        runner.refresh_status()
        run_until(lambda got=got: bool(got))  # type: ignore[misc]
        took = (time.perf_counter() - started) * 1000
        print(f"  status bar refresh       {took:7.1f} ms / gap {meter.stop()} ms")
        runner.statusChanged.disconnect(got.append)
    runner.stop()
    session = Session(services, args.db, None)
    for _ in range(args.runs):
        meter.start()
        started = time.perf_counter()
        dialog = SyncConflictsDialog(session)
        dialog.show()
        run_until(lambda d=dialog: d.pages.currentIndex() in (LIST, EMPTY))  # type: ignore[misc]
        took = (time.perf_counter() - started) * 1000
        rows = dialog.model.rowCount()
        print(f"  conflicts view ({rows} rows) {took:7.1f} ms / gap {meter.stop()} ms")
        dialog.reject()
        dialog.deleteLater()
    services.close()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
