"""Tamper evidence: a hash chain over the audit log, submitted evaluations and published
form versions (docs/tamper-evidence.md).

Every change QA Monitor makes to one of those records appends a *link* to the
``evidence`` table: the SHA-256 of the record's content as stored (``content``) and
the SHA-256 of the previous link's hash, the record's kind and id and that content
(``hash``). Links are appended in local insertion order, whatever made the change:
a screen, an import, team sync applying another site's work.

The links are written by TEMP triggers that only QA Monitor's own connections have
(``arm``), with a hash function registered on the connection. A plain ``sqlite3``
shell or another tool has neither, so its edits leave the records out of step with
their last link, which ``storage/evidence_check.py`` finds. (Permanent triggers would
make every edit in such a tool fail with "no such function", which hides nothing and
breaks honest tools; a trigger the tool can drop proves nothing either.)

Code that writes these records with the triggers off (bulk loads) or inserts a
submitted evaluation before its answers (team sync's first-sync mode) seals them
itself with ``seal``.
"""

from __future__ import annotations

import hashlib
import itertools
import operator
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

GENESIS = bytes(32)
_PAGE = 2000

# A record's content is hashed from its column values as Python reads them (``repr``
# of each: text, integers, reals at full precision, None), in a fixed column order;
# its child rows (answers, section scores, form questions) are hashed as a sorted set
# by an aggregate, so no SQL ordering and no JSON rendering of reals is relied on.


@dataclass(frozen=True)
class Children:
    """Rows of another table that belong to the record (``key`` = the record's id)."""

    table: str
    key: str
    columns: tuple[str, ...]

    def digest_sql(self) -> str:
        return (
            f"(SELECT qa_evidence_rows({self.key}, {', '.join(self.columns)})"
            f" FROM main.{self.table}"
            f" WHERE {self.key} = {{r}}.id)"
        )


@dataclass(frozen=True)
class Kind:
    """A kind of record the chain covers: its table, the columns its content is made of
    (``id`` first), its child rows, and which rows are sealed (SQL over ``{r}``)."""

    name: str
    table: str
    fields: tuple[str, ...]
    children: tuple[Children, ...]
    sealed: str

    @property
    def content(self) -> str:
        """SQL (over the row alias ``{r}``) for the SHA-256 of the record's content."""
        parts = [f"{{r}}.{f}" for f in self.fields] + [c.digest_sql() for c in self.children]
        return f"qa_evidence_record('{self.name}', {', '.join(parts)})"


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


AUDIT = Kind(
    "audit",
    "audit_log",
    _names("id evaluation_id at actor_id action field old new reason"),
    (),
    "1",
)
EVALUATION = Kind(
    "evaluation",
    "evaluations",
    _names(
        "id interaction_id form_id form_version_id reviewer_id agent_id team_id channel"
        " interaction_date kind status created_at submitted_at score score_before_critical"
        " passed band critical_failed auto_failed earned possible overall_comment revision"
    ),
    (
        Children(
            "answers",
            "evaluation_id",
            _names(
                "question_id section_id value na comment timestamp_ms earned possible status"
                " failing"
            ),
        ),
        Children(
            "section_scores",
            "evaluation_id",
            _names(
                "section_id position category earned earned_before_critical possible weight"
                " critical_failed"
            ),
        ),
    ),
    "{r}.status <> 'draft'",
)
FORM_VERSION = Kind(
    "form_version",
    "form_versions",
    _names("id form_id version status definition checksum created_at published_at published_by"),
    (
        Children(
            "form_questions",
            "form_version_id",
            _names(
                "question_id section_id section_title category position text type points"
                " critical scored bonus"
            ),
        ),
    ),
    "{r}.status = 'published'",
)
KINDS: tuple[Kind, ...] = (FORM_VERSION, EVALUATION, AUDIT)
BY_NAME = {k.name: k for k in KINDS}

SCHEMA_SQL = """
CREATE TABLE evidence (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('audit', 'evaluation', 'form_version')),
    ref INTEGER NOT NULL,
    content BLOB NOT NULL,
    hash BLOB NOT NULL
);
CREATE INDEX evidence_record ON evidence (kind, ref, seq);
"""


def record_hash(*values: object) -> bytes:
    """SHA-256 of a record's values (its kind first, child-row digests last)."""
    return hashlib.sha256(repr(values).encode("utf-8")).digest()


def rows_digest(rows: list[tuple[Any, ...]]) -> bytes | None:
    """SHA-256 of a record's child rows (each with the record's id first, then its own
    key, unique within the record), sorted by that key (None for no rows: what SQLite
    gives for an aggregate over no rows)."""
    if not rows:
        return None
    rows.sort(key=_OWN_KEY)
    return hashlib.sha256(repr(rows).encode("utf-8")).digest()


_OWN_KEY = operator.itemgetter(1)


class _RowsDigest:
    """Aggregate: ``rows_digest`` of the rows, whatever order SQLite hands them over in."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []

    def step(self, *values: Any) -> None:
        self.rows.append(values)

    def finalize(self) -> bytes | None:
        return rows_digest(self.rows)


def link_hash(prev: bytes | None, kind: str, ref: int, content: bytes) -> bytes:
    """The hash of a link: it covers the previous link's hash, so changing, removing or
    inserting any link changes every hash after it."""
    h = hashlib.sha256(prev or GENESIS)
    h.update(f"{kind}:{int(ref)}:".encode())
    h.update(content)
    return h.digest()


def register_functions(conn: sqlite3.Connection) -> None:
    """The hash functions the triggers and the check call (this connection only)."""
    conn.create_function("qa_evidence_record", -1, record_hash, deterministic=True)
    conn.create_aggregate("qa_evidence_rows", -1, _RowsDigest)  # type: ignore[arg-type]
    conn.create_function("qa_evidence_link", 4, link_hash, deterministic=True)


_LAST_HASH = "(SELECT hash FROM main.evidence ORDER BY seq DESC LIMIT 1)"


def _last_content(kind: str, ref: str) -> str:
    return (
        f"(SELECT content FROM main.evidence WHERE kind = '{kind}' AND ref = {ref}"
        " ORDER BY seq DESC LIMIT 1)"
    )


def _append(kind: Kind, ref: str) -> str:
    """Append a link for the record ``ref`` unless its last link has this content."""
    content = kind.content.format(r="r")
    return (
        "INSERT INTO evidence (kind, ref, content, hash)"
        f" SELECT '{kind.name}', {ref}, c, qa_evidence_link({_LAST_HASH}, '{kind.name}', {ref}, c)"
        f" FROM (SELECT {content} AS c FROM main.{kind.table} r"
        f" WHERE r.id = {ref})"
        f" WHERE c IS NOT {_last_content(kind.name, ref)}"
    )


# Evaluations are sealed when a row that is (or was) past draft is updated: every path
# that changes a submitted evaluation (submit, edit, status, the interaction's copies,
# team sync) ends with an update of its row, after its answers and section scores.
TRIGGERS: dict[str, str] = {
    "evidence_audit_insert": (
        "CREATE TEMP TRIGGER IF NOT EXISTS evidence_audit_insert AFTER INSERT ON main.audit_log"
        f"\nBEGIN\n    {_append(AUDIT, 'NEW.id')};\nEND"
    ),
    "evidence_evaluation_update": (
        "CREATE TEMP TRIGGER IF NOT EXISTS evidence_evaluation_update"
        " AFTER UPDATE ON main.evaluations"
        " WHEN NEW.status <> 'draft' OR OLD.status <> 'draft'"
        f"\nBEGIN\n    {_append(EVALUATION, 'NEW.id')};\nEND"
    ),
    "evidence_form_version_insert": (
        "CREATE TEMP TRIGGER IF NOT EXISTS evidence_form_version_insert"
        " AFTER INSERT ON main.form_versions WHEN NEW.status = 'published'"
        f"\nBEGIN\n    {_append(FORM_VERSION, 'NEW.id')};\nEND"
    ),
    "evidence_form_version_update": (
        "CREATE TEMP TRIGGER IF NOT EXISTS evidence_form_version_update"
        " AFTER UPDATE ON main.form_versions WHEN NEW.status = 'published'"
        f"\nBEGIN\n    {_append(FORM_VERSION, 'NEW.id')};\nEND"
    ),
}


def has_evidence(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'evidence'"
    ).fetchone()
    return row is not None


def arm(conn: sqlite3.Connection) -> None:
    """Register the hash functions and create this connection's TEMP triggers."""
    register_functions(conn)
    for sql in TRIGGERS.values():
        conn.execute(sql)


def disarm(conn: sqlite3.Connection) -> None:
    for name in TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS temp.{name}")


def head(conn: sqlite3.Connection) -> tuple[int, bytes]:
    """The last link: its sequence number and hash (0 and zeros for an empty chain)."""
    row = conn.execute("SELECT seq, hash FROM evidence ORDER BY seq DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), bytes(row[1]))


def contents(
    conn: sqlite3.Connection, kind: Kind, *, after: int = 0, with_links: bool = False
) -> Iterator[tuple[int, bytes | None, bytes]]:
    """(id, content of its last link or None, content now) of every record after id
    ``after`` that must be sealed (or, ``with_links``, has a link), in id order; without
    ``with_links`` the middle value is always None.

    The same hash as the SQL ``content`` expression, computed here: the child rows are
    read in one pass per table in key order and merged, instead of an aggregate call per
    row, so a million evaluations' 30 million answers are one sequential read."""
    return _contents(conn, kind, "> ?", [after], with_links)


def _contents(
    conn: sqlite3.Connection, kind: Kind, test: str, params: list[int], with_links: bool
) -> Iterator[tuple[int, bytes | None, bytes]]:
    """``contents`` of the records whose id passes ``test`` (SQL after the id)."""
    fields = ", ".join(f"r.{f}" for f in kind.fields)
    link = (
        f"(SELECT content FROM evidence WHERE kind = '{kind.name}' AND ref = r.id"
        " ORDER BY seq DESC LIMIT 1)"
        if with_links
        else "NULL"
    )
    records = conn.execute(
        f"SELECT {fields}, ({kind.sealed.format(r='r')}), {link} FROM {kind.table} r"
        f" WHERE r.id {test} ORDER BY r.id",
        params,
    )
    children = [
        _ChildRows(
            conn.execute(
                f"SELECT {c.key}, {', '.join(c.columns)} FROM {c.table} WHERE {c.key} {test}"
                f" ORDER BY {c.key}",
                params,
            )
        )
        for c in kind.children
    ]
    for row in records:
        *values, must, sealed = row
        ref = values[0]
        if not must and sealed is None:
            for child in children:
                child.skip_to(ref)
            continue
        digests = [child.digest_of(ref) for child in children]
        yield ref, sealed, record_hash(kind.name, *values, *digests)


class _ChildRows:
    """Child rows in key order, grouped by key and read forward one record at a time."""

    def __init__(self, cursor: sqlite3.Cursor):
        self._groups = itertools.groupby(cursor, key=operator.itemgetter(0))
        self._key: int | None = None
        self._rows: Iterator[tuple[Any, ...]] = iter(())
        self._advance()

    def _advance(self) -> None:
        self._key, self._rows = next(self._groups, (None, iter(())))

    def skip_to(self, ref: int) -> None:
        while self._key is not None and self._key <= ref:
            self._advance()

    def digest_of(self, ref: int) -> bytes | None:
        while self._key is not None and self._key < ref:
            self._advance()
        if self._key != ref:
            return None
        rows = list(self._rows)
        self._advance()
        return rows_digest(rows)


def _append_links(conn: sqlite3.Connection, kind: Kind, found: Iterable[tuple[int, bytes]]) -> int:
    _seq, prev = head(conn)
    added, links = 0, []
    for ref, content in found:
        prev = link_hash(prev, kind.name, ref, content)
        links.append((kind.name, ref, content, prev))
        if len(links) >= _PAGE:
            added += _insert_links(conn, links)
    return added + _insert_links(conn, links)


def _insert_links(conn: sqlite3.Connection, links: list[tuple[str, int, bytes, bytes]]) -> int:
    conn.executemany("INSERT INTO evidence (kind, ref, content, hash) VALUES (?, ?, ?, ?)", links)
    added = len(links)
    links.clear()
    return added


def seal(conn: sqlite3.Connection, kind: Kind, after: int = 0) -> int:
    """Append a link for every row of ``kind`` after id ``after`` that must be sealed,
    in id order, inside the caller's transaction: for code that wrote the rows with the
    triggers off. Returns how many links it added."""
    return _append_links(
        conn, kind, ((ref, content) for ref, _s, content in contents(conn, kind, after=after))
    )


def seal_ids(conn: sqlite3.Connection, kind: Kind, ids: list[int]) -> int:
    """Seal the given rows of ``kind`` that must be sealed, in id order: the same hash
    as the triggers', with each chunk's child rows read in one query (team sync inserts
    thousands of evaluations at a time, and an aggregate call per row cost a third of a
    first sync)."""
    found: list[tuple[int, bytes]] = []
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        test = f"IN ({', '.join('?' * len(chunk))})"
        found += ((ref, content) for ref, _s, content in _contents(conn, kind, test, chunk, False))
    return _append_links(conn, kind, found)


def fill(conn: sqlite3.Connection) -> int:
    """Seal every record of a database that had no chain yet (the migration)."""
    return sum(seal(conn, kind) for kind in KINDS)


def high_marks(conn: sqlite3.Connection) -> dict[str, int]:
    """The largest id of each sealed table, to seal what a bulk load adds after it."""
    return {
        k.name: int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {k.table}").fetchone()[0])
        for k in KINDS
    }


def seal_added(conn: sqlite3.Connection, marks: dict[str, int]) -> int:
    """After a bulk load with the triggers off (``disarm``): seal every row added after
    ``high_marks``, in one pass per table."""
    return sum(seal(conn, kind, marks[kind.name]) for kind in KINDS)
