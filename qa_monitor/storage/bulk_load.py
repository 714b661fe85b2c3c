"""Fast bulk insertion of interactions, evaluations, answers, section scores and audit entries.

Used by the demo database and the scale generator (``benchmarks/generate.py``), which
write thousands to millions of already-scored evaluations. Forms and people are few
and go through the repositories; this module only appends the high-volume rows.

Rows are plain tuples in the column order of the ``*_COLUMNS`` constants (fastest) or
dicts keyed by column name (missing columns take the schema's defaults). Ids are
given by the caller (``next_id``), so answers can name their evaluation without a
round trip per row.

``bulk_mode`` holds one transaction with ``synchronous=OFF``, a large page cache and
in-memory temporary storage, and puts the connection's own settings back afterwards;
the journal stays WAL. It also suspends the dashboard roll-up triggers and rebuilds the
roll-ups in one pass before committing, and seals what it added into the tamper-evidence
chain in one pass (``storage/evidence.py``). ``insert_rows`` sends up to 200 rows per
statement. ``deferred_indexes`` drops the secondary indexes of the loaded tables and
recreates them from their own stored SQL once the rows are in, which is faster for
large loads (one sort per index instead of a B-tree insert per row and index).
``analyze`` gives the query planner statistics afterwards.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from qa_monitor.storage import evidence
from qa_monitor.storage.database import Database
from qa_monitor.storage.rollups import rebuild_rollups, suspend_rollups
from qa_monitor.storage.sync_schema import resume_sync_triggers, suspend_sync_triggers
from qa_monitor.storage.transactions import begin_immediate

Row = Sequence[Any] | Mapping[str, Any]

INTERACTION_COLUMNS: tuple[str, ...] = (
    "id",
    "external_id",
    "channel",
    "direction",
    "started_at",
    "local_date",
    "timezone",
    "duration_s",
    "agent_id",
    "team_id",
    "queue",
    "customer_ref",
    "contact_reason",
    "recording_path",
    "transcript",
    "resolved_first_contact",
    "retention",
    "churn_risk",
    "churn_reason",
    "callback_promised_at",
    "callback_kept",
    "csat",
    "nps",
    "ces",
    "survey_at",
    "source",
    "created_at",
)

EVALUATION_COLUMNS: tuple[str, ...] = (
    "id",
    "interaction_id",
    "form_id",
    "form_version_id",
    "reviewer_id",
    "agent_id",
    "team_id",
    "channel",
    "interaction_date",
    "kind",
    "status",
    "created_at",
    "updated_at",
    "submitted_at",
    "score",
    "score_before_critical",
    "passed",
    "band",
    "critical_failed",
    "auto_failed",
    "earned",
    "possible",
    "overall_comment",
    "revision",
)

# The parts fixed by the question and the chosen option come first and the
# per-evaluation extras (comment, time-stamp) last, so a generator can build a row as
# ``(evaluation_id, *cached_part, comment, timestamp_ms)``.
ANSWER_COLUMNS: tuple[str, ...] = (
    "evaluation_id",
    "question_id",
    "section_id",
    "value",
    "na",
    "earned",
    "possible",
    "status",
    "failing",
    "comment",
    "timestamp_ms",
)

SECTION_SCORE_COLUMNS: tuple[str, ...] = (
    "evaluation_id",
    "section_id",
    "position",
    "category",
    "earned",
    "earned_before_critical",
    "possible",
    "weight",
    "critical_failed",
)

# ``id`` is left to SQLite: nothing refers to audit entries.
AUDIT_COLUMNS: tuple[str, ...] = (
    "evaluation_id",
    "at",
    "actor_id",
    "action",
    "field",
    "old",
    "new",
    "reason",
)

# The schema's defaults for NOT NULL columns a dict row may leave out.
_DEFAULTS: dict[str, Any] = {
    "direction": "inbound",
    "source": "manual",
    "kind": "regular",
    "status": "draft",
    "critical_failed": 0,
    "auto_failed": 0,
    "overall_comment": "",
    "revision": 0,
    "na": 0,
    "comment": "",
    "reason": "",
}

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "interactions": INTERACTION_COLUMNS,
    "evaluations": EVALUATION_COLUMNS,
    "answers": ANSWER_COLUMNS,
    "section_scores": SECTION_SCORE_COLUMNS,
    "audit_log": AUDIT_COLUMNS,
}
BULK_TABLES: tuple[str, ...] = tuple(TABLE_COLUMNS)

DEFAULT_BATCH_SIZE = 50_000
ROWS_PER_STATEMENT = 200
MAX_PARAMETERS = 32_766  # SQLite's default limit on ? parameters per statement
_TUNED_PRAGMAS = ("synchronous", "cache_size", "temp_store")


def _pragma(db: Database, name: str) -> Any:
    row = db.conn.execute(f"PRAGMA {name}").fetchone()
    return None if row is None else row[0]


@dataclass
class BulkLoad:
    """An open bulk load; after it ends, ``seconds`` holds how long the roll-up rebuild
    and the commit took."""

    db: Database
    seconds: dict[str, float] = field(default_factory=dict)


@contextmanager
def bulk_mode(db: Database, *, cache_mib: int = 256, rollups: bool = True) -> Iterator[BulkLoad]:
    """One transaction tuned for appending many rows; committed on success, rolled back
    on error. ``synchronous``, ``cache_size`` and ``temp_store`` are restored afterwards
    (a crash mid-load can lose the load, never corrupt the file: the journal is WAL).

    With ``rollups`` the dashboard roll-up triggers are dropped for the load and the
    roll-ups recomputed from the raw rows before committing (``storage.rollups``): one
    grouped pass instead of trigger work per answer row. Pass False for a small load
    into a large database, where the triggers are cheaper than a full recompute.
    """
    if db.conn.in_transaction:
        raise RuntimeError("bulk_mode needs a connection with no open transaction")
    saved = {name: _pragma(db, name) for name in _TUNED_PRAGMAS}
    db.conn.execute("PRAGMA synchronous = OFF")
    db.conn.execute(f"PRAGMA cache_size = {-cache_mib * 1024}")
    db.conn.execute("PRAGMA temp_store = MEMORY")
    load = BulkLoad(db)
    try:
        begin_immediate(db)
        try:
            if rollups:
                suspend_rollups(db.conn)
            suspend_sync_triggers(db.conn)
            marks = evidence.high_marks(db.conn)
            evidence.disarm(db.conn)
            yield load
            started = time.perf_counter()
            evidence.seal_added(db.conn, marks)
            load.seconds["evidence"] = time.perf_counter() - started
            resume_sync_triggers(db.conn)
            started = time.perf_counter()
            if rollups:
                rebuild_rollups(db.conn)
            load.seconds["rollups"] = time.perf_counter() - started
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
        started = time.perf_counter()
        db.conn.execute("COMMIT")
        load.seconds["commit"] = time.perf_counter() - started
    finally:
        for name, value in saved.items():
            db.conn.execute(f"PRAGMA {name} = {int(value)}")
        # Setting temp_store drops every TEMP object, the chain's triggers included.
        evidence.arm(db.conn)


@contextmanager
def _transaction(db: Database) -> Iterator[None]:
    """Join the caller's transaction, or run in a bulk-mode one of our own."""
    if db.conn.in_transaction:
        yield
    else:
        with bulk_mode(db):
            yield


def _as_tuples(batch: list[Row], columns: tuple[str, ...]) -> list[Sequence[Any]]:
    """The batch as sequences in ``columns`` order (dicts filled with the defaults)."""
    width = len(columns)
    if all(type(row) is tuple and len(row) == width for row in batch):
        return batch  # type: ignore[return-value]  # the common, fast case
    known = frozenset(columns)
    out: list[Sequence[Any]] = []
    for row in batch:
        if isinstance(row, Mapping):
            unknown = row.keys() - known
            if unknown:
                raise ValueError(f"unknown columns: {', '.join(sorted(unknown))}")
            out.append(tuple(row.get(c, _DEFAULTS.get(c)) for c in columns))
        elif len(row) != width:
            raise ValueError(f"a row has {len(row)} values; expected {width}")
        else:
            out.append(row)
    return out


def insert_rows(
    db: Database,
    table: str,
    rows: Iterable[Row],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    columns: tuple[str, ...] | None = None,
) -> int:
    """Append ``rows`` to one of ``BULK_TABLES`` with ``executemany`` in batches; returns
    how many were inserted. Runs inside the open transaction, if any.

    Each statement inserts up to ``ROWS_PER_STATEMENT`` rows (multi-row VALUES): SQLite
    then evaluates the schema's ``CHECK (x IN (...))`` lists, and pays its per-statement
    cost, once per statement instead of once per row, which makes loading ~3x faster.
    ``columns`` names the columns of tuple rows when they are not the table's usual
    ones (sync applies rows with their uuid and id).
    """
    columns = columns or TABLE_COLUMNS[table]
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    one = f"({', '.join('?' * len(columns))})"
    per = max(1, min(ROWS_PER_STATEMENT, MAX_PARAMETERS // len(columns)))
    many_sql = head + ", ".join([one] * per)
    flat = itertools.chain.from_iterable
    count = 0
    source = iter(rows)
    with _transaction(db):
        while raw := list(itertools.islice(source, batch_size)):
            batch = _as_tuples(raw, columns)
            whole = len(batch) - len(batch) % per
            if whole:
                db.conn.executemany(
                    many_sql, (list(flat(batch[i : i + per])) for i in range(0, whole, per))
                )
            if whole < len(batch):
                db.conn.executemany(head + one, batch[whole:])
            count += len(batch)
    return count


def insert_interactions(db: Database, rows: Iterable[Row], **kw: Any) -> int:
    return insert_rows(db, "interactions", rows, **kw)


def insert_evaluations(db: Database, rows: Iterable[Row], **kw: Any) -> int:
    return insert_rows(db, "evaluations", rows, **kw)


def insert_answers(db: Database, rows: Iterable[Row], **kw: Any) -> int:
    return insert_rows(db, "answers", rows, **kw)


def insert_section_scores(db: Database, rows: Iterable[Row], **kw: Any) -> int:
    return insert_rows(db, "section_scores", rows, **kw)


def insert_audit_entries(db: Database, rows: Iterable[Row], **kw: Any) -> int:
    return insert_rows(db, "audit_log", rows, **kw)


def next_id(db: Database, table: str) -> int:
    """The first free id of ``interactions`` or ``evaluations`` (ids are given on insert)."""
    if table not in ("interactions", "evaluations"):
        raise ValueError(f"{table} has no integer id")
    (value,) = db.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()
    return int(value)


def secondary_indexes(db: Database, tables: Iterable[str] = BULK_TABLES) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of every explicitly created index on ``tables``."""
    names = list(tables)
    marks = ", ".join("?" * len(names))
    return [
        (name, sql)
        for name, sql in db.conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN ({marks}) ORDER BY tbl_name, name",
            names,
        )
    ]


@contextmanager
def deferred_indexes(db: Database, tables: Iterable[str] = BULK_TABLES) -> Iterator[None]:
    """Drop the secondary indexes of ``tables`` for the block and recreate them, from the
    schema's own statements, when it ends (also on error, so the schema stays whole).

    Use inside ``bulk_mode``: then the drop, the load and the rebuild are one
    transaction, and a failed load leaves the database as it was.
    """
    indexes = secondary_indexes(db, tables)
    for name, _sql in indexes:
        db.conn.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        for _name, sql in indexes:
            db.conn.execute(sql)


def checkpoint(db: Database) -> None:
    """Copy the WAL into the database file and truncate it (a big load leaves a big WAL)."""
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def analyze(db: Database, *, analysis_limit: int | None = None) -> None:
    """Run ANALYZE so the query planner has statistics for the freshly loaded tables.

    ``analysis_limit`` (rows sampled per index) trades precision for speed on very
    large databases; None analyses everything.
    """
    if db.conn.in_transaction:
        raise RuntimeError("analyze needs a connection with no open transaction")
    saved = _pragma(db, "analysis_limit")
    if analysis_limit is not None:
        db.conn.execute(f"PRAGMA analysis_limit = {int(analysis_limit)}")
    try:
        db.conn.execute("ANALYZE")
        db.conn.commit()
    finally:
        db.conn.execute(f"PRAGMA analysis_limit = {int(saved or 0)}")


def table_counts(db: Database, tables: Iterable[str]) -> dict[str, int]:
    """Row count per table, in the order given."""
    counts: dict[str, int] = {}
    for table in tables:
        (n,) = db.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        counts[table] = int(n)
    return counts
