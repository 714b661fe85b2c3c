"""Is a database file damaged? SQLite's own checks, time-boxed or in full.

``quick_check`` runs when a database opens (``open_database``): it reads every page
of the b-trees and catches a damaged header, page or index without comparing index
entries to their rows. On a very large file it stops after ``seconds`` and says the
file was not fully checked, so opening never hangs; the full ``integrity_check`` runs
on demand (``qa-monitor check``, Database ▸ Check) with progress and a way to cancel.

The raw SQLite output ("Page 5: btreeInitPage() returns error code 11") goes to the
log; users read ``DamagedDatabaseError``'s sentence, which says what to do.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

# Opening checks a file up to this size completely, however long a busy machine takes
# (about 0.6 s for the 14 MB demo database unloaded; 128 MiB is ~35,000 evaluations),
# and a larger one for at most OPEN_CHECK_SECONDS, so opening never hangs on a huge
# file (100,000 evaluations, 353 MB: quick_check 14.5 s on a loaded 2-core machine;
# benchmarks/bench_backups.py). A time box alone let a loaded machine open damaged
# small files: 13 of 40 in tests/reliability/corruption.py at load average 10.
OPEN_FULL_CHECK_BYTES = 128 * 1024 * 1024
OPEN_CHECK_SECONDS = 2.0
# The progress handler runs every this many SQLite virtual-machine steps (~1 ms).
_STEPS = 10_000


@dataclass(frozen=True)
class HealthReport:
    """What a check found: ``problems`` are SQLite's own lines (for the log), ``complete``
    is False when the time box or a cancel stopped it first."""

    problems: tuple[str, ...] = ()
    complete: bool = True
    seconds: float = 0.0
    pages: int = 0

    @property
    def damaged(self) -> bool:
        return bool(self.problems)


@dataclass
class _Deadline:
    seconds: float | None
    cancelled: Callable[[], bool] | None = None
    started: float = field(default_factory=time.perf_counter)
    stopped: bool = False

    def __call__(self) -> int:
        expired = self.seconds is not None and time.perf_counter() - self.started > self.seconds
        if expired or (self.cancelled is not None and self.cancelled()):
            self.stopped = True
            return 1  # non-zero interrupts the statement
        return 0


def run_check(
    conn: sqlite3.Connection,
    *,
    full: bool = False,
    seconds: float | None = None,
    cancelled: Callable[[], bool] | None = None,
    max_problems: int = 100,
) -> HealthReport:
    """``PRAGMA quick_check`` (or ``integrity_check`` with ``full``) on ``conn``.

    Stops after ``seconds`` or when ``cancelled()`` says so, and then reports
    ``complete=False`` with whatever it found so far. A file too damaged for the check
    to run is reported as one problem, never raised.
    """
    deadline = _Deadline(seconds, cancelled)
    pragma = "integrity_check" if full else "quick_check"
    pages = 0
    conn.set_progress_handler(deadline, _STEPS)
    try:
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
        rows = conn.execute(f"PRAGMA {pragma}({int(max_problems)})").fetchall()
        problems = tuple(str(r[0]) for r in rows if str(r[0]) != "ok")
        complete = True
    except sqlite3.OperationalError as exc:
        if not deadline.stopped:
            problems, complete = (str(exc),), True
        else:
            problems, complete = (), False
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        # "database disk image is malformed", "file is not a database", garbage text
        problems, complete = (str(exc),), True
    finally:
        conn.set_progress_handler(None, 0)
    elapsed = time.perf_counter() - deadline.started
    if problems:
        log.info("%s found %d problems: %s", pragma, len(problems), "; ".join(problems[:5]))
    return HealthReport(problems, complete, elapsed, pages)


def open_check_seconds(path: Path) -> float | None:
    """The time box for the check when ``path`` opens: none for a file of up to
    OPEN_FULL_CHECK_BYTES (with its WAL), else OPEN_CHECK_SECONDS."""
    size = sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())
    return None if size <= OPEN_FULL_CHECK_BYTES else OPEN_CHECK_SECONDS


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write ``path`` (nor create it): for checking a file that
    may be damaged, and for previewing a backup."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.execute("PRAGMA query_only = ON")
    return conn


def check_file(
    path: Path,
    *,
    full: bool = True,
    seconds: float | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> HealthReport:
    """Check the file at ``path`` read-only; an unreadable file is one problem."""
    try:
        conn = open_read_only(path)
    except sqlite3.Error as exc:
        return HealthReport((str(exc),))
    try:
        return run_check(conn, full=full, seconds=seconds, cancelled=cancelled)
    finally:
        conn.close()


def foreign_key_problems(conn: sqlite3.Connection, limit: int = 1000) -> dict[str, int]:
    """How many rows of each table refer to a row that does not exist (at most ``limit``
    rows looked at)."""
    counts: dict[str, int] = {}
    for row in conn.execute("PRAGMA foreign_key_check"):
        counts[str(row[0])] = counts.get(str(row[0]), 0) + 1
        if sum(counts.values()) >= limit:
            break
    return counts


def count_invalid_json(conn: sqlite3.Connection, table: str, column: str) -> int:
    """How many rows of ``table`` hold a ``column`` that is not valid JSON (text damaged
    in place, which the structural checks cannot see)."""
    sql = f'SELECT count(*) FROM "{table}" WHERE NOT json_valid("{column}")'
    return int(conn.execute(sql).fetchone()[0])
