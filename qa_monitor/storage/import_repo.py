"""The SQL behind imports: lookups done once per file, and set-based writes.

The service validates every row first, then calls the ``write_*`` methods inside its
write transactions (``db.atomic()``, one per chunk of rows: services/import_service.py).
Re-importing a file updates the rows it created (matched by interaction external id,
agent external id or agent name) instead of adding new ones. Names are matched by
their stored key (``core.text_keys.name_key``), which every write here keeps.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qa_monitor.core.text_keys import name_key
from qa_monitor.storage.database import Database
from qa_monitor.storage.values import utc_text

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class KnownAgent:
    id: int
    name: str
    team_id: int | None
    external_id: str | None
    active: bool
    key: str  # name_key(name)


@dataclass(frozen=True, slots=True)
class KnownTeam:
    id: int
    name: str
    active: bool
    key: str  # name_key(name)


# Interaction columns an import may fill, in the order of the rows it passes.
INTERACTION_COLUMNS = (
    "external_id",
    "started_at",
    "local_date",
    "timezone",
    "agent_id",
    "team_id",
    "channel",
    "direction",
    "duration_s",
    "queue",
    "customer_ref",
    "contact_reason",
    "recording_path",
    "resolved_first_contact",
)
# Always replaced on re-import (the file says where and when the interaction was).
_ALWAYS = {"started_at", "local_date", "timezone", "agent_id", "team_id"}
# Import fields whose column has another name (the others fill the column of their name).
_FIELD_COLUMNS = {"duration": "duration_s", "resolved": "resolved_first_contact"}


def mapped_interaction_columns(fields: Iterable[str]) -> set[str]:
    """The interaction columns a mapping of import ``fields`` fills."""
    return {_FIELD_COLUMNS.get(name, name) for name in fields}


class ImportRepo:
    def __init__(self, db: Database):
        self.db = db

    @contextmanager
    def large_cache(self, mib: int = 64) -> Iterator[None]:
        """A bigger page cache while a large import writes: index pages stay in memory."""
        (old,) = self.db.execute("PRAGMA cache_size").fetchone()
        self.db.execute(f"PRAGMA cache_size = {-1024 * mib}")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA cache_size = {int(old)}")

    def count(self, table: str) -> int:
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    # -- lookups -------------------------------------------------------------------------
    def agents(self) -> list[KnownAgent]:
        rows = self.db.execute(
            "SELECT id, name, team_id, external_id, active, name_key FROM agents"
            " ORDER BY active DESC, id"
        ).fetchall()
        return [KnownAgent(i, n, t, x, bool(a), k or name_key(n)) for i, n, t, x, a, k in rows]

    def teams(self) -> list[KnownTeam]:
        rows = self.db.execute(
            "SELECT id, name, active, name_key FROM teams ORDER BY active DESC, id"
        )
        return [KnownTeam(i, n, bool(a), k or name_key(n)) for i, n, a, k in rows.fetchall()]

    def interaction_ids(self, external_ids: Iterable[str]) -> dict[str, int]:
        """The stored interactions among ``external_ids``: external id -> id."""
        ids = list(dict.fromkeys(external_ids))
        found: dict[str, int] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            found.update(
                self.db.execute(
                    f"SELECT external_id, id FROM interactions WHERE external_id IN ({marks})",
                    chunk,
                ).fetchall()
            )
        return found

    # -- roster --------------------------------------------------------------------------
    def add_team(self, name: str, now: datetime) -> int:
        cur = self.db.execute(
            "INSERT INTO teams (name, name_key, created_at) VALUES (?, ?, ?)",
            [name, name_key(name), utc_text(now)],
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def add_agent(self, values: dict[str, Any], now: datetime) -> int:
        values = _with_key(values)
        names = [*values, "created_at"]
        cur = self.db.execute(
            f"INSERT INTO agents ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            [*values.values(), utc_text(now)],
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def update_agent(self, agent_id: int, values: dict[str, Any]) -> bool:
        """Set ``values`` on the agent; True if anything changed."""
        if not values:
            return False
        values = _with_key(values)
        sets = ", ".join(f"{k} = ?" for k in values)
        differs = " OR ".join(f"{k} IS NOT ?" for k in values)
        cur = self.db.execute(
            f"UPDATE agents SET {sets} WHERE id = ? AND ({differs})",
            [*values.values(), agent_id, *values.values()],
        )
        return cur.rowcount > 0

    # -- interactions --------------------------------------------------------------------
    def write_interactions(
        self, rows: Sequence[tuple], mapped: set[str], now: datetime, source: str = "import"
    ) -> int:
        """Insert or update (by external id) rows in ``INTERACTION_COLUMNS`` order; returns
        how many rows were inserted or changed.

        On update, the place and time always follow the file; other columns change only
        when mapped (import field names, see ``mapped_interaction_columns``) and not blank
        in the file.
        """
        mapped = mapped_interaction_columns(mapped)
        names = [*INTERACTION_COLUMNS, "source", "created_at"]
        updates, differs = [], []
        for name in INTERACTION_COLUMNS[1:]:
            if name in _ALWAYS:
                updates.append(f"{name} = excluded.{name}")
                differs.append(f"{name} IS NOT excluded.{name}")
            elif name in mapped:
                updates.append(f"{name} = coalesce(excluded.{name}, {name})")
                differs.append(f"(excluded.{name} IS NOT NULL AND {name} IS NOT excluded.{name})")
        # Rows the file does not change are left alone (no index churn on a re-import).
        sql = (
            f"INSERT INTO interactions ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
            " ON CONFLICT (external_id) WHERE external_id IS NOT NULL"
            f" DO UPDATE SET {', '.join(updates)} WHERE {' OR '.join(differs)}"
        )
        tail = (source, utc_text(now))
        cursor = self.db.conn.executemany(sql, (row + tail for row in rows))
        return max(cursor.rowcount, 0)

    def sync_evaluations(self, interaction_ids: Sequence[int]) -> None:
        """Evaluations keep copies of their interaction's agent, team, channel and date."""
        for start in range(0, len(interaction_ids), _CHUNK):
            chunk = list(interaction_ids[start : start + _CHUNK])
            marks = ", ".join("?" * len(chunk))
            self.db.execute(
                "UPDATE evaluations SET agent_id = i.agent_id, team_id = i.team_id,"
                " channel = i.channel, interaction_date = i.local_date"
                " FROM interactions i WHERE i.id = evaluations.interaction_id"
                f" AND evaluations.interaction_id IN ({marks})"
                " AND (evaluations.agent_id IS NOT i.agent_id"
                " OR evaluations.team_id IS NOT i.team_id OR evaluations.channel IS NOT i.channel"
                " OR evaluations.interaction_date IS NOT i.local_date)",
                chunk,
            )

    # -- surveys -------------------------------------------------------------------------
    def write_surveys(self, rows: Sequence[tuple]) -> int:
        """Rows of (csat, nps, ces, resolved, survey_at text, interaction id); None keeps
        what is stored. Returns how many interactions changed."""
        columns = ("csat", "nps", "ces", "resolved_first_contact", "survey_at")
        sets = ", ".join(f"{c} = coalesce(?{i}, {c})" for i, c in enumerate(columns, 1))
        differs = " OR ".join(
            f"(?{i} IS NOT NULL AND ?{i} IS NOT {c})" for i, c in enumerate(columns, 1)
        )
        cursor = self.db.conn.executemany(
            f"UPDATE interactions SET {sets} WHERE id = ?6 AND ({differs})", rows
        )
        return max(cursor.rowcount, 0)


def _with_key(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with the name's key beside a new name."""
    if "name" not in values:
        return values
    return {**values, "name_key": name_key(str(values["name"]))}
