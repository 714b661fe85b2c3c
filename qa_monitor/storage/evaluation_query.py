"""Listing and counting evaluations with an ``EvaluationFilter``.

Every filter is a condition on the evaluations table alone (names are matched
through small subqueries), so counting needs no joins and a list sorted by a
stored column walks an index and stops at the page's end.

A page is read in two steps: first the page's ids, sorted, joining only the table
the sort needs (a person's or form's name); then those evaluations' rows with every
name. Sorting a million evaluations' full rows took 12-16 s; sorting keys alone, on
an index where one exists (date, score: ``m006_list_sort_indexes``), takes
milliseconds; by a name or a column of a few values, 0.1-2 s over a million unfiltered.
"""

from __future__ import annotations

from typing import Any

from qa_monitor.core.forms import Channel
from qa_monitor.core.records import (
    EvaluationFilter,
    EvaluationKind,
    EvaluationRow,
    EvaluationSort,
    EvaluationStatus,
)
from qa_monitor.core.text_keys import name_key
from qa_monitor.storage.calibration_repo import HIDDEN_SQL, not_hidden
from qa_monitor.storage.database import Database
from qa_monitor.storage.values import opt_bool, opt_date, opt_parse_utc, parse_utc

_ORDER: dict[EvaluationSort, str] = {
    EvaluationSort.INTERACTION_DATE: "e.interaction_date",
    EvaluationSort.SUBMITTED_AT: "e.submitted_at",
    EvaluationSort.UPDATED_AT: "e.updated_at",
    EvaluationSort.SCORE: "e.score",
    EvaluationSort.AGENT: "a.name COLLATE NOCASE",
    EvaluationSort.TEAM: "t.name COLLATE NOCASE",
    EvaluationSort.REVIEWER: "r.name COLLATE NOCASE",
    EvaluationSort.FORM: "f.title COLLATE NOCASE",
    EvaluationSort.STATUS: "e.status",
    EvaluationSort.CHANNEL: "e.channel",
    EvaluationSort.KIND: "e.kind",
}
# What the id step joins to sort by a name.
_SORT_JOIN: dict[EvaluationSort, str] = {
    EvaluationSort.AGENT: "JOIN agents a ON a.id = e.agent_id",
    EvaluationSort.TEAM: "LEFT JOIN teams t ON t.id = e.team_id",
    EvaluationSort.REVIEWER: "JOIN reviewers r ON r.id = e.reviewer_id",
    EvaluationSort.FORM: "JOIN forms f ON f.id = e.form_id"
    " JOIN form_versions v ON v.id = e.form_version_id",
}
# Columns that may be NULL: keep the NULLs at the end whichever the direction.
_NULLABLE = {EvaluationSort.SUBMITTED_AT, EvaluationSort.SCORE, EvaluationSort.TEAM}

_SELECT = """
SELECT e.id, e.interaction_id, e.agent_id, a.name AS agent_name, e.team_id,
    t.name AS team_name, e.reviewer_id, r.name AS reviewer_name, e.form_id,
    e.form_version_id, f.title AS form_title, v.version AS form_version,
    i.external_id, e.interaction_date, e.channel, e.status, e.kind, e.score, e.passed,
    e.critical_failed, e.submitted_at, e.updated_at
FROM evaluations e
JOIN agents a ON a.id = e.agent_id
LEFT JOIN teams t ON t.id = e.team_id
JOIN reviewers r ON r.id = e.reviewer_id
JOIN form_versions v ON v.id = e.form_version_id
JOIN forms f ON f.id = e.form_id
JOIN interactions i ON i.id = e.interaction_id
"""


def _in(column: str, values: tuple[Any, ...], where: list[str], params: list[Any]) -> None:
    if values:
        where.append(f"{column} IN ({', '.join('?' * len(values))})")
        params.extend(values)


def _like_text(search: str) -> str:
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# A part of a call's id is looked for only when the text holds a digit (ids are
# numbered; a name search never pays for the scan), and only while at most this many
# ids hold it: a text most ids hold ("20") is no one call's, and the start of an id
# ("CALL-2023") is still found through the index.
ID_MATCH_LIMIT = 2000
# The external-id index holds every id with its row: scanning it for a part of an id
# reads far less than the interactions table (0.2-0.4 s against 0.85 s at 1.1M calls).
_ID_SCAN = (
    "SELECT id FROM interactions INDEXED BY interactions_external_id"
    " WHERE external_id IS NOT NULL AND external_id LIKE ? ESCAPE '\\'"
)


def looks_like_an_id_part(search: str) -> bool:
    return any(c.isdigit() for c in search)


def external_id_matches(db: Database, search: str) -> tuple[int, ...]:
    """The interactions whose external id contains ``search`` (ASCII case ignored);
    none when the text holds no digit or more than ``ID_MATCH_LIMIT`` ids hold it.
    At most one scan of the external-id index."""
    search = search.strip()
    if not looks_like_an_id_part(search):
        return ()
    rows = db.execute(f"{_ID_SCAN} LIMIT ?", [_like_text(search), ID_MATCH_LIMIT + 1]).fetchall()
    return () if len(rows) > ID_MATCH_LIMIT else tuple(int(i) for (i,) in rows)


def _id_part_branch(
    search: str, id_matches: tuple[int, ...] | None
) -> tuple[str | None, list[Any]]:
    """The evaluations of ``external_id_matches`` (read already, or in the statement:
    the same rule in SQL, for an export's one statement)."""
    if id_matches:
        marks = ", ".join("?" * len(id_matches))
        return f"SELECT id FROM evaluations WHERE interaction_id IN ({marks})", list(id_matches)
    if id_matches is not None or not looks_like_an_id_part(search):
        return None, []
    like = _like_text(search)
    few = f"(SELECT count(*) FROM ({_ID_SCAN} LIMIT ?)) <= ?"
    sql = f"SELECT id FROM evaluations WHERE interaction_id IN ({_ID_SCAN} AND {few})"
    return sql, [like, like, ID_MATCH_LIMIT + 1, ID_MATCH_LIMIT]


def _search_clause(
    search: str, id_matches: tuple[int, ...] | None = None
) -> tuple[str, list[Any]]:
    """Evaluations whose agent, team, reviewer or form name contains ``search``, whose
    interaction's external id starts with it or contains it ("02962" finds
    CALL-0029625; ``external_id_matches`` says when), or whose id it is.

    People and teams are matched on their stored name keys (``core.text_keys``), so
    "علی" typed on a Persian keyboard finds "علي" from an Arabic system; the few
    people rows are scanned, the evaluations reached through their indexes as before.
    One indexed lookup per branch, united: an OR over the branches would make SQLite
    test every evaluation. ``id_matches``: ``external_id_matches``, read once for a
    count and its page (None: read in the statement, a scan each time).
    """
    like, key_like = _like_text(search), _like_text(name_key(search))
    branches = [
        "SELECT id FROM evaluations WHERE agent_id IN"
        " (SELECT id FROM agents WHERE name_key LIKE ? ESCAPE '\\')",
        "SELECT id FROM evaluations WHERE team_id IN"
        " (SELECT id FROM teams WHERE name_key LIKE ? ESCAPE '\\')",
        "SELECT id FROM evaluations WHERE reviewer_id IN"
        " (SELECT id FROM reviewers WHERE name_key LIKE ? ESCAPE '\\')",
        "SELECT id FROM evaluations WHERE form_id IN"
        " (SELECT id FROM forms WHERE title LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\')",
        # External ids from their start, through their index (exact case).
        "SELECT id FROM evaluations WHERE interaction_id IN"
        " (SELECT id FROM interactions WHERE external_id >= ? AND external_id < ?)",
    ]
    params: list[Any] = [key_like] * 3 + [like] * 2 + [search, search + "\U0010ffff"]
    part, part_params = _id_part_branch(search, id_matches)
    if part is not None:
        branches.append(part)
        params.extend(part_params)
    if search.isdigit():
        branches.append("SELECT ?")
        params.append(int(search))
    return f"e.id IN ({' UNION ALL '.join(branches)})", params


def where_clause(
    flt: EvaluationFilter, *, blind: bool = True, id_matches: tuple[int, ...] | None = None
) -> tuple[str, list[Any]]:
    """The SQL condition on ``evaluations e`` that ``flt`` describes, with its parameters;
    ``blind``: without the evaluations blind calibration hides (``not_hidden``);
    ``id_matches``: the search's external-id matches, when already read."""
    where: list[str] = []
    params: list[Any] = []
    if flt.date_from is not None:
        where.append("e.interaction_date >= ?")
        params.append(flt.date_from.isoformat())
    if flt.date_to is not None:
        where.append("e.interaction_date <= ?")
        params.append(flt.date_to.isoformat())
    _in("e.agent_id", flt.agent_ids, where, params)
    _in("e.team_id", flt.team_ids, where, params)
    _in("e.form_id", flt.form_ids, where, params)
    _in("e.form_version_id", flt.form_version_ids, where, params)
    _in("e.reviewer_id", flt.reviewer_ids, where, params)
    _in("e.status", tuple(s.value for s in flt.statuses), where, params)
    _in("e.kind", tuple(k.value for k in flt.kinds), where, params)
    _in("e.channel", tuple(c.value for c in flt.channels), where, params)
    _in("e.id", flt.evaluation_ids, where, params)
    # The score index is for sorting: a unary + keeps a score range (often most rows)
    # from taking the place of the date or people indexes. The critical index serves
    # "critical failures only" (a few percent of rows), never "no critical failure".
    if flt.score_min is not None:
        where.append("+e.score >= ?")
        params.append(flt.score_min)
    if flt.score_max is not None:
        where.append("+e.score <= ?")
        params.append(flt.score_max)
    if flt.critical_failed is not None:
        where.append("e.critical_failed = 1" if flt.critical_failed else "+e.critical_failed = 0")
    search = flt.search.strip()
    if search:
        clause, search_params = _search_clause(search, id_matches)
        where.append(clause)
        params.extend(search_params)
    # Blind calibration: another reviewer's answers in an unrevealed session never show.
    if blind:
        where.append(not_hidden("e"))
    return " AND ".join(where) or "1", params


def _order_by(flt: EvaluationFilter) -> str:
    direction = "DESC" if flt.descending else "ASC"
    key = f"{_ORDER[flt.sort]} {direction}"
    if flt.sort in _NULLABLE:
        key += " NULLS LAST"
    if flt.sort is EvaluationSort.FORM:
        key += f", v.version {direction}"
    return f"{key}, e.id {direction}"


def _row(r: dict[str, Any]) -> EvaluationRow:
    date = opt_date(r["interaction_date"])
    assert date is not None
    return EvaluationRow(
        id=r["id"],
        interaction_id=r["interaction_id"],
        agent_id=r["agent_id"],
        agent_name=r["agent_name"],
        team_id=r["team_id"],
        team_name=r["team_name"],
        reviewer_id=r["reviewer_id"],
        reviewer_name=r["reviewer_name"],
        form_id=r["form_id"],
        form_version_id=r["form_version_id"],
        form_title=r["form_title"],
        form_version=r["form_version"],
        interaction_external_id=r["external_id"],
        interaction_date=date,
        channel=Channel(r["channel"]),
        status=EvaluationStatus(r["status"]),
        kind=EvaluationKind(r["kind"]),
        score=r["score"],
        passed=opt_bool(r["passed"]),
        critical_failed=bool(r["critical_failed"]),
        submitted_at=opt_parse_utc(r["submitted_at"]),
        updated_at=parse_utc(r["updated_at"]),
    )


class EvaluationQuery:
    """The list's reads on one connection. A search's external-id matches are read per
    call (``id_matches``), or once for a count and its page (``id_matches_of``)."""

    def __init__(self, db: Database):
        self.db = db

    def id_matches_of(self, flt: EvaluationFilter) -> tuple[int, ...]:
        """``external_id_matches`` of ``flt``'s search, to pass to ``count`` and ``rows``."""
        return external_id_matches(self.db, flt.search)

    def _where(
        self, flt: EvaluationFilter, id_matches: tuple[int, ...] | None, *, blind: bool = True
    ) -> tuple[str, list[Any]]:
        if id_matches is None and flt.search.strip():
            id_matches = self.id_matches_of(flt)
        return where_clause(flt, blind=blind, id_matches=id_matches)

    def rows(
        self,
        flt: EvaluationFilter,
        offset: int = 0,
        limit: int = 100,
        id_matches: tuple[int, ...] | None = None,
    ) -> list[EvaluationRow]:
        """One page of rows matching ``flt``, in its sort order (ties broken by id)."""
        ids = self.page_ids(flt, offset, limit, id_matches)
        if not ids:
            return []
        found = {
            r["id"]: _row(r)
            for r in self.db.query(f"{_SELECT} WHERE e.id IN ({', '.join('?' * len(ids))})", ids)
        }
        return [found[i] for i in ids if i in found]

    def page_ids(
        self,
        flt: EvaluationFilter,
        offset: int = 0,
        limit: int = 100,
        id_matches: tuple[int, ...] | None = None,
    ) -> list[int]:
        """The ids of one page of ``flt``, in its sort order."""
        where, params = self._where(flt, id_matches)
        sql = (
            f"SELECT e.id FROM evaluations e {_SORT_JOIN.get(flt.sort, '')}"
            f" WHERE {where} ORDER BY {_order_by(flt)} LIMIT ? OFFSET ?"
        )
        cursor = self.db.execute(sql, [*params, max(limit, 0), max(offset, 0)])
        return [int(i) for (i,) in cursor]

    def count(self, flt: EvaluationFilter, id_matches: tuple[int, ...] | None = None) -> int:
        """How many evaluations match ``flt``: every match, less the few that blind
        calibration hides (counted from the hidden ones out: checking a million rows
        against them would cost a second at a million evaluations)."""
        where, params = self._where(flt, id_matches, blind=False)
        (n,) = self.db.execute(
            f"SELECT count(*) FROM evaluations e WHERE {where}", params
        ).fetchone()
        (hidden,) = self.db.execute(
            f"SELECT count(*) FROM evaluations e WHERE e.id IN ({HIDDEN_SQL}) AND {where}",
            params,
        ).fetchone()
        return int(n) - int(hidden)
