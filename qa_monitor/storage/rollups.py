"""Dashboard roll-up tables: created by a migration, kept exactly current by triggers.

Rules:
- Every roll-up (``rollup_specs.CUBES``) equals, exactly, the same sums recomputed from
  the raw evaluations, answers and section scores (rows whose measures are all zero
  are the same as absent rows). ``rollup_differences`` checks it.
- Triggers keep them current in the same transaction as the change, whatever the
  route: submitting (draft → submitted adds the evaluation), editing a submitted
  evaluation (answers and section scores are subtracted and re-added as they change),
  status changes, an interaction's agent / team / channel / date moving its
  evaluations, and deletes (a counted evaluation is subtracted before its answers
  cascade away). Drafts never count, so autosave does no roll-up work.
- Bulk loads drop the triggers for the load (``suspend_rollups``, inside the load's
  transaction) and call ``rebuild_rollups`` before committing, which recomputes every
  roll-up from the raw rows and puts the triggers back: one pass instead of a
  trigger per answer row. A failed load rolls back the triggers' removal too.
- The repeat-contact column the drivers and outcome roll-ups read
  (``interactions.next_contact_at``, storage/repeat_contacts.py) is derived data of the
  same kind: its triggers are suspended with the roll-ups' and ``rebuild_rollups``
  recomputes it, set-based, before the roll-ups that read it.

A change to the cubes must ship as a new migration that calls ``reinstall_rollups``.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

from qa_monitor.storage import repeat_contacts, rollup_drivers
from qa_monitor.storage.rollup_fill import ANALYTICS_INDEX_NAME, fill_rollups
from qa_monitor.storage.rollup_specs import (
    CUBES,
    DIM_TYPES,
    EVAL_KEY_COLUMNS,
    EVAL_VALUE_COLUMNS,
    EVALUATION,
    Cube,
    Family,
    contribution_from_child,
    contribution_from_evaluation,
    cubes_of,
    recompute_select,
    upsert,
)

# Lets raw dashboard queries over submitted evaluations read one index and never the
# (wide) table rows; the index ends with the measures they sum.
ANALYTICS_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {ANALYTICS_INDEX_NAME} ON evaluations (interaction_date,"
    " kind, team_id, agent_id, reviewer_id, form_version_id, form_id, channel, score,"
    " passed, critical_failed) WHERE status <> 'draft'"
)


def _conn(db: sqlite_utils.Database | sqlite3.Connection) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


# --------------------------------------------------------------------------- schema


def _table_sql(cube: Cube) -> list[str]:
    keys = ["d TEXT NOT NULL"] + [f"{k} {DIM_TYPES[k]} NOT NULL" for k in cube.key_columns[1:]]
    measures = [f"{m} INTEGER NOT NULL DEFAULT 0" for m in cube.family.measure_names]
    pk = ", ".join(cube.key_columns)
    sql = [
        f"CREATE TABLE IF NOT EXISTS {cube.table} ({', '.join(keys + measures)},"
        f" PRIMARY KEY ({pk})) WITHOUT ROWID"
    ]
    if cube.lead is not None:
        sql.append(
            f"CREATE INDEX IF NOT EXISTS {_index_name(cube)} ON {cube.table} ({cube.lead}, d)"
        )
    return sql


def _index_name(cube: Cube) -> str:
    return f"{cube.table}_{cube.lead}"


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


_STATUS_FLIPPED = "(OLD.status = 'draft') <> (NEW.status = 'draft')"
_EITHER_COUNTED = "(OLD.status <> 'draft' OR NEW.status <> 'draft')"


def _trigger(name: str, head: str, statements: list[str]) -> tuple[str, str]:
    body = ";\n    ".join(statements)
    return name, f"CREATE TRIGGER IF NOT EXISTS {name} {head}\nBEGIN\n    {body};\nEND"


def _child_triggers(family: Family) -> list[tuple[str, str]]:
    assert family.child is not None
    cubes = cubes_of(family)
    table = family.child
    new_counts = family.child_where.format(c="NEW")
    old_counts = family.child_where.format(c="OLD")
    watched = ", ".join(family.watched)
    return [
        _trigger(
            f"rollup_{table}_insert",
            f"AFTER INSERT ON {table} WHEN {new_counts}",
            [contribution_from_child(c, "NEW", 1) for c in cubes],
        ),
        _trigger(
            f"rollup_{table}_update",
            f"AFTER UPDATE OF {watched} ON {table} WHEN ({old_counts}) OR ({new_counts})",
            [contribution_from_child(c, "OLD", -1) for c in cubes]
            + [contribution_from_child(c, "NEW", 1) for c in cubes],
        ),
        _trigger(
            f"rollup_{table}_delete",
            f"AFTER DELETE ON {table} WHEN {old_counts}",
            [contribution_from_child(c, "OLD", -1) for c in cubes],
        ),
    ]


def trigger_statements() -> list[tuple[str, str]]:
    """(name, CREATE TRIGGER) of every roll-up trigger."""
    eval_cubes = cubes_of(EVALUATION)
    child_cubes = [c for c in CUBES if c.family is not EVALUATION]
    keys = ", ".join(EVAL_KEY_COLUMNS)
    values_and_keys = EVAL_KEY_COLUMNS + EVAL_VALUE_COLUMNS
    triggers = [
        _trigger(
            "rollup_evaluations_insert",
            "AFTER INSERT ON evaluations WHEN NEW.status <> 'draft'",
            [contribution_from_evaluation(c, "NEW", 1) for c in CUBES],
        ),
        _trigger(
            "rollup_evaluations_values",
            f"AFTER UPDATE OF status, {', '.join(values_and_keys)} ON evaluations"
            f" WHEN {_EITHER_COUNTED} AND ({_STATUS_FLIPPED} OR {_changed(values_and_keys)})",
            [contribution_from_evaluation(c, "OLD", -1) for c in eval_cubes]
            + [contribution_from_evaluation(c, "NEW", 1) for c in eval_cubes],
        ),
        _trigger(
            "rollup_evaluations_keys",
            f"AFTER UPDATE OF status, {keys} ON evaluations"
            f" WHEN {_EITHER_COUNTED} AND ({_STATUS_FLIPPED} OR {_changed(EVAL_KEY_COLUMNS)})",
            [contribution_from_evaluation(c, "OLD", -1) for c in child_cubes]
            + [contribution_from_evaluation(c, "NEW", 1) for c in child_cubes],
        ),
        # BEFORE: the answers and section scores are still there to subtract; their own
        # delete triggers then find no evaluation and do nothing.
        _trigger(
            "rollup_evaluations_delete",
            "BEFORE DELETE ON evaluations WHEN OLD.status <> 'draft'",
            [contribution_from_evaluation(c, "OLD", -1) for c in CUBES],
        ),
    ]
    for family in {c.family for c in child_cubes}:
        triggers += _child_triggers(family)
    return sorted(triggers)


def trigger_names() -> list[str]:
    return [name for name, _sql in trigger_statements()]


def install_rollups(db: sqlite_utils.Database | sqlite3.Connection) -> None:
    """Create the roll-up tables, their indexes, the analytics index and the triggers,
    then fill the tables from the raw rows. Runs in the caller's transaction."""
    conn = _conn(db)
    for cube in CUBES:
        for sql in _table_sql(cube):
            conn.execute(sql)
    rollup_drivers.create_table(conn)
    conn.execute(ANALYTICS_INDEX)
    rebuild_rollups(conn)


def reinstall_rollups(db: sqlite_utils.Database | sqlite3.Connection) -> None:
    """Drop every roll-up object and install the current ones (for a future migration)."""
    conn = _conn(db)
    suspend_rollups(conn)
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rollup\\_%' ESCAPE '\\'"
    ).fetchall():
        conn.execute(f'DROP TABLE "{name}"')
    install_rollups(conn)


# --------------------------------------------------------------------------- upkeep


def suspend_rollups(db: sqlite_utils.Database | sqlite3.Connection) -> None:
    """Drop the roll-up triggers (in the caller's transaction) before a bulk load; the
    load must end with ``rebuild_rollups`` in the same transaction."""
    conn = _conn(db)
    for name in trigger_names():
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    rollup_drivers.drop_triggers(conn)
    repeat_contacts.drop_triggers(conn)


def resume_rollups(db: sqlite_utils.Database | sqlite3.Connection) -> None:
    """Put the triggers back after ``suspend_rollups`` (in the caller's transaction),
    once the roll-ups hold what was written meanwhile (``add_evaluations``). Interactions
    written meanwhile need ``rebuild_rollups`` instead: their repeat contacts were not
    kept."""
    conn = _conn(db)
    for _name, sql in trigger_statements():
        conn.execute(sql)
    rollup_drivers.create_triggers(conn)
    repeat_contacts.create_triggers(conn)


def add_evaluations(conn: sqlite3.Connection, ids: list[int]) -> None:
    """Add to every roll-up the contributions of the evaluations ``ids`` (with their
    answers and section scores), written while the triggers were suspended: one grouped
    upsert per roll-up instead of three trigger statements per answer row. The roll-ups
    are sums, so adding a set's sums gives what the triggers would have given."""
    if not ids:
        return
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS rollup_added (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.rollup_added")
    conn.executemany("INSERT OR IGNORE INTO temp.rollup_added (id) VALUES (?)", ((i,) for i in ids))
    only = "e.id IN (SELECT id FROM temp.rollup_added)"
    for cube in CUBES:
        conn.execute(upsert(cube, recompute_select(cube, only)))
    rollup_drivers.add_evaluations(conn, only)
    conn.execute("DELETE FROM temp.rollup_added")


def rebuild_rollups(
    db: sqlite_utils.Database | sqlite3.Connection, *, months_per_chunk: int = 1
) -> None:
    """Recompute every roll-up from the raw rows and (re)create the triggers.

    Runs in the caller's transaction if one is open, else in its own. The tables are
    emptied and their (lead, d) indexes dropped, ``rollup_fill.fill_rollups`` fills
    them ``months_per_chunk`` months of evaluations at a time (work linear in the
    database), then the indexes are built once and the triggers put back. On
    1,000,000 evaluations / 30,000,000 answers this takes about a minute (60 s on
    its own, 75 s at the end of generate.py's load, on a 2-core machine:
    ``benchmarks/bench_rollups.py``); call it once, at the end of a bulk load.
    """
    conn = _conn(db)
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    try:
        suspend_rollups(conn)
        # The repeat contacts first: the drivers and outcome roll-ups read them. The
        # outcome table's triggers go too, or each row rewritten would fire them.
        rollup_drivers.drop_outcome_triggers(conn)
        repeat_contacts.add_column(conn)
        repeat_contacts.refill(conn)
        for cube in CUBES:
            conn.execute(f"DELETE FROM {cube.table}")
            if cube.lead is not None:
                conn.execute(f"DROP INDEX IF EXISTS {_index_name(cube)}")
        fill_rollups(conn, months_per_chunk=months_per_chunk)
        rollup_drivers.refill(conn)
        for cube in CUBES:
            for sql in _table_sql(cube)[1:]:
                conn.execute(sql)
        resume_rollups(conn)
    except BaseException:
        if own:
            conn.execute("ROLLBACK")
        raise
    if own:
        conn.execute("COMMIT")


def rollup_differences(
    db: sqlite_utils.Database | sqlite3.Connection, *, limit: int = 5
) -> dict[str, list[tuple[object, ...]]]:
    """Rows where a roll-up and the same sums recomputed from raw rows disagree.

    Keyed by table; each value lists up to ``limit`` differing rows, prefixed with
    'stored' or 'recomputed'. Rows whose measures are all zero count as absent.
    Empty dict: every roll-up is exact.
    """
    conn = _conn(db)
    problems: dict[str, list[tuple[object, ...]]] = {}
    for cube in CUBES:
        cols = ", ".join(cube.columns)
        nonzero = " OR ".join(f"{m} <> 0" for m in cube.family.measure_names)
        stored = f"SELECT {cols} FROM {cube.table} WHERE {nonzero}"
        fresh = recompute_select(cube)
        rows = conn.execute(
            f"SELECT 'stored', * FROM ({stored} EXCEPT {fresh}) LIMIT {int(limit)}"
        ).fetchall()
        rows += conn.execute(
            f"SELECT 'recomputed', * FROM ({fresh} EXCEPT {stored}) LIMIT {int(limit)}"
        ).fetchall()
        if rows:
            problems[cube.table] = [tuple(r) for r in rows]
    if drivers := rollup_drivers.differences(conn, limit):
        problems[rollup_drivers.TABLE] = drivers
    if contacts := repeat_contacts.differences(conn, limit):
        problems["interactions." + repeat_contacts.COLUMN] = contacts
    return problems
