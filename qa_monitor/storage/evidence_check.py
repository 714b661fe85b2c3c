"""Walking the tamper-evidence chain and the schema (docs/tamper-evidence.md).

Three questions, each answered from the database alone:

- Is the chain whole? Every link's hash is recomputed from the previous one; the
  first that differs is where someone edited, removed or inserted links.
- Does every record still match its last link? A record changed, added or deleted
  without QA Monitor does not.
- Are QA Monitor's safeguards in place? The triggers, tables and indexes the
  migrations create are compared with the file's; a missing or altered trigger (the
  ones that keep published forms unchangeable, that journal every change for the
  team...) is named.

The answers are facts (``Break``); ``services/evidence_check.py`` words them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import sqlite_utils

from qa_monitor.storage.evidence import (
    KINDS,
    Kind,
    contents,
    has_evidence,
    link_hash,
    register_functions,
)

_PAGE = 20_000


@dataclass(frozen=True)
class Break:
    """One thing the check found.

    ``what``: 'link' (the chain itself was edited at link ``ref``), 'changed' (the record
    no longer matches its last link), 'unsealed' (a record with no link: added outside
    QA Monitor), 'deleted' (a link whose record is gone), 'missing' / 'altered' /
    'added' (a schema object; ``kind`` is its type and ``name`` its name).
    ``count`` is how many records share the problem (``ref`` is the first of them).
    """

    what: str
    kind: str
    ref: int = 0
    count: int = 1
    name: str = ""


# Told the step (again every 10,000 records of a long one); returns False to stop.
Progress = Callable[[str], bool]
_PROGRESS_EVERY = 10_000


def _continue(_step: str) -> bool:
    return True


def verify(conn: sqlite3.Connection, progress: Progress = _continue) -> list[Break]:
    """Every break, schema first, then the chain, then each kind of record."""
    register_functions(conn)
    breaks = schema_breaks(conn)
    if not has_evidence(conn) or not progress("chain"):
        return breaks  # a dropped chain is named among the missing tables
    link = first_broken_link(conn)
    if link is not None:
        breaks.append(Break("link", link[1], link[0]))
    for kind in KINDS:
        if not progress(kind.name):
            return breaks
        found = record_breaks(conn, kind, progress)
        if found is None:
            return breaks
        breaks.extend(found)
    return breaks


def first_broken_link(conn: sqlite3.Connection) -> tuple[int, str] | None:
    """(seq, kind) of the first link whose hash is not the hash of the previous one and
    its own content, or None."""
    prev: bytes | None = None
    after = -1
    while True:
        rows = conn.execute(
            "SELECT seq, kind, ref, content, hash FROM evidence WHERE seq > ?"
            f" ORDER BY seq LIMIT {_PAGE}",
            [after],
        ).fetchall()
        if not rows:
            return None
        for seq, kind, ref, content, stored in rows:
            expected = link_hash(prev, kind, ref, bytes(content))
            if expected != stored:
                return int(seq), str(kind)
            prev = expected
        after = rows[-1][0]


def _first_and_count(rows: list[tuple[int]]) -> tuple[int, int] | None:
    return (int(rows[0][0]), len(rows)) if rows else None


def record_breaks(
    conn: sqlite3.Connection, kind: Kind, progress: Progress = _continue
) -> list[Break] | None:
    """Records of ``kind`` changed, added or deleted outside QA Monitor (None when
    ``progress`` said stop)."""
    changed, unsealed = [], []
    for n, (ref, sealed, content) in enumerate(contents(conn, kind, with_links=True), 1):
        if n % _PROGRESS_EVERY == 0 and not progress(kind.name):
            return None
        if sealed is None:
            unsealed.append((ref,))
        elif content != sealed:
            changed.append((ref,))
    deleted = conn.execute(
        f"SELECT DISTINCT e.ref FROM evidence e WHERE e.kind = '{kind.name}'"
        f" AND NOT EXISTS (SELECT 1 FROM {kind.table} r WHERE r.id = e.ref) ORDER BY e.ref"
    ).fetchall()
    found = []
    for what, group in (("changed", changed), ("unsealed", unsealed), ("deleted", deleted)):
        first = _first_and_count(group)
        if first is not None:
            found.append(Break(what, kind.name, first[0], first[1]))
    return found


# -- the schema -----------------------------------------------------------------------

# m007 keeps a plain index instead of the unique one on a table whose active names
# already clashed (storage/migrations.py): either is what the app made.
_ALTERNATIVES = {f"{t}_active_name_key": f"{t}_name_key" for t in ("teams", "agents", "reviewers")}


@cache
def expected_schema() -> dict[tuple[str, str], tuple[str, str]]:
    """(type, name) -> (table, SQL) of every table, index and trigger the migrations
    create."""
    from qa_monitor.storage.migrations import MIGRATIONS

    with sqlite_utils.Database(memory=True, execute_plugins=False) as db:
        MIGRATIONS.apply(db)
        return _objects(db.conn)


def _objects(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[str, str]]:
    return {
        (t, n): (table, sql or "")
        for t, n, table, sql in conn.execute(
            "SELECT type, name, tbl_name, sql FROM main.sqlite_master"
            " WHERE type IN ('table', 'index', 'trigger') AND name NOT LIKE 'sqlite_%'"
        )
    }


def schema_breaks(conn: sqlite3.Connection) -> list[Break]:
    """Triggers, tables and indexes the app made that are missing or altered, and
    triggers it never made (one could change any row as it is written). The indexes and
    triggers of a missing table are not listed again."""
    expected = expected_schema()
    actual = _objects(conn)
    missing_tables = {n for (t, n) in expected if t == "table" and (t, n) not in actual}
    found = []
    for (type_, name), (table, sql) in sorted(expected.items()):
        if type_ != "table" and table in missing_tables:
            continue
        if (type_, name) not in actual:
            alternative = _ALTERNATIVES.get(name)
            if alternative is None or (type_, alternative) not in actual:
                found.append(Break("missing", type_, name=name))
        elif type_ == "trigger" and _normal(actual[(type_, name)][1]) != _normal(sql):
            found.append(Break("altered", type_, name=name))
    known = {name for (type_, name) in expected if type_ == "trigger"}
    for type_, name in sorted(actual):
        if type_ == "trigger" and name not in known:
            found.append(Break("added", type_, name=name))
    return found


def _normal(sql: str) -> str:
    return " ".join(sql.replace("IF NOT EXISTS ", "").split())


def describe(conn: sqlite3.Connection, kind: str, ref: int) -> dict[str, object] | None:
    """What a user can recognise a record by (dates, names, titles), or None if gone."""
    if kind == "audit":
        sql = (
            "SELECT a.at AS at, r.name AS actor FROM audit_log a"
            " LEFT JOIN reviewers r ON r.id = a.actor_id WHERE a.id = ?"
        )
    elif kind == "evaluation":
        sql = (
            "SELECT e.interaction_date AS date, a.name AS agent, r.name AS reviewer"
            " FROM evaluations e LEFT JOIN agents a ON a.id = e.agent_id"
            " LEFT JOIN reviewers r ON r.id = e.reviewer_id WHERE e.id = ?"
        )
    else:
        sql = (
            "SELECT v.version AS version, coalesce(f.title, v.form_id) AS title"
            " FROM form_versions v LEFT JOIN forms f ON f.id = v.form_id WHERE v.id = ?"
        )
    cur = conn.execute(sql, [ref])
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row, strict=True))


def link_record(conn: sqlite3.Connection, seq: int) -> tuple[str, int] | None:
    row = conn.execute("SELECT kind, ref FROM evidence WHERE seq = ?", [seq]).fetchone()
    return None if row is None else (str(row[0]), int(row[1]))
