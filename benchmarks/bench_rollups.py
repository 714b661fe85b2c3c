"""Time the dashboard roll-up rebuild, before and after chunking, on copies of databases.

    python benchmarks/bench_rollups.py DB [DB ...] [--scratch DIR] [--rounds R]
                                       [--cache-mib M] [--only new|old] [--keep]

For each database (built by ``generate.py``, with its roll-ups complete): copy it to
the scratch folder (never touching the original), then, ``--rounds`` times, rebuild
every roll-up with the previous algorithm ("old": one pass over all the answers
upserted into a staging table, kept below as it was) and with the current
``storage.rollups.rebuild_rollups`` ("new"), each in its own transaction with the
pragmas of a bulk load (``synchronous=OFF``, ``cache_size`` M MiB,
``temp_store=MEMORY``). After the last round, every roll-up table of the copy is
compared row for row (EXCEPT both ways) with the original's. Prints one line per
database: evaluations, answers, the fastest old and new times (wall clock, then CPU:
the machine may be shared), the wall-clock speed-up, the load average during the runs
and whether the tables are identical. The copy is deleted unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent)]  # run from a checkout without installing

from qa_monitor.storage.rollup_specs import (  # noqa: E402
    COUNTED,
    CUBES,
    DATE_EXPR,
    EVAL_DIMS,
    FAMILIES,
    GRAINS,
    Cube,
    Family,
    bucket_sql,
    cubes_of,
    recompute_select,
    upsert,
)
from qa_monitor.storage.rollups import (  # noqa: E402
    rebuild_rollups,
    suspend_rollups,
    trigger_statements,
)

# --------------------------------------------------------------------------- old


def old_rebuild_rollups(conn: sqlite3.Connection) -> None:
    """The rebuild as it was before chunking (commit 0162ac7), for comparison only: in
    the caller's transaction if one is open (``generate.py --old-rollups``), else in
    its own."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        suspend_rollups(conn)
        for cube in CUBES:
            conn.execute(f"DELETE FROM {cube.table}")
        for family in FAMILIES:
            _old_family(conn, family)
        for _name, sql in trigger_statements():
            conn.execute(sql)
    except BaseException:
        if own:
            conn.execute("ROLLBACK")
        raise
    if own:
        conn.execute("COMMIT")


def _old_family(conn: sqlite3.Connection, family: Family) -> None:
    built: list[Cube] = []
    staged = False
    for cube in sorted(cubes_of(family), key=lambda c: (GRAINS.index(c.grain), -len(c.dims))):
        sources = [
            b
            for b in built
            if set(cube.dims) <= set(b.dims) and GRAINS.index(b.grain) <= GRAINS.index(cube.grain)
        ]
        if sources:
            source = max(sources, key=lambda b: (GRAINS.index(b.grain), -len(b.dims)))
            child_keys = [name for name, _sql in family.child_keys]
            cols = [bucket_sql("d", cube.grain, source.grain), *cube.dims, *child_keys]
            cols += family.measure_names
            select = f"SELECT {', '.join(cols)} FROM {source.table} WHERE 1"
        elif family.child is None:
            select = recompute_select(cube)
        else:
            if not staged:
                _old_stage(conn, family)
                staged = True
            cols = [DATE_EXPR[cube.grain].format(e="k")]
            cols += [f"k.{d}" for d in cube.dims]
            cols += [f"s.{c}" for c, _sql in family.child_keys]
            cols += [f"s.{m}" for m in family.measure_names]
            select = (
                f"SELECT {', '.join(cols)} FROM old_stage s"
                " JOIN old_keys k ON k.rowid = s.k WHERE 1"
            )
        conn.execute(upsert(cube, select))
        built.append(cube)
    if staged:
        for table in ("old_keys", "old_eval_keys", "old_stage"):
            conn.execute(f"DROP TABLE temp.{table}")


def _old_stage(conn: sqlite3.Connection, family: Family) -> None:
    assert family.child is not None
    cubes = cubes_of(family)
    dims = [d for d in EVAL_DIMS if any(d in c.dims for c in cubes)]
    child_keys = [name for name, _sql in family.child_keys]
    measures = family.measure_names
    counted = COUNTED.format(e="e")
    dim_cols = ", ".join(f"{EVAL_DIMS[d].format(e='e')} AS {d}" for d in dims)
    conn.execute(
        "CREATE TABLE temp.old_keys AS SELECT DISTINCT e.interaction_date AS interaction_date,"
        f" {dim_cols} FROM evaluations e WHERE {counted}"
    )
    conn.execute(
        f"CREATE UNIQUE INDEX temp.old_keys_all ON old_keys (interaction_date, {', '.join(dims)})"
    )
    match = " AND ".join(
        ["k.interaction_date = e.interaction_date"]
        + [f"k.{d} = {EVAL_DIMS[d].format(e='e')}" for d in dims]
    )
    conn.execute("CREATE TABLE temp.old_eval_keys (id INTEGER PRIMARY KEY, k INTEGER NOT NULL)")
    conn.execute(
        "INSERT INTO old_eval_keys SELECT e.id, k.rowid FROM evaluations e"
        f" JOIN old_keys k ON {match} WHERE {counted}"
    )
    keys = ["k", *child_keys]
    conn.execute(
        "CREATE TABLE temp.old_stage (k INTEGER NOT NULL, "
        + "".join(f"{c} TEXT NOT NULL, " for c in child_keys)
        + "".join(f"{m} INTEGER NOT NULL, " for m in measures)
        + f"PRIMARY KEY ({', '.join(keys)})) WITHOUT ROWID"
    )
    per_row = [sql.format(c="c", e="e") for _name, sql in family.measures]
    child_exprs = [sql.format(c="c") for _name, sql in family.child_keys]
    adds = ", ".join(f"{m} = {m} + excluded.{m}" for m in measures)
    conn.execute(
        f"INSERT INTO old_stage SELECT ek.k, {', '.join(child_exprs + per_row)}"
        f" FROM old_eval_keys ek JOIN {family.child} c ON c.evaluation_id = ek.id"
        f" WHERE {family.child_where.format(c='c')}"
        f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {adds}"
    )


# --------------------------------------------------------------------------- bench


def _copy(source: Path, scratch: Path) -> Path:
    if Path(f"{source}-wal").exists() and Path(f"{source}-wal").stat().st_size:
        raise SystemExit(f"{source} has a non-empty -wal file: open and close it first")
    target = scratch / f"bench_rollups_{os.getpid()}_{source.name}"
    shutil.copyfile(source, target)
    return target


def _connect(path: Path, cache_mib: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "journal_mode = WAL",
        "foreign_keys = ON",
        "synchronous = OFF",
        f"cache_size = {-cache_mib * 1024}",
        "temp_store = MEMORY",
    ):
        conn.execute(f"PRAGMA {pragma}").fetchall()
    return conn


def _new(conn: sqlite3.Connection) -> None:
    rebuild_rollups(conn)


def _timed(
    run: Callable[[sqlite3.Connection], None], conn: sqlite3.Connection
) -> tuple[float, float]:
    """Wall-clock and CPU seconds (CPU time is what other jobs on the machine change least)."""
    started, cpu = time.perf_counter(), time.process_time()
    run(conn)
    return time.perf_counter() - started, time.process_time() - cpu


def _differences(conn: sqlite3.Connection, original: Path) -> int:
    """Rows in one copy of a roll-up table and not in the other, over all tables."""
    conn.execute("ATTACH DATABASE ? AS original", (f"file:{original}?immutable=1",))
    try:
        differing = 0
        for cube in CUBES:
            for a, b in (("main", "original"), ("original", "main")):
                (n,) = conn.execute(
                    f"SELECT count(*) FROM (SELECT * FROM {a}.{cube.table}"
                    f" EXCEPT SELECT * FROM {b}.{cube.table})"
                ).fetchone()
                differing += n
        return differing
    finally:
        conn.execute("DETACH DATABASE original")


def _args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("databases", type=Path, nargs="+")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp"))
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--cache-mib", type=int, default=512)
    parser.add_argument("--only", choices=("old", "new"))
    parser.add_argument("--keep", action="store_true", help="keep the copies")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _args(argv)
    runs = {"old": old_rebuild_rollups, "new": _new}
    if args.only:
        runs = {args.only: runs[args.only]}
    print(
        f"{'evaluations':>11} {'answers':>11} {'old s':>7} {'(cpu)':>7} {'new s':>7}"
        f" {'(cpu)':>7} {'speed-up':>8} {'load avg':>9} {'identical':>9}  database",
        flush=True,
    )
    for source in args.databases:
        copy = _copy(source, args.scratch)
        try:
            conn = _connect(copy, args.cache_mib)
            (evaluations,) = conn.execute(
                "SELECT count(*) FROM evaluations WHERE status <> 'draft'"
            ).fetchone()
            (answers,) = conn.execute("SELECT count(*) FROM answers").fetchone()
            best: dict[str, tuple[float, float]] = {}
            loads = [os.getloadavg()[0]]
            for _round in range(args.rounds):
                for name, run in runs.items():
                    seconds = _timed(run, conn)
                    best[name] = min(seconds, best.get(name, seconds))
                    loads.append(os.getloadavg()[0])
            differing = _differences(conn, source)
            conn.close()
        finally:
            if not args.keep:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{copy}{suffix}").unlink(missing_ok=True)
        old, new = best.get("old"), best.get("new")
        speed = f"{old[0] / new[0]:7.1f}x" if old and new else f"{'-':>8}"
        print(
            f"{evaluations:>11,} {answers:>11,} {_s(old)} {_s(new)} {speed:>8}"
            f" {min(loads):4.1f}-{max(loads):<4.1f} {differing if differing else 'yes':>9}"
            f"  {source}",
            flush=True,
        )
    return 0


def _s(seconds: tuple[float, float] | None) -> str:
    return f"{'-':>7} {'-':>7}" if seconds is None else f"{seconds[0]:7.1f} {seconds[1]:7.1f}"


if __name__ == "__main__":
    sys.exit(main())
