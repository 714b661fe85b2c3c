"""The SQL a QA Monitor installation runs on the team server (storage/server_schema.py).

Plain queries over one psycopg connection; ``services/sync_server.py`` decides when
to run them, in which transaction, and what a failure means to the user.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from qa_monitor.core.sync_merge import Change

if TYPE_CHECKING:  # psycopg is imported only where the team server is used
    import psycopg

# One INSERT for a whole batch: arrays in, one row per element out. The statement-level
# trigger takes the writers' lock once, and the batch costs one round trip.
_INSERT = """
INSERT INTO qa.changes (site, seq, hlc, entity, uuid, base, deleted, fields)
SELECT * FROM unnest(%b::text[]::uuid[], %b::int8[], %b::int8[], %b::text[], %b::text[]::uuid[],
                     %b::int8[], %b::bool[], %b::text[]::json[])
ON CONFLICT (site, seq) DO NOTHING
"""

# Keyset paging on the primary key; ``upto`` is a cursor every row below which is
# committed (see the writers' lock in server_schema.py), so nothing is ever skipped.
_PAGE = """
SELECT cursor, site::text, seq, hlc, entity, uuid::text, base, deleted, fields::text
FROM qa.changes
WHERE cursor > %s AND cursor <= %s AND site <> %s::uuid
ORDER BY cursor
LIMIT %s
"""


@dataclass(frozen=True)
class Member:
    login: str
    role: str  # admin, supervisor, reviewer, agent
    display_name: str
    agent: str | None
    reviewer: str | None


def fields_json(change: Change) -> str:
    return json.dumps(change.fields, ensure_ascii=False, separators=(",", ":"))


def change_of(row: tuple[Any, ...]) -> Change:
    _cursor, site, seq, hlc, entity, uuid, base, deleted, fields = row
    return Change(
        site=site,
        seq=int(seq),
        hlc=int(hlc),
        entity=entity,
        uuid=uuid,
        fields=orjson.loads(fields),
        fields_json=fields,
        base=int(base),
        deleted=bool(deleted),
    )


class ServerStore:
    def __init__(self, conn: psycopg.Connection[Any]):
        self.conn = conn

    def schema_exists(self) -> bool:
        row = self.conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'qa'").fetchone()
        return row is not None

    def meta(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self.conn.execute("SELECT key, value FROM qa.meta")}

    def is_superuser(self) -> bool:
        row = self.conn.execute(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        return bool(row and row[0])

    def me(self) -> Member | None:
        row = self.conn.execute(
            "SELECT login, role, display_name, agent::text, reviewer::text"
            " FROM qa.members WHERE login = current_user"
        ).fetchone()
        return None if row is None else Member(*row)

    def site_last_seq(self, site: str) -> int:
        row = self.conn.execute("SELECT qa.site_last_seq(%s::uuid)", [site]).fetchone()
        return int(row[0]) if row else 0

    def last_cursor(self) -> int:
        row = self.conn.execute("SELECT qa.last_cursor()").fetchone()
        return int(row[0]) if row else 0

    def insert(self, changes: list[Change]) -> int:
        """Store ``changes``; those the server already has are left alone. Returns how
        many were new."""
        cur = self.conn.execute(
            _INSERT,
            [
                [c.site for c in changes],
                [c.seq for c in changes],
                [c.hlc for c in changes],
                [c.entity for c in changes],
                [c.uuid for c in changes],
                [c.base for c in changes],
                [c.deleted for c in changes],
                [fields_json(c) for c in changes],
            ],
        )
        return max(cur.rowcount, 0)

    def page(self, after: int, upto: int, not_site: str, limit: int) -> list[tuple[int, Change]]:
        """Changes with a cursor in (after, upto] not made by ``not_site``, in cursor
        order, at most ``limit``; row-level security leaves out what I may not read."""
        rows = self.conn.execute(_PAGE, [after, upto, not_site, limit]).fetchall()
        return [(int(r[0]), change_of(r)) for r in rows]

    # -- snapshots (services/sync_snapshot.py) ----------------------------------------
    def snapshots(self) -> list[tuple[int, dict[str, Any]]]:
        """(id, manifest) of the snapshots this login may read, newest first."""
        rows = self.conn.execute(
            "SELECT id, manifest FROM qa.snapshots ORDER BY written_at DESC, id DESC"
        ).fetchall()
        return [(int(r[0]), r[1] if isinstance(r[1], dict) else json.loads(r[1])) for r in rows]

    def add_snapshot(self, site: str, manifest: dict[str, Any], parts: Iterator[bytes]) -> int:
        """Store a snapshot and its parts in one transaction; its id."""
        with self.conn.transaction():
            row = self.conn.execute(
                "INSERT INTO qa.snapshots (site, manifest) VALUES (%s, %s) RETURNING id",
                [site, json.dumps(manifest)],
            ).fetchone()
            assert row is not None
            snapshot = int(row[0])
            for n, data in enumerate(parts):
                self.conn.execute(
                    "INSERT INTO qa.snapshot_parts (snapshot, n, data) VALUES (%s, %s, %s)",
                    [snapshot, n, data],
                )
        return snapshot

    def drop_snapshots(self, site: str, keep: int) -> None:
        """Remove ``site``'s snapshots but ``keep``."""
        self.conn.execute("DELETE FROM qa.snapshots WHERE site = %s AND id <> %s", [site, keep])

    def snapshot_parts(self, snapshot: int) -> Iterator[bytes]:
        """A snapshot's packed bytes, part by part."""
        (count,) = self.conn.execute(
            "SELECT count(*) FROM qa.snapshot_parts WHERE snapshot = %s", [snapshot]
        ).fetchone() or (0,)
        for n in range(int(count)):
            row = self.conn.execute(
                "SELECT data FROM qa.snapshot_parts WHERE snapshot = %s AND n = %s",
                [snapshot, n],
            ).fetchone()
            if row is None:
                raise ValueError("a part of it is missing")
            yield bytes(row[0])
