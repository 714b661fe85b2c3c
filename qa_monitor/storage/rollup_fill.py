"""Filling emptied roll-up tables from the raw rows, a month of evaluations at a time.

``rollups.rebuild_rollups`` empties the tables, calls ``fill_rollups`` and puts the
indexes and triggers back. Why it is shaped like this (measured on 100k-1M
evaluations, ``benchmarks/bench_rollups.py``):

- Chunks of ``months_per_chunk`` months of interaction dates, in date order. Every
  temp table and sort of a chunk stays small, so the work grows linearly with the
  database, and the GROUP BYs' sorted output appends to each roll-up in primary-key
  order. A chunk holds whole month buckets (its bounds are month prefixes), so no
  day or month row gets contributions from two chunks and a plain INSERT is enough.
- The answers (30 per evaluation) are the cost. Each is read once, per chunk, and
  upserted into a rowid stage keyed by one integer, (evaluation key number × Q +
  child key number), the evaluations taken in key-number order: integer keys and
  rowid seeks cost about 30% less than a (number, question_id) key; a GROUP BY of
  the answers, which sorts them, costs more than the upserts.
- The stage is grouped into each roll-up by one integer too: the dense rank of the
  roll-up's own key (date bucket and dimensions, in primary-key order) × Q + child
  key number; sorting integers costs about 40% less than sorting the text keys.
- Roll-ups coarser than what a chunk's day roll-ups can give (years, and months
  from other months) are grouped at the end from a finished, smaller roll-up.

Child key numbers come from ``form_questions`` (which lists every version's questions
and sections); a child row whose keys are not there gets number 0, and its chunk is
staged again after numbering the keys it holds, so nothing is ever dropped.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from qa_monitor.storage.rollup_specs import (
    COUNTED,
    CUBES,
    DATE_EXPR,
    DIM_TYPES,
    EVAL_DIMS,
    GRAINS,
    Cube,
    Family,
    bucket_sql,
    key_exprs,
    measure_exprs,
    recompute_select,
)

ANALYTICS_INDEX_NAME = "evaluations_analytics"
_KEYS, _EVAL_KEYS = "rollup_keys", "rollup_eval_keys"
_SCRATCH_CACHE_KIB = 64 * 1024  # a chunk's temp tables stay in memory, whatever temp_store is


@dataclass(frozen=True, slots=True)
class _Step:
    """One roll-up and where it is grouped from: ``source`` None means the raw rows
    (the evaluations, or the family's stage)."""

    cube: Cube
    source: Cube | None
    in_chunk: bool


def _plan() -> list[_Step]:
    """Finest first; each roll-up from the built roll-up of its family with the fewest
    rows that has all its keys (coarsest grain, then fewest dimensions). Within a chunk
    only day roll-ups are sources; the rest waits for the end."""
    steps: list[_Step] = []
    for cube in sorted(CUBES, key=lambda c: (GRAINS.index(c.grain), -len(c.dims))):
        sources = [
            s.cube
            for s in steps
            if s.cube.family is cube.family
            and set(cube.dims) <= set(s.cube.dims)
            and GRAINS.index(s.cube.grain) <= GRAINS.index(cube.grain)
        ]
        source = max(sources, key=lambda c: (GRAINS.index(c.grain), -len(c.dims)), default=None)
        if source is None:
            in_chunk = cube.grain != "year"
        else:
            in_chunk = source.grain == "day" and cube.grain != "year"
        steps.append(_Step(cube, source, in_chunk))
    return steps


_STEPS = _plan()
# Roll-ups grouped from a child family's stage, and the evaluation dimensions they need:
# the chunk's evaluation keys are numbered over these.
_STAGED = tuple(s.cube for s in _STEPS if s.source is None and s.cube.family.child)
_KEY_DIMS = tuple(d for d in EVAL_DIMS if any(d in c.dims for c in _STAGED))
_CHILD_FAMILIES = tuple(dict.fromkeys(c.family for c in _STAGED))


def _stage_table(family: Family) -> str:
    return f"rollup_stage_{family.name}"


def _map_table(family: Family) -> str:
    return f"rollup_child_{family.name}"


def _child_keys(family: Family) -> list[str]:
    return [name for name, _sql in family.child_keys]


def _rank(cube: Cube) -> str:
    return f"r_{cube.table}"


def fill_rollups(conn: sqlite3.Connection, *, months_per_chunk: int = 1) -> None:
    """Fill the (empty) roll-up tables from the raw rows, in the caller's transaction."""
    if months_per_chunk < 1:
        raise ValueError("months_per_chunk must be at least 1")
    evaluations = _evaluations(conn)
    with _scratch(conn):
        for low, high in _chunks(conn, evaluations, months_per_chunk):
            _fill_chunk(conn, evaluations, low, high)
        for step in _STEPS:
            if step.in_chunk:
                continue
            if step.source is None:
                conn.execute(f"INSERT INTO {step.cube.table} {recompute_select(step.cube)}")
            else:
                conn.execute(_from_cube(step.cube, step.source, "1"))


@contextmanager
def _scratch(conn: sqlite3.Connection) -> Iterator[None]:
    """Create the temp tables, number the child keys ``form_questions`` knows, and drop
    the tables afterwards."""
    (saved,) = conn.execute("PRAGMA temp.cache_size").fetchone()
    conn.execute(f"PRAGMA temp.cache_size = {-_SCRATCH_CACHE_KIB}")
    tables = [_KEYS, _EVAL_KEYS]
    tables += [t(f) for f in _CHILD_FAMILIES for t in (_stage_table, _map_table)]
    try:
        for table in tables:
            conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
        columns = ["k INTEGER PRIMARY KEY", "interaction_date TEXT NOT NULL"]
        columns += [f"{d} {DIM_TYPES[d]} NOT NULL" for d in _KEY_DIMS]
        columns += [f"{_rank(c)} INTEGER NOT NULL" for c in _STAGED]
        conn.execute(f"CREATE TEMP TABLE {_KEYS} ({', '.join(columns)})")
        conn.execute(
            f"CREATE UNIQUE INDEX temp.{_KEYS}_all ON {_KEYS}"
            f" (interaction_date, {', '.join(_KEY_DIMS)})"
        )
        # Clustered by key number: the stage upserts of one key then land side by side.
        conn.execute(
            f"CREATE TEMP TABLE {_EVAL_KEYS} (k INTEGER NOT NULL, id INTEGER NOT NULL,"
            " PRIMARY KEY (k, id)) WITHOUT ROWID"
        )
        for family in _CHILD_FAMILIES:
            keys = _child_keys(family)
            conn.execute(
                f"CREATE TEMP TABLE {_stage_table(family)} (g INTEGER PRIMARY KEY, "
                + ", ".join(f"{m} INTEGER NOT NULL" for m in family.measure_names)
                + ")"
            )
            conn.execute(
                f"CREATE TEMP TABLE {_map_table(family)} (i INTEGER PRIMARY KEY, "
                + "".join(f"{c} TEXT NOT NULL, " for c in keys)
                + f"UNIQUE ({', '.join(keys)}))"
            )
            # form_questions names its columns like the child tables' key columns.
            conn.execute(
                f"INSERT INTO {_map_table(family)} ({', '.join(keys)}) SELECT DISTINCT"
                f" {', '.join(keys)} FROM form_questions ORDER BY {', '.join(keys)}"
            )
        yield
    finally:
        for table in tables:
            conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
        conn.execute(f"PRAGMA temp.cache_size = {int(saved)}")


def _evaluations(conn: sqlite3.Connection) -> str:
    """The counted evaluations' FROM term: through the analytics index when it is there.
    It holds every column the roll-ups read (and the id), so a chunk is one index range
    scan; left alone, the planner reads the wide table rows through evaluations_date."""
    name = ANALYTICS_INDEX_NAME
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
    ).fetchone()
    return f"evaluations e INDEXED BY {name}" if found else "evaluations e"


def _chunks(
    conn: sqlite3.Connection, evaluations: str, months_per_chunk: int
) -> list[tuple[str | None, str | None]]:
    """[low, high) ranges of interaction_date covering every counted evaluation once.

    The bounds are month prefixes ('2026-03') taken from the data: dates sharing a
    month bucket fall in the same chunk."""
    months = [
        m
        for (m,) in conn.execute(
            f"SELECT DISTINCT substr(e.interaction_date, 1, 7) FROM {evaluations}"
            f" WHERE {COUNTED.format(e='e')} ORDER BY 1"
        )
    ]
    if not months:
        return []
    bounds: list[str | None] = [None, *months[months_per_chunk::months_per_chunk], None]
    return list(itertools.pairwise(bounds))


def _in_range(column: str, low: str | None, high: str | None) -> tuple[str, list[str]]:
    terms, args = [], []
    if low is not None:
        terms.append(f"{column} >= ?")
        args.append(low)
    if high is not None:
        terms.append(f"{column} < ?")
        args.append(high)
    return " AND ".join(terms) or "1", args


def _grouped(cube: Cube, exprs: list[str], source: str, where: str) -> str:
    """INSERT of ``exprs`` (the cube's key columns, then measures to sum), grouped by the
    keys: the groups come out in primary-key order."""
    keys = len(cube.key_columns)
    cols = [*exprs[:keys], *(f"SUM({m})" for m in exprs[keys:])]
    group = ", ".join(str(i + 1) for i in range(keys))
    return (
        f"INSERT INTO {cube.table} ({', '.join(cube.columns)}) SELECT {', '.join(cols)}"
        f" FROM {source} WHERE {where} GROUP BY {group}"
    )


def _from_cube(cube: Cube, source: Cube, where: str) -> str:
    exprs = [bucket_sql("d", cube.grain, source.grain), *cube.dims, *_child_keys(cube.family)]
    return _grouped(cube, exprs + list(cube.family.measure_names), source.table, where)


def _fill_chunk(
    conn: sqlite3.Connection, evaluations: str, low: str | None, high: str | None
) -> None:
    """Fill the rows of the roll-ups built per chunk for the evaluations in [low, high)."""
    counted = COUNTED.format(e="e")
    in_chunk, args = _in_range("e.interaction_date", low, high)
    where = f"{counted} AND {in_chunk}"
    _number_keys(conn, evaluations, where, args)
    staged = {f: _stage(conn, f) for f in _CHILD_FAMILIES}
    for step in _STEPS:
        cube = step.cube
        if not step.in_chunk:
            continue
        if step.source is not None:
            d_in_chunk, _same = _in_range("d", low, high)
            conn.execute(_from_cube(cube, step.source, d_in_chunk), args)
        elif cube.family.child is None:
            exprs = key_exprs(cube, "e", "c") + measure_exprs(cube.family, "e", "c")
            conn.execute(_grouped(cube, exprs, evaluations, where), args)
        else:
            conn.execute(_from_stage(cube, staged[cube.family]))
    for family in _CHILD_FAMILIES:
        conn.execute(f"DELETE FROM {_stage_table(family)}")


def _number_keys(conn: sqlite3.Connection, evaluations: str, where: str, args: list[str]) -> None:
    """Number the chunk's distinct (date, key dimensions), with each staged roll-up's
    dense rank of its own key, and give each counted evaluation its number."""
    conn.execute(f"DELETE FROM {_KEYS}")
    conn.execute(f"DELETE FROM {_EVAL_KEYS}")
    exprs = [EVAL_DIMS[d].format(e="e") for d in _KEY_DIMS]
    ranks = [
        f"dense_rank() OVER (ORDER BY {', '.join([DATE_EXPR[c.grain].format(e='x'), *c.dims])})"
        for c in _STAGED
    ]
    names = ["interaction_date", *_KEY_DIMS]
    pairs = list(zip(names, ["e.interaction_date", *exprs], strict=True))
    conn.execute(
        f"INSERT INTO {_KEYS} ({', '.join(names + [_rank(c) for c in _STAGED])})"
        f" SELECT {', '.join(names + ranks)} FROM (SELECT DISTINCT"
        f" {', '.join(f'{x} AS {n}' for n, x in pairs)}"
        f" FROM {evaluations} WHERE {where}) x ORDER BY {', '.join(names)}",
        args,
    )
    match = " AND ".join(f"k.{n} = {x}" for n, x in pairs)
    conn.execute(
        f"INSERT INTO {_EVAL_KEYS} SELECT k.k, e.id FROM {evaluations}"
        f" CROSS JOIN {_KEYS} k ON {match} WHERE {where}",
        args,
    )


def _stage(conn: sqlite3.Connection, family: Family) -> int:
    """Sum the chunk's child rows per (key number, child key number) into the stage;
    return Q, the multiplier of the key number. Child keys not numbered yet get number
    0: then the chunk's child keys are numbered and it is staged again."""
    assert family.child is not None
    stage, numbers = _stage_table(family), _map_table(family)
    joined = f"{_EVAL_KEYS} ek CROSS JOIN {family.child} c ON c.evaluation_id = ek.id"
    where = family.child_where.format(c="c")
    exprs = [sql.format(c="c") for _name, sql in family.child_keys]
    match = " AND ".join(f"m.{n} = {x}" for n, x in zip(_child_keys(family), exprs, strict=True))
    per_row = [sql.format(c="c", e="e") for _name, sql in family.measures]
    adds = ", ".join(f"{m} = {m} + excluded.{m}" for m in family.measure_names)
    for attempt in range(2):
        (q,) = conn.execute(f"SELECT coalesce(max(i), 0) + 1 FROM {numbers}").fetchone()
        conn.execute(
            f"INSERT INTO {stage} (g, {', '.join(family.measure_names)})"
            f" SELECT ek.k * {q} + coalesce(m.i, 0), {', '.join(per_row)} FROM {joined}"
            f" LEFT JOIN {numbers} m ON {match} WHERE {where}"
            f" ON CONFLICT (g) DO UPDATE SET {adds}"
        )
        if conn.execute(f"SELECT 1 FROM {stage} WHERE g % {q} = 0 LIMIT 1").fetchone() is None:
            return int(q)
        conn.execute(f"DELETE FROM {stage}")
        if attempt == 0:
            conn.execute(
                f"INSERT OR IGNORE INTO {numbers} ({', '.join(_child_keys(family))})"
                f" SELECT DISTINCT {', '.join(exprs)} FROM {joined} WHERE {where}"
                f" ORDER BY {', '.join(exprs)}"
            )
    # Only a key that does not equal itself (none can: the columns are TEXT NOT NULL).
    raise RuntimeError(f"roll-up rebuild could not number the {family.child} keys")


def _from_stage(cube: Cube, q: int) -> str:
    """INSERT grouping the stage into ``cube`` by (the cube's key rank, child number).

    The sort carries only integers (the group, one stage key, the sums); the key columns
    are looked up once per group afterwards (a quarter less work than sorting them)."""
    family = cube.family
    sums = ", ".join(f"SUM(s.{m}) AS {m}" for m in family.measure_names)
    groups = (
        f"SELECT min(s.g) AS g, {sums} FROM {_stage_table(family)} s"
        f" CROSS JOIN {_KEYS} k ON k.k = s.g / {q} GROUP BY k.{_rank(cube)} * {q} + s.g % {q}"
    )
    cols = [DATE_EXPR[cube.grain].format(e="k"), *(f"k.{d}" for d in cube.dims)]
    cols += [f"m.{c}" for c in _child_keys(family)]
    cols += [f"t.{m}" for m in family.measure_names]
    return (
        f"INSERT INTO {cube.table} ({', '.join(cube.columns)}) SELECT {', '.join(cols)}"
        f" FROM ({groups}) t CROSS JOIN {_KEYS} k ON k.k = t.g / {q}"
        f" CROSS JOIN {_map_table(family)} m ON m.i = t.g % {q}"
    )
