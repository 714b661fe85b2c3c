"""Customer outcome data in SQL: the customer base per period, the customer list and
churn events (m014; the rules are in services/outcome_service.py and docs/outcomes.md).

- Every row's uuid is derived from its key (a period and its team and segment; a
  customer; a customer and a day), so re-importing a file, or importing it on another
  machine, updates the same records instead of adding new ones. The sync triggers of
  m014 journal every write.
- Writes classify each row as added, changed or already stored, and touch only the
  first two (no journal entry for a row the file repeats unchanged).
- Reads are small aggregates by period; the survey and retention figures come from the
  interactions (their survey columns and the retention form's answers copied onto them).
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from qa_monitor.core.text_keys import name_key
from qa_monitor.storage import repeat_contacts
from qa_monitor.storage.database import Database
from qa_monitor.storage.repeat_contacts import is_repeat
from qa_monitor.storage.rollup_drivers import OUTCOME_MEASURE_NAMES, OUTCOME_TABLE

_NAMESPACE = uuid_module.UUID("0195c0de-0c0e-7000-8000-0c7c0e500001")
_CHUNK = 500


def _uuid(*parts: object) -> str:
    return str(uuid_module.uuid5(_NAMESPACE, "|".join(str(p) for p in parts)))


@dataclass(frozen=True, slots=True)
class CountRow:
    period_start: date
    period_end: date
    team_id: int | None
    team_key: str  # name_key of the team's name ('' for none): part of the record's key
    segment: str
    customers_start: int
    customers_end: int
    customers_new: int

    def uuid(self) -> str:
        return _uuid(
            "count", self.period_start, self.period_end, self.team_key, name_key(self.segment)
        )

    def values(self) -> tuple[object, ...]:
        return (
            self.period_start.isoformat(),
            self.period_end.isoformat(),
            self.team_id,
            self.segment,
            self.customers_start,
            self.customers_end,
            self.customers_new,
        )


@dataclass(frozen=True, slots=True)
class CustomerRow:
    customer_ref: str
    team_id: int | None
    segment: str
    started_on: date
    ended_on: date | None

    def uuid(self) -> str:
        return _uuid("customer", self.customer_ref)

    def values(self) -> tuple[object, ...]:
        ended = None if self.ended_on is None else self.ended_on.isoformat()
        return (self.customer_ref, self.team_id, self.segment, self.started_on.isoformat(), ended)


@dataclass(frozen=True, slots=True)
class ChurnRow:
    customer_ref: str
    churned_on: date
    reason: str  # a code of core/churn_reasons.py
    reason_text: str
    interaction_id: int | None
    team_id: int | None

    def uuid(self) -> str:
        return _uuid("churn", self.customer_ref, self.churned_on)

    def values(self) -> tuple[object, ...]:
        return (
            self.customer_ref,
            self.churned_on.isoformat(),
            self.reason,
            self.reason_text,
            self.interaction_id,
            self.team_id,
        )


_COUNT_COLUMNS = (
    "period_start",
    "period_end",
    "team_id",
    "segment",
    "customers_start",
    "customers_end",
    "customers_new",
)
_CUSTOMER_COLUMNS = ("customer_ref", "team_id", "segment", "started_on", "ended_on")
_CHURN_COLUMNS = (
    "customer_ref",
    "churned_on",
    "reason",
    "reason_text",
    "interaction_id",
    "team_id",
)


@dataclass(frozen=True, slots=True)
class WriteCounts:
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class StoredCount:
    period_start: date
    period_end: date
    team_id: int | None
    segment: str
    customers_start: int
    customers_end: int
    customers_new: int


@dataclass(frozen=True, slots=True)
class ChurnTally:
    reason: str
    reason_text: str
    n: int


class OutcomeRepo:
    def __init__(self, db: Database):
        self.db = db

    # -- writes (inside the caller's transaction) ---------------------------------------
    def write_counts(self, rows: Sequence[CountRow], now: str, source: str) -> WriteCounts:
        return self._upsert("customer_counts", _COUNT_COLUMNS, rows, now, extra={"source": source})

    def write_customers(self, rows: Sequence[CustomerRow], now: str) -> WriteCounts:
        return self._upsert("customers", _CUSTOMER_COLUMNS, rows, now)

    def write_churn(self, rows: Sequence[ChurnRow], now: str) -> WriteCounts:
        return self._upsert("churn_events", _CHURN_COLUMNS, rows, now)

    def _upsert(
        self,
        table: str,
        columns: tuple[str, ...],
        rows: Sequence[CountRow] | Sequence[CustomerRow] | Sequence[ChurnRow],
        now: str,
        extra: dict[str, str] | None = None,
    ) -> WriteCounts:
        conn = self.db.conn
        stored: dict[str, tuple[object, ...]] = {}
        keyed = [(row.uuid(), row.values()) for row in rows]
        listed = ", ".join(columns)
        for start in range(0, len(keyed), _CHUNK):
            chunk = [u for u, _v in keyed[start : start + _CHUNK]]
            marks = ", ".join("?" * len(chunk))
            for found in conn.execute(
                f"SELECT uuid, {listed} FROM {table} WHERE uuid IN ({marks})", chunk
            ):
                stored[found[0]] = tuple(found[1:])
        extra = extra or {}
        names = (*columns, *extra, "updated_at", "uuid")
        insert = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        sets = ", ".join(f"{c} = ?" for c in (*columns, *extra, "updated_at"))
        update = f"UPDATE {table} SET {sets} WHERE uuid = ?"
        created = updated = 0
        new_rows: list[tuple[object, ...]] = []
        changed_rows: list[tuple[object, ...]] = []
        for uuid, values in keyed:
            params = (*values, *extra.values(), now, uuid)
            if uuid not in stored:
                new_rows.append(params)
                stored[uuid] = values  # the same key twice in one call is one record
                created += 1
            elif stored[uuid] != values:
                changed_rows.append(params)
                stored[uuid] = values
                updated += 1
        if new_rows:
            conn.executemany(insert, new_rows)
        if changed_rows:
            conn.executemany(update, changed_rows)
        return WriteCounts(created, updated, len(keyed) - created - updated)

    # -- lookups for an import ----------------------------------------------------------
    def known_customers(self, refs: Iterable[str]) -> set[str]:
        """The references among ``refs`` that name a customer: one on the customer list
        or on an interaction."""
        wanted = list(dict.fromkeys(refs))
        known: set[str] = set()
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            known.update(
                r[0]
                for r in self.db.conn.execute(
                    f"SELECT customer_ref FROM customers WHERE customer_ref IN ({marks})"
                    " UNION SELECT customer_ref FROM interactions"
                    f" WHERE customer_ref IN ({marks})",
                    chunk + chunk,
                )
            )
        return known

    # -- reads ---------------------------------------------------------------------------
    def counts(self, start: date, end: date, team_ids: Sequence[int] = ()) -> list[StoredCount]:
        """Stored customer counts of periods inside ``start``..``end`` (inclusive),
        limited to ``team_ids`` when given (rows without a team are then left out)."""
        sql = (
            f"SELECT {', '.join(_COUNT_COLUMNS)} FROM customer_counts"
            " WHERE period_start >= ? AND period_end <= ?"
        )
        params: list[object] = [start.isoformat(), end.isoformat()]
        if team_ids:
            sql += f" AND team_id IN ({', '.join('?' * len(team_ids))})"
            params.extend(team_ids)
        rows = self.db.conn.execute(sql + " ORDER BY period_start, period_end", params)
        return [
            StoredCount(
                date.fromisoformat(r[0]),
                date.fromisoformat(r[1]),
                r[2],
                r[3],
                int(r[4]),
                int(r[5]),
                int(r[6]),
            )
            for r in rows
        ]

    def list_counts(
        self, start: date, end: date, team_ids: Sequence[int] = ()
    ) -> tuple[int, int, int]:
        """(S, E, N) computed from the customer list for the period ``start``..``end``:
        S customers on the books when the period began, E when it ended, N who joined
        during it."""
        s0, e0 = start.isoformat(), end.isoformat()
        where = ""
        params: list[object] = [s0, s0, e0, e0, s0, e0]
        if team_ids:
            where = f" WHERE team_id IN ({', '.join('?' * len(team_ids))})"
            params.extend(team_ids)
        row = self.db.conn.execute(
            "SELECT"
            " coalesce(sum(started_on < ?1 AND (ended_on IS NULL OR ended_on >= ?2)), 0),"
            " coalesce(sum(started_on <= ?3 AND (ended_on IS NULL OR ended_on > ?4)), 0),"
            " coalesce(sum(started_on >= ?5 AND started_on <= ?6), 0)"
            f" FROM customers{where}",
            params,
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def data_span(self) -> tuple[date, date] | None:
        """The first and last day any outcome data covers (interactions, customer
        counts, the customer list, churn events); None when there is none."""
        # min() and max() each alone in their own query walk one end of an index (the
        # interactions' both in one query read all of them: 0.2 s at 1M).
        row = self.db.conn.execute(
            "SELECT min(a), max(b) FROM ("
            " SELECT (SELECT min(local_date) FROM interactions) a,"
            " (SELECT max(local_date) FROM interactions) b"
            " UNION ALL SELECT min(period_start), max(period_end) FROM customer_counts"
            " UNION ALL SELECT min(started_on), max(coalesce(ended_on, started_on)) FROM customers"
            " UNION ALL SELECT min(churned_on), max(churned_on) FROM churn_events)"
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return date.fromisoformat(row[0][:10]), date.fromisoformat(row[1][:10])

    def has_customer_list(self) -> bool:
        return self.db.conn.execute("SELECT 1 FROM customers LIMIT 1").fetchone() is not None

    def churn_by_reason(
        self, start: date, end: date, team_ids: Sequence[int] = ()
    ) -> list[ChurnTally]:
        """Churn events of ``start``..``end`` counted by reason code and the text the
        file gave (so "other" can show what it holds)."""
        sql = (
            "SELECT reason, reason_text, count(*) FROM churn_events"
            " WHERE churned_on >= ? AND churned_on <= ?"
        )
        params: list[object] = [start.isoformat(), end.isoformat()]
        if team_ids:
            sql += f" AND team_id IN ({', '.join('?' * len(team_ids))})"
            params.extend(team_ids)
        rows = self.db.conn.execute(sql + " GROUP BY reason, reason_text", params)
        return [ChurnTally(r[0], r[1], int(r[2])) for r in rows]

    def stored_counts(self) -> int:
        return int(self.db.conn.execute("SELECT count(*) FROM customer_counts").fetchone()[0])

    # -- survey and outcome tallies (services/outcome_service.py) -----------------------
    def interaction_span(self) -> tuple[date, date] | None:
        first, last = self.db.conn.execute(
            "SELECT min(local_date), max(local_date) FROM interactions"
        ).fetchone()
        return None if first is None else (date.fromisoformat(first), date.fromisoformat(last))

    def grouped(
        self,
        start: date,
        end: date,
        team_ids: Sequence[int],
        agent_ids: Sequence[int],
        by: str,
        measures: str,
    ) -> list[tuple[Any, ...]]:
        """Rows of (group, sums…) over the interactions of ``start``..``end``, grouped
        ``by`` "month" (its first day), "agent" (0: none) or "reason" ('': none);
        ``measures`` "tallies" (``OUTCOME_MEASURE_NAMES``) or "retention" (retained,
        lost). Whole months come from rollup_outcomes_month, the partial months at
        either end from the interactions' covering indexes (interactions_outcomes for
        the surveys and outcomes, interactions_contacts for the repeat contacts);
        groups from all are added."""
        roll_key, raw_key = {
            "month": ("d", "substr(local_date, 1, 7) || '-01'"),
            "agent": ("agent_id", "coalesce(agent_id, 0)"),
            "reason": ("churn_reason", "coalesce(churn_reason, '')"),
        }[by]
        rolled, raws = _MEASURES[measures]
        width = sum(n for _sql, _where, n in raws)
        filters, params = _people_filter(team_ids, agent_ids)
        whole, partial = _split(start, end)
        parts: list[tuple[int, list[tuple[Any, ...]]]] = []
        if whole is not None:
            parts.append(
                (
                    0,
                    self.db.conn.execute(
                        f"SELECT {roll_key}, {rolled} FROM {OUTCOME_TABLE}"
                        f" WHERE d >= ? AND d <= ?{filters} GROUP BY 1",
                        [whole[0].isoformat(), whole[1].isoformat(), *params],
                    ).fetchall(),
                )
            )
        for low, high in partial:
            offset = 0
            for sql, where, n in raws:
                parts.append(
                    (
                        offset,
                        self.db.conn.execute(
                            f"SELECT {raw_key}, {sql} FROM interactions"
                            f" WHERE local_date >= ? AND local_date <= ?{where}{filters}"
                            " GROUP BY 1",
                            [low.isoformat(), high.isoformat(), *params],
                        ).fetchall(),
                    )
                )
                offset += n
        merged: dict[Any, list[float]] = {}
        for offset, rows in parts:
            for key, *values in rows:
                into = merged.setdefault(key, [0.0] * width)
                for index, value in enumerate(values):
                    into[offset + index] += value or 0
        return [(key, *values) for key, values in merged.items()]

    def latest_contact(self) -> str | None:
        return repeat_contacts.latest_contact(self.db.conn)

    def pending_contacts(
        self,
        start: date,
        end: date,
        team_ids: Sequence[int],
        agent_ids: Sequence[int],
        since: str,
    ) -> list[tuple[str, int, int]]:
        """(first day of the month, contacts, of them repeat-followed already) of the
        contacts of ``start``..``end`` with a customer reference that started after
        ``since`` (UTC moment text): their repeat window has not closed. They all lie in
        the last days, so this reads only those days of the date index (a contact's
        local date is at most a day before its UTC one)."""
        floor = (date.fromisoformat(since[:10]) - timedelta(days=1)).isoformat()
        filters, params = _people_filter(team_ids, agent_ids)
        return [
            (str(month), int(n), int(repeats))
            for month, n, repeats in self.db.conn.execute(
                "SELECT substr(local_date, 1, 7) || '-01', count(*),"
                f" total({is_repeat('interactions')}) FROM interactions"
                " WHERE local_date >= max(?, ?) AND local_date <= ? AND started_at > ?"
                f" AND customer_ref IS NOT NULL{filters} GROUP BY 1",
                [start.isoformat(), floor, end.isoformat(), since, *params],
            )
        ]

    def lost_by_reason(
        self,
        start: date,
        end: date,
        team_ids: Sequence[int],
        agent_ids: Sequence[int],
        none: str,
    ) -> list[tuple[str, int]]:
        """Retention calls that ended lost, counted by their churn reason (``none``
        for calls without one)."""
        filters, params = _people_filter(team_ids, agent_ids)
        return [
            (str(reason), int(n))
            for reason, n in self.db.conn.execute(
                "SELECT coalesce(churn_reason, ?), count(*) FROM interactions"
                f" WHERE local_date >= ? AND local_date <= ? AND retention = 'lost'{filters}"
                " GROUP BY 1",
                [none, start.isoformat(), end.isoformat(), *params],
            )
        ]


_RAW_TALLY = (
    "sum(nps >= 9), sum(nps <= 6), count(nps),"
    " sum(csat >= 4), count(csat), total(csat), total(csat * csat),"
    " count(ces), total(ces), total(ces * ces),"
    " sum(resolved_first_contact = 1), count(resolved_first_contact),"
    " sum(retention = 'retained'), sum(retention = 'lost')"
)
# The repeat-contact sums: contacts only, from their own partial index (a call log of
# calls without customers adds nothing to read).
_RAW_CONTACTS = f"count(*), total({is_repeat('interactions')})"
_CONTACTS_ONLY = " AND customer_ref IS NOT NULL"
# (the roll-up's sums; the same sums over raw interactions, as (measures, condition,
# how many measures) whose measures follow one another), in the same order.
_MEASURES: dict[str, tuple[str, tuple[tuple[str, str, int], ...]]] = {
    "tallies": (
        ", ".join(f"sum({m})" for m in OUTCOME_MEASURE_NAMES),
        ((_RAW_TALLY, "", 14), (_RAW_CONTACTS, _CONTACTS_ONLY, 2)),
    ),
    "retention": (
        "sum(retained), sum(lost)",
        (("sum(retention = 'retained'), sum(retention = 'lost')", "", 2),),
    ),
}
assert sum(n for _s, _w, n in _MEASURES["tallies"][1]) == len(OUTCOME_MEASURE_NAMES)


def _people_filter(team_ids: Sequence[int], agent_ids: Sequence[int]) -> tuple[str, list[object]]:
    sql, params = "", list[object]()
    if team_ids:
        sql += f" AND team_id IN ({', '.join('?' * len(team_ids))})"
        params.extend(team_ids)
    if agent_ids:
        sql += f" AND agent_id IN ({', '.join('?' * len(agent_ids))})"
        params.extend(agent_ids)
    return sql, params


def _split(start: date, end: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """(first days of the first and last whole month inside start..end, or None;
    the partial stretches at either end)."""
    first_whole = start if start.day == 1 else _next_month(start)
    after_end = end + timedelta(days=1)
    last_whole_end = after_end if after_end.day == 1 else after_end.replace(day=1)
    if first_whole >= last_whole_end:  # no whole month: one partial stretch
        return None, [(start, end)]
    partial = []
    if start < first_whole:
        partial.append((start, first_whole - timedelta(days=1)))
    if last_whole_end <= end:
        partial.append((last_whole_end, end))
    last_month_first = (last_whole_end - timedelta(days=1)).replace(day=1)
    return (first_whole, last_month_first), partial


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)
